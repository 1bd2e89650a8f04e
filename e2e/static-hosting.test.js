// Static hosting: the SPA built by `cargo xtask dist --public-url /app/` is served by a plain
// static server (python's http.server) under /app/ on one port, and talks to the API on another
// origin, which allows it with --cors-origin. Sign in and browse there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE_URL, eventually, launch, newPage, signIn } from './helpers.js';

const STATIC_URL = process.env.STATIC_URL;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the static build under /app/ signs in and browses against the API on another origin', { skip: !STATIC_URL }, async () => {
  const page = await newPage(browser);
  const apiCalls = [];
  page.on('request', (request) => { if (request.url().includes('/api/v1/')) apiCalls.push(request.url()); });
  // A static host sends no policy: the page carries its own, naming the API's origin.
  const violations = [];
  page.on('console', (m) => { if (m.text().includes('Content Security Policy')) violations.push(m.text()); });
  await page.goto(STATIC_URL);
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.ok(policy.includes(`connect-src 'self' ${BASE_URL};`), policy);
  await signIn(page, 'aiko@example.com');
  await page.waitForURL(`${STATIC_URL}emails/delivered`);
  await page.locator('tr[data-email-id]').first().waitFor();

  await page.getByRole('link', { name: 'Tasks' }).click();
  await page.waitForURL(`${STATIC_URL}tasks/today`);
  await page.getByRole('tab', { name: /^Overdue/ }).click();
  await page.waitForURL(`${STATIC_URL}tasks/overdue`);
  await page.getByRole('link', { name: 'Search' }).click();
  await page.waitForURL(`${STATIC_URL}search`);
  await page.getByRole('link', { name: 'Emails' }).click();
  await page.getByRole('tab', { name: /^Pending/ }).click();
  await page.waitForURL(`${STATIC_URL}emails/scheduled`);
  await page.locator('tr[data-email-id]').first().waitFor();

  assert.deepEqual(violations, []);
  // Every API call went to the API's own origin, and the session survives a reload of /app/.
  assert.ok(apiCalls.length > 0);
  assert.ok(apiCalls.every((url) => url.startsWith(`${BASE_URL}/api/v1/`)), apiCalls.find((url) => !url.startsWith(BASE_URL)));
  await page.goto(STATIC_URL);
  await eventually(async () => assert.equal(page.url(), `${STATIC_URL}emails/delivered`));
  await page.locator('tr[data-email-id]').first().waitFor();
  await page.context().close();
});

// `cargo xtask dist --hash-routing` writes `content="hash"` into the routing meta tag: this page
// is the same build with that one change, so deep links, reloads and Back work on a server that
// knows nothing of the app's routes.
test('with hash routing, a plain static server serves deep links, reloads and Back', { skip: !STATIC_URL || !process.env.STATIC_ROOT }, async () => {
  const index = readFileSync(join(process.env.STATIC_ROOT, 'app', 'index.html'), 'utf8');
  const hashed = index.replace(/(<meta name="command-center-routing" content=")path(")/, '$1hash$2');
  assert.notEqual(hashed, index, 'the build has a routing meta tag');
  writeFileSync(join(process.env.STATIC_ROOT, 'app', 'hash.html'), hashed);
  const page = await newPage(browser);
  const at = `${STATIC_URL}hash.html`;
  await page.goto(at);
  await signIn(page, 'aiko@example.com');
  await page.waitForURL(`${at}#/emails/delivered`);
  await page.locator('tr[data-email-id]').first().waitFor();

  await page.getByRole('link', { name: 'Tasks' }).click();
  await page.waitForURL(`${at}#/tasks/today`);
  await page.getByRole('tab', { name: /^Overdue/ }).click();
  await page.waitForURL(`${at}#/tasks/overdue`);
  await page.reload();
  await eventually(async () => assert.equal(await page.getByRole('tab', { name: /^Overdue/ }).getAttribute('aria-selected'), 'true'));
  await page.goBack();
  await page.waitForURL(`${at}#/tasks/today`);
  await eventually(async () => assert.equal(await page.getByRole('tab', { name: /^Today/ }).getAttribute('aria-selected'), 'true'));

  // A link typed or shared straight into a folder.
  await page.goto(`${at}#/emails/scheduled`);
  await eventually(async () => assert.equal(await page.getByRole('tab', { name: /^Scheduled/ }).getAttribute('aria-selected'), 'true'));
  // A fragment that is not a route (a host page's own anchor) leaves the app where it is.
  await page.evaluate(() => { window.location.hash = 'top'; });
  await page.waitForTimeout(300);
  assert.equal(await page.getByRole('tab', { name: /^Scheduled/ }).getAttribute('aria-selected'), 'true');
  assert.equal(await page.getByRole('heading', { name: 'Page not found' }).count(), 0);
  await page.goto(`${at}#/nowhere`);
  await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  await page.context().close();
});
