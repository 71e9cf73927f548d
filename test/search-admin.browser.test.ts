// The search staff pages in Chromium: an editor adds a dictionary word with JavaScript off, a citizen's
// search finds the card through it and the search shows on the queries page; axe-core finds no WCAG 2.2 AA
// violation on the dictionary (with and without errors), an entry's edit page and the queries page, fa and en.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext } from 'playwright-core';
import { listen, testApp, type TestApp } from './helpers/app.ts';
import { axeViolations, describeViolations, launchBrowser } from './helpers/browser.ts';
import { staffSession } from './helpers/people.ts';

let t: TestApp;
let browser: Browser;
let base: string;

before(async () => {
  t = await testApp();
  base = await listen(t);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await t?.close();
});

async function signedIn(javaScriptEnabled: boolean): Promise<BrowserContext> {
  const context = await browser.newContext({ javaScriptEnabled, bypassCSP: true });
  const [name, value] = (await staffSession(t.ctx, 'service-editor', 'ir-moh')).cookie.split('=');
  await context.addCookies([{ name, value, url: base }]);
  return context;
}

test('an editor adds a word with JavaScript off; search finds the card through it; the search is counted', async () => {
  const context = await signedIn(false);
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  await page.goto(`${base}/fa/search?q=${encodeURIComponent('ساندویچ')}`);
  await page.goto(`${base}/fa/staff/search/queries`);
  await page.getByRole('link', { name: 'افزودن به واژه‌نامه ساندویچ' }).first().click();
  assert.equal(await page.getByLabel('واژه‌ای که مردم جست‌وجو می‌کنند').inputValue(), 'ساندویچ');
  await page.getByRole('button', { name: 'افزودن' }).click();
  assert.match((await page.title()) ?? '', /^خطا/, 'no expansion: an error page');
  assert.ok(await page.locator('.error-summary a[href="#expansions"]').isVisible());
  await page.getByLabel('واژه‌هایی که به جای آن هم جست‌وجو شود (هر کدام در یک سطر)').fill('مواد غذایی');
  await page.getByRole('button', { name: 'افزودن' }).click();
  assert.match(await page.locator('[role=status]').innerText(), /افزوده شد/);
  await page.goto(`${base}/fa/search?q=${encodeURIComponent('ساندویچ')}`);
  assert.match(await page.locator('.card-list li h3 a').first().innerText(), /مواد غذایی/);
  await context.close();
});

test('axe-core: the search staff pages in both languages, with and without errors', async () => {
  const context = await signedIn(true);
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  const failures: string[] = [];
  const check = async (label: string) => {
    const v = await axeViolations(page);
    if (v.length) failures.push(`${label}: ${describeViolations(v)}`);
  };
  await page.goto(`${base}/en/search?q=passport`);
  await page.goto(`${base}/en/search?q=qwertyuiop`);
  for (const lang of ['fa', 'en']) {
    await page.goto(`${base}/${lang}/staff/search/dictionary`);
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    await check(`${lang} dictionary`);
    await page.locator('form[action$="/staff/search/dictionary"] button[type=submit]').click();
    assert.ok(await page.locator('.error-summary').count(), 'the error summary shows');
    await check(`${lang} dictionary with errors`);
    await page.goto(`${base}/${lang}/staff/search/dictionary`);
    await page.locator('table a[href*="/staff/search/dictionary/"]').first().click();
    await check(`${lang} edit`);
    await page.locator('#expansions').fill('');
    await page.locator('form[action*="/staff/search/dictionary/"]:not([action$="/delete"]) button[type=submit]').click();
    assert.ok(await page.locator('.error-summary').count(), 'the error summary shows on the edit page');
    await check(`${lang} edit with errors`);
    await page.goto(`${base}/${lang}/staff/search/queries`);
    await check(`${lang} queries`);
  }
  assert.equal(failures.length, 0, failures.join('\n\n'));
  await context.close();
});
