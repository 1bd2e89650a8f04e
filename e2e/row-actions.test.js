// What the UI offers, the server accepts: on a server of its own with fresh demo data (the shared
// one is left as the other tests expect it), every folder and task view is opened and, on its
// first rows, every action a row offers is clicked; any request the server refuses fails the
// test, as does a refusal shown to the rep.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FOLDERS, launch, newPage, signIn } from './helpers.js';

const TASK_VIEWS = ['overdue', 'today', 'tomorrow', 'next7', 'nodate', 'done'];

let browser;
let server;
let base;
let dataDir;

const freePort = () => new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});

before(async () => {
  browser = await launch();
  dataDir = mkdtempSync(join(tmpdir(), 'cc-row-actions-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.env.SERVER_BIN, ['--port', String(port), '--demo', '--dist', process.env.DIST_DIR, '--data-dir', dataDir], { stdio: 'ignore' });
  for (let i = 0; i < 300; i++) {
    try { if ((await fetch(`${base}/api/v1/health`)).ok) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not start');
});

after(async () => {
  await browser?.close();
  server?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Every refused API request the page makes, as "METHOD path → status". */
function watchRefusals(page) {
  const refused = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.pathname.startsWith('/api/v1/') && response.request().method() !== 'GET' && response.status() >= 400) {
      refused.push(`${response.request().method()} ${url.pathname} → ${response.status()}`);
    }
  });
  page.on('dialog', (dialog) => dialog.accept());
  return refused;
}

test('every action a row offers, in every folder and task view, is one the server accepts', async () => {
  const page = await newPage(browser);
  const refused = watchRefusals(page);
  await page.goto(`${base}/emails/delivered`);
  await signIn(page, 'aiko@example.com');
  let clicked = 0;
  for (const folder of FOLDERS) {
    await page.goto(`${base}/emails/${folder}`);
    await page.locator('tr[data-email-id], .cc-empty').first().waitFor();
    // Each action on a row of its own: an action moves its row to another folder.
    const first = page.locator('tr[data-email-id]').first();
    if (!(await first.count())) continue;
    const actions = await first.locator('button[data-action]').evaluateAll((bs) => bs.map((b) => b.dataset.action));
    for (const action of actions) {
      const row = page.locator('tr[data-email-id]').filter({ has: page.locator(`button[data-action="${action}"]`) }).first();
      if (!(await row.count())) continue;
      const id = await row.getAttribute('data-email-id');
      const button = row.locator(`button[data-action="${action}"]`);
      clicked++;
      if (action === 'reschedule') {
        // Rescheduling opens the email's editor; nothing is asked of the server until saved.
        await button.click();
        await page.getByRole('dialog').waitFor();
        await page.keyboard.press('Escape');
        await page.getByRole('dialog').waitFor({ state: 'detached' });
        continue;
      }
      // Done: the row leaves the folder or is redrawn; a refusal would show as an alert.
      await Promise.all([
        page.waitForResponse((r) => r.url().includes(`/emails/${id}`) && r.request().method() !== 'GET'),
        button.click(),
      ]);
      await page.waitForTimeout(200);
      assert.deepEqual(refused, [], `${action} in ${folder}`);
      assert.equal(await page.locator('main [role="alert"]:visible').count(), 0, `no refusal shown after ${action} in ${folder}`);
    }
  }
  for (const view of TASK_VIEWS) {
    await page.goto(`${base}/tasks/${view}`);
    await page.locator('tr[data-task-id], .cc-empty').first().waitFor();
    const first = page.locator('tr[data-task-id]').first();
    if (!(await first.count())) continue;
    const actions = await first.locator('button[data-task-action]').evaluateAll((bs) => bs.map((b) => b.dataset.taskAction));
    for (const action of actions) {
      const row = page.locator('tr[data-task-id]').filter({ has: page.locator(`button[data-task-action="${action}"]`) }).first();
      if (!(await row.count())) continue;
      const id = await row.getAttribute('data-task-id');
      clicked++;
      await Promise.all([
        page.waitForResponse((r) => r.request().method() !== 'GET' && (r.url().includes(`/tasks/${id}`) || r.url().includes('/tasks/bulk'))),
        row.locator(`button[data-task-action="${action}"]`).click(),
      ]);
      await page.waitForTimeout(200);
      assert.deepEqual(refused, [], `${action} in ${view}`);
    }
    // Snoozing is offered as a menu on open tasks.
    const snooze = page.locator('tr[data-task-id] select').first();
    if (view !== 'done' && await snooze.count()) {
      await snooze.selectOption({ index: 2 });
      clicked++;
      await page.waitForTimeout(300);
      assert.deepEqual(refused, [], `snooze in ${view}`);
    }
  }
  assert.ok(clicked >= 12, `${clicked} actions clicked`);
  await page.context().close();
});

test('the bulk bar offers what applies to the selection, and says to how many', async () => {
  const page = await newPage(browser);
  const refused = watchRefusals(page);
  await page.goto(`${base}/emails/delivered`);
  await signIn(page, 'ben@example.com');
  const rows = page.locator('tr[data-email-id]');
  await rows.first().waitFor();
  // One row marked a success already, one not.
  const marked = rows.filter({ has: page.locator('.cc-badge') }).first();
  const unmarked = rows.filter({ hasNot: page.locator('.cc-badge') }).first();
  if (!(await marked.count())) {
    await unmarked.locator('button[data-action="mark_success"]').click();
    await rows.filter({ has: page.locator('.cc-badge') }).first().waitFor();
  }
  const ids = [await marked.getAttribute('data-email-id'), await unmarked.getAttribute('data-email-id')];
  for (const id of ids) await page.locator(`tr[data-email-id="${id}"]`).getByRole('checkbox').check();
  const bar = page.getByRole('region', { name: '2 selected' });
  await bar.waitFor();
  assert.equal((await bar.locator('button[data-bulk-action="mark_success"]').innerText()).trim(), 'Mark as success 1 of 2');
  assert.equal((await bar.locator('button[data-bulk-action="archive"]').innerText()).trim(), 'Archive');
  await bar.locator('button[data-bulk-action="mark_success"]').click();
  await page.locator(`tr[data-email-id="${ids[1]}"] .cc-badge`).waitFor();
  assert.deepEqual(refused, []);
  await page.context().close();
});
