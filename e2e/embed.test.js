// Embedding: a portal page with hostile global CSS loads the built bundle and calls
// `mount(element, { apiBase, embedToken, locale, routeBase, theme })` with a token the portal's
// server signed for its user (HS256, the shared secret): there is no login, and a replayed token
// is refused with a readable message; the app's own layout holds (buttons shown, rows 52 px, tables as tables); its routes live
// under the portal's path; its theme comes from CSS custom properties; `unmount()` removes it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE_URL, apiToken, eventually, launch, newPage } from './helpers.js';

// The static server of the static-hosting test: its root holds /app/ (the built SPA), and this
// test adds the portal's page beside it, at /portal/crm/.
const STATIC_URL = process.env.STATIC_URL;
const STATIC_ROOT = process.env.STATIC_ROOT;

/// What a portal's server does per page load: signs its user's address for this server, for five
/// minutes, with a fresh id (README "Embed it").
function portalToken(email) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ email, aud: BASE_URL, exp: now + 300, jti: randomUUID() })}`;
  const signature = createHmac('sha256', process.env.TEST_EMBED_SECRET).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const HOSTILE_CSS = `
  * { margin: 30px; padding: 25px; font-size: 40px; line-height: 4; box-sizing: content-box; color: #f0f; }
  button { display: none; }
  table { display: block; width: 50px; }
  tr, td, th { height: 200px; padding: 40px; }
  input, select { border: 12px solid red; width: 20px; }
  a { visibility: hidden; }
  div { position: relative; left: 40px; }
  ul { list-style: square; }
`;

test('mounted in a hostile portal page with a signed token: no login, intact layout, routes under the portal, unmount', { skip: !STATIC_URL || !STATIC_ROOT || !process.env.TEST_EMBED_SECRET }, async () => {
  const token = portalToken('aiko@example.com');
  const origin = new URL(STATIC_URL).origin;
  // The portal runs under a strict policy of its own: its one inline script by nonce, the app's
  // files from its origin, the API on the server's.
  const policy = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'nonce-portal'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ${BASE_URL}`;
  const host = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
    <meta http-equiv="Content-Security-Policy" content="${policy}"><title>Portal</title>
    <style>${HOSTILE_CSS}</style></head>
    <body><h1>Partner portal</h1><div id="crm"></div>
    <script type="module" nonce="portal">
      import { mount } from '/app/command-center.js';
      window.crm = await mount(document.getElementById('crm'), {
        apiBase: '${BASE_URL}/api/v1', embedToken: '${token}', locale: 'en', routeBase: '/portal/crm',
        theme: { '--cc-accent': 'rgb(10, 125, 90)' },
      });
    </script></body></html>`;
  mkdirSync(join(STATIC_ROOT, 'portal', 'crm'), { recursive: true });
  writeFileSync(join(STATIC_ROOT, 'portal', 'crm', 'index.html'), host);
  const page = await newPage(browser);
  const violations = [];
  page.on('console', (m) => { if (m.text().includes('Content Security Policy')) violations.push(m.text()); });
  await page.goto(`${origin}/portal/crm/`);

  const rows = page.locator('#crm tr[data-email-id]');
  await rows.first().waitFor();
  assert.equal(await page.getByLabel('Password').count(), 0, 'no login screen');
  assert.equal(await page.getByRole('button', { name: 'Sign out', exact: true }).count(), 0, "the session is the host's to end");
  await eventually(async () => assert.equal(page.url(), `${origin}/portal/crm/emails/delivered`));

  // The app's layout holds against the page's rules.
  const compose = page.getByRole('button', { name: 'New email' });
  assert.ok(await compose.isVisible(), 'buttons are shown');
  const box = await rows.first().boundingBox();
  assert.ok(Math.abs(box.height - 52) <= 1, `a row is 52 px high (${box.height})`);
  const table = await page.locator('#crm table.cc-table').evaluate((t) => ({ display: getComputedStyle(t).display, width: t.getBoundingClientRect().width }));
  assert.equal(table.display, 'table');
  assert.ok(table.width > 600, `the table is wide (${table.width})`);
  const tasksLink = page.getByRole('link', { name: 'Tasks' });
  assert.ok(await tasksLink.isVisible(), 'links are shown');
  const fontSize = await rows.first().locator('td').nth(1).evaluate((td) => getComputedStyle(td).fontSize);
  assert.notEqual(fontSize, '40px');
  assert.equal(await compose.evaluate((b) => getComputedStyle(b).backgroundColor), 'rgb(10, 125, 90)', 'themed');

  // Routes live under the portal's path.
  await tasksLink.click();
  await page.waitForURL(`${origin}/portal/crm/tasks/today`);
  await page.getByRole('link', { name: 'Emails' }).click();
  await page.waitForURL(`${origin}/portal/crm/emails/delivered`);
  assert.deepEqual(violations, [], "the app needs nothing the portal's policy forbids");

  await page.evaluate(() => window.crm.unmount());
  await eventually(async () => assert.equal(await page.locator('#crm').innerHTML(), ''));
  assert.equal(await page.locator('h1', { hasText: 'Partner portal' }).count(), 1, 'the host page is untouched');

  // The same token again (a replay): refused, with the reason where the login would be.
  await page.evaluate(async ({ apiBase, token }) => {
    const { mount } = await import('/app/command-center.js');
    window.crm = await mount(document.getElementById('crm'), { apiBase, embedToken: token, locale: 'en', routeBase: '/portal/crm' });
  }, { apiBase: `${BASE_URL}/api/v1`, token });
  await page.locator('#crm [role=alert]', { hasText: "portal's sign-in token was not accepted" }).waitFor();
  assert.equal(await page.locator('#crm tr[data-email-id]').count(), 0, 'no session');
  await page.context().close();
});

test('the <command-center> element mounts with its attributes (hash routing: the portal keeps its path) and unmounts when removed', { skip: !STATIC_URL || !STATIC_ROOT }, async () => {
  const token = await apiToken('aiko@example.com');
  const origin = new URL(STATIC_URL).origin;
  const host = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Portal</title>
    <style>${HOSTILE_CSS}</style>
    <script type="module" src="/app/command-center.js"></script></head>
    <body><command-center api-base="${BASE_URL}/api/v1" token="${token}" locale="ja" routing="hash"></command-center></body></html>`;
  mkdirSync(join(STATIC_ROOT, 'portal', 'element'), { recursive: true });
  writeFileSync(join(STATIC_ROOT, 'portal', 'element', 'index.html'), host);
  const page = await newPage(browser);
  await page.goto(`${origin}/portal/element/`);
  await page.locator('command-center tr[data-email-id]').first().waitFor();
  assert.ok(await page.getByRole('button', { name: '新規メール' }).isVisible(), 'in the language the attribute asks for');
  await eventually(async () => assert.equal(page.url(), `${origin}/portal/element/#/emails/delivered`));
  await page.getByRole('link', { name: 'タスク' }).click();
  await page.waitForURL(`${origin}/portal/element/#/tasks/today`);
  await page.goBack();
  await page.locator('command-center tr[data-email-id]').first().waitFor();
  assert.equal(page.url(), `${origin}/portal/element/#/emails/delivered`);
  await page.evaluate(() => { window.removed = document.querySelector('command-center'); window.removed.remove(); });
  await eventually(async () => assert.equal(await page.evaluate(() => window.removed.innerHTML), ''));
  await page.context().close();
});
