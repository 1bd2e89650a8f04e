// What the UI offers, the server accepts: on a server of its own with fresh demo data (the shared
// one is left as the other tests expect it), every folder and task view is opened and, on its
// first rows, every action a row offers is clicked; any request the server refuses fails the
// test, as does a refusal shown to the rep.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { FOLDERS, launch, newPage, ownServer, rowAction, rowActions, signIn } from './helpers.js';

const TASK_VIEWS = ['overdue', 'today', 'tomorrow', 'next7', 'nodate', 'done'];
/** How many of a view's first rows get an action each. */
const ROWS = 8;

let browser;
let base;
let own;

before(async () => {
  browser = await launch();
  own = await ownServer('row-actions');
  ({ base } = own);
});

after(async () => {
  await browser?.close();
  own?.stop();
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
  await page.locator('tr[data-email-id]').first().waitFor();
  let clicked = 0;
  const used = new Map();
  const leastUsed = (actions) => {
    const action = actions.reduce((best, a) => (best === undefined || (used.get(a) ?? 0) < (used.get(best) ?? 0) ? a : best), undefined);
    if (action) used.set(action, (used.get(action) ?? 0) + 1);
    return action;
  };
  // Drafts first: once the rep's draft is sent or deleted, scheduled emails offer Unschedule, and
  // once one is unscheduled (a draft again) the others no longer do.
  for (const folder of ['drafts', ...FOLDERS.filter((f) => f !== 'drafts')]) {
    await page.goto(`${base}/emails/${folder}`);
    await page.locator('tr[data-email-id]:visible, .cc-empty:visible').first().waitFor();
    // Each of the first rows gets one action (an action may move it to another folder): the one
    // it offers that was clicked least so far, so every action offered is clicked, on several
    // rows of different kinds (campaign or not, marked or not).
    const ids = await page.locator('tr[data-email-id]').evaluateAll((trs, n) => trs.slice(0, n).map((tr) => tr.dataset.emailId), ROWS);
    for (const id of ids) {
      const row = page.locator(`tr[data-email-id="${id}"]`);
      if (!(await row.count())) continue;
      // Editing is not asked of the server until saved: the actions are what is counted.
      const action = leastUsed((await rowActions(row)).filter((a) => a !== 'edit'));
      if (!action) continue;
      clicked++;
      if (action === 'reschedule') {
        // Rescheduling opens the email's editor; nothing is asked of the server until saved.
        await rowAction(row, action);
        await page.getByRole('dialog').waitFor();
        await page.keyboard.press('Escape');
        await page.getByRole('dialog').waitFor({ state: 'detached' });
        continue;
      }
      // Done: the row leaves the folder or is redrawn; a refusal would show as an alert.
      await Promise.all([
        page.waitForResponse((r) => r.url().includes(`/emails/${id}`) && r.request().method() !== 'GET'),
        rowAction(row, action),
      ]);
      await page.waitForTimeout(200);
      assert.deepEqual(refused, [], `${action} in ${folder}`);
      assert.equal(await page.locator('main [role="alert"]:visible').count(), 0, `no refusal shown after ${action} in ${folder}`);
    }
  }
  for (const view of TASK_VIEWS) {
    await page.goto(`${base}/tasks/${view}`);
    await page.locator('tr[data-task-id]:visible, .cc-empty:visible').first().waitFor();
    const ids = await page.locator('tr[data-task-id]').evaluateAll((trs, n) => trs.slice(0, n).map((tr) => tr.dataset.taskId), ROWS);
    for (const id of ids) {
      const row = page.locator(`tr[data-task-id="${id}"]`);
      if (!(await row.count())) continue;
      // Snoozing and editing are tried below.
      const action = leastUsed((await rowActions(row)).filter((a) => a !== 'edit' && !a.startsWith('snooze:')));
      if (!action) continue;
      clicked++;
      await Promise.all([
        page.waitForResponse((r) => r.request().method() !== 'GET' && (r.url().includes(`/tasks/${id}`) || r.url().includes('/tasks/bulk'))),
        rowAction(row, action),
      ]);
      await page.waitForTimeout(200);
      assert.deepEqual(refused, [], `${action} in ${view}`);
    }
    // Snoozing is offered in the menu of open tasks.
    const open = page.locator('tr[data-task-id]', { has: page.locator('[data-task-action="complete"]') }).first();
    if (await open.count()) {
      await rowAction(open, 'snooze:tomorrow');
      clicked++;
      await page.waitForTimeout(300);
      assert.deepEqual(refused, [], `snooze in ${view}`);
    }
  }
  // Every action a row can offer was offered somewhere, and clicked.
  for (const action of ['archive', 'mark_success', 'unarchive', 'delete', 'send_now', 'reschedule', 'unschedule', 'retry', 'complete', 'skip', 'reopen']) {
    assert.ok(used.get(action) > 0, `${action} was clicked`);
  }
  assert.ok(clicked >= 40, `${clicked} actions clicked`);
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
    await rowAction(unmarked, 'mark_success');
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
