// The whole story of issue #5, as a rep lives it: a campaign of 100 people gets emails; some view,
// some click, some reply (through the tracking endpoints and the signed webhook); the search
// "in the campaign, viewed and clicked, not replied" finds exactly the right people; saved, it
// grows live when one more person clicks; Select and Send to the list (a merge field that would be
// empty is named and fixed in that person's copy); the emails wait in Scheduled, then are Delivered.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { BASE_URL, api, apiToken, countOf, datetimeLocal, eventually, launch, newPage, pick, sentMessage, signIn } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const REP = 'aiko@example.com';

/// The engagement handles of a sent message: its pixel, its tracked link, its Message-ID.
function handles(subject) {
  const message = sentMessage(subject);
  assert.ok(message, `a message "${subject}" was sent`);
  return {
    pixel: message.match(/background="([^"]+\/t\/v\/[0-9a-f]+\.gif)"/)[1],
    link: message.match(/href="([^"]+\/t\/c\/[0-9a-f]+)"/)[1],
    messageId: message.match(/^Message-ID: (.+?)\r?$/m)[1],
  };
}
const view = (h) => fetch(h.pixel);
const click = (h) => fetch(h.link, { redirect: 'manual' });
async function reply(h) {
  const body = JSON.stringify({ message_id: h.messageId, event: 'reply' });
  const t = Math.floor(Date.now() / 1000);
  const signature = `t=${t},v1=${createHmac('sha256', process.env.WEBHOOK_SECRET).update(`${t}.${body}`).digest('hex')}`;
  const response = await fetch(`${BASE_URL}/api/v1/webhooks/delivery`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-signature': signature }, body,
  });
  assert.equal(response.status, 200);
}

const ids = (list) => list.map((p) => p.id).sort((a, b) => a - b);

test('a campaign, engagement, a live saved list, Select and Send, Scheduled then Delivered', async () => {
  const token = await apiToken(REP);
  const me = (await api('/me', { token })).body;
  const stamp = Date.now();
  // Engagement from here on is the story's: the demo's happened before the server started.
  const storyStart = new Date(Math.floor(stamp / 1000) * 1000 - 1000);

  // Who the rep knows, and who has never replied to anything (so "not replied" is theirs to lose).
  // (Those who unsubscribed are left out: nothing can be sent to them.)
  const everyone = (await api('/search', { token, method: 'POST', body: { query: { version: 1, all: [], any: [] } } })).body.items
    .filter((h) => !h.person.opted_out);
  const quiet = everyone.filter((h) => h.replies === 0).map((h) => h.person);
  const untitled = quiet.find((p) => p.title === '');
  assert.ok(quiet.length >= 21 && untitled, 'the demo data has quiet people, one without a title');
  const chosen = [untitled, ...quiet.filter((p) => p !== untitled)].slice(0, 21);
  const rest = everyone.map((h) => h.person).filter((p) => !chosen.includes(p));
  const members = [...chosen, ...rest].slice(0, 100);

  // A campaign of 100 people, each sent their own copy (a subject naming them) as part of it.
  const campaign = (await api('/campaigns', { token, method: 'POST', body: { name: `Story ${stamp}` } })).body;
  const subjectOf = (p) => `Story ${stamp} [${p.id}]`;
  const batch = await api('/emails/batch', { token, method: 'POST', body: {
    kind: 'individual', campaign_id: campaign.id,
    subject: 'unused', body: '<p>Hi {{first_name}}, <a href="https://example.com/story">here is the story</a>.</p>',
    recipients: members.map((p) => ({ person_id: p.id, subject: subjectOf(p) })),
  } });
  assert.equal(batch.status, 201);
  for (const id of batch.body.ids) {
    await eventually(async () => assert.equal((await api(`/emails/${id}`, { token })).body.status, 'delivered'), 30_000);
  }
  assert.equal((await api('/campaigns', { token })).body.find((c) => c.id === campaign.id).people, 100);

  // Ten view and click; five view, click and reply; five only view.
  const hot = chosen.slice(0, 10);
  const replied = chosen.slice(10, 15);
  const lookers = chosen.slice(15, 20);
  for (const p of [...hot, ...replied, ...lookers]) await view(handles(subjectOf(p)));
  for (const p of [...hot, ...replied]) await click(handles(subjectOf(p)));
  for (const p of replied) await reply(handles(subjectOf(p)));

  // The rep builds the search in the browser.
  const page = await newPage(browser);
  await page.goto(`${BASE_URL}/search`);
  await signIn(page, REP);
  const all = page.locator('fieldset.cc-conditions').first();
  for (let i = 0; i < 4; i++) await all.getByRole('button', { name: 'Add condition' }).click();
  const row = (i) => all.locator('.cc-condition').nth(i);
  await row(0).getByLabel('Condition type, condition 1 (all)').selectOption('campaign');
  for (const box of await row(0).getByRole('checkbox').all()) await box.uncheck();
  await row(0).getByRole('checkbox', { name: campaign.name }).check();
  for (const [i, engagement] of [[1, 'viewed'], [2, 'clicked']]) {
    await row(i).locator('select').nth(2).selectOption(engagement);
    await row(i).getByLabel('When').selectOption('between');
    await row(i).getByLabel('from').fill(datetimeLocal(storyStart, me.time_zone));
  }
  await row(3).locator('select').nth(1).selectOption('not');
  await row(3).locator('select').nth(2).selectOption('replied');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL(/\/search\?q=/);
  const rows = page.locator('table.cc-results tbody tr');
  const shown = () => rows.evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.personId)).sort((a, b) => a - b));
  await eventually(async () => assert.deepEqual(await shown(), ids(hot)));

  // Saved, it is a dynamic list: one of the lookers clicks and joins it live, marked new.
  await page.getByLabel('Search name').fill(`Story list ${stamp}`);
  await page.getByRole('button', { name: 'Save search as' }).click();
  await page.waitForURL(/\/search\/saved\/\d+/);
  await eventually(async () => assert.deepEqual(await shown(), ids(hot)));
  assert.equal(await page.locator('table.cc-results .cc-badge').count(), 0);
  const newcomer = lookers[0];
  await click(handles(subjectOf(newcomer)));
  const joined = page.locator(`table.cc-results tr[data-person-id="${newcomer.id}"]`);
  await eventually(async () => assert.match(await joined.innerText(), /New/), 10_000);
  const list = [...hot, newcomer];
  assert.deepEqual(await shown(), ids(list));

  // Select and Send to the whole list.
  await page.getByRole('checkbox', { name: 'Select all shown' }).check();
  await page.getByRole('button', { name: 'Select and Send' }).click();
  const dialog = page.getByRole('dialog', { name: `Select and Send to ${list.length} people` });
  await dialog.getByLabel('Subject', { exact: true }).fill(`Thanks ${stamp}`);
  await dialog.getByLabel('Message', { exact: true }).fill('Hi {{first_name}},\nas {{title}} at {{company}}, you will like this.');
  // The person without a title is named before anything is sent.
  const warning = dialog.getByRole('alert').filter({ hasText: 'would be empty' });
  await eventually(async () => assert.ok((await warning.innerText()).includes(`{{title}} would be empty for: ${untitled.name}`)));
  const recipient = (p) => dialog.locator(`tr[data-person-id="${p.id}"]`);
  await recipient(untitled).getByRole('button', { name: /^Preview for/ }).click();
  await dialog.getByRole('button', { name: "Edit this person's copy" }).click();
  await dialog.getByLabel(`Message for ${untitled.name}`).fill('Hi {{first_name}},\nat {{company}}, you will like this.');
  await eventually(async () => assert.equal(await warning.count(), 0));
  const other = hot.find((p) => p !== untitled);
  await recipient(other).getByRole("button", { name: /^Preview for/ }).click();
  await eventually(async () => assert.ok((await dialog.locator('.cc-preview').innerText()).includes(`as ${other.title} at ${other.company}`)));

  const scheduledTab = page.getByRole('tab', { name: /^Scheduled/ });
  const sendAt = new Date(Date.now() + 25_000);
  await dialog.getByLabel('Send at (your time)').fill(datetimeLocal(sendAt, me.time_zone));
  await dialog.getByRole('button', { name: `Schedule for ${list.length}` }).click();
  await eventually(async () => assert.match(await page.getByRole('status').filter({ hasText: 'scheduled' }).innerText(), new RegExp(`${list.length} emails are scheduled`)));
  assert.equal(await dialog.count(), 0, 'the dialog closed');

  // They wait in Scheduled, then go out and show in Delivered.
  const thanks = async (folder) => (await api(`/emails?folder=${folder}&q=${encodeURIComponent(`Thanks ${stamp}`)}`, { token })).body.items;
  assert.equal((await thanks('scheduled')).length, list.length);
  await page.goto(`${BASE_URL}/emails/scheduled`);
  await eventually(async () => assert.equal(await scheduledTab.getAttribute('aria-selected'), 'true'));
  // Scheduled lists what goes out next first.
  const scheduledRows = page.locator('tr[data-email-id]', { hasText: `Thanks ${stamp}` });
  await eventually(async () => assert.equal(await scheduledRows.count(), list.length));
  await page.getByRole('tab', { name: /^Sent/ }).click();
  await page.getByRole('tab', { name: /^Delivered/ }).click();
  const deliveredRows = page.locator('tr[data-email-id]', { hasText: `Thanks ${stamp}` });
  await eventually(async () => assert.equal(await deliveredRows.count(), list.length), 60_000);
  assert.equal((await thanks('scheduled')).length, 0);
  assert.equal((await thanks('delivered')).length, list.length);
  await page.context().close();
});

test('people found are added to a new campaign, which the sidebar then lists', async () => {
  const page = await newPage(browser);
  const everyone = encodeURIComponent(JSON.stringify({ version: 1, all: [], any: [] }));
  await page.goto(`${BASE_URL}/search?q=${everyone}`);
  await signIn(page, REP);
  const rows = page.locator('table.cc-results tbody tr');
  await eventually(async () => assert.ok(await rows.count() > 3));
  for (let i = 0; i < 3; i++) await rows.nth(i).getByRole('checkbox').check();
  const name = `Webinar ${Date.now()}`;
  const group = page.getByRole('group', { name: 'Add to campaign' });
  await pick(group.getByRole('combobox', { name: 'Campaign' }), name, `New campaign “${name}”`);
  await group.getByRole('button', { name: 'Add to campaign' }).click();
  await eventually(async () => assert.match(await page.getByRole('status').filter({ hasText: 'added' }).innerText(), new RegExp(`3 people added to ${name}`)));
  const listed = page.getByRole('navigation', { name: 'Saved searches' }).locator('li', { hasText: name });
  await eventually(async () => assert.match(await listed.innerText(), /3 people · 0 emails/));
  const token = await apiToken(REP);
  assert.equal((await api('/campaigns', { token })).body.find((c) => c.name === name).people, 3);
  await page.context().close();
});
