// People, on a server of their own (imports and an unsubscribe change the demo data): a CSV with
// Japanese headers imported through the dialog, its people found on the People page and its bad
// row reported by number; every person exported as a CSV; a person's page opened from an outbox
// row; and a person who unsubscribes through the link in their email, after which sending to
// them is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, launch, newPage, ownServer, signIn } from './helpers.js';

let browser;
let base;
let dataDir;
let own;

before(async () => {
  browser = await launch();
  own = await ownServer('people');
  ({ base, dataDir } = own);
});

after(async () => {
  await browser?.close();
  own?.stop();
});

async function api(path, { token, method = 'GET', body } = {}) {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function signedIn(email = 'aiko@example.com', path = '/people') {
  const page = await newPage(browser);
  await page.goto(`${base}${path}`);
  await signIn(page, email);
  return page;
}

test('a CSV with Japanese headers imports through the dialog; its people are found and its bad row is named', async () => {
  const page = await signedIn();
  await page.getByRole('button', { name: 'Import CSV' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import CSV' });
  const csv = '\uFEFF姓,名,メールアドレス,会社名,役職\r\n'
    + '高橋,健,ken.takahashi@import.example,"北斗商事, 大阪",部長\r\n'
    + '伊藤,美咲,not-an-address,北斗商事,課長\r\n'
    + 'Walker,Emma,emma.walker@import.example,Northwind,CTO\r\n';
  await dialog.getByLabel(/CSV file/).setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
  // The preview maps each column by its Japanese name; the rep could change any of them.
  await assert.doesNotReject(dialog.getByRole('table').getByText('北斗商事, 大阪').waitFor());
  assert.equal(await dialog.getByLabel('Field for column “メールアドレス”').inputValue(), 'email');
  assert.equal(await dialog.getByLabel('Field for column “姓”').inputValue(), 'last_name');
  await dialog.getByRole('button', { name: 'Import 3 rows' }).click();
  await eventually(async () => assert.match(await dialog.getByRole('status').innerText(), /2 added.*1 rows not imported/));
  const errors = dialog.getByRole('table', { name: 'Rows not imported' });
  assert.equal(await errors.locator('tbody tr').count(), 1);
  assert.equal(await errors.locator('tbody tr td').first().innerText(), '3');
  assert.ok(await dialog.getByRole('link', { name: 'Download these rows as CSV' }).getAttribute('href'));
  await dialog.getByRole('button', { name: 'Close' }).last().click();

  await page.getByLabel('Search people').fill('import.example');
  await eventually(async () => {
    const rows = page.locator('.cc-people-table tbody tr[data-person-id]');
    assert.equal(await rows.count(), 2);
    assert.deepEqual((await rows.locator('a.cc-person').allInnerTexts()).sort(), ['Emma Walker', '高橋 健'].sort());
  });
  await page.screenshot({ path: join(tmpdir(), 'cc-people-import.png') });
});

test('Export CSV saves every person, a line each, as UTF-8 that Excel reads', async () => {
  const page = await signedIn();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^people-\d{4}-\d{2}-\d{2}\.csv$/);
  const bytes = readFileSync(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a UTF-8 byte-order mark');
  const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
  assert.equal(lines[0], 'first_name,last_name,email,company,title,phone,linkedin_url,opted_out,do_not_contact');
  const count = page.locator('.cc-people .cc-table-tools .cc-status');
  await eventually(async () => assert.match(await count.innerText(), /\d/));
  const total = Number((await count.innerText()).match(/[\d,]+/)[0].replace(/,/g, ''));
  assert.equal(lines.length - 1, total, 'a line per person');
  await page.getByRole('status').filter({ hasText: /^Saved people-/ }).waitFor();
});

test('a person\'s page opens from an outbox row, with their emails and timeline', async () => {
  const page = await signedIn('aiko@example.com', '/emails/delivered');
  const row = page.locator('tr[data-email-id]').first();
  const name = await row.locator('a.cc-person').innerText();
  await row.locator('a.cc-person').click();
  await eventually(async () => assert.match(new URL(page.url()).pathname, /^\/people\/\d+$/));
  await assert.doesNotReject(page.getByRole('heading', { level: 1, name }).waitFor());
  const emails = page.getByRole('table', { name: /^Emails/ });
  await eventually(async () => assert.ok(await emails.locator('tbody tr').count() >= 1));
  await assert.doesNotReject(page.getByRole('heading', { name: 'Timeline' }).waitFor());
  await page.screenshot({ path: join(tmpdir(), 'cc-person-page.png'), fullPage: true });
});

test('a person who unsubscribes through the link in their email cannot be sent to', async () => {
  const session = await api('/session', { method: 'POST', body: { email: 'aiko@example.com', password: 'demo' } });
  const token = session.body.token;
  const people = await api('/people?q=&sort=email&limit=5', { token });
  const person = people.body.items.find((p) => !p.opted_out && !p.do_not_contact);
  const sent = await api('/emails', { token, method: 'POST', body: { person_id: person.id, subject: 'Unsubscribe e2e', body: '<p>Hello</p>' } });
  assert.equal(sent.status, 201);
  // The message as it went out, from the server's outbox directory.
  const link = await eventually(() => {
    const outbox = join(dataDir, 'outbox');
    for (const file of readdirSync(outbox)) {
      const text = readFileSync(join(outbox, file), 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
      if (text.includes('Subject: Unsubscribe e2e')) {
        return text.match(/^List-Unsubscribe: <([^>]+)>/m)[1];
      }
    }
    throw new Error('not sent yet');
  });
  const visitor = await browser.newPage();
  await visitor.goto(link);
  await visitor.getByRole('button', { name: 'Unsubscribe' }).click();
  await assert.doesNotReject(visitor.getByText('You will not receive these emails any more.').waitFor());
  await visitor.close();

  const page = await signedIn('aiko@example.com', `/people/${person.id}`);
  await assert.doesNotReject(page.getByText(/^Unsubscribed on /).waitFor());
  assert.equal(await page.getByRole('button', { name: 'New email' }).isDisabled(), true);
  // Compose from the outbox: the picker says so, and sending is refused naming them.
  await page.goto(`${base}/emails/delivered`);
  await page.getByRole('button', { name: 'New email' }).click();
  const compose = page.getByRole('dialog');
  await compose.getByLabel('Search your people').fill(person.email);
  await compose.getByRole('listbox', { name: 'Suggestions' }).getByRole('option', { name: new RegExp(`${person.email}.*Unsubscribed`) }).click();
  await compose.getByLabel('Subject').fill('Should not go');
  await compose.getByLabel('Message').fill('No');
  await compose.getByRole('button', { name: 'Send now' }).click();
  await assert.doesNotReject(compose.getByRole('alert').getByText(new RegExp(`${person.name}.*unsubscribed`)).waitFor());
  await page.screenshot({ path: join(tmpdir(), 'cc-unsubscribed-refused.png') });
});

test('the People page draws only the rows in view while the rep scrolls through thousands', async () => {
  const session = await api('/session', { method: 'POST', body: { email: 'ben@example.com', password: 'demo' } });
  let csv = 'email,first_name,last_name,company\n';
  for (let i = 0; i < 3000; i++) csv += `many${i}@scroll.example,Many,Z${String(i).padStart(4, '0')},Scroll Co\n`;
  const imported = await fetch(`${base}/api/v1/people/import`, {
    method: 'POST', headers: { authorization: `Bearer ${session.body.token}`, 'content-type': 'text/csv' }, body: csv,
  });
  assert.equal(imported.status, 200);
  const page = await signedIn('ben@example.com', '/people');
  await page.getByLabel('Search people').fill('scroll.example');
  const rows = page.locator('.cc-people-table tbody tr[data-person-id]');
  await eventually(async () => assert.match(await page.locator('.cc-table-tools .cc-status').innerText(), /^3000 people$/));
  // One fixed row height: the spacers above and below stand for the rows not drawn.
  const height = (await rows.first().boundingBox()).height;
  assert.ok(Math.abs(height - 52) <= 1, `a row is ${height}px high`);
  const scroller = page.locator('.cc-people-scroll');
  await eventually(async () => {
    await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight; });
    assert.equal(await rows.last().locator('a.cc-person').innerText(), 'Many Z2999');
  }, 30_000);
  assert.ok(await rows.count() < 80, `only the rows in view are drawn (${await rows.count()})`);
});
