// End to end in Chromium, JavaScript off: an attorney applies for their principal (through the routes),
// then the principal finds the application on their own account, from their applications list, and
// objects: an empty reason is refused with an error summary, then the objection is recorded. Persian and
// English, every page checked with axe-core (WCAG 2.2 AA).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { listen } from './helpers/app.ts';
import { client, sessionOf } from './helpers/people.ts';
import { launchBrowser, axeOfPage } from './helpers/browser.ts';
import { exchangeFixture } from '../src/modules/exchange/exchange.fixture.ts';

const VEHICLE = 'transfer-vehicle-ownership';
const AMIR = { nid: '2288990015', mobile: '09141230000' };
const MOHAMMAD = { nid: '6789012346', mobile: '09120000017' };

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

async function attorneyApplies(): Promise<string> {
  const { token } = await sessionOf(f.t.ctx, AMIR.nid, AMIR.mobile);
  const b = client(f.t.app, `session=${token}`);
  await b.get(`/fa/services/${VEHICLE}/apply`);
  const r = await b.post(`/fa/services/${VEHICLE}/apply`, {});
  const appId = /\/applications\/([0-9a-f-]{36})/.exec(r.headers.location as string)?.[1] ?? '';
  const appPath = `/fa/applications/${appId}`;
  await b.get(`${appPath}/questions/applicant`);
  await b.post(`${appPath}/questions/applicant`, { nationalId: AMIR.nid, mobile: AMIR.mobile });
  await b.post(`${appPath}/questions/owner`, { ownerNationalId: MOHAMMAD.nid });
  await b.post(`${appPath}/questions/vehicle`, { plate: '12ب345-67', buyerNationalId: '1122334451' });
  await b.get(`${appPath}/check`);
  const draft = await f.t.ctx.applications.repo.byId(appId);
  assert.equal((await b.post(`${appPath}/submit`, { submissionToken: draft?.submission_token ?? '' })).statusCode, 303);
  return appId;
}

const axeOf = (page: Page, label: string, failures: string[]) => axeOfPage(browser, base, page, label, failures);

const T = {
  fa: {
    list: 'درخواست‌هایی که دیگران به نام شما ثبت کرده‌اند',
    object: /اعتراض به این درخواست/,
    reason: 'چرا به این درخواست اعتراض دارید؟',
    send: 'فرستادن اعتراض',
    empty: /بنویسید چرا اعتراض دارید/,
    done: /اعتراض شما ثبت شد/,
    by: /ثبت‌شده برای شما به دست دارنده کد ملی/,
  },
  en: {
    list: 'Applications others made in your name',
    object: /Object to this application/,
    reason: 'Why do you object to this application?',
    send: 'Send the objection',
    empty: /Enter why you object/,
    done: /Your objection is recorded/,
    by: /Made for you by the holder of national ID/,
  },
};

test('the principal finds the application made in their name and objects (fa and en, JavaScript off, axe-clean)', async () => {
  const failures: string[] = [];
  for (const lang of ['fa', 'en'] as const) {
    const appId = await attorneyApplies();
    const { token } = await sessionOf(f.t.ctx, MOHAMMAD.nid, MOHAMMAD.mobile);
    const ctx = await browser.newContext({ javaScriptEnabled: false, locale: lang === 'fa' ? 'fa-IR' : 'en-GB' });
    await ctx.addCookies([{ name: 'session', value: token, url: base }]);
    const page = await ctx.newPage();
    page.setDefaultTimeout(8000);
    const t = T[lang];
    await page.goto(`${base}/${lang}/applications`);
    await page.getByRole('link', { name: t.list }).click();
    assert.match(await page.content(), t.by);
    await axeOf(page, `${lang} made-for-me`, failures);
    await page.locator(`a[href$="/made-for-me/${appId}/object"]`).click();
    assert.equal(await page.locator('h1').innerText(), t.reason);
    await axeOf(page, `${lang} object`, failures);
    await page.getByRole('button', { name: t.send }).click();
    assert.match(await page.title(), lang === 'fa' ? /^خطا: / : /^Error: /);
    assert.match(await page.locator('.error-summary').innerText(), t.empty);
    await axeOf(page, `${lang} object error`, failures);
    await page.getByLabel(t.reason).fill(lang === 'fa' ? 'من چنین درخواستی نداده‌ام' : 'I did not ask for this');
    await page.getByRole('button', { name: t.send }).click();
    assert.match(await page.content(), t.done);
    await axeOf(page, `${lang} objected`, failures);
    await ctx.close();
  }
  assert.deepEqual(failures, []);
});
