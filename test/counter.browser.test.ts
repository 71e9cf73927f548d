// End to end in Chromium, JavaScript off: a counter office operator applies for a walk-in citizen. The
// desk texts the citizen a code; the operator types it; the citizen's own form pages open for that one
// service (anything else is refused with its code); after "Accept and send" the operator's session page
// shows the reference, the government fee and the counter fee apart. The platform administrator's office
// list shows the office's count. Persian and English; every page checked with axe-core (WCAG 2.2 AA).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { listen, testApp, type TestApp } from './helpers/app.ts';
import { nationalId, staffSession } from './helpers/people.ts';
import { launchBrowser, axeOfPage } from './helpers/browser.ts';
import { DEMO_OFFICES } from '../src/modules/counter/counter.demo.ts';

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

function codeTextedTo(mobile: string): string {
  const lines = fs
    .readFileSync(path.join(t.ctx.config.DATA_DIR, 'outbox', 'sms.jsonl'), 'utf8')
    .trim()
    .split('\n');
  const last = lines
    .map((l) => JSON.parse(l) as { to: string; text: string })
    .filter((m) => m.to === mobile)
    .at(-1);
  return last!.text.match(/#(\d{6})/)![1];
}

test('an operator applies for a walk-in citizen with the SMS code; refusals say why; fees shown apart (fa and en, JavaScript off, axe-clean)', async () => {
  const failures: string[] = [];
  let n = 0;
  for (const lang of ['fa', 'en'] as const) {
    const op = await staffSession(t.ctx, 'counter-operator', null, `Desk ${lang}`);
    await t.ctx.counter.service.attachOperator(op.id, DEMO_OFFICES[0].code, 'test');
    const ctx = await browser.newContext({ javaScriptEnabled: false, locale: lang === 'fa' ? 'fa-IR' : 'en-GB' });
    await ctx.addCookies([{ name: 'staff', value: op.cookie.split('=')[1], url: base }]);
    const page = await ctx.newPage();
    page.setDefaultTimeout(8000);
    const who = { nid: nationalId(880000 + n), mobile: `0936${String(2000000 + n++).padStart(7, '0')}` };

    await page.goto(`${base}/${lang}/staff/counter`);
    await axeOf(page, `${lang} desk`, failures);
    // bad input first: the page says what to fix and keeps what was typed
    await page.getByLabel(lang === 'fa' ? 'کد ملی شهروند' : "The citizen's national ID").fill('1234567890');
    await page.getByRole('button', { name: lang === 'fa' ? 'فرستادن کد به شهروند' : 'Text the code to the citizen' }).click();
    assert.match(await page.locator('.error-summary').innerText(), lang === 'fa' ? /رقم کنترل/ : /check digit/);
    await axeOf(page, `${lang} desk with errors`, failures);
    await page.getByLabel(lang === 'fa' ? 'کد ملی شهروند' : "The citizen's national ID").fill(who.nid);
    await page.getByLabel(lang === 'fa' ? 'شماره همراه شهروند' : "The citizen's mobile number").fill(who.mobile);
    await page.getByLabel(lang === 'fa' ? 'خدمت' : 'Service', { exact: true }).selectOption('certificate-of-single-status');
    await page.getByRole('button', { name: lang === 'fa' ? 'فرستادن کد به شهروند' : 'Text the code to the citizen' }).click();
    assert.match(page.url(), new RegExp(`/${lang}/staff/counter/sessions/[0-9a-f-]{36}$`));
    const sessionUrl = page.url();
    await axeOf(page, `${lang} code form`, failures);
    await page.getByLabel(lang === 'fa' ? 'کد ۶ رقمی' : '6-digit code').fill(codeTextedTo(who.mobile));
    await page.getByRole('button', { name: lang === 'fa' ? 'تأیید و آغاز درخواست' : 'Confirm and start the application' }).click();
    // the citizen's draft opens at its first unanswered page (their national ID and mobile are filled in)
    assert.match(page.url(), new RegExp(`/${lang}/applications/[0-9a-f-]{36}/questions/name$`));
    const appUrl = page.url().replace(/\/questions\/name$/, '');

    // out of scope: the citizen's e-box is refused with its code
    const refused = await page.goto(`${base}/${lang}/ebox`);
    assert.equal(refused?.status(), 403);
    assert.match(await page.locator('main').innerText(), /COUNTER_OUT_OF_SCOPE/);
    await axeOf(page, `${lang} refusal`, failures);

    // the citizen's own form pages
    const next = () => page.getByRole('button', { name: lang === 'fa' ? 'ادامه' : 'Continue' }).click();
    await page.goto(`${appUrl}/questions/name`);
    await page.getByLabel(lang === 'fa' ? 'نام و نام خانوادگی' : 'Full name').fill(lang === 'fa' ? 'سارا احمدی' : 'Sara Ahmadi');
    await next();
    await page
      .getByLabel(lang === 'fa' ? 'این گواهی را برای چه می‌خواهید؟' : 'What do you need the certificate for?')
      .selectOption('employment');
    await next();
    await next();
    assert.match(page.url(), /\/check$/);
    await page.getByRole('button', { name: lang === 'fa' ? 'پذیرش و فرستادن درخواست' : 'Accept and send application' }).click();
    assert.equal(page.url(), sessionUrl);
    const main = await page.locator('main').innerText();
    assert.match(main, lang === 'fa' ? /کارمزد دفتر پیشخوان/ : /Counter office fee \(separate\)/);
    assert.match(main, lang === 'fa' ? /هزینه دولتی خدمت/ : /Government fee/);
    assert.match(main, /PJ-[A-HJ-NPR-Y2-9]{4}-[A-HJ-NPR-Y2-9]{4}/);
    await axeOf(page, `${lang} submitted`, failures);
    await ctx.close();
  }

  // the platform administrator's office list counts them
  const admin = await staffSession(t.ctx, 'platform-admin', null);
  for (const lang of ['fa', 'en'] as const) {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    await ctx.addCookies([{ name: 'staff', value: admin.cookie.split('=')[1], url: base }]);
    const page = await ctx.newPage();
    await page.goto(`${base}/${lang}/staff/counter/offices`);
    assert.match(await page.locator('tbody tr').first().innerText(), lang === 'fa' ? /۲/ : /\b2\b/);
    await axeOf(page, `${lang} offices`, failures);
    await ctx.close();
  }
  assert.deepEqual(failures, [], failures.join('\n\n'));
});
