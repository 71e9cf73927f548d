// End to end in Chromium, JavaScript off: a citizen with a submitted application pays its fee by card at
// the sandbox bank (a real HTTP service on its own port): the application page's "Pay the fee", the pay
// page, the hand-over form to the bank (allowed by this page's CSP form-action), the bank's page with the
// test card, back through the callback to the outcome page, the receipt, and the application shown paid.
// A declined card ends on "did not go through" with a way to try again. Every page of ours is checked
// with axe-core (WCAG 2.2 AA) in Persian and English.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { listen, testApp, type TestApp } from './helpers/app.ts';
import { axeViolations, describeViolations, launchBrowser } from './helpers/browser.ts';
import { citizenSession, staffSession } from './helpers/people.ts';
import { startSandboxBank, type SandboxBank } from '../src/modules/payments/sandbox/sandbox.server.ts';

let t: TestApp;
let bank: SandboxBank;
let browser: Browser;
let base: string;
const SLUG = 'replace-birth-certificate'; // ir-nocr; a one-page form with a fee is published for the test

before(async () => {
  bank = await startSandboxBank(0);
  t = await testApp({ NOTIFICATIONS_WORKER: false, PAYMENTS_JOBS: false, PAYMENTS_GATEWAY_URL: bank.url });
  base = await listen(t);
  t.ctx.config.PUBLIC_URL = base; // callback URLs are built from PUBLIC_URL at call time
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await t?.close();
  await bank?.close();
});

const FORM = {
  service: SLUG,
  pages: [
    {
      id: 'reason',
      title: { fa: 'علت', en: 'Reason' },
      fields: [
        {
          name: 'reason',
          type: 'radio',
          label: { fa: 'علت', en: 'Reason' },
          options: [
            { value: 'lost', label: { fa: 'گم شده', en: 'Lost' } },
            { value: 'damaged', label: { fa: 'آسیب دیده', en: 'Damaged' } },
          ],
        },
      ],
    },
  ],
  fee: { due: 'submission', rule: { kind: 'bands', field: 'reason', bands: [{ equals: 'lost', amount: 2500000 }, { amount: 1000000 }] } },
};

async function submittedApplication() {
  assert.ok((await t.ctx.applications.publishForm(FORM, 'test')).ok);
  const who = await citizenSession(t.ctx);
  const citizen = { id: who.id, national_id: who.nationalId, mobile: who.mobile };
  const d = await t.ctx.applications.startDraft(citizen, SLUG, 'fa');
  await t.ctx.applications.saveAnswers(d, { reason: 'damaged' });
  const r = await t.ctx.applications.submit(citizen, d.id, d.submission_token);
  assert.ok('app' in r);
  return { who, id: d.id };
}

test('pay by card at the sandbox bank and by a declined card (fa, JavaScript off, axe-clean fa+en)', async () => {
  const failures: string[] = [];
  const checked = new Set<string>();
  const { who, id } = await submittedApplication();
  const [name, value] = who.cookie.split('=');
  const axeContext = await browser.newContext({ bypassCSP: true });
  await axeContext.addCookies([{ name, value, url: base }]);
  const axePage = await axeContext.newPage();
  const check = async (page: Page, label: string) => {
    const url = new URL(page.url());
    if (url.origin !== base) return;
    for (const lang of ['fa', 'en']) {
      const p = url.pathname.replace(/^\/(fa|en)/, `/${lang}`) + url.search;
      if (checked.has(p)) continue;
      checked.add(p);
      const res = await axePage.goto(base + p);
      if (res && res.status() >= 400) continue;
      const v = await axeViolations(axePage);
      if (v.length) failures.push(`${label} ${p}\n${describeViolations(v)}`);
    }
  };
  const checkShown = async (page: Page, label: string) => {
    await axePage.setContent((await page.content()).replace('<head>', `<head><base href="${base}/">`), { waitUntil: 'load' });
    const v = await axeViolations(axePage);
    if (v.length) failures.push(`${label} (as shown)\n${describeViolations(v)}`);
  };

  const ctx = await browser.newContext({ javaScriptEnabled: false, locale: 'fa-IR' });
  await ctx.addCookies([{ name, value, url: base }]);
  const page = await ctx.newPage();
  page.setDefaultTimeout(8000);

  // 1. a declined card
  await page.goto(`${base}/fa/applications/${id}`);
  await check(page, 'application page (unpaid)');
  await page.getByRole('link', { name: 'پرداخت هزینه' }).click();
  assert.match(await page.locator('main').innerText(), /۱٬۰۰۰٬۰۰۰ ریال/);
  assert.match(await page.locator('main').innerText(), /شناسه قبض/);
  await check(page, 'pay page');
  await page.getByRole('button', { name: 'پرداخت با کارت' }).click();
  await checkShown(page, 'hand-over page');
  await page.getByRole('button', { name: /ادامه در درگاه بانک/ }).click();
  assert.equal(new URL(page.url()).origin, bank.url, 'the CSP let the form post to the bank');
  await page.getByLabel(/6037-9900-0000-0002/).check();
  await page.getByRole('button', { name: /^پرداخت/ }).click();
  await page.getByRole('button', { name: /بازگشت به سایت پذیرنده/ }).click();
  assert.equal(new URL(page.url()).origin, base);
  assert.match(await page.locator('h1').innerText(), /پرداخت انجام نشد/);
  await check(page, 'outcome (declined)');

  // 2. try again, with the card that succeeds
  await page.getByRole('link', { name: 'دوباره پرداخت کنید' }).click();
  await page.getByRole('button', { name: 'پرداخت با کارت' }).click();
  await page.getByRole('button', { name: /ادامه در درگاه بانک/ }).click();
  await page.getByLabel(/6037-9900-0000-0001/).check();
  await page.getByRole('button', { name: /^پرداخت/ }).click();
  await page.getByRole('button', { name: /بازگشت به سایت پذیرنده/ }).click();
  assert.match(await page.locator('h1').innerText(), /پرداخت انجام شد/);
  const reference = (await page.locator('.reference').innerText()).trim();
  assert.match(reference, /^\d{12}$/);
  await check(page, 'outcome (paid)');
  // the receipt is a PDF
  const receiptHref = await page.getByRole('link', { name: /رسید پرداخت/ }).getAttribute('href');
  const receipt = await page.request.get(base + receiptHref!);
  assert.equal(receipt.headers()['content-type'], 'application/pdf');
  // the application shows it paid with the reference, on the page and in the timeline
  await page.getByRole('link', { name: 'پیگیری درخواست' }).click();
  const main = await page.locator('main').innerText();
  assert.match(main, /پرداخت‌شده/);
  assert.ok(main.includes(reference));
  await check(page, 'application page (paid)');
  await ctx.close();
  await axeContext.close();
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

test("the finance officer's pages (payments, treasury accounts, the accounts form with errors) are axe-clean in fa and en", async () => {
  const officer = await staffSession(t.ctx, 'finance-officer', 'ir-nocr');
  const [name, value] = officer.cookie.split('=');
  const ctx = await browser.newContext({ bypassCSP: true }); // axe-core is injected as a script
  await ctx.addCookies([{ name, value, url: base }]);
  const page = await ctx.newPage();
  const failures: string[] = [];
  for (const lang of ['fa', 'en']) {
    for (const p of [`/${lang}/staff/payments`, `/${lang}/staff/payments/accounts`]) {
      const res = await page.goto(base + p);
      assert.equal(res?.status(), 200, p);
      const v = await axeViolations(page);
      if (v.length) failures.push(`${p}\n${describeViolations(v)}`);
    }
    // the form sent with a wrong IBAN: the page with the error summary and the field's message
    await page.getByLabel(lang === 'fa' ? 'شماره شبا' : 'IBAN', { exact: true }).fill('IR00 1234');
    await page.getByRole('button', { name: lang === 'fa' ? 'ثبت حساب' : 'Save the account' }).click();
    assert.match(await page.locator('.error-summary').innerText(), lang === 'fa' ? /شبا/ : /IBAN/);
    const v = await axeViolations(page);
    if (v.length) failures.push(`${lang} accounts form with errors\n${describeViolations(v)}`);
  }
  await ctx.close();
  assert.deepEqual(failures, [], failures.join('\n\n'));
});
