// End to end in Chromium, JavaScript off, with the demo civil registry behind the exchange: a mother sees
// whom she can apply for at /account/representation (after she asks), and someone who is not a child's
// parent or guardian is refused on the child's page with the reason, in Persian and in English. Every
// page is checked with axe-core (WCAG 2.2 AA).
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

/** A browser (JavaScript off) signed in as the demo person with this national ID. */
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

test('whom I can apply for: the account page asks first, then lists the minor children (fa and en, JavaScript off, axe-clean)', async () => {
  const failures: string[] = [];
  for (const lang of ['fa', 'en'] as const) {
    const { ctx, page } = await signedIn('0499370899', '09121234567', lang);
    await page.goto(`${base}/${lang}/account`);
    await page.getByRole('link', { name: lang === 'fa' ? 'برای چه کسانی می‌توانید درخواست بدهید' : 'Who you can apply for' }).click();
    assert.match(page.url(), new RegExp(`/${lang}/account/representation$`));
    assert.doesNotMatch(await page.locator('main').innerText(), /Sara|سارا/, 'nothing is fetched before she asks');
    await axeOf(page, `${lang} representation (before asking)`, failures);
    await page.getByRole('button', { name: lang === 'fa' ? 'بله، از ثبت احوال بپرسید' : 'Yes, ask the civil registry' }).click();
    const main = await page.locator('main').innerText();
    assert.match(main, lang === 'fa' ? /سارا محمدی/ : /Sara Mohammadi/);
    assert.doesNotMatch(main, lang === 'fa' ? /علی محمدی/ : /Ali Mohammadi/, 'her son is 18: not listed');
    assert.match(main, lang === 'fa' ? /۱۸ سالگی/ : /when they turn 18/);
    await axeOf(page, `${lang} representation (the list)`, failures);
    await ctx.close();
  }
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

test('applying for a child who is not theirs: refused on the page with the reason and what to do (fa and en, JavaScript off, axe-clean)', async () => {
  const failures: string[] = [];
  for (const lang of ['fa', 'en'] as const) {
    const { ctx, page, citizenId } = await signedIn('1122334451', '09131234500', lang);
    const draft = await f.t.ctx.applications.startDraft(
      { id: citizenId, national_id: '1122334451', mobile: '09131234500' },
      'transfer-your-child-to-another-school',
      lang,
    );
    await page.goto(`${base}/${lang}/applications/${draft.id}/questions/child`);
    await page.getByLabel(lang === 'fa' ? 'کد ملی فرزند' : "Your child's national ID").fill('3912009015');
    await page.getByRole('button', { name: lang === 'fa' ? 'ادامه' : 'Continue' }).click();
    assert.match(await page.title(), lang === 'fa' ? /^خطا: / : /^Error: /);
    const summary = await page.locator('.error-summary').innerText();
    assert.match(
      summary,
      lang === 'fa'
        ? /فردی با این کد ملی فرزند زیر ۱۸ سال شما یا فرزندی که سرپرستی قانونی‌اش با شماست ثبت نشده است/
        : /does not list anyone with this national ID as your child under 18/,
    );
    assert.match(
      summary,
      lang === 'fa' ? /کد ملی را از شناسنامه فرزندتان دوباره بنویسید/ : /Check the national ID on your child's birth certificate/,
    );
    assert.equal(
      await page.getByLabel(lang === 'fa' ? 'کد ملی فرزند' : "Your child's national ID").inputValue(),
      '3912009015',
      'what was typed is kept',
    );
    await axeOf(page, `${lang} refusal on the child's page`, failures);
    assert.equal((await f.t.ctx.applications.repo.byId(draft.id))?.status, 'draft', 'nothing submitted');
    await ctx.close();
  }
  assert.deepEqual(failures, [], failures.join('\n\n'));
});
