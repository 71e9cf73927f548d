// The pages every government service has, in Chromium: reached from the footer with JavaScript off,
// no axe-core WCAG 2.2 AA violation on any of them in Persian or English (signed-in "your data" too),
// and the monitoring module's own portal check finds contact details and a privacy policy on Panjereh.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { listen, testApp, type TestApp } from './helpers/app.ts';
import { axeViolations, CHROMIUM, describeViolations, launchBrowser } from './helpers/browser.ts';
import { citizenSession } from './helpers/people.ts';
import { PortalChecker } from '../src/modules/monitoring/monitoring.checks.ts';

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

const PAGES = ['privacy', 'accessibility', 'help', 'terms', 'cookies'];

async function signedInCookie() {
  const who = await citizenSession(t.ctx);
  const [name, value] = who.cookie.split('=');
  return [{ name, value, url: base }];
}

test('from the footer to each page and to "your data", with JavaScript off', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  await page.goto(`${base}/fa`);
  const footer = page.locator('footer nav');
  for (const [name, heading] of [
    ['حریم خصوصی', 'حریم خصوصی'],
    ['دسترس‌پذیری', 'بیانیه دسترس‌پذیری'],
    ['راهنما و تماس با ما', 'راهنما و تماس با ما'],
    ['شرایط استفاده', 'شرایط استفاده'],
    ['کوکی‌ها', 'کوکی‌ها'],
  ]) {
    await footer.getByRole('link', { name, exact: true }).click();
    assert.equal((await page.locator('h1').textContent())?.trim(), heading);
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  }
  await page.locator('footer nav').getByRole('link', { name: 'حریم خصوصی', exact: true }).click();
  await page.locator('main').getByRole('link', { name: 'اطلاعات من نزد پنجره' }).click();
  assert.match(page.url(), /\/fa\/sign-in\?next=%2Ffa%2Faccount%2Fmy-data/, 'signed out: sign in first');

  await context.addCookies(await signedInCookie());
  await page.goto(`${base}/en/account/my-data`);
  assert.equal((await page.locator('h1').textContent())?.trim(), 'Your data on Panjereh');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download your data' }).click();
  const file = await download;
  assert.match(file.suggestedFilename(), /^panjereh-my-data-\d{4}-\d{2}-\d{2}\.json$/);
  await context.close();
});

test('axe-core finds no WCAG 2.2 AA violation on the new pages, in Persian and English', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  await context.addCookies(await signedInCookie());
  const page = await context.newPage();
  const failures: string[] = [];
  for (const lang of ['fa', 'en'])
    for (const p of [...PAGES, 'account/my-data']) {
      const url = `/${lang}/${p}`;
      await page.goto(base + url);
      assert.equal(new URL(page.url()).pathname, url);
      const v = await axeViolations(page);
      if (v.length) failures.push(`${url}\n${describeViolations(v)}`);
    }
  await context.close();
  assert.deepEqual(failures, []);
});

test('the portal check (monitoring) finds contact details and a privacy policy on Panjereh’s own home page', async () => {
  const checker = new PortalChecker({ chromiumPath: CHROMIUM, timeoutMs: 20_000 });
  try {
    for (const lang of ['fa', 'en']) {
      const r = await checker.check(`${base}/${lang}`);
      assert.equal(r.reachable, true, r.error);
      assert.equal(r.contact, true, `${lang}: contact details`);
      assert.equal(r.privacy, true, `${lang}: privacy policy`);
      assert.equal(r.langDirOk, true);
    }
  } finally {
    await checker.close();
  }
});
