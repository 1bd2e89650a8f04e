// The browser half of `cargo xtask bench`: headless Chromium against the real server and the
// built SPA, then the same rows in a minimal hand-written page (the practical limit). Prints one
// JSON object. Run by the bench binary with BASE_URL, REP_EMAIL and REP_PASSWORD set.
import { launch } from '../e2e/helpers.js';

const BASE = process.env.BASE_URL;
const ROWS = Number(process.env.ROWS ?? 10000);
const KEYS = ['a', 'an', 'ann', 'an', 'a', '', 'co', 'com', 'comp', ''];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/// Types each text into the filter. Three figures per keystroke: the work it causes (script, then
/// style and layout forced at once); the time to its paint, for a keystroke that arrives as a
/// frame begins (the frame's script, style, layout and paint: the browser's part of the paint,
/// raster and compositing run on other threads); and the time to the next frame, which adds the
/// wait for that frame to come round (up to a frame's 16.7 ms, whatever the work).
async function keystrokes(page, selector) {
  return page.evaluate(async ({ selector, keys }) => {
    const input = document.querySelector(selector);
    const type = (text) => {
      input.value = text;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    };
    const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    // Runs after every microtask the input queued (the SPA renders in microtasks), and, when
    // queued in a frame's callback, after that frame's style, layout and paint.
    const tasksDone = () => new Promise((r) => setTimeout(r, 0));
    const work = [];
    const toFrame = [];
    for (const text of keys) {
      await frame();
      const t0 = performance.now();
      type(text);
      await tasksDone();
      void document.documentElement.offsetHeight;
      work.push(performance.now() - t0);
      await frame();
      toFrame.push(performance.now() - t0);
    }
    const toPaint = [];
    for (const text of keys) {
      await frame();
      toPaint.push(await new Promise((done) => requestAnimationFrame(() => {
        const t0 = performance.now();
        type(text);
        tasksDone().then(() => done(performance.now() - t0));
      })));
    }
    return { work, to_paint: toPaint, to_frame: toFrame };
  }, { selector, keys: KEYS });
}

/// Scrolls a container a screen at a time from the top through `rows` rows of 52 px (not to the
/// bottom: the app keeps loading pages there, and the limit page has exactly these rows); reports
/// the long tasks seen.
async function scrollThrough(page, selector, rows) {
  return page.evaluate(async ({ selector, rows }) => {
    const long = [];
    const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => long.push(e.duration)));
    observer.observe({ type: 'longtask', buffered: false });
    const box = document.querySelector(selector);
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    const t0 = performance.now();
    box.scrollTop = 0;
    const end = () => Math.min(box.scrollHeight, rows * 52) - box.clientHeight - 1;
    while (box.scrollTop < end()) {
      box.scrollTop = Math.min(box.scrollTop + box.clientHeight, end() + 1);
      await frame();
    }
    await frame();
    observer.disconnect();
    return { ms: performance.now() - t0, long_tasks: long.length, longest_ms: Math.max(0, ...long) };
  }, { selector, rows });
}

async function heapMb(page) {
  const session = await page.context().newCDPSession(page);
  await session.send('Performance.enable');
  await session.send('HeapProfiler.collectGarbage');
  const { metrics } = await session.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'JSHeapUsedSize').value / 1048576;
}

/// What a browser with an empty cache downloads to show `path` until `ready` resolves: each wasm,
/// js and css file whose fetch began by then, at its size on the wire (the server sends gzip).
async function initialTransfer(storageState, path, ready) {
  const fresh = await browser.newContext({ storageState, viewport: { width: 1440, height: 900 } });
  const page = await fresh.newPage();
  await page.goto(`${BASE}${path}`);
  await ready(page);
  const readyAt = await page.evaluate(() => performance.now());
  const files = await page.evaluate((readyAt) => performance.getEntriesByType('resource')
    .filter((e) => e.startTime <= readyAt && /\.(wasm|js|css)$/.test(new URL(e.name).pathname))
    .map((e) => ({ file: new URL(e.name).pathname.split('/').pop(), bytes: e.encodedBodySize, raw: e.decodedBodySize })), readyAt);
  await fresh.close();
  return { files, bytes: files.reduce((sum, f) => sum + f.bytes, 0) };
}

const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
const page = await context.newPage();
// The app's wasm exports, for the size of its linear memory (the JS heap does not include it).
await page.addInitScript(() => addEventListener('TrunkApplicationStarted', (e) => { window.__ccWasm = e.detail.wasm; }));
await page.goto(`${BASE}/`);
await page.getByLabel('Email').fill(process.env.REP_EMAIL);
await page.getByLabel('Password').fill(process.env.REP_PASSWORD);
await page.getByRole('button', { name: 'Sign in' }).click();
await page.locator('tr[data-email-id]').first().waitFor();
const result = {};
const step = (what) => process.stderr.write(`  browser: ${what}\n`);
step('signed in');

// The initial transfer: a signed-in rep opening the app (the inbox's first rows painted), and a
// new visitor (the sign-in form shown).
result.transfer_signed_in = await initialTransfer(await context.storageState(), '/',
  (p) => p.locator('tr[data-email-id]').first().waitFor());
result.transfer_sign_in_page = await initialTransfer(undefined, '/',
  (p) => p.getByLabel('Email').waitFor());
step('initial transfer');

// Navigation → the first page of rows painted, five times.
const firstRows = [];
for (let i = 0; i < 5; i++) {
  await page.goto(`${BASE}/emails/delivered`);
  firstRows.push(await page.evaluate(() => new Promise((resolve) => {
    const check = () => {
      const footer = document.querySelector('.cc-table-footer')?.textContent ?? '';
      const shown = Number((footer.match(/Showing ([\d,]+)/)?.[1] ?? '0').replace(/,/g, ''));
      if (document.querySelector('tr[data-email-id]') && shown >= 50) {
        requestAnimationFrame(() => resolve(performance.now()));
      } else requestAnimationFrame(check);
    };
    check();
  })));
}
step('first rows');
result.first_rows_painted_ms = { median: median(firstRows), all: firstRows };

// Switching sub tab: Delivered → Archived → Delivered, click to the new rows painted.
const switches = [];
for (let i = 0; i < 6; i++) {
  const name = i % 2 === 0 ? /^Archived/ : /^Delivered/;
  const tab = page.getByRole('tab', { name });
  const handle = await tab.elementHandle();
  switches.push(await page.evaluate((tab) => new Promise((resolve) => {
    const before = document.querySelector('tr[data-email-id]')?.dataset.emailId;
    const t0 = performance.now();
    tab.click();
    const check = () => {
      const first = document.querySelector('tr[data-email-id]')?.dataset.emailId;
      if (tab.getAttribute('aria-selected') === 'true' && first && first !== before) {
        requestAnimationFrame(() => resolve(performance.now() - t0));
      } else requestAnimationFrame(check);
    };
    check();
  }), handle));
}
step('sub tabs');
result.sub_tab_switch_ms = { median: median(switches), all: switches };

// 10,000 rows loaded by scrolling (infinite scroll, 50 at a time).
await page.getByRole('tab', { name: /^Delivered/ }).click();
const loadStart = Date.now();
await page.evaluate(async (rows) => {
  const box = document.querySelector('.cc-table-scroll');
  const shown = () => Number((document.querySelector('.cc-table-footer')?.textContent.match(/Showing ([\d,]+)/)?.[1] ?? '0').replace(/,/g, ''));
  while (shown() < rows) {
    box.scrollTop = box.scrollHeight;
    await new Promise((r) => setTimeout(r, 30));
  }
}, ROWS);
step('rows loaded');
result.load_rows = { rows: ROWS, ms: Date.now() - loadStart };
result.heap_mb_with_rows = await heapMb(page);
// Linear memory only grows: this is the most the wasm side has held so far.
result.wasm_memory_mb_with_rows = await page.evaluate(() => (window.__ccWasm?.memory.buffer.byteLength ?? NaN) / 1048576);
result.filter_keystroke_ms = await keystrokes(page, '.cc-filter input');
await page.evaluate(() => { const i = document.querySelector('.cc-filter input'); i.value = ''; i.dispatchEvent(new Event('input', { bubbles: true })); });
step('filtered');
result.scroll = await scrollThrough(page, '.cc-table-scroll', ROWS);

// The practical limit: the same rows, filtered and rendered (virtualized, 52 px rows) by a
// minimal hand-written page.
const rows = await page.evaluate(async ({ rows }) => {
  const token = localStorage.getItem('cc.token');
  let cursor = '';
  const out = [];
  while (out.length < rows) {
    const r = await fetch(`/api/v1/emails?folder=delivered&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: { authorization: `Bearer ${token}` } });
    const page = await r.json();
    out.push(...page.items.map((e) => [e.person.name, e.person.email, e.person.company, e.subject]));
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  return out.slice(0, rows);
}, { rows: ROWS });
const limit = await context.newPage();
await limit.setContent(`<input id="f"><div id="s" style="height:700px;overflow:auto"><table><tbody id="b"></tbody></table></div>`);
await limit.evaluate((rows) => {
  let shown = rows;
  const box = document.getElementById('s');
  const body = document.getElementById('b');
  const render = () => {
    const first = Math.floor(box.scrollTop / 52);
    const slice = shown.slice(first, first + 20);
    body.innerHTML = `<tr style="height:${first * 52}px"></tr>` + slice.map((r) => `<tr style="height:52px"><td>${r[0]}</td><td>${r[1]}</td><td>${r[2]}</td><td>${r[3]}</td></tr>`).join('') + `<tr style="height:${Math.max(0, shown.length - first - 20) * 52}px"></tr>`;
  };
  document.getElementById('f').addEventListener('input', (e) => {
    const needle = e.target.value.toLowerCase();
    shown = needle ? rows.filter((r) => r.some((f) => f.toLowerCase().includes(needle))) : rows;
    render();
  });
  box.addEventListener('scroll', render);
  render();
}, rows);
result.limit_filter_keystroke_ms = await keystrokes(limit, '#f');
result.limit_heap_mb_with_rows = await heapMb(limit);
result.limit_scroll = await scrollThrough(limit, '#s', ROWS);
await browser.close();
console.log(JSON.stringify(result));
