// Accessibility: axe-core, injected into the real pages, reports no serious or critical violation
// on the login, every email folder, the task list, the people list, the import dialog, a
// person's page, the search builder, the compose dialog and Select and Send, the admin pages,
// one's account and a member's emails viewed as them, in both languages; a dialog keeps focus
// inside and gives it back; and every keyboard stop shows its focus.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BASE_URL, FOLDERS, apiToken, eventually, launch, newPage, signIn } from './helpers.js';

// Its source, evaluated in the page through the debugging protocol: the page's policy allows no
// inline script, so a script tag could not add it.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/// The serious and critical violations axe finds on the page as it is now, as readable lines.
async function violations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
  return found;
}

async function assertClean(page, where) {
  assert.deepEqual(await violations(page), [], where);
}

for (const locale of ['en-US', 'ja-JP']) {
  test(`no serious or critical axe violation on any view (${locale})`, async () => {
    const page = await newPage(browser, { locale });
    await page.goto(BASE_URL);
    await page.locator('form').first().waitFor();
    await assertClean(page, 'login');
    // Signed in through a stored session, so the same steps serve both languages.
    const token = await apiToken('aiko@example.com');
    await page.evaluate((token) => localStorage.setItem('cc.token', token), token);
    for (const folder of FOLDERS) {
      await page.goto(`${BASE_URL}/emails/${folder}`);
      await page.locator('.cc-table-footer').waitFor();
      await eventually(async () => assert.equal(await page.locator('.cc-table-footer .cc-status[role=status]').count(), 0));
      await assertClean(page, `folder ${folder}`);
    }
    await page.getByRole('button', { name: /^(New email|新規メール)$/ }).click();
    await page.locator('dialog#cc-compose').waitFor();
    await assertClean(page, 'compose dialog');
    await page.keyboard.press('Escape');

    for (const view of ['today', 'overdue', 'done']) {
      await page.goto(`${BASE_URL}/tasks/${view}`);
      await page.locator('main table, main .cc-empty').first().waitFor();
      await assertClean(page, `tasks ${view}`);
    }

    await page.goto(`${BASE_URL}/people`);
    await page.locator('.cc-people-table tbody tr[data-person-id]').first().waitFor();
    await page.locator('.cc-people-table tbody tr[data-person-id]').first().getByRole('checkbox').check();
    await assertClean(page, 'people');
    await page.getByRole('button', { name: /^(Import CSV|CSV を取り込む)$/ }).click();
    await page.locator('dialog#cc-import').waitFor();
    await page.locator('dialog#cc-import input[type=file]').setInputFiles({ name: 'p.csv', mimeType: 'text/csv', buffer: Buffer.from('姓,名,メールアドレス\n山田,太郎,taro@example.jp\n') });
    await page.locator('dialog#cc-import table').waitFor();
    await assertClean(page, 'import dialog');
    await page.keyboard.press('Escape');
    await page.locator('.cc-people-table a.cc-person').first().click();
    await page.locator('.cc-person-page h1').waitFor();
    await page.locator('.cc-timeline, .cc-person-page .cc-empty').first().waitFor();
    await assertClean(page, 'person page');

    await page.goto(`${BASE_URL}/campaigns`);
    await page.locator('table.cc-campaign-table').waitFor();
    await assertClean(page, 'campaigns');
    await page.locator('table.cc-campaign-table tbody a').first().click();
    await page.locator('ol.cc-steps').waitFor();
    await page.locator('table.cc-enrolled-table').waitFor();
    await page.locator('table.cc-funnel-table').waitFor();
    await assertClean(page, 'campaign page');

    await page.goto(`${BASE_URL}/templates`);
    await page.locator('table.cc-template-table').waitFor();
    await assertClean(page, 'templates');

    const everyone = encodeURIComponent(JSON.stringify({ version: 1, all: [], any: [] }));
    await page.goto(`${BASE_URL}/search?q=${everyone}`);
    const all = page.locator('fieldset.cc-conditions').first();
    for (let i = 0; i < 5; i++) await all.locator('button.cc-small').click();
    const kinds = ['campaign', 'engagement', 'status', 'date', 'person'];
    for (let i = 0; i < kinds.length; i++) await all.locator('.cc-condition').nth(i).locator('select').first().selectOption(kinds[i]);
    await all.locator('.cc-condition').nth(1).locator('select').nth(3).selectOption('between');
    await page.locator('table.cc-results tbody tr').first().waitFor();
    await assertClean(page, 'search builder and results');
    for (let i = 0; i < 3; i++) await page.locator('table.cc-results tbody tr').nth(i).getByRole('checkbox').check();
    await page.locator('.cc-bulk-actions button.cc-button-primary').click();
    await page.locator('dialog#cc-batch').waitFor();
    await assertClean(page, 'Select and Send');
    await page.context().close();
  });
}

for (const locale of ['en-US', 'ja-JP']) {
  test(`no serious or critical axe violation on the admin pages and one's account (${locale})`, async () => {
    const page = await newPage(browser, { locale });
    await page.goto(BASE_URL);
    await page.locator('form').first().waitFor();
    const token = await apiToken('admin@example.com');
    await page.evaluate((token) => localStorage.setItem('cc.token', token), token);
    await page.goto(`${BASE_URL}/admin/users`);
    await page.locator('table.cc-users-table').waitFor();
    await page.locator('.cc-outbox-bar button.cc-button-primary').click();
    await page.locator('form.cc-user-form').waitFor();
    await assertClean(page, 'users and the user form');
    await page.getByRole('tab').nth(1).click();
    await page.locator('table.cc-teams-table').waitFor();
    await assertClean(page, 'teams');
    await page.getByRole('tab').nth(2).click();
    await page.locator('table.cc-audit-table tbody tr').first().waitFor();
    await assertClean(page, 'audit log');
    await page.locator('a.cc-user').click();
    await page.locator('form.cc-password-form').waitFor();
    await assertClean(page, 'account settings');
    // Viewing a member's emails: the notice, and the outbox without its actions.
    await page.locator('.cc-view-as select').selectOption({ index: 1 });
    await page.locator('.cc-viewing').waitFor();
    await page.locator('table.cc-email-table tbody tr[data-email-id]').first().waitFor();
    await assertClean(page, 'viewing as a member');
    await page.context().close();
  });
}

test('a dialog keeps focus inside while open and returns it to the opener', async () => {
  const page = await newPage(browser);
  await page.goto(BASE_URL);
  await signIn(page, 'aiko@example.com');
  const opener = page.getByRole('button', { name: 'New email' });
  await opener.click();
  const dialog = page.getByRole('dialog', { name: 'New email' });
  await dialog.waitFor();
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => document.activeElement?.closest('dialog') !== null), `focus stayed in the dialog after ${i + 1} tabs`);
  }
  await page.keyboard.press('Escape');
  await eventually(async () => assert.equal(await dialog.count(), 0));
  // Given back in a task after the dialog has left the top layer.
  await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'New email'));
  await page.context().close();
});

test('every keyboard stop on the emails, tasks and search pages shows where focus is', async () => {
  const page = await newPage(browser);
  await page.goto(BASE_URL);
  await signIn(page, 'aiko@example.com');
  await page.locator('tr[data-email-id]').first().waitFor();
  for (const [where, path] of [['emails', '/emails/delivered'], ['tasks', '/tasks/today'], ['search', '/search'], ['people', '/people']]) {
    await page.goto(`${BASE_URL}${path}`);
    await page.locator('main').first().waitFor();
    await page.waitForTimeout(500);
    const seen = new Set();
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Tab');
      const stop = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        const style = getComputedStyle(el);
        const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1;
        return { name: `${el.tagName.toLowerCase()} ${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}`, outlined };
      });
      if (!stop || seen.has(stop.name)) continue;
      seen.add(stop.name);
      assert.ok(stop.outlined, `${where}: focus on "${stop.name}" is not visible`);
    }
    assert.ok(seen.size >= 8, `${where}: the keyboard reaches the page's controls (${seen.size})`);
  }
  await page.context().close();
});
