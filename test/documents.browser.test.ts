// The document check in a real browser: a citizen types a code from a paper certificate and checks
// the PDF they hold, with JavaScript off; axe-core finds no WCAG 2.2 AA violation on the verify pages
// (fa and en, every outcome) nor on the staff pages for documents, API keys and webhooks.
import { after, before, test } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { authenticator } from 'otplib';
import { listen, testApp, type TestApp } from './helpers/app.ts';
import { axeViolations, describeViolations, launchBrowser } from './helpers/browser.ts';

let t: TestApp;
let browser: Browser;
let base: string;
let code: string;
let revokedCode: string;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pj-docs-browser-'));
const genuine = path.join(dir, 'certificate.pdf');
const altered = path.join(dir, 'certificate-altered.pdf');

before(async () => {
  t = await testApp({ WEBHOOK_WORKER: false });
  base = await listen(t);
  browser = await launchBrowser();
  const d = await t.ctx.documents.issue({
    agencyId: 'ir-nocr',
    kind: 'certificate',
    lang: 'fa',
    title: 'گواهی ثبت ولادت',
    holderName: 'سارا محمدی',
    fields: [{ label: 'محل تولد', value: 'اصفهان' }],
  });
  code = d.code;
  const pdf = Buffer.from((await t.ctx.documents.find(code))!.pdf);
  fs.writeFileSync(genuine, pdf);
  pdf[pdf.indexOf('/Title') + 12] ^= 0x02;
  fs.writeFileSync(altered, pdf);
  const r = await t.ctx.documents.issue({
    agencyId: 'ir-nocr',
    kind: 'letter',
    lang: 'en',
    title: 'Letter',
    holderName: 'Ali Rezaei',
    fields: [],
  });
  revokedCode = r.code;
  await t.ctx.documents.revoke(revokedCode, null, 'test');
});
after(async () => {
  await browser?.close();
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a citizen checks a certificate by its code and its PDF, in Persian, with JavaScript off', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fa-IR' });
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  await page.goto(`${base}/verify/${code}`); // where the QR code points
  assert.equal(new URL(page.url()).pathname, `/fa/verify/${code}`);
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');

  await page.goto(`${base}/fa/verify`);
  await page.getByLabel('کد سند').fill(`${code.slice(0, 5).toLowerCase()}-${code.slice(5)}`);
  await page.getByRole('button', { name: 'بررسی سند' }).click();
  assert.equal(new URL(page.url()).pathname, `/fa/verify/${code}`);
  assert.match((await page.locator('h1').textContent())!, /معتبر است/);
  assert.match((await page.locator('main').textContent())!, /سازمان ثبت احوال کشور/);

  await page.getByLabel('پرونده PDF سند').setInputFiles(genuine);
  await page.getByRole('button', { name: 'بررسی پرونده' }).click();
  assert.match((await page.locator('#result').textContent())!, /همان سند اصلی و دست‌نخورده است/);
  await page.getByLabel('پرونده PDF سند').setInputFiles(altered);
  await page.getByRole('button', { name: 'بررسی پرونده' }).click();
  assert.match((await page.locator('#result').textContent())!, /با سند صادرشده یکی نیست/);

  await page.goto(`${base}/fa/verify`);
  await page.getByLabel('کد سند').fill('OOPS');
  await page.getByRole('button', { name: 'بررسی سند' }).click();
  assert.match(await page.title(), /^خطا:/);
  assert.match((await page.locator('.error-summary').textContent())!, /۱۰ نویسه/);
  await context.close();
});

async function check(page: Page, label: string, failures: string[]) {
  const v = await axeViolations(page);
  if (v.length) failures.push(`${label}\n${describeViolations(v)}`);
}

test('axe-core: the verify pages in both languages and every outcome', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  const failures: string[] = [];
  for (const lang of ['fa', 'en']) {
    for (const p of [
      `/${lang}/verify`,
      `/${lang}/verify?code=OOPS`,
      `/${lang}/verify/${code}`,
      `/${lang}/verify/${revokedCode}`,
      `/${lang}/verify/ABCDEFGHJK`,
    ]) {
      await page.goto(base + p);
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      await check(page, p, failures);
    }
    for (const [file, what] of [
      [genuine, 'genuine'],
      [altered, 'altered'],
    ]) {
      await page.goto(`${base}/${lang}/verify/${code}`);
      await page.locator('#document').setInputFiles(file);
      await page.locator('form[enctype] button').click();
      await page.locator('#result').waitFor();
      await check(page, `/${lang}/verify/${code} after uploading the ${what} file`, failures);
    }
    await page.goto(`${base}/${lang}/verify/${code}`);
    await page.locator('form[enctype] button').click();
    await check(page, `/${lang}/verify/${code} with no file chosen`, failures);
  }
  await context.close();
  assert.equal(failures.length, 0, failures.join('\n\n'));
});

test('axe-core: staff pages for issued documents, API keys and webhooks', async () => {
  await t.ctx.agencyApi.create('ir-nocr', 'Registry back office', ['documents:issue'], 'test');
  await t.ctx.webhooks.register('ir-nocr', 'http://127.0.0.1:9/hooks', ['document.issued'], 'test');
  await t.ctx.documents.issue({ agencyId: 'ir-nocr', kind: 'licence', lang: 'en', title: 'Licence', holderName: 'A B', fields: [] });
  const delivery = (await t.ctx.webhooks.deliveries('ir-nocr'))[0];
  await t.ctx.database.db
    .updateTable('webhook_deliveries')
    .set({ status: 'dead', attempts: 8, last_error: 'connect ECONNREFUSED' })
    .where('id', '=', delivery.id)
    .execute();

  const { staff } = await t.ctx.staff.invite('docs.admin@example.ir', 'agency-admin', 'ir-nocr', 'test');
  const secret = await t.ctx.staff.setPassword((await t.ctx.staff.byId(staff.id))!, 'correct horse battery staple');
  assert.ok(await t.ctx.staff.confirmTotp((await t.ctx.staff.byId(staff.id))!, authenticator.generate(secret)));
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  await page.goto(`${base}/en/staff/sign-in`);
  await page.getByLabel('Email').fill('docs.admin@example.ir');
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('The 6-digit code, or a recovery code').fill(authenticator.clone({ epoch: Date.now() + 30_000 }).generate(secret));
  await page.getByRole('button', { name: 'Continue' }).click();
  const failures: string[] = [];
  for (const lang of ['fa', 'en']) {
    for (const p of [
      `/${lang}/staff`,
      `/${lang}/staff/documents`,
      `/${lang}/staff/agencies/ir-nocr/integrations`,
      `/${lang}/staff/agencies/ir-nocr/webhooks/deliveries/${delivery.id}`,
    ]) {
      await page.goto(base + p);
      assert.equal(new URL(page.url()).pathname, p.split('?')[0]);
      await check(page, p, failures);
    }
    // the page that shows a new key once, and a form with errors
    await page.goto(`${base}/${lang}/staff/agencies/ir-nocr/integrations`);
    await page.locator('#name').fill(`Key ${lang}`);
    await page.locator('#scope-documents\\:issue').check();
    await page.locator('form[action$="/api-keys"] button').click();
    assert.match((await page.locator('.notice code').textContent())!, /^pjk_/);
    await check(page, `${lang} new key shown once`, failures);
    await page.locator('form[action$="/webhooks"] button').click();
    await check(page, `${lang} webhook form with errors`, failures);
  }
  await context.close();
  assert.equal(failures.length, 0, failures.join('\n\n'));
});
