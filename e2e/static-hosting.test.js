// Static hosting: the SPA built by `cargo xtask dist --public-url /app/` is served by a plain
// static server (python's http.server) under /app/ on one port, and talks to the API on another
// origin, which allows it with --cors-origin. Sign in and browse there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, eventually, launch, newPage, signIn } from './helpers.js';

const STATIC_URL = process.env.STATIC_URL;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the static build under /app/ signs in and browses against the API on another origin', { skip: !STATIC_URL }, async () => {
  const page = await newPage(browser);
  const apiCalls = [];
  page.on('request', (request) => { if (request.url().includes('/api/v1/')) apiCalls.push(request.url()); });
  await page.goto(STATIC_URL);
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

  // Every API call went to the API's own origin, and the session survives a reload of /app/.
  assert.ok(apiCalls.length > 0);
  assert.ok(apiCalls.every((url) => url.startsWith(`${BASE_URL}/api/v1/`)), apiCalls.find((url) => !url.startsWith(BASE_URL)));
  await page.goto(STATIC_URL);
  await eventually(async () => assert.equal(page.url(), `${STATIC_URL}emails/delivered`));
  await page.locator('tr[data-email-id]').first().waitFor();
  await page.context().close();
});
