// Citizens' requests end to end in Chromium, JavaScript off: a citizen makes an FOI request (first with
// mistakes: the error summary), sees it with its deadline; a tax officer sees it in the queue and on its
// page; once answered and published it is in the public register, and the agency's statistics page counts
// it. Persian and English; every page is checked with axe-core (WCAG 2.2 AA).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { listen, testApp, type TestApp } from './helpers/app.ts';
import { citizenSession, PNG, staffSession } from './helpers/people.ts';
import { launchBrowser, axeOfPage } from './helpers/browser.ts';

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

const axeOf = (page: Page, label: string, failures: string[]) => axeOfPage(browser, base, page, label, failures);

async function as(cookie: string, lang: 'fa' | 'en'): Promise<Page> {
  const ctx = await browser.newContext({ javaScriptEnabled: false, locale: lang === 'fa' ? 'fa-IR' : 'en-GB' });
  const [name, value] = cookie.split('=');
  await ctx.addCookies([{ name, value, url: base }]);
  const page = await ctx.newPage();
  page.setDefaultTimeout(8000);
  return page;
}

test('an FOI request from the form to the register and the agency statistics (fa and en, JavaScript off, axe-clean)', async () => {
  const failures: string[] = [];
  for (const lang of ['fa', 'en'] as const) {
    const en = lang === 'en';
    const me = await citizenSession(t.ctx);
    const page = await as(me.cookie, lang);
    await page.goto(`${base}/${lang}/requests`);
    await axeOf(page, `${lang} my requests (empty)`, failures);
    await page.getByRole('link', { name: en ? 'Make a request' : 'ثبت درخواست تازه' }).click();
    await axeOf(page, `${lang} make a request`, failures);
    await page.getByRole('button', { name: en ? 'Send request' : 'ثبت درخواست' }).click();
    assert.match(await page.title(), en ? /^Error:/ : /^خطا:/);
    assert.match(await page.locator('.error-summary').innerText(), en ? /Choose what kind of request/ : /نوع درخواست را انتخاب کنید/);
    await axeOf(page, `${lang} make a request (errors)`, failures);

    await page.selectOption('#kind', 'foi');
    await page.selectOption('#agencyId', 'ir-tax');
    await page.fill('#subject', en ? 'Tax audits by province' : 'حسابرسی‌های مالیاتی به تفکیک استان');
    await page.fill('#body', en ? 'How many audits were there in 1404, by province?' : 'در سال ۱۴۰۴ چند حسابرسی به تفکیک استان انجام شد؟');
    await page.getByRole('button', { name: en ? 'Send request' : 'ثبت درخواست' }).click();
    assert.match(page.url(), new RegExp(`/${lang}/requests/[0-9a-f-]{36}$`));
    const id = page.url().split('/').pop()!;
    assert.match(await page.locator('main').innerText(), en ? /Being dealt with/ : /در حال رسیدگی/);
    await axeOf(page, `${lang} one request`, failures);

    const officer = await staffSession(t.ctx, 'operator', 'ir-tax');
    const desk = await as(officer.cookie, lang);
    await desk.goto(`${base}/${lang}/staff/requests`);
    assert.match(await desk.locator('main').innerText(), en ? /Tax audits by province/ : /حسابرسی‌های مالیاتی/);
    await axeOf(desk, `${lang} staff queue`, failures);
    await desk.goto(`${base}/${lang}/staff/requests/${id}`);
    await axeOf(desk, `${lang} staff request page`, failures);
    await desk.fill(
      '#partial-text',
      en ? 'Totals are given; figures by province are withheld.' : 'جمع کل داده شد؛ ارقام استانی داده نمی‌شود.',
    );
    await desk.selectOption('#partial-exemption', 'art17-commercial');
    await desk.fill('#partial-publicSubject', en ? 'Audits in 1404' : 'حسابرسی‌های ۱۴۰۴');
    await desk.fill('#partial-publicText', en ? '12,400 audits in total.' : 'در مجموع ۱۲٬۴۰۰ حسابرسی.');
    // the answer's file goes with the form, without JavaScript (multipart)
    await desk.setInputFiles('#partial-attachment', { name: 'totals.png', mimeType: 'image/png', buffer: PNG });
    await desk.getByRole('button', { name: en ? 'Answer with a partial refusal' : 'پاسخ با امتناع جزئی' }).click();
    assert.match(await desk.locator('main').innerText(), en ? /Answered with a partial refusal/ : /پاسخ با امتناع جزئی/);

    const oversight = await staffSession(t.ctx, 'oversight-analyst', null);
    const ov = await as(oversight.cookie, lang);
    await ov.goto(`${base}/${lang}/staff/requests/${id}`);
    await ov.getByRole('button', { name: en ? 'Publish in the register' : 'انتشار در فهرست عمومی' }).click();

    await page.goto(`${base}/${lang}/foi`);
    assert.match(await page.locator('main').innerText(), en ? /12,400 audits in total/ : /۱۲٬۴۰۰ حسابرسی/);
    assert.match(await page.locator('main').innerText(), en ? /Audits in 1404/ : /حسابرسی‌های ۱۴۰۴/);
    assert.doesNotMatch(await page.locator('main').innerText(), en ? /Tax audits by province/ : /به تفکیک استان/);
    await axeOf(page, `${lang} FOI register`, failures);
    await page.goto(`${base}/${lang}/requests/${id}`);
    assert.match(await page.locator('main').innerText(), /totals\.png/);
    await axeOf(page, `${lang} request with the answer's file`, failures);
    await page.goto(`${base}/${lang}/agencies/ir-tax/requests`);
    await axeOf(page, `${lang} agency statistics`, failures);
    const admin = await as((await staffSession(t.ctx, 'agency-admin', 'ir-tax')).cookie, lang);
    await admin.goto(`${base}/${lang}/staff/requests/deadlines`);
    await axeOf(admin, `${lang} agency deadlines`, failures);
    await admin.context().close();
    await page.context().close();
    await desk.context().close();
    await ov.context().close();
  }
  assert.deepEqual(failures, [], failures.join('\n\n'));
});
