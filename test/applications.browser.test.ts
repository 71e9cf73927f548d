// End to end in Chromium, in Persian, with JavaScript off: a citizen applies online with an upload, an
// operator asks for more information, the citizen answers with a file and resubmits, the operator
// approves, the citizen reads the e-box and rates the service. Every page the journey passes through
// is checked with axe-core (WCAG 2.2 AA) in both languages.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { listen, testApp, type TestApp } from './helpers/app.ts';
import { axeViolations, describeViolations, launchBrowser } from './helpers/browser.ts';
import { citizenSession, PDF, PNG, staffSession } from './helpers/people.ts';

let t: TestApp;
let browser: Browser;
let base: string;

before(async () => {
  t = await testApp({ NOTIFICATIONS_WORKER: false });
  base = await listen(t);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await t?.close();
});

const SLUG = 'get-a-food-handler-health-card'; // ir-moh

test('apply with an upload, answer a request for information, get approved, read the e-box and rate (fa, JavaScript off, axe-clean fa+en)', async () => {
  const citizen = await citizenSession(t.ctx);
  const operator = await staffSession(t.ctx, 'operator', 'ir-moh', 'Officer Karimi');
  const cookie = (c: string) => {
    const [name, value] = c.split('=');
    return [{ name, value, url: base }];
  };
  const failures: string[] = [];
  const checked = new Set<string>();
  const axeContext = await browser.newContext({ bypassCSP: true });
  const axePage = await axeContext.newPage();
  await axeContext.addCookies([...cookie(citizen.cookie), ...cookie(operator.cookie)]);
  /** axe on the page as it is now (errors included) and on the same address in the other language. */
  const check = async (page: Page, label: string) => {
    if (await page.locator('.error-summary').count()) {
      // a page showing errors exists only as the answer to a POST: check the very HTML the browser got
      await axePage.setContent((await page.content()).replace('<head>', `<head><base href="${base}/">`), { waitUntil: 'load' });
      const v = await axeViolations(axePage);
      if (v.length) failures.push(`${label} (as shown) ${page.url()}\n${describeViolations(v)}`);
    }
    const url = new URL(page.url());
    for (const lang of ['fa', 'en']) {
      const p = url.pathname.replace(/^\/(fa|en)/, `/${lang}`) + url.search;
      if (checked.has(p)) continue;
      checked.add(p);
      const res = await axePage.goto(base + p);
      if (res && res.status() >= 400) continue; // pages that only exist in a state already passed
      const found = await axeViolations(axePage);
      if (found.length) failures.push(`${label} ${p}\n${describeViolations(found)}`);
      assert.equal(await axePage.getAttribute('html', 'lang'), lang);
    }
  };

  const ctxCitizen: BrowserContext = await browser.newContext({ javaScriptEnabled: false, locale: 'fa-IR' });
  await ctxCitizen.addCookies(cookie(citizen.cookie));
  const page = await ctxCitizen.newPage();
  page.setDefaultTimeout(5000);

  await page.goto(`${base}/fa/services/${SLUG}`);
  await check(page, 'service card');
  await page.getByRole('link', { name: 'درخواست برخط' }).click();
  assert.equal(new URL(page.url()).pathname, `/fa/services/${SLUG}/apply`);
  await check(page, 'start page');
  await page.getByRole('button', { name: 'شروع' }).click();
  // the national ID and mobile come from the profile, so the first question is the name
  assert.match(page.url(), /\/questions\/name$/);
  await check(page, 'question: name');
  assert.equal(await page.locator('h1').textContent(), 'نام و نام خانوادگی');
  await page.getByLabel('نام و نام خانوادگی').fill('زهرا كريمي');
  await page.getByRole('button', { name: 'ادامه' }).click();

  assert.match(page.url(), /\/questions\/workplace$/);
  await page.getByRole('button', { name: 'ادامه' }).click();
  assert.match(await page.title(), /^خطا: /);
  assert.equal(await page.locator('.error-summary a').count(), 2);
  await check(page, 'question with errors');
  await page.getByLabel('نام محل کار').fill('رستوران گلستان');
  await page.getByLabel('کد پستی محل کار').fill('۱۳۱۷۶۵۳۷۱۸');
  await page.getByRole('button', { name: 'ادامه' }).click();

  assert.match(page.url(), /\/questions\/photo$/);
  await check(page, 'question: upload');
  await page.getByLabel('عکس', { exact: true }).setInputFiles({ name: 'عکس من.png', mimeType: 'image/png', buffer: PNG });
  await page.getByRole('button', { name: 'ادامه' }).click();
  assert.match(page.url(), /\/questions\/email$/);
  await page.getByRole('button', { name: 'ادامه' }).click();

  assert.match(page.url(), /\/check$/);
  await check(page, 'check your answers');
  assert.match((await page.locator('main').textContent())!, /زهرا کریمی/);
  assert.match((await page.locator('main').textContent())!, /عکس من\.png/);
  await page.getByRole('button', { name: 'پذیرش و فرستادن درخواست' }).click();
  assert.match(page.url(), /\/confirmation$/);
  await check(page, 'confirmation');
  const reference = (await page.locator('.reference').textContent())!.trim();
  assert.match(reference, /^PJ-[A-HJ-NPR-Y2-9]{4}-[A-HJ-NPR-Y2-9]{4}$/);
  const appId = page.url().split('/').at(-2)!;

  await page.getByRole('link', { name: 'همه درخواست‌های من' }).click();
  await check(page, 'my applications');
  assert.match((await page.locator('main').textContent())!, new RegExp(reference));

  // the operator asks for more information
  const ctxStaff = await browser.newContext({ javaScriptEnabled: false, locale: 'fa-IR' });
  await ctxStaff.addCookies(cookie(operator.cookie));
  const staff = await ctxStaff.newPage();
  staff.setDefaultTimeout(5000);
  await staff.goto(`${base}/fa/staff`);
  await staff.locator('#main').getByRole('link', { name: 'صف درخواست‌ها' }).click();
  await check(staff, 'queue');
  await staff.getByRole('link', { name: reference }).click();
  await check(staff, 'application (staff)');
  await staff.getByRole('button', { name: 'برداشتن این درخواست برای خودم' }).click();
  await staff.getByLabel('درخواست اطلاعات بیشتر از متقاضی').fill('لطفاً گواهی پایان دوره بهداشت عمومی را بفرستید.');
  await staff.getByRole('button', { name: 'فرستادن درخواست اطلاعات' }).click();
  assert.match((await staff.locator('main').textContent())!, /نیاز به اطلاعات بیشتر/);

  // the citizen answers with a file and resubmits
  await page.goto(`${base}/fa/applications/${appId}`);
  await check(page, 'application with a request');
  assert.match((await page.locator('main').textContent())!, /گواهی پایان دوره بهداشت عمومی/);
  await page.getByLabel('پاسخ شما').fill('گواهی پیوست شد.');
  await page.getByLabel('پیوست (اختیاری)').setInputFiles({ name: 'گواهی.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByRole('button', { name: 'فرستادن پاسخ' }).click();
  assert.match((await page.locator('main').textContent())!, /پاسخ داده شده/);

  // the operator approves
  await staff.reload();
  assert.match((await staff.locator('main').textContent())!, /گواهی پیوست شد/);
  await staff.getByRole('button', { name: 'پذیرفتن درخواست' }).click();
  await check(staff, 'confirm the approval');
  await staff.getByRole('button', { name: 'بله، درخواست را بپذیر' }).click();
  assert.match((await staff.locator('main').textContent())!, /پذیرفته شد/);
  await staff.goto(`${base}/fa/staff/applications/stats`);
  await check(staff, 'statistics');

  // the citizen reads the e-box and rates the service
  await page.goto(`${base}/fa/ebox`);
  await check(page, 'e-box');
  await page.getByRole('link', { name: new RegExp(`درخواست ${reference} پذیرفته شد`) }).click();
  await check(page, 'e-box message');
  assert.match((await page.locator('main').textContent())!, /درخواست شما پذیرفته شد/);
  await page.getByRole('link', { name: 'دیدن درخواست' }).click();
  await check(page, 'decided application with rating form');
  await page.getByLabel('۵', { exact: true }).check();
  await page.getByLabel('توضیح (اختیاری)').fill('ساده و سریع بود');
  await page.getByRole('button', { name: 'فرستادن امتیاز' }).click();
  assert.match((await page.locator('main').textContent())!, /از امتیاز شما/);

  // the agency sees when the decision was read
  await staff.goto(`${base}/fa/staff/applications/${appId}`);
  assert.match((await staff.locator('main').textContent())!, /خوانده شده/);
  await ctxCitizen.close();
  await ctxStaff.close();
  await axeContext.close();
  assert.equal(failures.length, 0, failures.join('\n\n'));
});
