// End-to-end in a real browser: a citizen finds a service in Persian with Arabic-keyboard letters,
// switches to English and opens the card, with JavaScript off; and axe-core finds no WCAG 2.2 AA
// violation on any page type, in either language.
import { after, before, test } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { authenticator } from 'otplib';
import { listen, testApp, type TestApp } from './helpers/app.ts';
import { axeViolations, describeViolations, launchBrowser } from './helpers/browser.ts';

let t: TestApp;
let browser: Browser;
let base: string;

before(async () => {
  t = await testApp();
  base = await listen(t);
  browser = await launchBrowser();
  // fail fast: a missing element is a failure, not a 30-second wait
});
after(async () => {
  await browser?.close();
  await t?.close();
});

test('a citizen finds a service with Arabic-keyboard letters, switches to English and opens the card (JavaScript off)', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fa-IR' });
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  await page.goto(`${base}/`);
  assert.equal(new URL(page.url()).pathname, '/fa');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');

  // "کارت ملی" typed on an Arabic keyboard: Arabic kaf (ك) and yeh (ي)
  await page.getByLabel('جست‌وجوی خدمات دولتی').fill('كارت ملي');
  await page.getByRole('button', { name: 'جست‌وجو' }).click();
  assert.match(page.url(), /\/fa\/search\?q=/);
  const first = page.locator('.card-list li h3 a').first();
  const title = (await first.textContent())!.trim();
  assert.match(title, /کارت ملی/);

  // Narrow the results with a facet: a real form submission, no script
  await page.locator('.facets input[name="audience"][value="citizens"]').check();
  await page.getByRole('button', { name: 'اعمال پالایه‌ها' }).click();
  assert.match(page.url(), /audience=citizens/);
  assert.match((await page.locator('.card-list li h3 a').first().textContent())!, /کارت ملی/);

  await page.locator('.card-list li h3 a').first().click();
  assert.match(page.url(), /\/fa\/services\//);
  assert.match((await page.locator('h1').textContent())!, /کارت ملی/);
  const slug = new URL(page.url()).pathname.split('/').pop();

  await page.locator('a.lang-switch').click();
  assert.equal(new URL(page.url()).pathname, `/en/services/${slug}`);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
  assert.match((await page.locator('h1').textContent())!, /ID card/i);
  assert.ok(await page.getByRole('heading', { name: 'What you need' }).isVisible());

  // "/" now remembers English
  await page.goto(`${base}/`);
  assert.equal(new URL(page.url()).pathname, '/en');
  await context.close();
});

test('English search tolerates a typo and the card links back to its agency (JavaScript off)', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  await page.goto(`${base}/en`);
  await page.getByLabel('Search for a government service').fill('pasport');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.locator('.card-list li h3 a').first().click();
  assert.match((await page.locator('h1').textContent())!, /passport/i);
  await page.locator('.summary-list a[href^="/en/agencies/"]').click();
  assert.match(page.url(), /\/en\/agencies\//);
  await context.close();
});

async function signInCitizen(page: Page, next: string, nationalId: string, mobile: string) {
  await page.goto(`${base}${next}`);
  await page.getByLabel('کد ملی').fill(nationalId);
  await page.getByLabel('شماره همراه').fill(mobile);
  await page.getByRole('button', { name: 'ادامه' }).click();
  const sms = fs
    .readFileSync(path.join(t.ctx.config.DATA_DIR, 'outbox', 'sms.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .at(-1);
  await page.getByLabel('کد ورود').fill(/\d{6}/.exec(sms.text)![0]);
  await page.getByRole('button', { name: 'ادامه' }).click();
  assert.equal(new URL(page.url()).pathname, next);
}

test('two minutes before the idle limit a dialog warns the citizen; staying signed in keeps the page open; at the limit the page goes to sign-in', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  await page.clock.install();
  await signInCitizen(page, '/fa/account', '0010000003', '09125550102');
  assert.equal(await page.locator('dialog').count(), 0);
  const session = async () =>
    (
      await t.ctx.database.db
        .selectFrom('sessions')
        .select(['last_seen_at'])
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow()
    ).last_seen_at;
  const seenBefore = await session();

  await page.clock.fastForward('17:59');
  assert.equal(await page.locator('dialog[open]').count(), 0, 'no warning before 18 minutes');
  await page.clock.fastForward('00:02');
  const dialog = page.getByRole('dialog', { name: 'به‌زودی از حساب خارج می‌شوید' });
  assert.ok(await dialog.isVisible());
  assert.match((await dialog.textContent())!, /۲ دقیقهٔ دیگر/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'timeout-title', 'focus moves into the dialog');
  const v = await axeViolations(page);
  assert.equal(v.length, 0, describeViolations(v));

  // The server-side activity time moves forward only when the person chooses to stay.
  await new Promise((r) => setTimeout(r, 10));
  await dialog.getByRole('button', { name: 'در حساب بمانم' }).click();
  await page.locator('dialog').waitFor({ state: 'detached' });
  assert.equal(new URL(page.url()).pathname, '/fa/account', 'the page itself stays');
  assert.ok((await session()).getTime() > seenBefore.getTime(), 'staying signed in counts as activity');

  // Nothing done for the whole idle time: the page goes to sign-in, saying why.
  await page.clock.fastForward('20:01');
  await page.waitForURL(/\/fa\/sign-in\?expired=idle/);
  assert.match((await page.locator('main').textContent())!, /۲۰ دقیقه فعالیتی نداشتید/);
  await context.close();
});

test('without JavaScript the timeout warning is a page; it does not count as activity, and "stay signed in" does', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  await signInCitizen(page, '/fa/account', '0010000011', '09125550103');
  await t.ctx.database.db
    .updateTable('sessions')
    .set({ last_seen_at: new Date(Date.now() - 19 * 60_000 - 10_000) })
    .execute();
  await page.goto(`${base}/en/session/warning?next=%2Fen%2Faccount`);
  assert.match((await page.locator('h1').textContent())!, /about to be signed out/);
  assert.match((await page.locator('main').textContent())!, /in 1 minute/);
  await page.goto(`${base}/fa/session/warning?next=%2Ffa%2Faccount`);
  assert.match((await page.locator('main').textContent())!, /۱ دقیقهٔ دیگر/, 'reading the warning is not activity');
  await page.getByRole('button', { name: 'در حساب بمانم' }).click();
  assert.equal(new URL(page.url()).pathname, '/fa/account');
  const axeContext = await browser.newContext({ bypassCSP: true, storageState: await context.storageState() });
  const axePage = await axeContext.newPage();
  for (const p of ['/fa/session/warning', '/en/session/warning']) {
    await axePage.goto(base + p);
    const v = await axeViolations(axePage);
    assert.equal(v.length, 0, `${p}\n${describeViolations(v)}`);
  }
  await axeContext.close();
  await context.close();
});

test('a citizen signs in with a code from the SMS outbox and sees their account (JavaScript off)', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  await page.goto(`${base}/fa/account`);
  assert.match(page.url(), /\/fa\/sign-in\?next=%2Ffa%2Faccount/);
  // Persian digits and a +98 mobile are accepted as typed
  await page.getByLabel('کد ملی').fill('۰۴۹۹۳۷۰۸۹۹');
  await page.getByLabel('شماره همراه').fill('+98 912 555 0101');
  await page.getByRole('button', { name: 'ادامه' }).click();
  assert.match(page.url(), /\/fa\/sign-in\/code/);
  const sms = fs
    .readFileSync(path.join(t.ctx.config.DATA_DIR, 'outbox', 'sms.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .at(-1);
  assert.equal(sms.to, '09125550101');
  await page.getByLabel('کد ورود').fill(/\d{6}/.exec(sms.text)![0]);
  await page.getByRole('button', { name: 'ادامه' }).click();
  assert.equal(new URL(page.url()).pathname, '/fa/account');
  assert.match((await page.locator('main').textContent())!, /۰۴۹۹۳۷۰۸۹۹/);
  await page.getByRole('link', { name: 'نشست‌های من' }).click();
  assert.match((await page.locator('h1').textContent())!, /نشست‌های من/);
  // axe on the signed-in pages too (a context with JavaScript for axe, sharing the cookies)
  const axeContext = await browser.newContext({ bypassCSP: true, storageState: await context.storageState() });
  const axePage = await axeContext.newPage();
  const failures: string[] = [];
  for (const p of ['/fa/account', '/en/account', '/fa/account/sessions', '/en/account/sessions']) {
    await axePage.goto(base + p);
    assert.equal(new URL(axePage.url()).pathname, p);
    const v = await axeViolations(axePage);
    if (v.length) failures.push(`${p}\n${describeViolations(v)}`);
  }
  await axeContext.close();
  await context.close();
  assert.equal(failures.length, 0, failures.join('\n\n'));
});

test('a service editor sets up their account, signs in with a TOTP code and edits a card; axe-clean (JavaScript off for the journey)', async () => {
  const { token, staff } = await t.ctx.staff.invite('browser.editor@example.ir', 'service-editor', 'ir-nocr', 'test');
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  const axeContext = await browser.newContext({ bypassCSP: true });
  const axePage = await axeContext.newPage();
  const failures: string[] = [];
  const check = async (label: string) => {
    await axeContext.addCookies(await context.cookies());
    await axePage.goto(page.url());
    const v = await axeViolations(axePage);
    if (v.length) failures.push(`${label} ${page.url()}\n${describeViolations(v)}`);
  };
  await page.goto(`${base}/fa/staff/setup/${token}`);
  await check('setup');
  await page.getByLabel('گذرواژه', { exact: true }).fill('correct horse battery staple');
  await page.getByLabel('تکرار گذرواژه').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'ادامه' }).click();
  const secret = t.ctx.staff.totpSecret((await t.ctx.staff.byId(staff.id))!)!;
  await page.getByLabel('کد ۶ رقمی برنامه').fill(authenticator.generate(secret));
  await page.getByRole('button', { name: 'ادامه' }).click();
  assert.equal(await page.locator('.recovery-codes li').count(), 10);
  await page.getByRole('link', { name: 'ورود کارکنان' }).click();
  await check('staff sign-in');
  await page.getByLabel('رایانامه').fill('browser.editor@example.ir');
  await page.getByLabel('گذرواژه').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'ادامه' }).click();
  await page.getByLabel('کد ۶ رقمی، یا یک کد بازیابی').fill(authenticator.clone({ epoch: Date.now() + 30_000 }).generate(secret));
  await page.getByRole('button', { name: 'ادامه' }).click();
  assert.equal(new URL(page.url()).pathname, '/fa/staff');
  await check('staff home');
  await page.getByRole('link', { name: 'شناسنامه خدمات دستگاه' }).click();
  await check('agency cards');
  await page.locator('.card-list a').first().click();
  assert.match(page.url(), /\/staff\/services\/.+\/edit$/);
  await check('edit form');
  await page.getByLabel('نام خدمت (انگلیسی)').fill('Register a birth (edited in the browser)');
  await page.getByRole('button', { name: 'ذخیره نسخه تازه' }).click();
  assert.match((await page.locator('.notice').textContent())!, /ذخیره شد/);
  await axeContext.close();
  await context.close();
  assert.equal(failures.length, 0, failures.join('\n\n'));
});

test('staff administration pages are axe-clean (oversight, people, a colleague, new card, audit log)', async () => {
  const { token, staff } = await t.ctx.staff.invite('browser.admin@example.ir', 'platform-admin', null, 'test');
  const secret = await t.ctx.staff.setPassword((await t.ctx.staff.byId(staff.id))!, 'correct horse battery staple');
  assert.ok(token);
  assert.ok(await t.ctx.staff.confirmTotp((await t.ctx.staff.byId(staff.id))!, authenticator.generate(secret)));
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  await page.goto(`${base}/en/staff/sign-in`);
  await page.getByLabel('Email').fill('browser.admin@example.ir');
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('The 6-digit code, or a recovery code').fill(authenticator.clone({ epoch: Date.now() + 30_000 }).generate(secret));
  await page.getByRole('button', { name: 'Continue' }).click();
  const colleague = (await t.ctx.staff.invite('browser.colleague@example.ir', 'operator', 'ir-nocr', 'test')).staff;
  const failures: string[] = [];
  const pages = [
    '/en/staff',
    '/fa/staff/oversight',
    '/en/staff/audit',
    '/fa/staff/agencies/ir-nocr/people',
    '/en/staff/agencies/ir-nocr/services',
    '/fa/staff/sso/clients',
  ];
  pages.push(
    `/fa/staff/agencies/ir-nocr/people/${colleague.id}`,
    `/en/staff/agencies/ir-nocr/people/${colleague.id}`,
    '/fa/staff/agencies/ir-nocr/services/new',
    '/en/staff/agencies/ir-nocr/services/new',
  );
  // own account security, and the links for a password reset and for a new authenticator after an administrator's reset
  pages.push('/fa/staff/account', '/en/staff/account', '/fa/staff/account/authenticator', '/en/staff/account/authenticator');
  const setUp = async (email: string) => {
    const { staff: s } = await t.ctx.staff.invite(email, 'operator', 'ir-nocr', 'test');
    const secret = await t.ctx.staff.setPassword(s, 'correct horse battery staple');
    assert.ok(await t.ctx.staff.confirmTotp((await t.ctx.staff.byId(s.id))!, authenticator.generate(secret)));
    return s;
  };
  const lost = await setUp('browser.lost@example.ir');
  const kept = await setUp('browser.kept@example.ir'); // its page offers "reset their authenticator"
  const reset = (await t.ctx.staff.requestReset('browser.lost@example.ir'))!.token;
  pages.push(
    `/fa/staff/password/reset/${reset}`,
    `/en/staff/password/reset/${reset}`,
    `/fa/staff/agencies/ir-nocr/people/${lost.id}`,
    `/fa/staff/agencies/ir-nocr/people/${kept.id}`,
    `/en/staff/agencies/ir-nocr/people/${kept.id}`,
  );
  const relink = await t.ctx.staff.resetAuthenticator((await t.ctx.staff.byId(lost.id))!, (await t.ctx.staff.byId(staff.id))!);
  pages.push(`/fa/staff/authenticator/${relink}`, `/en/staff/authenticator/${relink}`);
  for (const p of pages) {
    await page.goto(base + p);
    assert.equal(new URL(page.url()).pathname, p);
    const v = await axeViolations(page);
    if (v.length) failures.push(`${p}\n${describeViolations(v)}`);
  }
  await context.close();
  assert.equal(failures.length, 0, failures.join('\n\n'));
});

test('keyboard only: the skip link is the first stop and moves focus to the main content', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  await page.goto(`${base}/fa`);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip-link');
  await page.keyboard.press('Enter');
  assert.match(page.url(), /#main$/);
  await context.close();
});

test('axe-core: no WCAG 2.2 AA violations on any page type, in Persian and English', async () => {
  const { items } = (await t.app.inject({ url: '/api/v1/services?pageSize=1&category=identity-civil-status' })).json();
  const slug = items[0].slug;
  const agency = items[0].agency.id;
  const paths = [
    '/LANG',
    '/LANG/search?q=%DA%AF%D8%B0%D8%B1%D9%86%D8%A7%D9%85%D9%87',
    '/LANG/search?q=passport&audience=citizens',
    '/LANG/search?q=zzzzqqqq',
    '/LANG/search?q=passportt%20zzxxq',
    `/LANG/search?q=${'x'.repeat(201)}`,
    `/LANG/services/${slug}`,
    '/LANG/agencies',
    `/LANG/agencies/${agency}`,
    '/LANG/categories/identity-civil-status',
    '/LANG/life-events/having-a-baby',
    '/LANG/no-such-page',
    '/LANG/un-egov',
    '/LANG/un-egov/countries/IRN',
    '/LANG/un-egov/compare?group=d8&year=2020',
    '/LANG/un-egov/what-if?country=IRN&year=2020&osi=0.7',
    '/LANG/un-egov/what-if?country=IRN&osi=2',
    '/LANG/sign-in',
    '/LANG/staff/sign-in',
    '/LANG/staff/password/forgot',
  ];
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  const failures: string[] = [];
  for (const lang of ['fa', 'en']) {
    for (const p of [...paths.map((x) => x.replace('LANG', lang)), ...(lang === 'en' ? ['/api/docs'] : [])]) {
      await page.goto(base + p);
      const v = await axeViolations(page);
      if (v.length) failures.push(`${p}\n${describeViolations(v)}`);
    }
  }
  // the sign-in page showing errors, and the code page
  const signIn = await browser.newContext({ bypassCSP: true });
  const form = await signIn.newPage();
  for (const lang of ['fa', 'en']) {
    await form.goto(`${base}/${lang}/sign-in`);
    await form.locator('#nationalId').fill('123');
    await form.locator('#mobile').fill('021');
    await form.locator('button[type=submit]').click();
    assert.match((await form.title())!, lang === 'fa' ? /^خطا:/ : /^Error:/);
    let v = await axeViolations(form);
    if (v.length) failures.push(`${lang} sign-in with errors\n${describeViolations(v)}`);
    await form.locator('#nationalId').fill(lang === 'fa' ? '0012345679' : '1234567891');
    await form.locator('#mobile').fill(lang === 'fa' ? '09125550202' : '09125550303');
    await form.locator('button[type=submit]').click();
    assert.match(form.url(), /\/sign-in\/code/);
    v = await axeViolations(form);
    if (v.length) failures.push(`${lang} code page\n${describeViolations(v)}`);
  }
  await signIn.close();
  await context.close();
  assert.equal(failures.length, 0, failures.join('\n\n'));
});

test('pages hold together on a small phone screen (no horizontal scrolling)', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: true });
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  for (const p of ['/fa', '/fa/search?q=%DA%A9%D8%A7%D8%B1%D8%AA', '/en/agencies']) {
    await page.goto(base + p);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${p} scrolls sideways by ${overflow}px`);
  }
  await context.close();
});
