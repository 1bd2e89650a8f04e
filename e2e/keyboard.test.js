// A rep who works by keyboard alone: no click and no programmatic focus, only Tab, arrows, typing,
// Enter and Escape. Compose (picking the recipient in its combobox), the task form (its person
// combobox) and the search builder are walked through, and each does what it is for.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, eventually, launch } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/// What has focus: its role, accessible name as the page gives it, and value.
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const labelled = el.getAttribute('aria-labelledby');
    const name = el.getAttribute('aria-label')
      ?? (labelled && document.getElementById(labelled)?.textContent)
      ?? el.labels?.[0]?.querySelector('span')?.textContent
      ?? el.labels?.[0]?.textContent
      ?? el.textContent;
    return { tag: el.tagName.toLowerCase(), role: el.getAttribute('role'), name: (name ?? '').trim() };
  });
}

/// Presses Tab (or Shift+Tab) until the focused control is called `name`; fails after `most`.
async function tabTo(page, name, { most = 60, back = false } = {}) {
  const passed = [];
  for (let i = 0; i < most; i++) {
    const now = await focused(page);
    if (typeof name === 'string' ? now.name === name : name.test(now.name)) return now;
    passed.push(now.name.slice(0, 30));
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  assert.fail(`no control called ${name} within ${most} presses of Tab; passed ${[...new Set(passed)].join(' | ')}`);
}

async function signInByKeyboard(page, email) {
  await page.goto(BASE_URL);
  await tabTo(page, 'Email');
  await page.keyboard.type(email);
  await tabTo(page, 'Password');
  await page.keyboard.type('demo');
  await page.keyboard.press('Enter');
  await page.locator('tr[data-email-id]').first().waitFor();
}

/// Types into the focused combobox until it suggests something, then picks the first by arrow
/// and Enter; answers what was picked.
async function pickFirstSuggestion(page, text) {
  await page.keyboard.type(text);
  const combobox = page.locator(':focus');
  assert.equal(await combobox.getAttribute('role'), 'combobox');
  await eventually(async () => assert.equal(await combobox.getAttribute('aria-expanded'), 'true'));
  const listbox = page.locator(`#${await combobox.getAttribute('aria-controls')}`);
  assert.equal(await listbox.getAttribute('role'), 'listbox');
  // The suggestions for the whole text, not for a part typed before.
  await eventually(async () => {
    const shown = await listbox.getByRole('option').allInnerTexts();
    assert.ok(shown.length > 0 && shown.every((o) => o.includes(text)), shown.join(', '));
  });
  // Down to the first who can be emailed (one who cannot says so: "— Unsubscribed").
  const count = await listbox.getByRole('option').count();
  let active;
  for (let i = 0; i < count; i++) {
    await page.keyboard.press('ArrowDown');
    active = await combobox.getAttribute('aria-activedescendant');
    assert.ok(active, 'an option is under the cursor');
    if (!(await page.locator(`#${active}`).innerText()).includes(' — ')) break;
  }
  const option = page.locator(`#${active}`);
  assert.equal(await option.getAttribute('role'), 'option');
  assert.equal(await option.getAttribute('aria-selected'), 'true');
  assert.equal((await focused(page)).role, 'combobox', 'the field keeps focus while moving through the list');
  const label = (await option.innerText()).trim();
  await page.keyboard.press('Enter');
  await eventually(async () => assert.equal(await combobox.getAttribute('aria-expanded'), 'false'));
  return label;
}

test('compose, the task form and the search builder, by keyboard alone', async () => {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => { throw error; });
  await signInByKeyboard(page, 'ben@example.com');

  // Compose: the recipient picked in the combobox; Escape closes its list before the dialog.
  await tabTo(page, 'New email');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'New email' });
  await dialog.waitFor();
  await tabTo(page, 'Search your people');
  await page.keyboard.type('Globex');
  await eventually(async () => assert.equal(await page.locator(':focus').getAttribute('aria-expanded'), 'true'));
  await page.keyboard.press('Escape');
  assert.equal(await page.locator(':focus').getAttribute('aria-expanded'), 'false');
  assert.ok(await dialog.isVisible(), 'the first Escape closed the list, not the dialog');
  await page.keyboard.press('Escape');
  assert.equal(await page.locator(':focus').inputValue(), '', 'the second emptied the field');
  const recipient = await pickFirstSuggestion(page, 'Globex');
  assert.match(recipient, /Globex/);
  assert.equal((await dialog.locator('.cc-recipient').innerText()).trim(), recipient.replace(/ — .*$/, ''));
  const subject = `Keyboard only ${Date.now()}`;
  await tabTo(page, 'Subject');
  await page.keyboard.type(subject);
  await tabTo(page, 'Message');
  await page.keyboard.type('Hello {{first_name}}, a note typed without a mouse.');
  await tabTo(page, 'Send now');
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'detached' });
  // Sent to the person picked: it reaches Delivered.
  await eventually(async () => {
    await page.goto(`${BASE_URL}/emails/delivered`);
    const row = page.locator('tr[data-email-id]', { hasText: subject });
    await row.waitFor({ timeout: 2000 });
    assert.match(await row.innerText(), new RegExp(recipient.split(' <')[0]));
  }, 30_000);

  // The task form: title, type by arrow, the person in its combobox, saved with Enter.
  await page.goto(`${BASE_URL}/tasks/nodate`);
  await page.getByRole('tab', { name: /^No due date/ }).waitFor();
  await page.keyboard.press('n');
  const form = page.getByRole('dialog', { name: 'New task' });
  await form.waitFor();
  const title = `Call by keyboard ${Date.now()}`;
  await tabTo(page, 'Title');
  await page.keyboard.type(title);
  await tabTo(page, 'Type');
  await page.keyboard.press('ArrowDown');
  await tabTo(page, 'Search your people');
  const person = await pickFirstSuggestion(page, 'Globex');
  await tabTo(page, 'Save');
  await page.keyboard.press('Enter');
  await form.waitFor({ state: 'detached' });
  const row = page.locator('tr[data-task-id]', { hasText: title });
  await row.waitFor();
  assert.ok((await row.innerText()).includes(person.split(' <')[0]), 'the task is about the person picked');

  // The search builder: a condition added, its type chosen by arrow, the search run.
  await page.goto(`${BASE_URL}/search`);
  await page.getByRole('button', { name: 'Add condition' }).first().waitFor();
  await tabTo(page, /^Add condition/);
  await page.keyboard.press('Enter');
  await tabTo(page, 'Condition type, condition 1 (all)');
  await tabTo(page, 'Search');
  await page.keyboard.press('Enter');
  await page.locator('table.cc-results tbody tr').first().waitFor();
  await context.close();
});
