// A new rep's first minutes: sign in, see every folder's count, open folders, deep-link, sign out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, PRIMARY, api, apiToken, countOf, eventually, launch, newPage, signIn } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const TAB_NAMES = { sent: 'Sent', pending: 'Pending', undelivered: 'Undelivered' };
const FOLDER_NAMES = {
  delivered: 'Delivered', archived: 'Archived', scheduled: 'Scheduled', drafts: 'Drafts',
  in_progress: 'In progress', failed: 'Failed', bounced: 'Bounced', spam: 'Spam',
};

test('a rep signs in and every tab shows the count the API gives', async () => {
  const page = await newPage(browser);
  await page.goto(BASE_URL);
  await signIn(page, 'aiko@example.com');
  await page.waitForURL('**/emails/delivered');

  const counts = (await api('/emails/counts', { token: await apiToken('aiko@example.com') })).body;
  const primaryTabs = page.getByRole('tablist', { name: 'Email folders' }).getByRole('tab');
  // The URL can change a moment before the page is drawn: wait for the tabs, then count them.
  await primaryTabs.first().waitFor();
  assert.equal(await primaryTabs.count(), 3);

  for (const [primary, folders] of Object.entries(PRIMARY)) {
    const tab = page.getByRole('tab', { name: new RegExp(`^${TAB_NAMES[primary]}`) });
    await tab.click();
    await page.waitForURL(`**/emails/${folders[0]}`);
    assert.equal(await tab.getAttribute('aria-selected'), 'true');
    const sum = folders.reduce((total, f) => total + counts[f], 0);
    await eventually(async () => assert.equal(await countOf(tab), sum));
    for (const folder of folders) {
      const subTab = page.locator(`#cc-folder-tab-${folder}`);
      assert.equal(await subTab.getAttribute('role'), 'tab');
      assert.match(await subTab.innerText(), new RegExp(FOLDER_NAMES[folder]));
      await eventually(async () => assert.equal(await countOf(subTab), counts[folder], folder));
    }
  }
  await page.context().close();
});

test('a folder lists its emails, survives a reload, and back/forward move between folders', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE_URL}/emails/scheduled`);
  await signIn(page, 'ben@example.com');

  const token = await apiToken('ben@example.com');
  const first = (await api('/emails?folder=scheduled&limit=50', { token })).body.items;
  const panel = page.getByRole('tabpanel', { name: /Scheduled/ });
  const rows = panel.locator('tbody tr[data-email-id]');
  const counts = (await api('/emails/counts', { token })).body;
  // The first page, and the next ones prefetched as the viewport nears the end of what is loaded.
  const showing = `Showing [0-9,]+ of ${counts.scheduled.toLocaleString('en-US')}`;
  await eventually(async () => assert.match(await panel.locator('.cc-table-footer').innerText(), new RegExp(showing)));
  assert.equal(await rows.first().locator('.cc-subject').innerText(), first[0].subject);
  const headers = await panel.getByRole('columnheader').allInnerTexts();
  assert.deepEqual(headers.slice(1, 5), ['Person', 'Subject', 'Campaign', 'Scheduled for']);

  await page.reload();
  await eventually(async () => assert.match(await panel.locator('.cc-table-footer').innerText(), new RegExp(showing)));
  assert.equal(await page.getByRole('tab', { name: /^Scheduled/ }).getAttribute('aria-selected'), 'true');

  await page.getByRole('tab', { name: /^Drafts/ }).click();
  await page.waitForURL('**/emails/drafts');
  await page.getByRole('tab', { name: /^Undelivered/ }).click();
  await page.waitForURL('**/emails/failed');
  const failed = page.getByRole('tabpanel', { name: /Failed/ }).locator('tbody tr[data-email-id]');
  await eventually(async () => assert.ok((await failed.count()) > 0));
  await page.goBack();
  await page.waitForURL('**/emails/drafts');
  await page.goBack();
  await page.waitForURL('**/emails/scheduled');
  assert.equal(await page.getByRole('tab', { name: /^Scheduled/ }).getAttribute('aria-selected'), 'true');
  await page.goForward();
  await page.waitForURL('**/emails/drafts');
  await eventually(async () => assert.equal(await page.getByRole('tabpanel', { name: /Drafts/ }).locator('tbody tr[data-email-id]').count(), 1));
  await page.context().close();
});

test('a long folder scrolls through every row while only the visible rows exist', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE_URL}/emails/delivered`);
  await signIn(page, 'aiko@example.com');
  const token = await apiToken('aiko@example.com');
  const total = (await api('/emails/counts', { token })).body.delivered;
  assert.ok(total > 300, `enough rows to scroll (${total})`);
  const scroller = page.locator('.cc-table-scroll');
  const footer = page.locator('.cc-table-footer');
  await eventually(async () => assert.match(await footer.innerText(), /Showing [0-9,]+ of/));
  // Scrolling to the end loads page after page until every row is loaded.
  await eventually(async () => {
    await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight; });
    assert.match(await footer.innerText(), new RegExp(`Showing ${total.toLocaleString('en-US')} of`));
  }, 30_000);
  const inDom = await page.locator('tbody tr[data-email-id]').count();
  assert.ok(inDom < 80, `only the visible rows are rendered (${inDom} of ${total})`);
  // The last email is on screen at the bottom.
  const last = await api(`/emails?folder=delivered&sort=date&limit=1`, { token });
  await eventually(async () => assert.equal(await page.locator(`tr[data-email-id="${last.body.items[0].id}"]`).count(), 1));
  // Each row on screen (most of them rows that left view, refilled) shows its own email in
  // every cell: rows of a few shapes (marked a success or not, with activity or none) are mixed.
  const columns = (await page.getByRole('columnheader').allInnerTexts()).map((h) => h.trim());
  const cell = (name) => columns.findIndex((h) => h.startsWith(name));
  const [campaignAt, sentAt, viewsAt, clicksAt, activityAt] = ['Campaign', 'Sent', 'Views', 'Clicks', 'Latest activity'].map(cell);
  assert.ok(Math.min(campaignAt, sentAt, viewsAt, clicksAt, activityAt) > 0, columns.join('|'));
  const onScreen = await page.locator('tbody tr[data-email-id]').evaluateAll((rows, at) => rows.map((row) => {
    const cells = [...row.children];
    const time = (i) => cells[i].querySelector('time')?.getAttribute('datetime') ?? null;
    return {
      id: row.dataset.emailId,
      name: row.querySelector('.cc-person').textContent,
      company: row.querySelector('.cc-secondary').textContent,
      subject: row.querySelector('[data-open]').textContent,
      label: row.querySelector('[data-select]').getAttribute('aria-label'),
      marked: row.querySelector('.cc-badge') !== null,
      campaign: cells[at.campaignAt].textContent,
      sent: time(at.sentAt),
      views: cells[at.viewsAt].textContent,
      clicks: cells[at.clicksAt].textContent,
      activity: time(at.activityAt),
    };
  }), { campaignAt, sentAt, viewsAt, clicksAt, activityAt });
  const instant = (at) => (at === null ? null : Date.parse(at));
  for (const row of onScreen) {
    const email = (await api(`/emails/${row.id}`, { token })).body;
    assert.deepEqual(
      [row.name, row.company, row.subject, row.label, row.marked, row.campaign, instant(row.sent), row.views, row.clicks, instant(row.activity)],
      [email.person.name, email.person.company, email.subject, `Select email to ${email.person.name}`, email.marked_success,
        email.campaign?.name ?? '—', instant(email.sent_at), String(email.views), String(email.clicks), instant(email.last_activity_at ?? null)],
    );
  }
  const shapes = new Set(onScreen.map((row) => `${row.marked}${row.activity === null}`));
  assert.ok(shapes.size > 1, `rows of more than one shape on screen (${[...shapes]})`);

  // A jump of more than half a screen refills rows where they stand, but never the one that
  // holds the rep's focus: the focus does not move to another email. The jump is chosen so that
  // the focused row's place would go to an email of the same shape (a refill, not a redraw).
  const all = [];
  for (let cursor = ''; ;) {
    const batch = (await api(`/emails?folder=delivered&sort=date&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token })).body;
    all.push(...batch.items);
    if (!batch.next_cursor) break;
    cursor = batch.next_cursor;
  }
  const shape = (email) => `${email.marked_success}${email.last_activity_at == null}`;
  const rowIds = () => page.locator('tbody tr[data-email-id]').evaluateAll((rows) => rows.map((r) => r.dataset.emailId).join());
  const before = await rowIds();
  const focusedId = await scroller.evaluate((box) => {
    const header = box.querySelector('thead').getBoundingClientRect().bottom;
    const row = [...box.querySelectorAll('tbody tr[data-email-id]')].find((r) => r.getBoundingClientRect().top >= header);
    row.querySelector('[data-select]').focus();
    return row.dataset.emailId;
  });
  // The table lists the newest first; the API's date order is the oldest first.
  const at = all.findIndex((email) => String(email.id) === focusedId);
  const jump = [...all.keys()].find((j) => j >= 40 && shape(all[at + j] ?? {}) === shape(all[at]));
  assert.ok(jump, `an email of the same shape 40 or more rows above (${at})`);
  await scroller.evaluate((box, rows) => { box.scrollTop -= rows * 52; }, jump);
  await eventually(async () => assert.notEqual(await rowIds(), before));
  const focusedRow = await page.evaluate(() => document.activeElement.closest('tr[data-email-id]')?.dataset.emailId ?? 'none');
  assert.ok(['none', focusedId].includes(focusedRow), `focus in the row of email ${focusedRow}, was ${focusedId}`);

  // The quick filter narrows the loaded rows at once; the column choice is remembered.
  await page.getByLabel('Filter loaded emails').fill('Globex');
  await eventually(async () => {
    const texts = await page.locator('tbody tr[data-email-id]').allInnerTexts();
    assert.ok(texts.length > 0 && texts.every((text) => text.includes('Globex')));
  });
  await page.locator('summary', { hasText: 'Columns' }).click();
  await page.getByRole('checkbox', { name: 'Campaign' }).uncheck();
  await page.reload();
  await page.locator('tbody tr[data-email-id]').first().waitFor();
  const headers = await page.getByRole('columnheader').allInnerTexts();
  assert.ok(!headers.includes('Campaign'), headers.join('|'));
  assert.ok(headers.includes('Views'));
  await page.context().close();
});

test('tabs work by keyboard: arrows move and open, Home and End jump', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE_URL}/emails/delivered`);
  await signIn(page, 'aiko@example.com');
  const delivered = page.getByRole('tab', { name: /^Delivered/ });
  await delivered.focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForURL('**/emails/archived');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'cc-folder-tab-archived');
  await page.getByRole('tab', { name: /^Sent/ }).focus();
  await page.keyboard.press('End');
  await page.waitForURL('**/emails/failed');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'cc-tab-undelivered');
  await page.context().close();
});

test('a wrong password is refused with a readable message', async () => {
  const page = await newPage(browser);
  await page.goto(BASE_URL);
  await signIn(page, 'aiko@example.com', 'not-the-password');
  const alert = page.getByRole('alert');
  await eventually(async () => assert.match(await alert.innerText(), /do not match/));
  await page.context().close();
});

test('signing out returns to the login form and forgets the session', async () => {
  const page = await newPage(browser);
  await page.goto(BASE_URL);
  await signIn(page, 'aiko@example.com');
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  await page.reload();
  await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('cc.token')), null);
  await page.context().close();
});

test('signing out and in again at once leaves one live stream open, not two', async () => {
  const page = await newPage(browser);
  const opened = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.endsWith('/stream')) opened.push(request.url());
  });
  // A slow network: a stream's ticket takes longer than the wait between two sign-ins.
  await page.route('**/stream/tickets', async (route) => {
    await new Promise((r) => setTimeout(r, 1_500));
    await route.continue();
  });
  await page.goto(BASE_URL);
  await signIn(page, 'aiko@example.com');
  await page.getByRole('tab', { name: /^Sent/ }).waitFor();
  // Before the stream of this sign-in has opened.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  await signIn(page, 'aiko@example.com');
  await page.getByRole('tab', { name: /^Sent/ }).waitFor();
  await eventually(async () => assert.equal(opened.length, 1));
  // Long enough for a second, late stream to open (the wait, the ticket, the piece).
  await page.waitForTimeout(4_000);
  assert.equal(opened.length, 1, opened.join('\n'));
  await page.context().close();
});

test('a live stream that breaks opens again with a new ticket, and changes keep arriving', async () => {
  const page = await newPage(browser);
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  const tickets = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.endsWith('/stream/tickets')) tickets.push(request.url());
  });
  // The first stream ends as soon as it opens, as a dropped connection would.
  let broken = 0;
  await page.route((url) => url.pathname.endsWith('/stream'), async (route) => {
    if (broken++ === 0) await route.fulfill({ status: 200, contentType: 'text/event-stream', body: '' });
    else await route.continue();
  });
  await page.goto(`${BASE_URL}/emails/delivered`);
  await signIn(page, 'aiko@example.com');
  await page.locator('tr[data-email-id]').first().waitFor();
  await eventually(async () => assert.ok(broken >= 2, `streams opened: ${broken}`), 15_000);
  assert.ok(tickets.length >= 2, `tickets: ${tickets.length}`);
  // Give the second stream time to say it is ready, then change an email elsewhere.
  await page.waitForTimeout(1_000);
  const token = await apiToken('aiko@example.com');
  const top = (await api('/emails?folder=delivered&limit=1', { token })).body.items[0];
  await eventually(async () => assert.equal(await page.locator(`tr[data-email-id="${top.id}"]`).count(), 1));
  assert.equal((await api(`/emails/${top.id}/archive`, { token, method: 'POST', body: {} })).status, 200);
  await eventually(async () => assert.equal(await page.locator(`tr[data-email-id="${top.id}"]`).count(), 0));
  assert.deepEqual(errors.filter((e) => !/status of 401|Failed to load resource/.test(e)), []);
  await page.context().close();
});

test('Japanese follows the browser, the switch changes it, and the choice is remembered', async () => {
  const page = await newPage(browser, { locale: 'ja-JP' });
  await page.goto(BASE_URL);
  await page.getByRole('button', { name: 'ログイン' }).waitFor();
  await page.getByLabel('メールアドレス').fill('aiko@example.com');
  await page.getByLabel('パスワード').fill('demo');
  await page.getByRole('button', { name: 'ログイン' }).click();
  await page.getByRole('tab', { name: /^送信済み/ }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ja');

  // A refusal only the server can make (a second saved search of the same name) reads in
  // Japanese too, with the server's own specifics.
  const token = await apiToken('aiko@example.com');
  const query = { all: [{ type: 'person', field: 'company', op: 'contains', value: 'a' }] };
  const taken = `重複 ${Date.now()}`;
  assert.equal((await api('/saved-searches', { token, method: 'POST', body: { name: taken, query } })).status, 201);
  await page.getByRole('link', { name: '検索' }).click();
  await page.getByRole('button', { name: '条件を追加' }).first().waitFor();
  await page.getByLabel('検索名').fill(taken);
  await page.getByRole('button', { name: '名前を付けて保存' }).click();
  await page.getByText('その名前の保存済み検索はすでにあります。').waitFor();
  await page.getByRole('link', { name: 'メール' }).click();

  const archive = page.locator('tr[data-email-id] button[data-row-action="archive"]').first();
  assert.equal(await archive.innerText(), 'アーカイブ');
  await page.getByLabel('言語').selectOption('en');
  await page.getByRole('tab', { name: /^Sent/ }).waitFor();
  await eventually(async () => assert.equal(await archive.innerText(), 'Archive'), 5000);
  await page.reload();
  await page.getByRole('tab', { name: /^Sent/ }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.context().close();
});


test('the most engaged panel asks the server only once opened, then lists the ranking', async () => {
  const page = await newPage(browser);
  const asked = [];
  page.on('request', (request) => { if (request.url().includes('/emails/most-engaged')) asked.push(request.url()); });
  await page.goto(`${BASE_URL}/emails/delivered`);
  await signIn(page, 'aiko@example.com');
  await page.locator('tr[data-email-id]').first().waitFor();
  await page.getByRole('tab', { name: /^Archived/ }).click();
  await page.getByRole('tab', { name: /^Delivered/ }).click();
  await page.locator('tr[data-email-id]').first().waitFor();
  assert.equal(asked.length, 0, 'closed, it costs nothing');
  await page.getByText('Most engaged this week').click();
  await eventually(async () => assert.equal(asked.length, 1));
  await page.locator('.cc-most-engaged li, .cc-most-engaged .cc-empty').first().waitFor();
  await page.context().close();
});

test('a quick filter narrows what is loaded and does not pull in the rest of the folder', async () => {
  const page = await newPage(browser);
  const pages = [];
  page.on('request', (request) => { if (/\/emails\?folder=delivered.*cursor=/.test(request.url())) pages.push(request.url()); });
  await page.goto(`${BASE_URL}/emails/delivered`);
  await signIn(page, 'aiko@example.com');
  const footer = page.locator('.cc-table-footer');
  // Settled: the first pages (and the prefetch after them) are in.
  await eventually(async () => {
    const before = await footer.innerText();
    await page.waitForTimeout(500);
    assert.match(before, /Showing [0-9,]+ of/);
    assert.equal(await footer.innerText(), before);
  });
  const loaded = await footer.innerText();
  const asked = pages.length;
  await page.getByLabel('Filter loaded emails').fill('no email has this text');
  await eventually(async () => assert.match(await footer.innerText(), /Showing 0 of/));
  // Before, a filter matching nothing kept "near the end" true and fetched page after page.
  await page.waitForTimeout(1500);
  assert.equal(pages.length, asked, `no page asked for while filtering: ${pages.slice(asked).join(', ')}`);
  await page.getByLabel('Filter loaded emails').fill('');
  await eventually(async () => assert.equal(await footer.innerText(), loaded));
  await page.context().close();
});

test('a live change re-reads the top of the folder and keeps the rows loaded further down', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE_URL}/emails/delivered`);
  await signIn(page, 'aiko@example.com');
  const token = await apiToken('aiko@example.com');
  const footer = page.locator('.cc-table-footer');
  const shown = async () => Number((await footer.innerText()).match(/Showing ([0-9,]+)/)?.[1].replace(/,/g, '') ?? 0);
  // More rows than one live re-read brings back (200).
  await eventually(async () => {
    await page.locator('.cc-table-scroll').evaluate((el) => { el.scrollTop = el.scrollHeight; });
    assert.ok(await shown() >= 250, `loaded ${await shown()}`);
  }, 30_000);
  // Settled: no further page on its way (the footer says Loading… meanwhile), the count steady.
  let loaded = 0;
  await eventually(async () => {
    const before = await shown();
    await page.waitForTimeout(300);
    loaded = await shown();
    assert.ok(loaded >= 250 && loaded === before, `loaded ${before}, then ${loaded}`);
  });
  const top = (await api('/emails?folder=delivered&limit=1', { token })).body.items[0];
  assert.equal((await api(`/emails/${top.id}/archive`, { token, method: 'POST', body: {} })).status, 200);
  // The archived email leaves; every other loaded row stays loaded.
  await eventually(async () => assert.equal(await shown(), loaded - 1));
  await page.locator('.cc-table-scroll').evaluate((el) => { el.scrollTop = 0; });
  await eventually(async () => assert.equal(await page.locator(`tr[data-email-id="${top.id}"]`).count(), 0));
  await page.context().close();
});

test('a live re-read that fails says so, and Try again reads the rows again, not the next page', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE_URL}/emails/delivered`);
  await signIn(page, 'aiko@example.com');
  const token = await apiToken('aiko@example.com');
  const footer = page.locator('.cc-table-footer');
  await eventually(async () => assert.match(await footer.innerText(), /Showing 50 of/));
  // Reads of the folder from its top fail from now on (a page after a cursor would not).
  const fromTheTop = (url) => url.pathname.endsWith('/api/v1/emails') && url.searchParams.get('folder') === 'delivered' && !url.searchParams.has('cursor');
  await page.route(fromTheTop, (route) => route.fulfill({
    status: 503, contentType: 'application/problem+json',
    body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'The database is busy.' }),
  }));
  const top = (await api('/emails?folder=delivered&limit=1', { token })).body.items[0];
  assert.equal((await api(`/emails/${top.id}/archive`, { token, method: 'POST', body: {} })).status, 200);
  const retry = footer.getByRole('button', { name: 'Try again' });
  await retry.waitFor();
  assert.match(await footer.getByRole('alert').innerText(), /busy/);
  // The rows already shown stay; the archived one with them until a read succeeds.
  assert.equal(await page.locator(`tr[data-email-id="${top.id}"]`).count(), 1);

  await page.unroute(fromTheTop);
  const reads = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.endsWith('/api/v1/emails')) reads.push(url.searchParams);
  });
  await retry.click();
  await eventually(async () => assert.equal(await page.locator(`tr[data-email-id="${top.id}"]`).count(), 0));
  await eventually(async () => {
    assert.match(await footer.innerText(), /Showing 50 of/);
    assert.equal(await footer.getByRole('alert').count(), 0);
  });
  assert.ok(reads.length >= 1 && reads.every((params) => !params.has('cursor')),
    `reads after Try again: ${reads.map(String).join(' | ')}`);
  await page.context().close();
});
