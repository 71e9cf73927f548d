// End to end in Chromium, JavaScript off, with the demo company and notary registries behind the
// exchange: a company director asks for their companies and powers of attorney, gives a colleague access
// to the trade-licence service and ends it again; a former board member is refused on the company page
// with the reason. Persian and English, every page checked with axe-core (WCAG 2.2 AA).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { listen } from './helpers/app.ts';
import { sessionOf } from './helpers/people.ts';
import { launchBrowser, axeOfPage } from './helpers/browser.ts';
import { exchangeFixture } from '../src/modules/exchange/exchange.fixture.ts';

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

async function signedIn(
  nationalId: string,
  mobile: string,
  lang: 'fa' | 'en',
): Promise<{ ctx: BrowserContext; page: Page; citizenId: string }> {
  const { token, ...c } = await sessionOf(f.t.ctx, nationalId, mobile);
  const ctx = await browser.newContext({ javaScriptEnabled: false, locale: lang === 'fa' ? 'fa-IR' : 'en-GB' });
  await ctx.addCookies([{ name: 'session', value: token, url: base }]);
  const page = await ctx.newPage();
  page.setDefaultTimeout(8000);
  return { ctx, page, citizenId: c.id };
}

const axeOf = (page: Page, label: string, failures: string[]) => axeOfPage(browser, base, page, label, failures);

const T = {
  fa: {
    ask: 'بله، بپرسید',
    legalId: 'شناسه ملی شرکت',
    colleague: 'کد ملی همکار',
    service: 'صدور پروانه کسب',
    give: 'دادن دسترسی',
    end: /پایان دادن به این دسترسی/,
    director: /مدیرعامل/,
    principal: /محمد صادقی/,
    given: /دسترسی ثبت شد/,
    ended: /دسترسی پایان یافت/,
    self: /این کد ملی خود شماست/,
  },
  en: {
    ask: 'Yes, ask them',
    legalId: "Company's national ID",
    colleague: "Your colleague's national ID",
    service: 'Apply for a trade licence',
    give: 'Give access',
    end: /End this access/,
    director: /Managing director/,
    principal: /Mohammad Sadeghi/,
    given: /Access given/,
    ended: /Access ended/,
    self: /That is your own national ID/,
  },
};

test('a director sees their companies and powers, gives a colleague access and ends it (fa and en, JavaScript off, axe-clean)', async () => {
  const failures: string[] = [];
  for (const lang of ['fa', 'en'] as const) {
    const t = T[lang];
    const { ctx, page } = await signedIn('2288990015', '09141230000', lang);
    await page.goto(`${base}/${lang}/account/representation`);
    await axeOf(page, `${lang} representation (before asking)`, failures);
    await page.getByRole('button', { name: t.ask }).click();
    const main = await page.locator('main').innerText();
    assert.match(main, t.director);
    assert.match(main, t.principal);
    await axeOf(page, `${lang} representation (companies and powers)`, failures);
    // a mistake first: their own national ID, no service
    await page.getByLabel(t.legalId).fill('10101234565');
    await page.getByLabel(t.colleague).fill('2288990015');
    await page.getByRole('button', { name: t.give }).click();
    assert.match(await page.title(), lang === 'fa' ? /^خطا: / : /^Error: /);
    assert.match(await page.locator('.error-summary').innerText(), t.self);
    assert.equal(await page.getByLabel(t.legalId).inputValue(), '10101234565', 'what was typed is kept');
    await axeOf(page, `${lang} grant form with errors`, failures);
    await page.getByLabel(t.colleague).fill('4411223341');
    await page.getByLabel(t.service).check();
    await page.getByRole('button', { name: t.give }).click();
    assert.match(await page.locator('main').innerText(), t.given);
    await axeOf(page, `${lang} grant given`, failures);
    await page.getByRole('button', { name: t.end }).click();
    assert.match(await page.locator('main').innerText(), t.ended);
    await ctx.close();
  }
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

test('a former board member applying for the company: refused on the page with the reason (fa and en, JavaScript off, axe-clean)', async () => {
  const failures: string[] = [];
  for (const lang of ['fa', 'en'] as const) {
    const { ctx, page, citizenId } = await signedIn('5123456783', '09111239876', lang);
    const draft = await f.t.ctx.applications.startDraft(
      { id: citizenId, national_id: '5123456783', mobile: '09111239876' },
      'apply-for-a-trade-licence',
      lang,
    );
    await page.goto(`${base}/${lang}/applications/${draft.id}/questions/company`);
    await page.getByLabel(lang === 'fa' ? 'شناسه ملی شرکت' : "Company's national ID").fill('10101234565');
    await page.getByRole('button', { name: lang === 'fa' ? 'ادامه' : 'Continue' }).click();
    assert.match(await page.title(), lang === 'fa' ? /^خطا: / : /^Error: /);
    assert.match(
      await page.locator('.error-summary').innerText(),
      lang === 'fa'
        ? /سمت شما در شرکت نشر پارس \(سهامی خاص\)/
        : /your role at Pars Publishing Co\. \(private joint stock\) ended on 1 May 2026/,
    );
    await axeOf(page, `${lang} refusal on the company page`, failures);
    assert.equal((await f.t.ctx.applications.repo.byId(draft.id))?.status, 'draft', 'nothing submitted');
    await ctx.close();
  }
  assert.deepEqual(failures, [], failures.join('\n\n'));
});
