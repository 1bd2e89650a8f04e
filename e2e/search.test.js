// Advanced search as a rep uses it: build "in campaign X, viewed and clicked, not replied" in the
// builder, read it back in plain words, get exactly the emails the outbox lists with that
// engagement (as emails and grouped by person), act on the people behind selected emails, save
// it, and watch a newcomer join the open list live, marked new, when their view and click arrive
// through the tracking endpoints.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, FOLDERS, api, apiToken, eventually, launch, newPage, sentMessage, signIn } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Every email of the rep, from the outbox's own lists (each folder, page by page). */
async function allEmails(token) {
  const emails = [];
  for (const folder of FOLDERS) {
    let cursor = '';
    do {
      const page = (await api(`/emails?folder=${folder}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token })).body;
      emails.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
  }
  return emails;
}

const byNumber = (a, b) => a - b;

/** The seed's example worked out from the outbox rows: engagement per email. */
async function expectedFor(token, campaign) {
  const emails = (await allEmails(token)).filter((e) => e.campaign?.id === campaign.id && e.views > 0 && e.clicks > 0 && e.replies === 0);
  return {
    emails: emails.map((e) => e.id).sort(byNumber),
    people: [...new Set(emails.map((e) => e.person.id))].sort(byNumber),
  };
}

test('a saved search is a dynamic list: newcomers appear live, marked new', async () => {
  const token = await apiToken('aiko@example.com');
  const campaign = (await api('/campaigns', { token })).body[0];
  const found = await expectedFor(token, campaign);
  const expected = found.people;
  assert.ok(found.emails.length > 0, 'the demo has emails of the seed example');

  const page = await newPage(browser);
  await page.goto(`${BASE_URL}/search`);
  await signIn(page, 'aiko@example.com');
  const all = page.locator('fieldset.cc-conditions').first();
  for (let i = 0; i < 4; i++) await all.getByRole('button', { name: 'Add condition' }).click();
  const row = (i) => all.locator('.cc-condition').nth(i);
  await row(0).getByLabel('Condition type, condition 1 (all)').selectOption('campaign');
  await row(0).getByRole('checkbox', { name: campaign.name }).check();
  await row(2).locator('select').nth(2).selectOption('clicked');
  await row(3).locator('select').nth(1).selectOption('not');
  await row(3).locator('select').nth(2).selectOption('replied');
  // Every control of the builder has a name of its own, across conditions and groups too.
  const names = await page.locator('fieldset.cc-conditions').locator('select, input, button').evaluateAll((controls) =>
    controls.map((c) => c.getAttribute('aria-label') ?? c.labels?.[0]?.textContent.trim() ?? c.textContent.trim()));
  assert.ok(names.length > 20, names.join(' | '));
  assert.equal(new Set(names).size, names.length, `names repeat: ${names.join(' | ')}`);
  // The builder says what it will find, in plain words.
  assert.equal(await page.locator('.cc-query-sentence').innerText(), `Emails in ${campaign.name} that were viewed and clicked and got no reply`);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL(/\/search\?q=/);
  const rows = page.locator('table.cc-results tbody tr');
  await eventually(async () => {
    const shown = (await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.personId)))).sort(byNumber);
    assert.deepEqual(shown, expected);
  });
  assert.equal(await page.getByRole('tab', { name: 'People' }).getAttribute('aria-selected'), 'true');

  // As emails: exactly the campaign's emails that were themselves viewed and clicked, no reply.
  await page.getByRole('tab', { name: 'Emails' }).click();
  await page.waitForURL(/view=emails/);
  const emailIds = () => rows.evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.emailId)).sort((a, b) => a - b));
  await eventually(async () => assert.deepEqual(await emailIds(), found.emails));
  assert.equal(await page.getByRole('tab', { name: 'Emails' }).getAttribute('aria-selected'), 'true');
  await page.reload();
  await eventually(async () => assert.deepEqual(await emailIds(), found.emails));

  // Acting on a selected email acts on the person behind it: a task for them.
  const first = rows.first();
  const person = Number(await first.getAttribute('data-person-id'));
  await first.getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Create a task for each' }).click();
  await eventually(async () => assert.match(await page.getByRole('status').first().innerText(), /1 tasks created/));
  const tasks = (await api('/tasks?view=nodate', { token })).body.items;
  assert.ok(tasks.some((t) => t.person?.id === person), 'a task for the person behind the email');

  // Back to people (the arrow key moves between the two tabs).
  await page.getByRole('tab', { name: 'Emails' }).press('ArrowLeft');
  await page.waitForURL((url) => !url.href.includes('view=emails'));
  await eventually(async () => assert.equal(await rows.count(), expected.length));

  // Results sort by a column, both ways.
  await page.getByRole('button', { name: 'Views' }).click();
  // Numbers: matching emails, views, clicks, replies.
  const views = () => rows.evaluateAll((trs) => trs.map((tr) => Number(tr.querySelectorAll('td.cc-num')[1].textContent)));
  await eventually(async () => {
    const shown = await views();
    assert.deepEqual(shown, [...shown].sort((x, y) => x - y));
  });
  await page.getByRole('button', { name: 'Views' }).click();
  await eventually(async () => {
    const shown = await views();
    assert.deepEqual(shown, [...shown].sort((x, y) => y - x));
  });
  assert.equal(await page.getByRole('columnheader', { name: 'Views' }).getAttribute('aria-sort'), 'descending');

  // The query lives in the URL: the same link reopens the same search.
  await page.reload();
  await eventually(async () => assert.equal(await rows.count(), expected.length));

  await page.getByLabel('Search name').fill(`Hot leads ${Date.now()}`);
  await page.getByRole('button', { name: 'Save search as' }).click();
  await page.waitForURL(/\/search\/saved\/\d+/);
  await eventually(async () => assert.equal(await rows.count(), expected.length));
  assert.equal(await page.locator('.cc-badge', { hasText: 'New' }).count(), 0);

  // Someone not in the list yet opens an email of the campaign and clicks its link.
  const people = (await api('/people', { token })).body.items;
  const newcomer = people.find((p) => !expected.includes(p.id));
  const subject = `Dynamic list ${Date.now()}`;
  const created = await api('/emails', { token, method: 'POST', body: { person_id: newcomer.id, subject, body: '<a href="https://example.com/offer">offer</a>', campaign_id: campaign.id } });
  await eventually(async () => assert.equal((await api(`/emails/${created.body.id}`, { token })).body.status, 'delivered'));
  const message = sentMessage(subject);
  await fetch(message.match(/background="([^"]+\/t\/v\/[0-9a-f]+\.gif)"/)[1]);
  await fetch(message.match(/href="([^"]+\/t\/c\/[0-9a-f]+)"/)[1], { redirect: 'manual' });

  const joined = page.locator(`tr[data-person-id="${newcomer.id}"]`);
  await eventually(async () => assert.equal(await joined.count(), 1), 10_000);
  assert.match(await joined.innerText(), /New/);
  assert.equal(await rows.count(), expected.length + 1);
  // As emails, the newcomer's email is the one marked new.
  await page.getByRole('tab', { name: 'Emails' }).click();
  const joinedEmail = page.locator(`tr[data-email-id="${created.body.id}"]`);
  await eventually(async () => assert.equal(await joinedEmail.count(), 1));
  assert.match(await joinedEmail.innerText(), /New/);
  assert.equal(await page.locator('tr.cc-new').count(), 1);

  // A new search starts empty, not with the saved one last open.
  await page.getByRole('link', { name: 'Search' }).click();
  await page.waitForURL(`${BASE_URL}/search`);
  await eventually(async () => assert.equal(await page.locator('fieldset.cc-conditions .cc-condition').count(), 0));
  await page.context().close();
});

test('a campaign picker takes a name typed whole, and forgets text that names none', async () => {
  const token = await apiToken('aiko@example.com');
  const campaign = (await api('/campaigns', { token })).body[0];
  const page = await newPage(browser);
  await page.goto(`${BASE_URL}/search`);
  await signIn(page, 'aiko@example.com');
  const all = page.locator('fieldset.cc-conditions').first();
  await all.getByRole('button', { name: /^Add condition/ }).click();
  await page.getByLabel('Condition type, condition 1 (all)').selectOption('person_sequence');
  const picker = page.getByRole('combobox', { name: 'Campaign, condition 1 (all)', exact: true });
  const sentence = page.locator('.cc-query-sentence');

  // Text that names no campaign is not a choice: leaving the field empties it.
  await picker.fill('no such campaign');
  await picker.press('Tab');
  assert.equal(await picker.inputValue(), '');
  assert.match(await sentence.innerText(), /any campaign/);

  // A name typed whole (in any case) is that campaign, as if picked from the list.
  await picker.fill(campaign.name.toUpperCase());
  await picker.press('Tab');
  await eventually(async () => assert.equal(await picker.inputValue(), campaign.name));
  assert.ok((await sentence.innerText()).includes(campaign.name), await sentence.innerText());

  // Changing the text un-chooses at once.
  await picker.fill(campaign.name.slice(0, 3));
  assert.match(await sentence.innerText(), /any campaign/);

  // Adding people to a campaign named in full and not picked from the list: a new one by that
  // name (leaving the field for the button picks it).
  await all.getByRole('button', { name: 'Remove condition, condition 1 (all)' }).click();
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const rows = page.locator('table.cc-results tbody tr');
  await eventually(async () => assert.ok(await rows.count() >= 2));
  for (let i = 0; i < 2; i++) await rows.nth(i).getByRole('checkbox').check();
  const name = `Typed ${Date.now()}`;
  const group = page.getByRole('group', { name: 'Add to campaign' });
  await group.getByRole('combobox', { name: 'Campaign' }).fill(name);
  await group.getByRole('button', { name: 'Add to campaign' }).click();
  await eventually(async () => assert.match(await page.getByRole('status').filter({ hasText: 'added' }).innerText(), new RegExp(`2 people added to ${name}`)));
  assert.ok((await api('/campaigns', { token })).body.some((c) => c.name === name && c.people === 2));
  await page.context().close();
});
