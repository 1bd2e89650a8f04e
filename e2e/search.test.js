// Advanced search as a rep uses it: build "in campaign X, viewed and clicked, not replied" in the
// builder, get exactly the people the API finds, save it, and watch a newcomer join the open list
// live, marked new, when their view and click arrive through the tracking endpoints.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, api, apiToken, eventually, launch, newPage, sentMessage, signIn } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });



test('a saved search is a dynamic list: newcomers appear live, marked new', async () => {
  const token = await apiToken('aiko@example.com');
  const campaign = (await api('/campaigns', { token })).body[0];
  const query = { version: 1, all: [
    { type: 'campaign', ids: [campaign.id], negate: false },
    { type: 'engagement', engagement: 'viewed', negate: false, min_count: 1, window: null },
    { type: 'engagement', engagement: 'clicked', negate: false, min_count: 1, window: null },
    { type: 'engagement', engagement: 'replied', negate: true, min_count: 1, window: null },
  ], any: [] };
  const expected = (await api('/search', { token, method: 'POST', body: { query } })).body.items.map((h) => h.person.id).sort((a, b) => a - b);

  const page = await newPage(browser);
  await page.goto(`${BASE_URL}/search`);
  await signIn(page, 'aiko@example.com');
  const all = page.locator('fieldset.cc-conditions').first();
  for (let i = 0; i < 4; i++) await all.getByRole('button', { name: 'Add condition' }).click();
  const row = (i) => all.locator('.cc-condition').nth(i);
  await row(0).getByLabel('Condition', { exact: true }).first().selectOption('campaign');
  await row(0).getByRole('checkbox', { name: campaign.name }).check();
  await row(2).locator('select').nth(2).selectOption('clicked');
  await row(3).locator('select').nth(1).selectOption('not');
  await row(3).locator('select').nth(2).selectOption('replied');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL(/\/search\?q=/);
  const rows = page.locator('table.cc-results tbody tr');
  await eventually(async () => {
    const shown = (await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.personId)))).sort((a, b) => a - b);
    assert.deepEqual(shown, expected);
  });

  // Results sort by a column, both ways.
  await page.getByRole('button', { name: 'Views' }).click();
  const views = () => rows.evaluateAll((trs) => trs.map((tr) => Number(tr.querySelector('td.cc-num').textContent)));
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
  await fetch(message.match(/src="([^"]+\/t\/v\/[0-9a-f]+\.gif)"/)[1]);
  await fetch(message.match(/href="([^"]+\/t\/c\/[0-9a-f]+)"/)[1], { redirect: 'manual' });

  const joined = page.locator(`tr[data-person-id="${newcomer.id}"]`);
  await eventually(async () => assert.equal(await joined.count(), 1), 10_000);
  assert.match(await joined.innerText(), /New/);
  assert.equal(await rows.count(), expected.length + 1);

  // A new search starts empty, not with the saved one last open.
  await page.getByRole('link', { name: 'Search' }).click();
  await page.waitForURL(`${BASE_URL}/search`);
  await eventually(async () => assert.equal(await page.locator('fieldset.cc-conditions .cc-condition').count(), 0));
  await page.context().close();
});
