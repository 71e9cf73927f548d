// The staff workspace in Chromium (issue 17 §4): an operator with JavaScript off sees the staff shell,
// approves an application through the confirmation page and reads the success banner; axe-core finds no
// WCAG 2.2 AA violation on the staff home, an application, the confirmation page, the audit log and the
// authenticator page (with its QR code), fa and en.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext } from 'playwright-core';
import { listen, testApp, type TestApp } from './helpers/app.ts';
import { axeViolations, describeViolations, launchBrowser } from './helpers/browser.ts';
import { citizenSession, staffSession } from './helpers/people.ts';

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

async function submitted() {
  const who = await citizenSession(t.ctx);
  const citizen = { id: who.id, national_id: who.nationalId, mobile: who.mobile };
  const draft = await t.ctx.applications.startDraft(citizen, 'certificate-of-single-status', 'fa');
  await t.ctx.applications.saveAnswers(draft, { fullName: 'مریم احمدی', purpose: 'employment', email: 'maryam@example.ir' });
  const r = await t.ctx.applications.submit(citizen, draft.id, draft.submission_token);
  assert.ok('app' in r);
  return (r as { app: { id: string; reference: string } }).app;
}

async function signedIn(role: 'operator' | 'platform-admin', agency: string | null, javaScriptEnabled: boolean): Promise<BrowserContext> {
  const context = await browser.newContext({ javaScriptEnabled, bypassCSP: true });
  const [name, value] = (await staffSession(t.ctx, role, agency, role === 'operator' ? 'Zahra Karimi' : 'Reza Admin')).cookie.split('=');
  await context.addCookies([{ name, value, url: base }]);
  return context;
}

test('an operator (JavaScript off) works in the staff shell and approves through the confirmation page', async () => {
  const app = await submitted();
  const context = await signedIn('operator', 'ir-nocr', false);
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  await page.goto(`${base}/fa/staff`);
  const header = page.locator('header.staff-header');
  assert.match(await header.innerText(), /Zahra Karimi/);
  assert.equal(await page.getByRole('link', { name: 'درخواست‌های من' }).count(), 0, 'no citizen header');
  await header.getByRole('link', { name: 'صف درخواست‌ها' }).click();
  await page
    .getByRole('link', { name: new RegExp(app.reference) })
    .first()
    .click();
  await page.getByRole('button', { name: 'پذیرفتن درخواست' }).click();
  assert.equal(await page.locator('h1').innerText(), 'این درخواست را می‌پذیرید؟');
  assert.equal((await t.ctx.applications.backoffice.forAgency(app.id)).status, 'submitted');
  await page.getByRole('button', { name: 'بله، درخواست را بپذیر' }).click();
  assert.match(await page.locator('#done').innerText(), /درخواست پذیرفته شد/);
  assert.equal((await t.ctx.applications.backoffice.forAgency(app.id)).status, 'approved');
  // sign-out from the shell
  await page.locator('header.staff-header').getByRole('button', { name: 'خروج' }).click();
  assert.match(page.url(), /\/fa\/staff\/sign-in/);
  await context.close();
});

test('axe-core: staff shell pages, the confirmation page, the audit log and the authenticator page, fa and en', async () => {
  const app = await submitted();
  const failures: string[] = [];
  const op = await signedIn('operator', 'ir-nocr', true);
  const admin = await signedIn('platform-admin', null, true);
  const opPage = await op.newPage();
  const adminPage = await admin.newPage();
  for (const p of [opPage, adminPage]) p.setDefaultTimeout(5000);
  const check = async (page: typeof opPage, label: string) => {
    const v = await axeViolations(page);
    if (v.length) failures.push(`${label}: ${describeViolations(v)}`);
  };
  for (const lang of ['fa', 'en'] as const) {
    await opPage.goto(`${base}/${lang}/staff`);
    await check(opPage, `${lang} staff home`);
    await opPage.goto(`${base}/${lang}/staff/applications/${app.id}`);
    await check(opPage, `${lang} application`);
    await opPage.locator('form[action$="/approve"] button').click();
    await check(opPage, `${lang} confirmation`);
    await opPage.goto(`${base}/${lang}/staff/account/authenticator`);
    assert.equal(await opPage.locator('svg.qr-code').count(), 1);
    await check(opPage, `${lang} authenticator with QR code`);
    await adminPage.goto(`${base}/${lang}/staff/audit`);
    await check(adminPage, `${lang} audit log`);
  }
  await op.close();
  await admin.close();
  assert.deepEqual(failures, []);
});
