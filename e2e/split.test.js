// The app arrives in pieces: the sign-in page first, then the inbox, each other page and dialog when first opened; a
// piece that cannot be downloaded says so and can be tried again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, eventually, launch, newPage, signIn } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/// The names of the wasm files the page has asked for so far.
function wasmRequests(page) {
  const names = [];
  page.on('request', (request) => {
    const name = new URL(request.url()).pathname.split('/').pop();
    if (name.endsWith('.wasm')) names.push(name);
  });
  return names;
}

test('the sign-in page downloads no signed-in page; the inbox neither the tasks nor the search page; each arrives when opened', async () => {
  const page = await newPage(browser);
  const fetched = wasmRequests(page);
  const piece = (name) => fetched.some((file) => file.startsWith(`split_${name}`));
  await page.goto(BASE_URL);
  await page.getByLabel('Password').waitFor();
  await page.waitForLoadState('networkidle');
  assert.ok(fetched.length > 0 && !piece('signed_in_app'), fetched.join(', '));
  await signIn(page, 'aiko@example.com');
  await page.locator('tr[data-email-id]').first().waitFor();
  assert.ok(piece('signed_in_app'), fetched.join(', '));
  assert.ok(!piece('tasks_page') && !piece('search_page'), fetched.join(', '));

  await page.getByRole('link', { name: 'Tasks' }).click();
  await page.getByRole('heading', { name: 'Tasks', level: 1 }).waitFor();
  assert.ok(piece('tasks_page'), fetched.join(', '));
  // The "Loading…" shown while the page's piece was on its way went with its arrival.
  const pieceStatus = page.locator('#cc-main > p.cc-status');
  assert.equal(await pieceStatus.count(), 1);
  assert.equal(await pieceStatus.isVisible(), false);
  assert.ok(!piece('search_page'), fetched.join(', '));

  await page.getByRole('link', { name: 'Search' }).click();
  await page.getByRole('heading', { name: 'Advanced search', level: 1 }).waitFor();
  assert.ok(piece('search_page'), fetched.join(', '));
  await page.context().close();
});

test('a dialog that cannot be downloaded says so, and Try again opens it once the network is back', async () => {
  const page = await newPage(browser);
  await page.route('**/split_compose_dialog*', (route) => route.abort('internetdisconnected'));
  await page.goto(BASE_URL);
  await signIn(page, 'aiko@example.com');
  await page.locator('tr[data-email-id]').first().waitFor();

  await page.getByRole('button', { name: 'New email' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'could not be downloaded' });
  await alert.waitFor();
  assert.equal(await page.getByRole('dialog', { name: 'New email' }).count(), 0);
  // The rest of the app still works.
  await page.getByRole('tab', { name: /^Pending/ }).click();
  await page.waitForURL('**/emails/scheduled');

  await page.unroute('**/split_compose_dialog*');
  await alert.getByRole('button', { name: 'Try again' }).click();
  const dialog = page.getByRole('dialog', { name: 'New email' });
  await dialog.waitFor();
  await dialog.getByLabel('Subject').fill('Back online');
  await eventually(async () => assert.equal(await dialog.getByLabel('Subject').inputValue(), 'Back online'));
  await page.context().close();
});
