// The outbox at work: compose and schedule, watch the sender deliver it live, tracking, archive,
// retry, and hostile content shown as text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, api, apiToken, countOf, datetimeLocal, eventually, launch, newPage, sentMessage, signIn } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a scheduled email moves to Delivered on its own, counts updating without a reload', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE_URL}/emails/scheduled`);
  await signIn(page, 'ben@example.com');
  const scheduledTab = page.locator('#cc-folder-tab-scheduled');
  await eventually(async () => assert.ok((await countOf(scheduledTab)) > 0));
  const scheduledBefore = await countOf(scheduledTab);
  const sentTab = page.getByRole('tab', { name: /^Sent/ });
  const sentBefore = await countOf(sentTab);
  await page.evaluate(() => { window.__noReload = true; });

  const subject = `Live check ${Date.now()}`;
  await page.getByRole('button', { name: 'New email' }).click();
  const dialog = page.getByRole('dialog', { name: 'New email' });
  await dialog.getByLabel('Search your people').fill('Globex');
  await dialog.getByRole('listbox', { name: 'Suggestions' }).getByRole('option').first().click();
  await dialog.getByLabel('Subject').fill(subject);
  await dialog.getByLabel('Message').fill('Hello {{first_name}},\n\nA quick note.');
  await dialog.getByLabel('Send at (your time)').fill(datetimeLocal(new Date(Date.now() + 5_000), 'America/New_York')); // ben's zone
  await dialog.getByRole('button', { name: 'Schedule' }).click();
  await dialog.waitFor({ state: 'detached' });

  const row = page.locator('tbody tr', { hasText: subject });
  await eventually(async () => assert.equal(await row.count(), 1));
  await eventually(async () => assert.equal(await countOf(scheduledTab), scheduledBefore + 1));
  // The sender takes it; the row leaves Scheduled and the Sent tab grows, live.
  await eventually(async () => assert.equal(await row.count(), 0));
  await eventually(async () => assert.equal(await countOf(scheduledTab), scheduledBefore));
  await eventually(async () => assert.equal(await countOf(sentTab), sentBefore + 1));
  // Gone from the loaded rows too, not only from the rows on screen: the filter finds no trace.
  await page.getByLabel('Filter loaded emails').fill(subject);
  await eventually(async () => assert.match(await page.locator('.cc-table-footer').innerText(), /Showing 0 of/));
  await page.getByLabel('Filter loaded emails').fill('');
  assert.equal(await page.evaluate(() => window.__noReload), true, 'no page reload happened');
  await sentTab.click();
  await eventually(async () => assert.equal(await page.locator('tbody tr', { hasText: subject }).count(), 1));
  const message = sentMessage(subject);
  assert.ok(message, 'the message is in the outbox');
  assert.doesNotMatch(message, /\{\{first_name\}\}/, 'merge fields are filled');
  await page.context().close();
});

test('archiving turns tracking off: a view on its pixel is ignored', async () => {
  const token = await apiToken('aiko@example.com');
  const people = (await api('/people?q=Acme', { token })).body.items;
  const subject = `Pixel check ${Date.now()}`;
  const created = await api('/emails', { token, method: 'POST', body: { person_id: people[0].id, subject, body: '<p>Hi</p>' } });
  assert.equal(created.status, 201);
  const id = created.body.id;
  await eventually(async () => assert.equal((await api(`/emails/${id}`, { token })).body.status, 'delivered'));
  const pixel = sentMessage(subject).match(/background="([^"]+\/t\/v\/[0-9a-f]+\.gif)"/)[1];

  const page = await newPage(browser);
  await page.goto(`${BASE_URL}/emails/delivered`);
  await signIn(page, 'aiko@example.com');
  const row = page.locator('tbody tr', { hasText: subject });
  await eventually(async () => assert.equal(await row.count(), 1));
  await fetch(pixel); // the prospect opens it
  await eventually(async () => assert.equal(await row.locator('td.cc-num').first().innerText(), '1'));

  await row.getByRole('button', { name: 'Archive' }).click();
  await eventually(async () => assert.equal(await row.count(), 0));
  await fetch(pixel);
  await page.getByRole('tab', { name: /^Archived/ }).click();
  const archived = page.locator('tbody tr', { hasText: subject });
  await eventually(async () => assert.equal(await archived.count(), 1));
  assert.equal(await archived.locator('td.cc-num').first().innerText(), '1');
  assert.equal((await api(`/emails/${id}`, { token })).body.views, 1);
  await page.context().close();
});

test('a scheduled email is edited from its row: the dialog reads it (saying so when it cannot) and saves the change', async () => {
  const token = await apiToken('aiko@example.com');
  const people = (await api('/people?q=Acme', { token })).body.items;
  const subject = `Edit check ${Date.now()}`;
  const sendAt = new Date(Date.now() + 86_400_000).toISOString();
  const created = await api('/emails', { token, method: 'POST', body: { person_id: people[0].id, subject, body: '<p>First text</p>', send_at: sendAt } });
  assert.equal(created.status, 201);
  const id = created.body.id;

  const page = await newPage(browser);
  await page.goto(`${BASE_URL}/emails/scheduled`);
  await signIn(page, 'aiko@example.com');
  const row = page.locator(`tr[data-email-id="${id}"]`);
  await eventually(async () => assert.equal(await row.count(), 1));
  // While the email is read the dialog says so; when it cannot be read the dialog says that,
  // and Try again reads it once it can.
  const read = `**/api/v1/emails/${id}`;
  let refuse;
  const refused = new Promise((r) => { refuse = r; });
  await page.route(read, async (route) => { await refused; await route.abort(); });
  await row.getByRole('button', { name: 'Edit', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit email' });
  await eventually(async () => assert.equal(await dialog.getByRole('status').innerText(), 'Loading…'));
  refuse();
  await dialog.getByRole('alert').waitFor();
  await page.unroute(read);
  await dialog.getByRole('button', { name: 'Try again' }).click();
  const subjectField = dialog.getByLabel('Subject');
  await eventually(async () => assert.equal(await subjectField.inputValue(), subject));
  assert.equal(await dialog.getByLabel('Message').inputValue(), 'First text');

  await subjectField.fill(`${subject} (edited)`);
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await dialog.waitFor({ state: 'detached' });
  await eventually(async () => assert.match(await row.innerText(), /\(edited\)/));
  const saved = (await api(`/emails/${id}`, { token })).body;
  assert.equal(saved.subject, `${subject} (edited)`);
  assert.equal(saved.status, 'scheduled');
  await page.context().close();
});

test('a failed email is retried from its row and delivered', async () => {
  const token = await apiToken('aiko@example.com');
  const page = await newPage(browser);
  await page.goto(`${BASE_URL}/emails/failed`);
  await signIn(page, 'aiko@example.com');
  const failedTab = page.locator('#cc-folder-tab-failed');
  await eventually(async () => assert.ok((await countOf(failedTab)) > 0));
  const before = await countOf(failedTab);
  const first = page.locator('tbody tr[data-email-id]').first();
  const id = Number(await first.getAttribute('data-email-id'));
  await first.getByRole('button', { name: 'Retry send' }).click();
  await eventually(async () => assert.equal(await countOf(failedTab), before - 1));
  await eventually(async () => assert.equal((await api(`/emails/${id}`, { token })).body.status, 'delivered'));
  await eventually(async () => assert.equal(await page.locator(`tr[data-email-id="${id}"]`).count(), 0));
  await page.context().close();
});

test('hostile subjects and bodies are shown as text and run nothing', async () => {
  const token = await apiToken('aiko@example.com');
  const people = (await api('/people?q=Initech', { token })).body.items;
  const subject = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> ${Date.now()}`;
  const body = '<p>Hello</p><script>parent.__pwned=3</script><img src=x onerror="parent.__pwned=4"><a href="javascript:parent.__pwned=5">x</a>';
  const sendAt = new Date(Date.now() + 3600_000).toISOString();
  const created = await api('/emails', { token, method: 'POST', body: { person_id: people[0].id, subject, body, send_at: sendAt } });
  assert.equal(created.status, 201);

  const page = await newPage(browser);
  await page.goto(`${BASE_URL}/emails/scheduled`);
  await signIn(page, 'aiko@example.com');
  const button = page.locator('tbody tr .cc-subject-button', { hasText: '<script>window.__pwned=1</script>' });
  await eventually(async () => assert.equal(await button.count(), 1));
  assert.equal(await button.innerText(), subject);
  await button.click();
  const dialog = page.getByRole('dialog', { name: 'Email details' });
  await dialog.waitFor();
  assert.equal(await dialog.locator('.cc-detail-subject').innerText(), subject);
  const frame = dialog.locator('iframe');
  assert.equal(await frame.getAttribute('sandbox'), '');
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator('script', { hasText: '__pwned' }).count(), 0);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await page.context().close();
});

test('rows picked by their checkboxes are archived together from the selection bar', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE_URL}/emails/delivered`);
  await signIn(page, 'ben@example.com');
  const rows = page.locator('tr[data-email-id]');
  await rows.first().waitFor();
  const picked = [];
  for (let i = 0; i < 2; i++) {
    picked.push(await rows.nth(i).getAttribute('data-email-id'));
    await rows.nth(i).getByRole('checkbox').check();
  }
  const bar = page.getByRole('region', { name: '2 selected' });
  await bar.waitFor();
  await bar.locator('button[data-bulk-action="archive"]').click();
  for (const id of picked) {
    await eventually(async () => assert.equal(await page.locator(`tr[data-email-id="${id}"]`).count(), 0));
  }
  const token = await apiToken('ben@example.com');
  for (const id of picked) {
    assert.equal((await api(`/emails/${id}`, { token })).body.status, 'archived');
  }
  // Unticking a row takes it out of the selection again (the bar stays, with the last result).
  await rows.first().getByRole('checkbox').check();
  await page.getByRole('region', { name: '1 selected' }).waitFor();
  await rows.first().getByRole('checkbox').uncheck();
  await page.getByRole('region', { name: '0 selected' }).waitFor();
  await page.context().close();
});
