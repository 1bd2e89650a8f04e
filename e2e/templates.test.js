// Templates and a campaign as a whole, in Chromium: a rep writes a template, inserts it in
// compose and sends, and sees the template's send counted; a campaign is paused and resumed from
// its page, shows its results by step, and cannot be deleted while people are in it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, api, apiToken, eventually, launch, newPage, pick, signIn } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** One of the rep's people who can be emailed. */
async function reachablePerson(token) {
  const page = (await api('/people?limit=200', { token })).body;
  const person = page.items.find((p) => !p.opted_out && !p.do_not_contact);
  assert.ok(person, 'a reachable person');
  return person;
}

test('a template is written, inserted in compose, sent and counted', async () => {
  const token = await apiToken('ben@example.com');
  const person = await reachablePerson(token);
  const page = await newPage(browser);
  await page.goto(`${BASE_URL}/templates`);
  await signIn(page, 'ben@example.com');
  const name = `Recap ${Date.now()}`;
  const form = page.getByRole('form', { name: 'New template' });
  await form.getByLabel('Template name').fill(name);
  await form.getByLabel('Subject').fill('Recap for {{company}}');
  await form.getByLabel('Message').fill('Thanks for today, {{first_name}}.');
  await form.getByRole('button', { name: 'Create template' }).click();
  const row = page.locator('table.cc-template-table tbody tr', { hasText: name });
  await eventually(async () => assert.equal(await row.count(), 1));
  assert.match(await row.innerText(), /Recap for \{\{company\}\}\s+0\s+—\s+—\s+—/);

  // Inserted in compose: the subject and message are the template's.
  await page.getByRole('link', { name: 'Emails' }).click();
  await page.getByRole('button', { name: 'New email' }).click();
  const dialog = page.getByRole('dialog', { name: 'New email' });
  await dialog.getByLabel('Search your people').fill(person.email);
  await dialog.getByRole('listbox', { name: 'Suggestions' }).getByRole('option').first().click();
  await pick(dialog.getByRole('combobox', { name: 'Insert template' }), name);
  assert.equal(await dialog.getByLabel('Subject').inputValue(), 'Recap for {{company}}');
  assert.equal(await dialog.getByLabel('Message').inputValue(), 'Thanks for today, {{first_name}}.');
  assert.equal(await dialog.getByLabel('Insert template').inputValue(), '', 'the picker is emptied for the next');
  await dialog.getByRole('button', { name: 'Send now' }).click();
  await dialog.waitFor({ state: 'detached' });

  await eventually(async () => {
    const templates = (await api('/templates', { token })).body;
    assert.equal(templates.find((t) => t.name === name).usage.sent, 1);
  });
  await page.getByRole('link', { name: 'Templates' }).click();
  await eventually(async () => assert.match(await row.innerText(), /\s1\s+0%\s+0%\s+0%/));

  // Edited in place, then deleted.
  await row.getByRole('button', { name: `Edit “${name}”` }).click();
  const edit = page.getByRole('form', { name: 'Edit template' });
  assert.equal(await edit.getByLabel('Template name').inputValue(), name);
  await edit.getByLabel('Subject').fill('Our meeting, {{first_name}}');
  await edit.getByRole('button', { name: 'Save template' }).click();
  await eventually(async () => assert.match(await row.innerText(), /Our meeting, \{\{first_name\}\}/));
  await row.getByRole('button', { name: `Delete “${name}”` }).click();
  await eventually(async () => assert.equal(await row.count(), 0));
});

test('a campaign is paused and resumed from its page and shows its results by step', async () => {
  const token = await apiToken('ben@example.com');
  const name = `Whole campaign ${Date.now()}`;
  const campaign = (await api('/campaigns', { token, method: 'POST', body: { name } })).body.id;
  await api(`/campaigns/${campaign}/steps`, { token, method: 'POST', body: { kind: 'call', subject: 'Intro call', body: '' } });
  const person = await reachablePerson(token);
  await api(`/campaigns/${campaign}/enrolments`, { token, method: 'POST', body: { person_ids: [person.id] } });

  const page = await newPage(browser);
  await page.goto(`${BASE_URL}/campaigns/${campaign}`);
  await signIn(page, 'ben@example.com');
  const deleteButton = page.getByRole('button', { name: 'Delete campaign' });
  await eventually(async () => assert.equal(await deleteButton.isDisabled(), true, 'someone is still in it'));
  const results = page.locator('table.cc-funnel-table tbody tr');
  await eventually(async () => assert.match(await results.first().innerText(), /Step 1: Intro call\s+1\s+—\s+—\s+—\s+—\s+0 \(0%\)/));
  assert.equal(await page.locator('svg.cc-funnel-chart rect').count(), 2, 'reached and done');

  await page.getByRole('button', { name: 'Pause campaign' }).click();
  await eventually(async () => assert.match(await page.getByRole('status').first().innerText(), /Paused: no step is created/));
  assert.ok((await api(`/campaigns/${campaign}`, { token })).body.paused_at);
  await page.getByRole('link', { name: 'All campaigns' }).click();
  const listed = page.locator('table.cc-campaign-table tbody tr', { hasText: name });
  await eventually(async () => assert.match(await listed.innerText(), /Paused/));
  await listed.getByRole('link').click();
  await page.getByRole('button', { name: 'Resume campaign' }).click();
  await eventually(async () => assert.equal(await page.getByRole('button', { name: 'Pause campaign' }).count(), 1));
  assert.equal((await api(`/campaigns/${campaign}`, { token })).body.paused_at, null);

  // Done with the call, the person completes the campaign and it can be deleted.
  const [enrolment] = (await api(`/campaigns/${campaign}/enrolments`, { token })).body;
  await api(`/tasks/${enrolment.pending_task_id}/complete`, { token, method: 'POST', body: {} });
  await eventually(async () => assert.match(await results.first().innerText(), /1 \(100%\)$/));
  await eventually(async () => assert.equal(await deleteButton.isDisabled(), false));
  await deleteButton.click();
  await page.waitForURL(`${BASE_URL}/campaigns`);
  assert.equal((await api(`/campaigns/${campaign}`, { token })).status, 404);
});

test('a person is enrolled from their own page and from the campaign page', async () => {
  const token = await apiToken('ben@example.com');
  const name = `From pages ${Date.now()}`;
  const campaign = (await api('/campaigns', { token, method: 'POST', body: { name } })).body.id;
  await api(`/campaigns/${campaign}/steps`, { token, method: 'POST', body: { kind: 'call', subject: 'Intro call', body: '' } });
  const people = (await api('/people?limit=200', { token })).body.items.filter((p) => !p.opted_out && !p.do_not_contact);
  const [first, second] = people;

  const page = await newPage(browser);
  await page.goto(`${BASE_URL}/people/${first.id}`);
  await signIn(page, 'ben@example.com');
  const group = page.getByRole('group', { name: 'Add to campaign' });
  await pick(group.getByRole('combobox', { name: 'Campaign' }), name);
  await group.getByRole('button', { name: 'Add to campaign' }).click();
  const theirCampaigns = page.locator('section[aria-labelledby="cc-person-campaigns"]');
  await eventually(async () => assert.match(await theirCampaigns.innerText(), new RegExp(name)));

  await page.goto(`${BASE_URL}/campaigns/${campaign}`);
  const adder = page.getByRole('region', { name: 'Add a person' });
  await adder.getByLabel('Search your people').fill(second.email);
  await adder.getByRole('listbox', { name: 'Suggestions' }).getByRole('option').first().click();
  await adder.getByRole('button', { name: 'Add to campaign' }).click();
  await eventually(async () => assert.match(await adder.getByRole('status').innerText(), new RegExp(`1 people added to ${name}`)));
  const enrolled = (await api(`/campaigns/${campaign}/enrolments`, { token })).body.map((e) => e.person_id).sort();
  assert.deepEqual(enrolled, [first.id, second.id].sort());
  // The people list shows both, each with their call to make.
  await eventually(async () => assert.equal(await page.locator('table.cc-enrolled-table tbody tr:not(.cc-spacer)').count(), 2));
});
