// Single sign-on through a real OpenID provider (the oidc-provider package, started by xtask), in
// Chromium: a rep signs in at the provider and lands in the app as themselves; the callback
// replayed (its state used already), a code the provider issued to another application, an ID
// token that has expired and an unverified email are each refused, with a readable notice and no
// session; a user the server does not know is provisioned as a rep in the configured team only
// when their domain is listed. And the attacks on the hand-off: a sign-in steered to a tracked
// link that leads to another site, a hand-off link made from another account's sign-in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { BASE_URL, apiToken, api, eventually, freePort, launch, newPage, ownServer, sentMessage, signIn } from './helpers.js';

const ISSUER = process.env.TEST_OIDC_ISSUER;
const CLIENT_SECRET = process.env.TEST_OIDC_CLIENT_SECRET;
const skip = !ISSUER || !CLIENT_SECRET;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/// At the provider's development login page: any password; the login is the email.
async function signInAtProvider(page, email) {
  await page.locator('input[name=login]').waitFor();
  await page.locator('input[name=login]').fill(email);
  await page.locator('input[name=password]').fill('any password');
  await page.locator('button[type=submit]').click();
  // The consent page, the first time a user meets the client.
  const consent = page.locator('button[type=submit]', { hasText: /Continue/ });
  if (await consent.waitFor({ timeout: 5_000 }).then(() => true, () => false)) await consent.click();
}

/// Where the provider sent the browser back to (the callback, with its code and state).
function recordCallbacks(page) {
  const seen = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/v1/auth/oidc/callback')) seen.push(request.url());
  });
  return seen;
}

async function assertRefused(page) {
  await page.getByRole('alert').filter({ hasText: 'Single sign-on did not sign you in' }).waitFor();
  assert.equal(await page.locator('a.cc-user').count(), 0, 'no session');
}

test('a rep signs in at the provider; the callback replayed is refused', { skip }, async () => {
  const page = await newPage(browser);
  const callbacks = recordCallbacks(page);
  await page.goto(`${BASE_URL}/tasks/today`);
  await page.getByRole('button', { name: 'Sign in with single sign-on' }).click();
  await signInAtProvider(page, 'ben@example.com');
  await page.getByRole('link', { name: 'Your account: Ben Carter' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/tasks/today', 'back where they started');
  assert.equal(new URL(page.url()).hash, '', 'the session is taken out of the address');
  assert.equal(callbacks.length, 1);

  // The same callback again (its state used): refused.
  const again = await newPage(browser);
  await again.goto(callbacks[0]);
  await assertRefused(again);
  await again.context().close();
  await page.context().close();
});

test('a code the provider issued to another application is refused', { skip }, async () => {
  // Our sign-in starts (its state is ours), but the browser is sent on as another application.
  const page = await newPage(browser);
  await page.route(`${ISSUER}/**`, (route) => {
    const url = new URL(route.request().url());
    if (url.searchParams.get('client_id') !== 'command-center') return route.continue();
    url.searchParams.set('client_id', 'another-app');
    return route.fulfill({ status: 302, headers: { location: url.href } });
  });
  await page.goto(BASE_URL);
  await page.getByRole('button', { name: 'Sign in with single sign-on' }).click();
  await signInAtProvider(page, 'aiko@example.com');
  await assertRefused(page);
  await page.context().close();
});

/// Signs in through a provider of its own, started with `env`, and a server of our own that
/// trusts it: the sign-in is refused, and the server's audit log gives `reason`.
async function refusedThrough(name, env, reason) {
  const port = await freePort();
  const providerPort = await freePort();
  const provider = spawn('node', ['oidc-provider.js'], {
    env: { ...process.env, ...env, OIDC_CLIENT_SECRET: CLIENT_SECRET, OIDC_PORT: String(providerPort), OIDC_REDIRECT_URI: `http://127.0.0.1:${port}/api/v1/auth/oidc/callback` },
    stdio: 'ignore',
  });
  const issuer = `http://127.0.0.1:${providerPort}`;
  await eventually(async () => assert.ok((await fetch(`${issuer}/.well-known/openid-configuration`)).ok));
  const own = await ownServer(name, {
    port,
    flags: ['--oidc-issuer', issuer, '--oidc-client-id', 'command-center', '--oidc-client-secret', CLIENT_SECRET],
  });
  try {
    const page = await newPage(browser);
    await page.goto(own.base);
    await page.getByRole('button', { name: 'Sign in with single sign-on' }).click();
    await signInAtProvider(page, 'aiko@example.com');
    await assertRefused(page);
    await page.context().close();
    const signIn = await fetch(`${own.base}/api/v1/session`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.com', password: 'demo' }),
    });
    const { token } = await signIn.json();
    const audit = await fetch(`${own.base}/api/v1/audit?action=sign_in_failed`, { headers: { authorization: `Bearer ${token}` } });
    const details = (await audit.json()).events.map((e) => e.detail);
    assert.ok(details.some((d) => reason.test(d)), `${reason} in ${JSON.stringify(details)}`);
  } finally {
    own.stop();
    provider.kill();
  }
}

test('an expired ID token is refused', { skip }, async () => {
  // A provider whose clock is 20 minutes behind signs tokens that expired long ago.
  await refusedThrough('oidc-stale', { OIDC_CLOCK_OFFSET: '-1200' }, /ExpiredSignature/);
});

test('an ID token for another audience is refused', { skip }, async () => {
  await refusedThrough('oidc-audience', { OIDC_ID_TOKEN_AUDIENCE: 'another-app' }, /InvalidAudience/);
});

test('an unverified email, or none said to be verified, is refused', { skip }, async () => {
  await refusedThrough('oidc-unverified', { OIDC_EMAIL_VERIFIED: 'false' }, /has not verified aiko@example.com/);
  await refusedThrough('oidc-unsaid', { OIDC_EMAIL_VERIFIED: 'absent' }, /has not verified aiko@example.com/);
});

/// The newest refusals of single sign-on in the main server's audit log.
async function refusals() {
  const token = await apiToken('admin@example.com');
  const { body } = await api('/audit?action=sign_in_failed', { token });
  return body.events.map((e) => e.detail);
}

test('a verified user of a domain not listed is not provisioned', { skip }, async () => {
  const page = await newPage(browser);
  await page.goto(BASE_URL);
  await page.getByRole('button', { name: 'Sign in with single sign-on' }).click();
  const email = `sso.${Date.now()}@elsewhere.test`;
  await signInAtProvider(page, email);
  await assertRefused(page);
  assert.ok((await refusals()).some((d) => d.includes(`${email} has no account here`)));
  await page.context().close();
});

/// Another site, on loopback: what it was asked for.
async function anotherSite() {
  const seen = [];
  const server = createServer((request, response) => {
    seen.push(request.url);
    response.writeHead(200, { 'content-type': 'text/html' }).end('<title>elsewhere</title><p>elsewhere</p>');
  });
  const port = await freePort();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${port}`, seen, close: () => server.close() };
}

/// A tracked click link of a delivered email of Aiko's that leads to `target`.
async function trackedLinkTo(target) {
  const token = await apiToken('aiko@example.com');
  const person = (await api('/people?limit=1', { token })).body.items[0];
  const subject = `Link ${Date.now()}`;
  const created = await api('/emails', {
    token, method: 'POST',
    body: { person_id: person.id, subject, body: `<p><a href="${target}">See this</a></p>` },
  });
  assert.equal(created.status, 201);
  const message = await eventually(() => { const m = sentMessage(subject); assert.ok(m); return m; });
  const path = message.match(/\/t\/c\/[A-Za-z0-9_-]+/);
  assert.ok(path, 'the link is tracked');
  return path[0];
}

test('a sign-in steered to a tracked link lands in the app, and no click carries an address fragment on', { skip }, async () => {
  const site = await anotherSite();
  try {
    const link = await trackedLinkTo(`${site.origin}/landing`);
    // The old way in, a link anyone could send: no longer a sign-in at all.
    const byLink = await fetch(`${BASE_URL}/api/v1/auth/oidc/start?return_to=${encodeURIComponent(link)}`, { redirect: 'manual' });
    assert.equal(byLink.status, 405);

    // A sign-in whose start asks to land on the tracked link.
    const page = await newPage(browser);
    await page.route('**/api/v1/auth/oidc/start', (route) => {
      const body = JSON.parse(route.request().postData());
      return route.continue({ postData: JSON.stringify({ ...body, return_to: link }) });
    });
    await page.goto(`${BASE_URL}/tasks/today`);
    await page.getByRole('button', { name: 'Sign in with single sign-on' }).click();
    await signInAtProvider(page, 'ben@example.com');
    await page.getByRole('link', { name: 'Your account: Ben Carter' }).waitFor();
    assert.equal(new URL(page.url()).origin, BASE_URL, 'still in the app');
    assert.equal(new URL(page.url()).hash, '');
    assert.deepEqual(site.seen, [], 'the other site heard nothing');

    // A tracked link opened with something in its fragment: the other site's page never sees it.
    await page.goto(`${BASE_URL}${link}#cc-sso=secret`);
    await eventually(() => assert.equal(new URL(page.url()).origin, site.origin));
    assert.ok(!page.url().includes('secret'), page.url());
    assert.equal(await page.evaluate(() => location.hash), '');
    assert.deepEqual(site.seen, ['/landing']);
    await page.context().close();
  } finally {
    site.close();
  }
});

/// Ben signs in at the provider in a browser of his own, held back before his tab exchanges
/// the hand-off code (not sent): answers the code his tab was handed.
async function bensHandOffCode() {
  const page = await newPage(browser);
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route((url) => url.pathname === '/api/v1/auth/oidc/session', (route) => {
    release(JSON.parse(route.request().postData()).code);
    return route.abort();
  });
  await page.goto(BASE_URL);
  await page.getByRole('button', { name: 'Sign in with single sign-on' }).click();
  await signInAtProvider(page, 'ben@example.com');
  const code = await held;
  return { code, close: () => page.context().close() };
}

/// Aiko, signed in with her password in a browser of her own.
async function aikosBrowser() {
  const page = await newPage(browser);
  await page.goto(BASE_URL);
  await signIn(page, 'aiko@example.com');
  await page.getByRole('link', { name: 'Your account: 佐藤 愛子' }).waitFor();
  return page;
}

test('a hand-off link made by another account leaves the visitor as they were', { skip, timeout: 120_000 }, async () => {
  const bens = await bensHandOffCode();
  // What Ben's tab was handed, as a link to send: the app's address with the one-time code.
  const code = bens.code;
  const handed = new URL(`${BASE_URL}/tasks/today#cc-sso=${code}`);
  const aiko = await aikosBrowser();
  const exchanges = [];
  aiko.on('request', (r) => { if (r.url().includes('/auth/oidc/session')) exchanges.push(r.url()); });
  await aiko.goto(handed.href);
  await aiko.getByRole('link', { name: 'Your account: 佐藤 愛子' }).waitFor();
  assert.equal(new URL(aiko.url()).hash, '', 'the code is taken out of the address');
  assert.deepEqual(exchanges, [], 'a tab that began no sign-in does not use a code');
  // Even sent by hand, the code is worth nothing without the key of the tab that began it.
  const forged = await api('/auth/oidc/session', { method: 'POST', body: { code, tab_key: 'k'.repeat(64) } });
  assert.equal(forged.status, 401);
  await aiko.context().close();
  await bens.close();
});

test('an unknown user is provisioned into the team', { skip }, async () => {
  // Someone the main server does not know: provisioned (xtask starts it with --provision-team).
  const page = await newPage(browser);
  await page.goto(BASE_URL);
  await page.getByRole('button', { name: 'Sign in with single sign-on' }).click();
  const email = `sso.${Date.now()}@example.com`;
  await signInAtProvider(page, email);
  await page.getByRole('link', { name: `Your account: ${email.split('@')[0]}` }).waitFor();
  await page.context().close();
});
