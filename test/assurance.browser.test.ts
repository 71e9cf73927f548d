// Identity assurance in Chromium with JavaScript off (issue 14): a service that needs substantial refuses
// a low sign-in with a page that says how to reach it; the step-up page checks the citizen's particulars
// with the civil registry and brings them back to the service. Every page axe-clean in Persian and English.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, describeViolations, launchBrowser } from './helpers/browser.ts';
import { exchangeFixture } from '../src/modules/exchange/exchange.fixture.ts';
import { listen } from './helpers/app.ts';
import { nationalId, sessionOf } from './helpers/people.ts';

let f: Awaited<ReturnType<typeof exchangeFixture>>;
let browser: Browser;
let base: string;

before(async () => {
  f = await exchangeFixture({ NOTIFICATIONS_WORKER: false });
  base = await listen(f.t);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await f?.close();
});

const SLUG = 'apply-for-a-student-loan';

async function signedIn(nid: string, mobile: string, locale: string) {
  const { token } = await sessionOf(f.t.ctx, nid, mobile);
  const cookies = [{ name: 'session', value: token, url: base }];
  const ctx = await browser.newContext({ javaScriptEnabled: false, locale });
  await ctx.addCookies(cookies);
  const axeCtx = await browser.newContext({ bypassCSP: true });
  await axeCtx.addCookies(cookies);
  const page = await ctx.newPage();
  page.setDefaultTimeout(5000);
  return { page, axePage: await axeCtx.newPage(), close: async () => (await ctx.close(), await axeCtx.close()) };
}

/** The page as shown (a POST's answer), and (when `both`) its GET address in both languages. */
async function axe(axePage: Page, page: Page, failures: string[], label: string, both: boolean) {
  if (!axePage.url().startsWith(base)) await axePage.goto(`${base}/robots.txt`); // the page's origin, so its stylesheet loads
  await axePage.setContent((await page.content()).replace('<head>', `<head><base href="${base}/">`), { waitUntil: 'load' });
  const shown = await axeViolations(axePage);
  if (shown.length) failures.push(`${label} (as shown)\n${describeViolations(shown)}`);
  if (!both) return;
  const url = new URL(page.url());
  for (const lang of ['fa', 'en']) {
    await axePage.goto(base + url.pathname.replace(/^\/(fa|en)/, `/${lang}`) + url.search);
    const v = await axeViolations(axePage);
    if (v.length) failures.push(`${label} ${lang}\n${describeViolations(v)}`);
  }
}

test('Persian: refused with how to reach substantial, the step-up with the civil registry, then the service starts (JavaScript off, axe-clean)', async () => {
  const failures: string[] = [];
  const s = await signedIn('0499370899', '09121234567', 'fa-IR');
  const { page } = s;
  await page.goto(`${base}/fa/services/${SLUG}`);
  assert.match(await page.locator('main').innerText(), /سطح اطمینان هویتی «متوسط» لازم است/);
  await page.goto(`${base}/fa/services/${SLUG}/apply`);
  await page.getByRole('button', { name: 'شروع' }).click();
  assert.match(await page.locator('h1').innerText(), /سطح ورود بالاتری لازم است/);
  await axe(s.axePage, page, failures, 'refusal', false);
  await page.getByRole('link', { name: 'بالا بردن سطح ورود' }).click();
  assert.match(page.url(), /\/fa\/account\/assurance\?next=/);
  assert.match(await page.locator('main').innerText(), /سطح ورود کنونی شما: «پایه»/);
  await axe(s.axePage, page, failures, 'step-up', true);
  // nothing filled in: what to fix, linked from the summary
  await page.getByRole('button', { name: 'تطبیق با ثبت احوال' }).click();
  assert.equal(await page.locator('.error-summary').count(), 1);
  assert.match(await page.title(), /^خطا: /);
  await axe(s.axePage, page, failures, 'step-up with errors', false);
  await page.getByLabel('روز').fill('۱');
  await page.getByLabel('ماه').fill('۱');
  await page.getByLabel('سال').fill('۱۳۶۹');
  await page.getByLabel('نام پدر').fill('علی');
  await page.getByLabel('سریال کارت ملی هوشمند').fill('6Q51869437'); // Maryam's card (demo-people.json)
  await page.getByLabel(/اجازه می‌دهم/).check();
  await page.getByRole('button', { name: 'تطبیق با ثبت احوال' }).click();
  assert.match(await page.locator('main').innerText(), /سطح ورود شما اکنون «متوسط» است/);
  await axe(s.axePage, page, failures, 'step-up done', false);
  await page.getByRole('link', { name: 'ادامه' }).click();
  assert.match(page.url(), new RegExp(`/fa/services/${SLUG}/apply$`));
  await page.getByRole('button', { name: 'شروع' }).click();
  assert.match(page.url(), /\/fa\/applications\/[0-9a-f-]{36}/);
  await s.close();
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

test('English: particulars that do not match say what to fix and how many tries are left (JavaScript off, axe-clean)', async () => {
  const failures: string[] = [];
  const s = await signedIn('0012345679', '09351112233', 'en-GB');
  const { page } = s;
  await page.goto(`${base}/en/account/assurance?next=${encodeURIComponent(`/en/services/${SLUG}/apply`)}`);
  await page.getByLabel('Day').fill('2');
  await page.getByLabel('Month').fill('7');
  await page.getByLabel('Year').fill('1986');
  await page.getByLabel('Father’s first name').fill('Hasan');
  await page.getByLabel('National smart card serial').fill('2A40865339');
  await page.getByLabel(/I agree/).check();
  await page.getByRole('button', { name: 'Check with the civil registry' }).click();
  assert.match(await page.locator('.error-summary').innerText(), /does not match the civil registry’s record.*2 more times/s);
  assert.equal(await page.getByLabel('Year').inputValue(), '1986', 'what was typed is kept');
  await axe(s.axePage, page, failures, 'mismatch', true);
  // someone unknown to the registry, and a service that needs an office visit
  const u = await signedIn(nationalId(777123), '09377123000', 'en-GB');
  await u.page.goto(`${base}/en/services/register-a-death/apply`);
  await u.page.getByRole('button', { name: 'Start now' }).click();
  assert.match(await u.page.locator('main').innerText(), /Go to a government counter office/);
  await axe(u.axePage, u.page, failures, 'high refusal', false);
  await u.close();
  await s.close();
  assert.deepEqual(failures, [], failures.join('\n\n'));
});
