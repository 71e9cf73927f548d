// Monitoring in a real browser with JavaScript off: the oversight office creates a round and assigns
// an assessor, the assessor answers with an uploaded file and submits, a reviewer approves and the
// round is published; then axe-core on every monitoring page in Persian and English, and the PDF report.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { authenticator } from 'otplib';
import { listen, testApp, type TestApp } from './helpers/app.ts';
import { axeViolations, describeViolations, launchBrowser } from './helpers/browser.ts';
import type { StaffRole } from '../src/db/schema.ts';

let t: TestApp;
let browser: Browser;
let base: string;
const failures: string[] = [];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-mon-browser-'));

before(async () => {
  t = await testApp();
  base = await listen(t);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await t?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

let axePage: Page;
/** axe needs script, the pages under test run without: the same document is checked in a script-enabled page. */
async function check(page: Page, label: string) {
  axePage ??= await (await browser.newContext({ bypassCSP: true })).newPage();
  const html = await page.content();
  await axePage.goto(page.url());
  await axePage.setContent(html, { waitUntil: 'load' });
  const v = await axeViolations(axePage);
  if (v.length) failures.push(`${label} (${new URL(page.url()).pathname})\n${describeViolations(v)}`);
}

/** A staff member signed in inside a browser context with JavaScript off. */
async function staffContext(
  email: string,
  role: StaffRole,
  agency: string | null,
): Promise<{ context: BrowserContext; page: Page; id: string }> {
  const { staff } = await t.ctx.staff.invite(email, role, agency, 'test');
  const secret = await t.ctx.staff.setPassword((await t.ctx.staff.byId(staff.id))!, 'correct horse battery staple');
  assert.ok(await t.ctx.staff.confirmTotp((await t.ctx.staff.byId(staff.id))!, authenticator.generate(secret)));
  const context = await browser.newContext({ javaScriptEnabled: false, bypassCSP: true });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  await page.goto(`${base}/en/staff/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('The 6-digit code, or a recovery code').fill(authenticator.clone({ epoch: Date.now() + 30_000 }).generate(secret));
  await page.getByRole('button', { name: 'Continue' }).click();
  return { context, page, id: staff.id };
}

test('a round from creation to publication in the browser, without JavaScript, every step axe-checked', async () => {
  const admin = await staffContext('mon.admin@example.ir', 'platform-admin', null);
  const assessor = await staffContext('mon.assessor@example.ir', 'oversight-analyst', null);
  const p = admin.page;
  await p.goto(`${base}/fa/staff/monitoring`);
  await check(p, 'staff monitoring home fa');
  await p.goto(`${base}/en/staff/monitoring/rounds/new`);
  await check(p, 'new round en');
  await p.getByRole('button', { name: 'Create the round' }).click();
  assert.match(await p.title(), /^Error: /);
  await check(p, 'new round with errors');
  await p.getByLabel('Title in Persian').fill('ارزیابی آزمایشی');
  await p.getByLabel('Title in English').fill('Browser round');
  await p.getByLabel('Short name for the address').fill('browser-round');
  // only two agencies
  for (const box of await p.locator('input[name="agencies"]').all()) await box.uncheck();
  await p.locator('input[name="agencies"][value="ir-nocr"]').check();
  await p.locator('input[name="agencies"][value="ir-tax"]').check();
  await p.getByRole('button', { name: 'Create the round' }).click();
  assert.equal(new URL(p.url()).pathname, '/en/staff/monitoring/rounds/browser-round');
  await check(p, 'round admin en');
  for (const subject of ['ir-nocr', 'ir-tax']) {
    await p.locator(`#assessor-${subject}`).selectOption({ label: 'mon.assessor@example.ir' });
    await p.locator(`form:has(#assessor-${subject}) button`).click();
  }
  await p.goto(`${base}/fa/staff/monitoring/rounds/browser-round`);
  await check(p, 'round admin fa');

  const a = assessor.page;
  for (const subject of ['ir-nocr', 'ir-tax']) {
    await a.goto(`${base}/en/staff/monitoring/rounds/browser-round/subjects/${subject}`);
    if (subject === 'ir-nocr') await check(a, 'subject work page en');
    await a.getByRole('link', { name: /Answer TR-2/ }).click();
    if (subject === 'ir-nocr') {
      await check(a, 'answer page en');
      await a.getByRole('button', { name: 'Save' }).click();
      assert.match(await a.title(), /^Error: /);
      await check(a, 'answer page with errors');
    }
    await a.getByLabel('Yes').check();
    await a.getByLabel('Note (optional)').fill('Published on the agency site');
    fs.writeFileSync(path.join(work, 'evidence.csv'), 'dataset,rows\nservices,12\n');
    await a.setInputFiles('#file', path.join(work, 'evidence.csv'));
    await a.getByRole('button', { name: 'Save' }).click();
    assert.equal(new URL(a.url()).pathname, `/en/staff/monitoring/rounds/browser-round/subjects/${subject}`);
    await a.getByRole('button', { name: 'Submit for review' }).click();
  }
  await a.goto(`${base}/fa/staff/monitoring/rounds/browser-round/subjects/ir-tax`);
  await check(a, 'subject work page fa (submitted)');
  await a.goto(`${base}/fa/staff/monitoring/rounds/browser-round/subjects/ir-tax/indicators/TR-2`.replace('/fa/', '/fa/'));

  for (const subject of ['ir-nocr', 'ir-tax']) {
    await p.goto(`${base}/en/staff/monitoring/rounds/browser-round/subjects/${subject}`);
    if (subject === 'ir-nocr') await check(p, 'review page en');
    await p.getByRole('button', { name: 'Record the review' }).click();
  }
  await p.goto(`${base}/en/staff/monitoring/rounds/browser-round`);
  await p.getByRole('button', { name: 'Publish the results' }).click();
  await p.goto(`${base}/en/monitoring/rounds/browser-round`);
  assert.match((await p.locator('h1').textContent())!, /Browser round/);
  const files = await t.ctx.monitoring.repo.evidence((await t.ctx.monitoring.round('browser-round')).id, 'ir-nocr');
  assert.equal(files[0]?.media_type, 'text/csv');
  await admin.context.close();
  await assessor.context.close();
  assert.equal(failures.length, 0, failures.join('\n\n'));
});

test('axe-core: every public monitoring page in Persian and English', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, bypassCSP: true });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  const pages = [
    '/LANG/monitoring',
    '/LANG/monitoring/rounds',
    '/LANG/monitoring/rounds/demo-1404-h1',
    '/LANG/monitoring/rounds/demo-1404-h1/subjects/ir-nocr',
    '/LANG/monitoring/rounds/demo-1404-h1/report',
    '/LANG/monitoring/indicator-sets/un-losi-2024',
    '/LANG/monitoring/indicator-sets/national-maturity',
    '/LANG/monitoring/open-data',
  ];
  for (const lang of ['fa', 'en']) {
    for (const p of pages) {
      const res = await page.goto(base + p.replace('LANG', lang));
      assert.equal(res?.status(), 200, p);
      assert.equal(await page.getAttribute('html', 'dir'), lang === 'fa' ? 'rtl' : 'ltr');
      await check(page, `${p} ${lang}`);
    }
  }
  await context.close();
  assert.equal(failures.length, 0, failures.join('\n\n'));
});

test('axe-core: paginated results, the weights form (with errors and saved) and the portal check queue, in Persian and English', async () => {
  const repo = t.ctx.monitoring.repo;
  const set = (await repo.latestSet('portal-checklist'))!;
  const big = await repo.insertRound(repo.db, {
    slug: 'browser-big',
    title: JSON.stringify({ fa: 'دوره بزرگ', en: 'Big round' }),
    set_id: set.id,
    cutoff: '2025-01-01',
    status: 'published',
    created_by: 'test',
    published_at: new Date(),
    published_by: 'test',
  });
  await repo.insertSubjects(
    repo.db,
    Array.from({ length: 75 }, (_, i) => ({
      round_id: big.id,
      subject: `portal-b${i}`,
      agency_id: null,
      name: JSON.stringify({ fa: `درگاه ${i}`, en: `Portal ${i}` }),
      url: null,
      status: 'approved' as const,
      scores: JSON.stringify({ total: i / 75, assessed: 1, noData: 0, of: 1, criteria: {} }),
    })),
  );
  const context = await browser.newContext({ javaScriptEnabled: false, bypassCSP: true });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  for (const lang of ['fa', 'en']) {
    await page.goto(`${base}/${lang}/monitoring/rounds/browser-big`);
    await check(page, `results page 1 ${lang}`);
    await page.locator('a[rel="next"]').click();
    assert.match(page.url(), /\?page=2$/);
    await check(page, `results page 2 ${lang}`);
  }
  await context.close();

  const admin = await staffContext('mon.weights@example.ir', 'oversight-analyst', null);
  const p = admin.page;
  await p.goto(`${base}/fa/staff/monitoring/indicator-sets/national-maturity/weights`);
  await check(p, 'weights form fa');
  await p.locator('#w-AV-1').fill('-1');
  await p.getByRole('button', { name: 'ذخیره به‌عنوان نسخه تازه' }).click();
  assert.match(await p.title(), /^خطا: |^Error: /);
  await check(p, 'weights form with errors fa');
  await p.goto(`${base}/en/staff/monitoring/indicator-sets/national-maturity/weights`);
  await p.locator('#cw-usage').fill('2');
  await p.getByRole('button', { name: 'Save as a new version' }).click();
  assert.match((await p.locator('[role="status"]').textContent()) ?? '', /saved as version/);
  await check(p, 'weights saved en');
  await p.goto(`${base}/en/staff/monitoring/indicator-sets/un-losi-2024/weights`);
  await check(p, 'weights form LOSI en');

  await p.goto(`${base}/en/staff/monitoring/rounds/new`);
  await p.getByLabel('Title in Persian').fill('درگاه‌ها');
  await p.getByLabel('Title in English').fill('Portals');
  await p.getByLabel('Short name for the address').fill('browser-portals');
  await p.getByLabel('UN Local Online Service Index (LOSI) 2024', { exact: false }).check();
  for (const box of await p.locator('input[name="agencies"]').all()) await box.uncheck();
  await p.locator('#portals').fill('Nowhere | http://127.0.0.1:1/');
  await p.getByRole('button', { name: 'Create the round' }).click();
  await p.goto(`${base}/en/staff/monitoring/rounds/browser-portals/checks`);
  await check(p, 'checks page en');
  await p.getByRole('button', { name: 'Check every portal still being assessed' }).click();
  await check(p, 'checks page queued en');
  await p.goto(`${base}/fa/staff/monitoring/rounds/browser-portals/checks`);
  await check(p, 'checks page fa');
  const [subject] = await repo.subjects((await t.ctx.monitoring.round('browser-portals')).id);
  await p.goto(`${base}/fa/staff/monitoring/rounds/browser-portals/subjects/${subject.subject}`);
  await check(p, 'subject page with check status fa');
  await admin.context.close();
  assert.equal(failures.length, 0, failures.join('\n\n'));
});

test('the PDF report is a real PDF whose Persian text comes out as written', async () => {
  const res = await fetch(`${base}/fa/monitoring/rounds/demo-1404-h1/report.pdf`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  const file = path.join(work, 'report.pdf');
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  assert.equal(fs.readFileSync(file).subarray(0, 5).toString(), '%PDF-');
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  // The logical order survives shaping: words extract in Persian letters, not isolated glyph forms.
  assert.match(text, /مدل ملی بلوغ خدمات الکترونیکی/);
  assert.match(text, /رتبه‌بندی|رتبهبندی/);
});
