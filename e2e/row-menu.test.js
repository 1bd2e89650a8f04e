// A row's actions never lie past the table's edge: from 1024 to 1440 px every row shows its main
// action and a "More actions" menu button, each inside the window without scrolling; at 375 px
// rows are cards. The menu is the WAI-ARIA menu button pattern, worked here by keyboard alone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, FOLDERS, eventually, launch, signIn } from './helpers.js';

const TASK_VIEWS = ['overdue', 'today', 'tomorrow', 'next7', 'nodate', 'done'];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function signedInAt(width, email = 'aiko@example.com') {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => { throw error; });
  await page.goto(`${BASE_URL}/emails/delivered`);
  await signIn(page, email);
  await page.locator('tr[data-email-id]').first().waitFor();
  return page;
}

/// Every control of every row drawn: inside the window, and inside the box the table scrolls in
/// as it stands (not scrolled to), so none is past the table's edge.
async function rowControlsOutside(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out = [];
    for (const row of document.querySelectorAll('tr[data-email-id], tr[data-task-id]')) {
      const box = row.closest('.cc-table-scroll')?.getBoundingClientRect() ?? { left: 0, right: width };
      for (const control of row.querySelectorAll('button, input, select, a[href]')) {
        const at = control.getBoundingClientRect();
        if (at.width === 0) continue;
        if (at.left < Math.max(0, box.left) - 0.5 || at.right > Math.min(width, box.right) + 0.5) {
          out.push(`${control.textContent.trim() || control.getAttribute('aria-label')} (${Math.round(at.left)}–${Math.round(at.right)})`);
        }
      }
    }
    return [...new Set(out)];
  });
}

for (const width of [1024, 1280, 1440]) {
  test(`at ${width} px every row's controls lie inside the window, in every folder and task view`, async () => {
    const page = await signedInAt(width);
    for (const folder of FOLDERS) {
      await page.goto(`${BASE_URL}/emails/${folder}`);
      await page.locator('tr[data-email-id]:visible, .cc-empty:visible').first().waitFor();
      assert.deepEqual(await rowControlsOutside(page), [], `${folder} at ${width} px`);
      // A row with more than one action shows the first and a menu for the rest.
      for (const row of await page.locator('tr[data-email-id]').all()) {
        const buttons = await row.locator('td.cc-row-actions button').count();
        assert.ok(buttons <= 2, `a ${folder} row shows ${buttons} action buttons`);
      }
    }
    for (const view of TASK_VIEWS) {
      await page.goto(`${BASE_URL}/tasks/${view}`);
      await page.locator('tr[data-task-id]:visible, .cc-empty:visible').first().waitFor();
      assert.deepEqual(await rowControlsOutside(page), [], `tasks ${view} at ${width} px`);
    }
    await page.context().close();
  });
}

test('at 375 px rows are cards: no row scrolls sideways and every control is on screen', async () => {
  const page = await signedInAt(375);
  for (const path of ['/emails/delivered', '/emails/scheduled', '/tasks/overdue', '/tasks/done']) {
    await page.goto(`${BASE_URL}${path}`);
    const row = page.locator('tr[data-email-id], tr[data-task-id]').first();
    await row.waitFor();
    assert.equal(await row.evaluate((tr) => getComputedStyle(tr).display), 'grid', `${path}: a row is a card`);
    const box = await row.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 375.5, `${path}: the card fits (${box.x}–${box.x + box.width})`);
    assert.deepEqual(await rowControlsOutside(page), [], `${path} at 375 px`);
    // The card says who, what and when.
    assert.ok((await row.innerText()).includes(await row.locator('.cc-person').innerText()));
  }
  // Scrolling a long folder of cards still brings the next cards (the list draws what is in view).
  await page.goto(`${BASE_URL}/emails/delivered`);
  await page.locator('tr[data-email-id]').first().waitFor();
  const firstId = await page.locator('tr[data-email-id]').first().getAttribute('data-email-id');
  await page.locator('.cc-table-scroll').evaluate((box) => { box.scrollTop = 40 * 92; });
  await eventually(async () => {
    const ids = await page.locator('tr[data-email-id]').evaluateAll((trs) => trs.map((tr) => tr.dataset.emailId));
    assert.ok(!ids.includes(firstId), 'the first card left when scrolled far past');
    const inView = await page.locator('tr[data-email-id]').evaluateAll((trs) => {
      const box = document.querySelector('.cc-table-scroll').getBoundingClientRect();
      return trs.filter((tr) => { const r = tr.getBoundingClientRect(); return r.bottom > box.top && r.top < box.bottom; }).length;
    });
    assert.ok(inView >= 2, `${inView} cards in view after scrolling`);
  });
  await page.context().close();
});

test('the "More actions" menu works by keyboard alone: open, move, close, pick', async () => {
  const page = await signedInAt(1280);
  await page.goto(`${BASE_URL}/tasks/overdue`);
  const row = page.locator('tr[data-task-id]').first();
  await row.waitFor();
  const title = (await row.locator('.cc-task-title').innerText()).trim();
  const more = row.getByRole('button', { name: `More actions for ${title}` });
  assert.equal(await more.getAttribute('aria-haspopup'), 'menu');
  assert.equal(await more.getAttribute('aria-expanded'), 'false');
  await more.focus();
  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu', { name: `More actions for ${title}` });
  await menu.waitFor();
  assert.equal(await more.getAttribute('aria-expanded'), 'true');
  const items = await menu.getByRole('menuitem').allInnerTexts();
  assert.deepEqual(items, ['Skip', 'Snooze: 1 hour', 'Snooze: Tomorrow 9:00', 'Snooze: Next week', 'Snooze: Pick a time…', 'Edit', 'Delete']);
  const focused = () => page.evaluate(() => document.activeElement.textContent.trim());
  assert.equal(await focused(), 'Skip', 'the first item takes focus');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(), 'Snooze: 1 hour');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  assert.equal(await focused(), 'Delete', 'up from the first is the last');
  await page.keyboard.press('Home');
  assert.equal(await focused(), 'Skip');
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'detached' });
  assert.equal(await more.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), `More actions for ${title}`, 'Escape gives focus back to the button');
  // Picking "Edit" with Enter opens the task's form.
  await page.keyboard.press('Enter');
  await menu.waitFor();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowUp');
  assert.equal(await focused(), 'Edit');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  assert.equal(await dialog.getByLabel('Title').inputValue(), title);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  // A press elsewhere closes it.
  await more.click();
  await menu.waitFor();
  await page.getByRole('heading', { name: 'Tasks' }).click();
  await menu.waitFor({ state: 'detached' });
  await page.context().close();
});
