// Shared set-up for the end-to-end tests: the system Chromium, the server under test, its API.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:8080';

export const FOLDERS = ['delivered', 'archived', 'scheduled', 'drafts', 'in_progress', 'failed', 'bounced', 'spam'];
export const PRIMARY = { sent: ['delivered', 'archived'], pending: ['scheduled', 'drafts', 'in_progress'], undelivered: ['failed', 'bounced', 'spam'] };

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic',
      // This Chromium moves a sandboxed frame into a process of its own when its document is
      // replaced, which Playwright 1.64 reads as a second frame with a known id and fails on
      // (an internal assertion, after the test). The frame stays sandboxed either way.
      '--disable-features=IsolateSandboxedIframes'],
  });
}

/// A fresh browser context (no stored session), English unless asked otherwise.
export async function newPage(browser, { locale = 'en-US' } = {}) {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => { throw error; });
  return page;
}

export async function api(path, { token, method = 'GET', body } = {}) {
  const response = await fetch(`${BASE_URL}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

export async function apiToken(email) {
  const { status, body } = await api('/session', { method: 'POST', body: { email, password: 'demo' } });
  if (status !== 201) throw new Error(`login as ${email}: ${status}`);
  return body.token;
}

export async function signIn(page, email, password = 'demo') {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/// The number a tab's count badge shows ("1,234" → 1234).
export async function countOf(locator) {
  const text = await locator.locator('.cc-count').innerText();
  return Number(text.replace(/[^0-9]/g, ''));
}

/// Retries an assertion until it holds or the time is up: the UI updates asynchronously.
export async function eventually(check, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
}

/// The message the server sent with this subject, from its outbox directory (quoted-printable
/// soft breaks undone), or null.
export function sentMessage(subject) {
  const outbox = join(process.env.DATA_DIR, 'outbox');
  for (const file of readdirSync(outbox)) {
    const text = readFileSync(join(outbox, file), 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    if (text.includes(`Subject: ${subject}`)) return text;
  }
  return null;
}

/// A moment as a `datetime-local` value in the rep's time zone (the app reads times there),
/// written as the browser writes it back: without seconds when they are zero, or `fill` refuses
/// it as malformed (one run in sixty).
export function datetimeLocal(date, timeZone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(date).map((p) => [p.type, p.value]));
  const minutes = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
  return parts.second === '00' ? minutes : `${minutes}:${parts.second}`;
}

/// A free port on loopback.
export async function freePort() {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address();
      probe.close(() => resolve(free));
    });
  });
}

/// A server of a test file's own, on a free port (or `port`) over fresh demo data (for tests
/// that change the data others rely on, or need other `flags`): `{ base, dataDir, stop }`.
export async function ownServer(name, { flags = [], port } = {}) {
  const { spawn } = await import('node:child_process');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  port ??= await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `cc-${name}-`));
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.env.SERVER_BIN, ['--port', String(port), '--demo', '--dist', process.env.DIST_DIR, '--data-dir', dataDir, ...flags], { stdio: 'ignore' });
  const stop = () => {
    server.kill();
    rmSync(dataDir, { recursive: true, force: true });
  };
  for (let i = 0; i < 300; i++) {
    try { if ((await fetch(`${base}/api/v1/health`)).ok) return { base, dataDir, stop }; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
  throw new Error('the server did not start');
}

/// The keys of what a table row offers: its main action's, then its "More actions" menu's
/// (opened and closed again with Escape).
export async function rowActions(row) {
  const main = await row.locator('[data-row-action], [data-task-action]').evaluateAll((bs) => bs.map((b) => b.dataset.rowAction ?? b.dataset.taskAction));
  const more = row.locator('button.cc-more');
  if (!(await more.count())) return main;
  await more.click();
  const menu = row.page().getByRole('menu');
  const items = await menu.getByRole('menuitem').evaluateAll((items) => items.map((i) => i.dataset.key));
  await row.page().keyboard.press('Escape');
  await menu.waitFor({ state: 'detached' });
  return [...main, ...items];
}

/// Clicks a row's action: its main button, or the item of its "More actions" menu.
export async function rowAction(row, key) {
  const main = row.locator(`[data-row-action="${key}"], [data-task-action="${key}"]`);
  if (await main.count()) return main.click();
  await row.locator('button.cc-more').click();
  await row.page().getByRole('menu').locator(`[role=menuitem][data-key="${key}"]`).click();
}

/// Picks in a combobox (campaigns, templates): types `text`, then clicks the suggestion named
/// `option` (by default the text itself) in the listbox the field controls.
export async function pick(field, text, option = text) {
  await field.fill(text);
  const list = field.page().locator(`[id="${await field.getAttribute('aria-controls')}"]`);
  await list.getByRole('option', { name: option, exact: true }).click();
}
