// The app under its Content-Security-Policy (no inline script; wasm allowed), the email reader
// holding remote images until the rep asks, and "Sign out everywhere" ending another device's
// session. On a server of its own, since signing out everywhere ends the rep's other sessions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, ownServer, signIn } from './helpers.js';

let browser;
let server;
before(async () => {
  browser = await launch();
  server = await ownServer('security');
});
after(async () => {
  await browser?.close();
  server?.stop();
});

const REP = 'aiko@example.com';

async function call(path, { token, method = 'GET', body } = {}) {
  const response = await fetch(`${server.base}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/// A page that records every Content-Security-Policy violation the browser reports.
async function watchedPage() {
  const page = await newPage(browser);
  const violations = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) violations.push(message.text());
  });
  return { page, violations };
}

test('every area of the app runs under the policy without a single violation', async () => {
  const { page, violations } = await watchedPage();
  const response = await page.goto(server.base);
  const policy = response.headers()['content-security-policy'];
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(policy, /script-src[^;]*'unsafe-inline'/);
  assert.equal(await page.locator('script:not([src])').count(), 0, 'no inline script in the page');
  await signIn(page, REP);
  await page.getByRole('tab', { name: /^Delivered/ }).waitFor();
  for (const [link, landmark] of [['Tasks', /^Today/], ['People', null], ['Search', null], ['Emails', /^Delivered/]]) {
    await page.getByRole('navigation').getByRole('link', { name: link }).click();
    if (landmark) await page.getByRole('tab', { name: landmark }).waitFor();
    else await page.getByRole('heading', { level: 1 }).first().waitFor();
  }
  assert.deepEqual(violations, []);
});

/// One transparent pixel.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/// A new email to a person of the rep's with `body`, opened in the reader of a fresh page whose
/// requests to images.example (however the address is written) are recorded, not sent.
async function openEmailWith(body) {
  const token = (await call('/session', { method: 'POST', body: { email: REP, password: 'demo' } })).body.token;
  const person = (await call('/people?limit=1', { token })).body.items[0];
  const subject = `Remote content ${Date.now()}`;
  const created = await call('/emails', { token, method: 'POST', body: { person_id: person.id, subject, body } });
  assert.equal(created.status, 201);
  const { page } = await watchedPage();
  const fetched = [];
  // Requests that reach the network (the frame's policy stops the held ones before this).
  await page.route('**://images.example/**', (route) => {
    fetched.push(route.request().url());
    return route.fulfill({ status: 200, contentType: 'image/png', body: Buffer.from(PNG, 'base64') });
  });
  await page.goto(server.base);
  await signIn(page, REP);
  await page.getByRole('tab', { name: /^Delivered/ }).waitFor();
  const open = page.getByRole('button', { name: `Open email: ${subject}` });
  for (let i = 0; i < 50 && !(await open.count()); i++) await page.waitForTimeout(200);
  await open.first().click();
  const show = page.getByRole('button', { name: 'Show images' });
  await show.waitFor();
  await page.waitForTimeout(1000);
  return { page, show, fetched };
}

test('the reader holds remote images until the rep asks to see them', async () => {
  const { page, show, fetched } = await openEmailWith(
    '<p>Our new logo: <img src="https://images.example/logo.png" alt="logo"></p>');
  assert.deepEqual(fetched, [], 'nothing loaded from the web before the rep asks');

  await show.click();
  for (let i = 0; i < 50 && !fetched.length; i++) await page.waitForTimeout(100);
  assert.equal(fetched[0], 'https://images.example/logo.png');
  assert.equal(await show.count(), 0, 'the note goes once the images show');
  await page.context().close();
});

test('an image written with backslashes for slashes is held too', async () => {
  // Browsers read \\host/x as //host/x: a load from elsewhere that a check for // would miss.
  const { page, fetched } = await openEmailWith('<p>Hello <img src="\\\\images.example/pixel.gif" alt=""></p>');
  assert.deepEqual(fetched, [], 'nothing loaded from the web before the rep asks');
  await page.context().close();
});

test('"Sign out everywhere" ends the session on another device too', async () => {
  const laptop = await newPage(browser);
  const phone = await newPage(browser);
  for (const page of [laptop, phone]) {
    await page.goto(server.base);
    await signIn(page, REP);
    await page.getByRole('tab', { name: /^Delivered/ }).waitFor();
  }
  await laptop.getByRole('button', { name: 'Sign out everywhere' }).click();
  await laptop.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
  await phone.reload();
  await phone.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
});
