// Prefill with consent in Chromium with JavaScript off: the consent page, "Yes, fetch it" filling the
// form from the civil registry through the exchange, "No, I'll type it" fetching nothing; every page
// checked with axe-core (WCAG 2.2 AA) in Persian and English.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, describeViolations, launchBrowser } from './helpers/browser.ts';
import { exchangeFixture } from '../src/modules/exchange/exchange.fixture.ts';
import { listen } from './helpers/app.ts';
import { sessionOf } from './helpers/people.ts';

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

const SLUG = 'replace-birth-certificate';

async function signedIn(nationalId: string, mobile: string) {
  const { token } = await sessionOf(f.t.ctx, nationalId, mobile);
  const cookies = [{ name: 'session', value: token, url: base }];
  const ctx = await browser.newContext({ javaScriptEnabled: false, locale: 'fa-IR' });
  await ctx.addCookies(cookies);
  const axeCtx = await browser.newContext({ bypassCSP: true });
  await axeCtx.addCookies(cookies);
  const page = await ctx.newPage();
  page.setDefaultTimeout(5000);
  return { page, axePage: await axeCtx.newPage(), close: async () => (await ctx.close(), await axeCtx.close()) };
}

async function axeBoth(axePage: Page, page: Page, failures: string[], label: string) {
  if (await page.locator('.error-summary').count()) {
    await axePage.setContent((await page.content()).replace('<head>', `<head><base href="${base}/">`), { waitUntil: 'load' });
    const v = await axeViolations(axePage);
    if (v.length) failures.push(`${label} (as shown)\n${describeViolations(v)}`);
  }
  const url = new URL(page.url());
  for (const lang of ['fa', 'en']) {
    await axePage.goto(base + url.pathname.replace(/^\/(fa|en)/, `/${lang}`) + url.search);
    const v = await axeViolations(axePage);
    if (v.length) failures.push(`${label} ${lang}\n${describeViolations(v)}`);
  }
}

async function toParticulars(page: Page) {
  await page.goto(`${base}/fa/services/${SLUG}/apply`);
  await page.getByRole('button', { name: 'شروع' }).click();
  // national ID and mobile come from the profile; the next page draws on the civil registry: consent first
  await page.goto(page.url().replace(/\/questions\/.*$/, '') + '/questions/particulars');
  assert.match(page.url(), /\/questions\/particulars\/prefill\?source=civil-registry$/);
}

test('yes: the consent page says what, from whom and why; the answers come from the registry (JavaScript off, axe-clean fa+en)', async () => {
  const failures: string[] = [];
  const s = await signedIn('0499370899', '09121234567');
  const { page } = s;
  await toParticulars(page);
  assert.match(await page.locator('h1').innerText(), /سازمان ثبت احوال کشور/);
  assert.match(
    (await page.getByRole('link', { name: 'بازگشت' }).getAttribute('href'))!,
    /\/questions\/applicant$/,
    'back to the page before',
  );
  assert.match(await page.locator('main').innerText(), /نام و نام خانوادگی، نام پدر، تاریخ تولد، محل تولد/);
  await axeBoth(s.axePage, page, failures, 'consent');
  await page.getByRole('button', { name: 'ادامه' }).click();
  assert.equal(await page.locator('.error-summary').count(), 1, 'neither chosen: an error');
  assert.match(await page.title(), /^خطا: /);
  await axeBoth(s.axePage, page, failures, 'consent with an error');
  await page.getByLabel('بله، بگیرید').check();
  await page.getByRole('button', { name: 'ادامه' }).click();
  assert.match(page.url(), /\/questions\/particulars$/);
  const main = await page.locator('main').innerText();
  assert.match(main, /مریم احمدی/);
  assert.match(main, /علی/);
  assert.match(main, /اینجا تغییر نمی‌کند/, 'locked fields say so');
  assert.equal(await page.getByLabel(/محل تولد/).inputValue(), 'تهران', 'an editable prefilled field');
  await axeBoth(s.axePage, page, failures, 'prefilled page');
  await page.getByRole('button', { name: 'ادامه' }).click();
  assert.match(page.url(), /\/questions\/reason$/);
  // the request is on the citizen's data-use page
  await page.goto(`${base}/en/account/data-use`);
  assert.match(await page.locator('main').innerText(), /Prefill of application form replace-birth-certificate/);
  await s.close();
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

test('no: nothing is fetched, the citizen types the answers (JavaScript off, axe-clean fa+en)', async () => {
  const failures: string[] = [];
  const s = await signedIn('0012345679', '09351112233');
  const before = Number(
    (
      await f.t.ctx.database.db
        .selectFrom('exchange_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  const { page } = s;
  await toParticulars(page);
  await page.getByLabel('نه، خودم می‌نویسم').check();
  await page.getByRole('button', { name: 'ادامه' }).click();
  assert.match(page.url(), /\/questions\/particulars$/);
  assert.equal(await page.getByLabel('نام و نام خانوادگی').inputValue(), '');
  await axeBoth(s.axePage, page, failures, 'typed page');
  await page.getByLabel('نام و نام خانوادگی').fill('رضا محمدی');
  await page.getByLabel('نام پدر').fill('حسن');
  await page.getByLabel('روز').fill('2');
  await page.getByLabel('ماه').fill('4');
  await page.getByLabel('سال').fill('1364');
  await page.getByLabel('محل تولد').fill('مشهد');
  await page.getByRole('button', { name: 'ادامه' }).click();
  assert.match(page.url(), /\/questions\/reason$/);
  const after = Number(
    (
      await f.t.ctx.database.db
        .selectFrom('exchange_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  assert.equal(after, before, 'no exchange call');
  await s.close();
  assert.deepEqual(failures, [], failures.join('\n\n'));
});
