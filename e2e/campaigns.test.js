// The seed's campaign story in Chromium: a rep builds a three-step campaign (automatic email,
// then a call task, then another automatic email), adds people from an advanced search, sees the
// first emails go from Scheduled to Delivered and the call tasks appear, completes some calls
// and sees the third emails made only for those people; one person replies (the signed
// delivery webhook) and leaves the campaign with nothing more sent to them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { BASE_URL, api, apiToken, eventually, launch, newPage, pick, signIn } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Posts a delivery event as the mail provider does: signed `t=<secs>,v1=<hmac of t.body>`. */
async function webhook(event) {
  const body = JSON.stringify(event);
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', process.env.WEBHOOK_SECRET).update(`${t}.${body}`).digest('hex');
  const response = await fetch(`${BASE_URL}/api/v1/webhooks/delivery`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature': `t=${t},v1=${v1}` },
    body,
  });
  return response.status;
}

async function enrolments(token, campaign) {
  return (await api(`/campaigns/${campaign}/enrolments`, { token })).body;
}

test('a three-step campaign runs from an advanced search to a reply', async () => {
  const token = await apiToken('aiko@example.com');
  const page = await newPage(browser);
  await page.goto(`${BASE_URL}/campaigns`);
  await signIn(page, 'aiko@example.com');
  const name = `Seed story ${Date.now()}`;
  await page.getByLabel('New campaign name').fill(name);
  await page.getByRole('button', { name: 'Create campaign' }).click();
  await page.waitForURL(/\/campaigns\/\d+$/);
  const campaign = Number(page.url().match(/\/campaigns\/(\d+)$/)[1]);
  await eventually(async () => assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), name));

  // The steps, written in the editor.
  const form = page.getByRole('form', { name: 'Add step' });
  const addStep = async ({ kind, subject, body }) => {
    await form.getByLabel('Kind').selectOption({ label: kind });
    await form.getByLabel(/^Wait/).fill('0');
    await form.getByLabel(/^(Subject|Title)$/).fill(subject);
    await form.getByLabel(/^(Message|Notes)$/).fill(body);
    await form.getByRole('button', { name: 'Add step' }).click();
  };
  await addStep({ kind: 'Automatic email', subject: 'Pilot for {{company}}', body: '<p>Hi {{first_name}}, shall we try a pilot?</p>' });
  await eventually(async () => assert.equal(await page.locator('ol.cc-steps li').count(), 1));
  await addStep({ kind: 'Call', subject: 'Call about the pilot', body: 'Ask who decides' });
  await eventually(async () => assert.equal(await page.locator('ol.cc-steps li').count(), 2));
  await addStep({ kind: 'Automatic email', subject: 'After our call', body: '<p>Thanks for the call, {{first_name}}.</p>' });
  const steps = page.locator('ol.cc-steps li');
  await eventually(async () => assert.equal(await steps.count(), 3));
  assert.match(await steps.nth(0).innerText(), /Automatic email\s+When enrolled\s+Pilot for \{\{company\}\}/);
  assert.match(await steps.nth(1).innerText(), /Call\s+The same day\s+Call about the pilot/);

  // Twenty people who viewed an email, from an advanced search, added to the campaign.
  await page.getByRole('link', { name: 'Search' }).click();
  await page.waitForURL(`${BASE_URL}/search`);
  const conditions = page.locator('fieldset.cc-conditions').first();
  await conditions.getByRole('button', { name: 'Add condition' }).click();
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL(/\/search\?q=/);
  const rows = page.locator('table.cc-results tbody tr');
  await eventually(async () => assert.ok(await rows.count() >= 20));
  const chosen = [];
  for (let i = 0; i < 20; i++) {
    await rows.nth(i).getByRole('checkbox').check();
    chosen.push(Number(await rows.nth(i).getAttribute('data-person-id')));
  }
  await pick(page.getByRole('group', { name: 'Add to campaign' }).getByRole('combobox', { name: 'Campaign' }), name.slice(0, 8), name);
  await page.getByRole('group', { name: 'Add to campaign' }).getByRole('button', { name: 'Add to campaign' }).click();
  await eventually(async () => assert.match(await page.getByRole('status').first().innerText(), new RegExp(`people added to ${name}`)));
  const enrolled = (await enrolments(token, campaign)).map((e) => e.person_id);
  assert.ok(enrolled.length >= 15, `most of the twenty are enrolled (${enrolled.length})`);
  assert.ok(enrolled.every((id) => chosen.includes(id)), 'only the chosen people');

  // Their first emails are sent; then, and only then, each has a call task.
  await eventually(async () => {
    const all = await enrolments(token, campaign);
    assert.ok(all.every((e) => e.done_steps === 1 && e.pending_task_id), JSON.stringify(all[0]));
  }, 30_000);
  const delivered = (await api(`/emails?folder=delivered&limit=200`, { token })).body.items.filter((e) => e.campaign?.id === campaign);
  assert.equal(delivered.length, enrolled.length);

  // The campaign page lists them; the rep completes three calls from the task list.
  await page.goto(`${BASE_URL}/campaigns/${campaign}`);
  const people = page.locator('table.cc-enrolled-table tbody tr:not(.cc-spacer)');
  await eventually(async () => assert.equal(await people.count(), enrolled.length));
  const done = (await enrolments(token, campaign)).slice(0, 3);
  await page.goto(`${BASE_URL}/tasks/today`);
  for (const e of done) {
    const row = page.locator(`tr[data-task-id="${e.pending_task_id}"]`);
    await eventually(async () => assert.equal(await row.count(), 1));
    await row.locator('[data-task-action="complete"]').click();
    await eventually(async () => assert.equal((await api(`/tasks/${e.pending_task_id}`, { token })).body.status, 'completed'));
  }
  // The third email exists (and goes out) for those three only.
  await eventually(async () => {
    const all = await enrolments(token, campaign);
    const finished = all.filter((e) => e.state === 'finished').map((e) => e.person_id).sort();
    assert.deepEqual(finished, done.map((e) => e.person_id).sort());
    assert.ok(all.filter((e) => e.state === 'active').every((e) => e.done_steps === 1));
  }, 30_000);

  // One of those still on their call replies to the first email: they leave, nothing more goes.
  const replier = (await enrolments(token, campaign)).find((e) => e.state === 'active');
  const first = delivered.find((e) => e.person.id === replier.person_id);
  const detail = (await api(`/emails/${first.id}`, { token })).body;
  assert.equal(await webhook({ message_id: detail.message_id, event: 'reply' }), 200);
  await page.goto(`${BASE_URL}/campaigns/${campaign}`);
  await page.getByRole('tab', { name: 'Finished' }).click();
  const replied = page.locator('table.cc-enrolled-table tbody tr', { hasText: replier.name });
  await eventually(async () => assert.match(await replied.innerText(), /Replied/));
  const after = (await enrolments(token, campaign)).find((e) => e.person_id === replier.person_id);
  assert.equal(after.pending_task_id, null);
  const theirs = (await api(`/tasks/${replier.pending_task_id}`, { token })).status;
  assert.equal(theirs, 404, 'their call task is gone');
  await page.screenshot({ path: `${process.env.SCREENSHOTS ?? '/tmp'}/campaign-page.png`, fullPage: true });
});
