import { launch, newPage, signIn, BASE_URL } from './helpers.js';
const browser = await launch();
for (const locale of ['en-US', 'ja-JP']) {
  const page = await newPage(browser);
  await page.setViewportSize({ width: 1280, height: 1800 });
  await page.goto(`${BASE_URL}/campaigns`);
  await signIn(page, locale === 'en-US' ? 'ben@example.com' : 'aiko@example.com');
  if (locale === 'ja-JP') { await page.locator('table.cc-campaign-table').waitFor(); await page.locator('.cc-locale select').selectOption('ja'); }
  await page.locator('table.cc-campaign-table tbody a').first().click();
  await page.locator('table.cc-funnel-table').waitFor();
  await page.screenshot({ path: `/tmp/campaign-${locale}.png`, fullPage: false });
  await page.goto(`${BASE_URL}/templates`);
  await page.locator('table.cc-template-table').waitFor();
  await page.screenshot({ path: `/tmp/templates-${locale}.png`, fullPage: false });
}
await browser.close();
