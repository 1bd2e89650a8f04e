// A rep's task day: create a task due today, complete it by keyboard in "work through" mode,
// undo, snooze it to tomorrow and find it there. The browser runs in the rep's zone (Tokyo).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, eventually, launch, rowAction, signIn } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });


function localNow() {
  const at = new Date(Date.now() + 60_000);
  const parts = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).format(at);
  return parts.replace(' ', 'T');
}

/// A task due in a minute is due today, unless today ends first: within three minutes of the
/// rep's midnight (Tokyo), the test waits for the new day.
async function notAtMidnight() {
  const [hour, minute] = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(new Date()).split(':').map(Number);
  if (hour === 23 && minute >= 57) {
    await new Promise((resolve) => setTimeout(resolve, ((60 - minute) * 60 + 5) * 1000));
  }
}

test('create, complete by keyboard, undo, snooze to tomorrow', async () => {
  await notAtMidnight();
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Tokyo', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => { throw error; });
  await page.goto(`${BASE_URL}/tasks/today`);
  await signIn(page, 'aiko@example.com');
  const todayCount = page.locator('.cc-count[data-view="today"]');
  await eventually(async () => assert.match(await todayCount.innerText(), /^\d+$/));
  const before = Number(await todayCount.innerText());

  const title = `Call about the renewal ${Date.now()}`;
  await page.keyboard.press('n');
  const form = page.getByRole('dialog', { name: 'New task' });
  await form.getByLabel('Title').fill(title);
  await form.getByLabel('Type').selectOption('call');
  await form.getByLabel('Due').fill(localNow());
  await form.getByLabel('Priority').selectOption('high');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.waitFor({ state: 'detached' });
  await eventually(async () => assert.equal(Number(await todayCount.innerText()), before + 1));
  const row = page.locator('tbody tr', { hasText: title });
  await eventually(async () => assert.equal(await row.count(), 1));

  // Work through the view from the keyboard until our task is the current one, then complete it.
  await page.keyboard.press('w');
  const work = page.getByRole('dialog', { name: 'Work through my tasks' });
  await work.waitFor();
  for (let i = 0; i <= before && !(await work.innerText()).includes(title); i++) {
    await page.keyboard.press('n');
  }
  assert.ok((await work.innerText()).includes(title), 'reached the task');
  await page.keyboard.press('c');
  await eventually(async () => assert.equal(Number(await todayCount.innerText()), before));
  await page.keyboard.press('Escape');
  await work.waitFor({ state: 'detached' });
  assert.equal(await row.count(), 0);

  const undoBar = page.locator('.cc-undo');
  await eventually(async () => assert.match(await undoBar.innerText(), /1 completed/));
  await undoBar.getByRole('button', { name: 'Undo' }).click();
  await eventually(async () => assert.equal(await row.count(), 1));
  await eventually(async () => assert.equal(Number(await todayCount.innerText()), before + 1));

  await rowAction(row, 'snooze:tomorrow');
  await eventually(async () => assert.equal(await row.count(), 0));
  await page.getByRole('tab', { name: /^Tomorrow/ }).click();
  await page.waitForURL('**/tasks/tomorrow');
  const tomorrowRow = page.locator('tbody tr', { hasText: title });
  await eventually(async () => assert.equal(await tomorrowRow.count(), 1));
  assert.match(await tomorrowRow.locator('.cc-date').innerText(), /9:00 AM/);

  // Filters narrow the view: by type on the server, by person in the browser.
  await page.getByLabel('Type', { exact: true }).selectOption('call');
  await eventually(async () => {
    const types = await page.locator('tbody tr td:nth-child(3)').allInnerTexts();
    assert.ok(types.length > 0 && types.every((type) => type === 'Call'), types.join(','));
  });
  await page.getByLabel('Type', { exact: true }).selectOption('');

  // Shortcuts are listed with "?".
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await help.waitFor();
  assert.match(await help.innerText(), /Complete the task/);
  await context.close();
});
