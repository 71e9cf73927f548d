// End to end in Chromium, JavaScript off, with the demo civil registry behind the exchange: the
// participation list and the tax administration's consultation (fa and en); a citizen comments and
// votes on the adults-only poll with plain forms; an 8-year-old is refused with the reason; the staff
// page of the participation editor. Every page is checked with axe-core (WCAG 2.2 AA), also at phone width.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { listen } from './helpers/app.ts';
import { sessionOf, staffSession } from './helpers/people.ts';
import { launchBrowser, axeOfPage } from './helpers/browser.ts';
import { exchangeFixture } from '../src/modules/exchange/exchange.fixture.ts';
import { DEMO_PROCESS } from '../src/modules/participation/participation.demo.ts';

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

async function pageAs(cookie: { name: string; value: string } | null, lang: 'fa' | 'en', phone = false) {
  const ctx = await browser.newContext({
    javaScriptEnabled: false,
    locale: lang === 'fa' ? 'fa-IR' : 'en-GB',
    ...(phone ? { viewport: { width: 360, height: 740 } } : {}),
  });
  if (cookie) await ctx.addCookies([{ ...cookie, url: base }]);
  const page = await ctx.newPage();
  page.setDefaultTimeout(8000);
  return { ctx, page };
}

const axeOf = (page: Page, label: string, failures: string[]) => axeOfPage(browser, base, page, label, failures);

test('the list and the consultation: comment and vote without JavaScript, a child refused; fa and en, axe-clean, phone width', async () => {
  const failures: string[] = [];
  const people = { fa: ['0499370899', '09121234567'], en: ['0012345679', '09351112233'] } as const;
  for (const lang of ['fa', 'en'] as const) {
    const s = await sessionOf(f.t.ctx, people[lang][0], people[lang][1]);
    const { ctx, page } = await pageAs({ name: 'session', value: s.token }, lang, lang === 'fa');
    await page.goto(`${base}/${lang}/participation`);
    await axeOf(page, `${lang} list`, failures);
    await page.getByRole('link', { name: lang === 'fa' ? /صورت‌حساب الکترونیکی/ : /electronic invoices/ }).click();
    assert.match(page.url(), new RegExp(`/${lang}/participation/${DEMO_PROCESS}$`));
    await page.locator('#body').fill(lang === 'fa' ? 'ماده دوم زمان کافی نمی‌دهد.' : 'Article 2 does not give enough time.');
    await page.getByRole('button', { name: lang === 'fa' ? 'فرستادن نظر' : 'Send comment' }).click();
    assert.match(await page.locator('main').innerText(), lang === 'fa' ? /زمان کافی نمی‌دهد/ : /enough time/);
    await page.getByLabel(lang === 'fa' ? 'نه، یک سال لازم است' : 'No, a year is needed').check();
    await page.getByRole('button', { name: lang === 'fa' ? 'ثبت رأی' : 'Vote' }).click();
    assert.match(await page.locator('main').innerText(), lang === 'fa' ? /رأی شما ثبت شد/ : /Your vote is recorded/);
    await axeOf(page, `${lang} process page (after comment and vote)`, failures);
    await ctx.close();
  }
  // the civil registry says Sara is 8: refused on the page, with the reason
  const sara = await sessionOf(f.t.ctx, '3715004101', '09121234568');
  const { ctx, page } = await pageAs({ name: 'session', value: sara.token }, 'en');
  await page.goto(`${base}/en/participation/${DEMO_PROCESS}`);
  await page.getByLabel('Yes', { exact: true }).check();
  await page.getByRole('button', { name: 'Vote' }).click();
  assert.match(await page.locator('.error-summary').innerText(), /18 or over/);
  await axeOf(page, 'en refused vote', failures);
  await ctx.close();
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

test("the participation editor's pages (fa and en, axe-clean)", async () => {
  const failures: string[] = [];
  const s = await staffSession(f.t.ctx, 'participation-editor', 'ir-tax');
  const [name, value] = s.cookie.split('=');
  for (const lang of ['fa', 'en'] as const) {
    const { ctx, page } = await pageAs({ name, value }, lang);
    await page.goto(`${base}/${lang}/staff/participation`);
    await axeOf(page, `${lang} staff list`, failures);
    await page.goto(`${base}/${lang}/staff/participation/${DEMO_PROCESS}`);
    assert.match(await page.locator('h1').innerText(), lang === 'fa' ? /صورت‌حساب/ : /electronic invoices/);
    await axeOf(page, `${lang} staff process`, failures);
    await page.getByRole('link', { name: lang === 'fa' ? 'بودجه مشارکتی' : 'Participatory budget' }).click();
    assert.match(await page.locator('h1').innerText(), lang === 'fa' ? /بودجه مشارکتی/ : /Participatory budget/);
    await axeOf(page, `${lang} staff budget`, failures);
    await ctx.close();
  }
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

test('the participatory budget without JavaScript: over the budget refused with the reason, a ballot within it recorded; fa and en, axe-clean', async () => {
  const failures: string[] = [];
  const people = { fa: ['1122334451', '09131234500'], en: ['0012345679', '09351112233'] } as const;
  for (const lang of ['fa', 'en'] as const) {
    const s = await sessionOf(f.t.ctx, people[lang][0], people[lang][1]);
    const { ctx, page } = await pageAs({ name: 'session', value: s.token }, lang, lang === 'fa');
    await page.goto(`${base}/${lang}/participation/${DEMO_PROCESS}`);
    await page.getByRole('link', { name: lang === 'fa' ? /طرح‌ها و رأی‌گیری بودجه/ : /vote on the participatory budget/ }).click();
    assert.match(page.url(), new RegExp(`/${lang}/participation/${DEMO_PROCESS}/budget$`));
    await axeOf(page, `${lang} budget page`, failures);
    for (const box of await page.locator('input[name="projects"]').all()) await box.check();
    await page.getByRole('button', { name: lang === 'fa' ? 'ثبت رأی' : 'Vote' }).click();
    assert.match(await page.locator('.error-summary').innerText(), lang === 'fa' ? /از بودجه بیشتر است/ : /cost more than the budget/);
    await axeOf(page, `${lang} budget refused`, failures);
    await page.locator('input[name="projects"]').nth(2).uncheck();
    await page.getByRole('button', { name: lang === 'fa' ? 'ثبت رأی' : 'Vote' }).click();
    assert.match(await page.locator('main').innerText(), lang === 'fa' ? /رأی شما ثبت شد/ : /Your vote is recorded/);
    await axeOf(page, `${lang} budget voted`, failures);
    await ctx.close();
  }
  assert.deepEqual(failures, [], failures.join('\n\n'));
});
