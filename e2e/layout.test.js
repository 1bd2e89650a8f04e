// Layout: usable on a phone (375 px) and on a desktop (1440 px), light and dark as the system
// says. "Usable" here means what a rep would trip over: the page never scrolls sideways (wide
// tables scroll inside their own box), every control the view is for lies inside the screen and
// can be clicked, dialogs fit, and dark mode really is dark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launch, signIn } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function pageAt(width, colorScheme = 'light') {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width, height: 800 }, colorScheme });
  const page = await context.newPage();
  page.on('pageerror', (error) => { throw error; });
  return page;
}

/// The page itself does not scroll sideways.
async function assertNoSidewaysScroll(page, what) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= width, `${what}: the page is ${scroll} px wide in a ${width} px window`);
}

/// Every control shown lies inside the window's width, unless it sits in a box of its own that
/// scrolls sideways (a wide table) and that box fits. Clipped controls are as lost as ones
/// scrolled off the page.
async function assertNoControlCutOff(page, what) {
  const cut = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const scrollsSideways = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
    const out = [];
    for (const el of document.querySelectorAll('button, input, select, textarea, a[href], [role=tab], summary')) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      let scroller = el.parentElement;
      while (scroller && !scrollsSideways(scroller)) scroller = scroller.parentElement;
      const limit = scroller ? scroller.getBoundingClientRect() : { left: 0, right: width };
      if (scroller && (limit.left < -0.5 || limit.right > width + 0.5)) {
        out.push(`a sideways-scrolling box (${limit.left}–${limit.right})`);
      } else if (!scroller && (box.left < -0.5 || box.right > width + 0.5)) {
        out.push(`${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? el.value ?? '').trim().slice(0, 40)}" (${Math.round(box.left)}–${Math.round(box.right)})`);
      }
    }
    return [...new Set(out)];
  });
  assert.deepEqual(cut, [], `${what}: controls cut off at ${page.viewportSize().width} px`);
}

/// The control lies inside the window's width and is the topmost thing where it is drawn.
async function assertReachable(page, locator, what) {
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  assert.ok(box, `${what} is shown`);
  const width = page.viewportSize().width;
  assert.ok(box.x >= 0 && box.x + box.width <= width + 0.5, `${what} lies inside the ${width} px window (${box.x}–${box.x + box.width})`);
  await locator.click({ trial: true });
}

for (const width of [375, 1440]) {
  test(`at ${width} px every view fits and its controls can be reached`, async () => {
    const page = await pageAt(width);
    await page.goto(BASE_URL);
    await assertNoSidewaysScroll(page, 'login');
    await assertNoControlCutOff(page, 'login');
    await assertReachable(page, page.getByRole('button', { name: 'Sign in', exact: true }), 'Sign in');
    await signIn(page, 'aiko@example.com');
    await page.locator('tr[data-email-id]').first().waitFor();

    await assertNoSidewaysScroll(page, 'emails');
    await assertNoControlCutOff(page, 'emails');
    for (const name of ['Emails', 'Tasks', 'Campaigns', 'Templates', 'Search']) {
      await assertReachable(page, page.getByRole('link', { name }), `the ${name} link`);
    }
    await assertReachable(page, page.getByRole('button', { name: 'New email' }), 'New email');
    await assertReachable(page, page.getByRole('searchbox', { name: 'Filter loaded emails' }), 'the quick filter');
    const tab = page.getByRole('tab', { name: /^Archived/ });
    await assertReachable(page, tab, 'a folder tab');
    await assertReachable(page, page.locator('tr[data-email-id] .cc-subject-button').first(), "a row's subject");
    if (width >= 1440) {
      const table = await page.locator('table.cc-table').boundingBox();
      assert.ok(table.width > 1000, `the table uses the width (${table.width} px)`);
      // The fixed layout sizes the actions column from its labels: no button spills out of it.
      const spilled = await page.locator('td.cc-row-actions').first().evaluate((cell) => {
        const edge = cell.getBoundingClientRect().right;
        return [...cell.querySelectorAll('button')].filter((b) => b.getBoundingClientRect().right > edge + 0.5).map((b) => b.textContent);
      });
      assert.deepEqual(spilled, [], 'every row action inside its cell');
    }

    await page.getByRole('button', { name: 'New email' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const box = await dialog.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= width + 0.5, `the compose dialog fits (${box.x}–${box.x + box.width})`);
    await assertReachable(page, dialog.getByRole('button', { name: 'Cancel' }), "the dialog's Cancel");
    await assertNoControlCutOff(page, 'compose');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('link', { name: 'Tasks' }).click();
    await page.getByRole('tab', { name: /^Overdue/ }).waitFor();
    await assertNoSidewaysScroll(page, 'tasks');
    await assertNoControlCutOff(page, 'tasks');
    await assertReachable(page, page.getByRole('button', { name: 'New task' }), 'New task');
    await assertReachable(page, page.getByRole('tab', { name: /^Overdue/ }), 'a task tab');

    await page.getByRole('link', { name: 'Search' }).click();
    await page.getByRole('button', { name: 'Add condition' }).first().waitFor();
    await assertNoSidewaysScroll(page, 'search');
    // With a condition and results, the builder's rows and the results table are the widest.
    await page.getByRole('button', { name: 'Add condition' }).first().click();
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('table.cc-results tbody tr').first().waitFor();
    await assertNoSidewaysScroll(page, 'search results');
    await assertNoControlCutOff(page, 'search results');
    await assertReachable(page, page.getByRole('button', { name: 'Add condition' }).first(), 'Add condition');
    await assertReachable(page, page.getByRole('button', { name: 'Search', exact: true }), 'Search');
    await page.context().close();
  });
}

test('between a tablet and a laptop, the subject keeps its room: the table scrolls in its box instead', async () => {
  for (const width of [1024, 1280]) {
    const page = await pageAt(width);
    await page.goto(`${BASE_URL}/emails/delivered`);
    await signIn(page, 'aiko@example.com');
    await page.locator('tr[data-email-id]').first().waitFor();
    // Delivered shows the most columns; 8 spacing units (16 px) are the subject's least.
    const subject = await page.locator('th[data-col="subject"]').evaluate((th) => th.getBoundingClientRect().width);
    assert.ok(subject >= 8 * 16, `at ${width} px the subject column is ${subject} px wide`);
    await assertNoSidewaysScroll(page, `delivered at ${width} px`);
    await assertNoControlCutOff(page, `delivered at ${width} px`);
    await page.context().close();
  }
});

test('dark mode follows the system: dark background, light text, in the app and its dialogs', async () => {
  const luminance = (rgb) => {
    const [r, g, b] = rgb.match(/\d+/g).map(Number);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  for (const scheme of ['light', 'dark']) {
    const page = await pageAt(1280, scheme);
    await page.goto(BASE_URL);
    await signIn(page, 'aiko@example.com');
    await page.locator('tr[data-email-id]').first().waitFor();
    const colors = await page.locator('.cc-root').evaluate((root) => {
      const style = getComputedStyle(root);
      return { bg: style.backgroundColor, text: style.color };
    });
    const [bg, text] = [luminance(colors.bg), luminance(colors.text)];
    if (scheme === 'dark') assert.ok(bg < 60 && text > 180, `dark: background ${colors.bg}, text ${colors.text}`);
    else assert.ok(bg > 200 && text < 80, `light: background ${colors.bg}, text ${colors.text}`);
    await page.getByRole('button', { name: 'New email' }).click();
    const dialogBg = await page.getByRole('dialog').evaluate((d) => getComputedStyle(d).backgroundColor);
    if (scheme === 'dark') assert.ok(luminance(dialogBg) < 80, `the dialog is dark too (${dialogBg})`);
    await page.context().close();
  }
});
