// Issue 17 s.2 and s.7 in Chromium: life-event journeys (Persian and English, a 375-px phone, JavaScript
// off, axe-clean, the citizen's progress); the phone header in one row with a menu that opens without
// JavaScript; one primary action on the service page; reference numbers on one line; layout shift
// under 0.1, no console error and a meta description on the sign-in and apply pages.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { listen, testApp, type TestApp } from './helpers/app.ts';
import { axeViolations, describeViolations, launchBrowser } from './helpers/browser.ts';
import { citizenSession } from './helpers/people.ts';

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

const PHONE = { viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

async function cookieFor(who: { cookie: string }) {
  const [name, value] = who.cookie.split('=');
  return [{ name, value, url: base }];
}

/** axe-core needs JavaScript: the same page again in a phone context with it on. */
async function axeClean(url: string, who?: { cookie: string }) {
  const context = await browser.newContext({ ...PHONE, bypassCSP: true });
  if (who) await context.addCookies(await cookieFor(who));
  const page = await context.newPage();
  await page.goto(`${base}${url}`);
  const vs = await axeViolations(page);
  await context.close();
  assert.deepEqual(vs, [], `${url}: ${describeViolations(vs)}`);
}

async function noHorizontalScroll(page: Page) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width + 1, `the page is ${scroll}px wide on a ${width}px screen`);
}

test('a life event is a step-by-step journey on a phone, without JavaScript, in both languages, axe-clean, with the citizen progress', async () => {
  const who = await citizenSession(t.ctx);
  const draft = await t.ctx.applications.startDraft(
    { id: who.id, national_id: who.nationalId, mobile: who.mobile },
    'register-a-death',
    'fa',
  );
  const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
  await context.addCookies(await cookieFor(who));
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  for (const lang of ['fa', 'en'] as const) {
    await page.goto(`${base}/${lang}/life-events/losing-a-loved-one`);
    const steps = page.locator('ol.step-by-step > li');
    assert.equal(await steps.count(), 5);
    assert.match((await steps.nth(0).locator('h2').innerText()).replace(/\s+/g, ' '), lang === 'fa' ? /۱ ثبت فوت/ : /1 Register the death/);
    assert.match(await steps.nth(1).locator('.step-marker').innerText(), lang === 'fa' ? /^و$/ : /^and$/);
    assert.ok(await steps.nth(0).locator(`a[href="/${lang}/services/register-a-death"]`).isVisible(), 'the step links its service');
    // the citizen's draft is marked on its step, with a link to it
    assert.equal(await steps.nth(0).locator(`a[href="/${lang}/applications/${draft.id}"]`).count(), 1, await steps.nth(0).innerHTML());
    await noHorizontalScroll(page);
    await axeClean(`/${lang}/life-events/losing-a-loved-one`, who);
  }
  // the service link leads to the service's page
  await page.goto(`${base}/en/life-events/losing-a-loved-one`);
  await page.locator('ol.step-by-step a[href="/en/services/register-a-death"]').click();
  assert.match(page.url(), /\/en\/services\/register-a-death$/);
  await context.close();
});

test('on a phone the header is one row and its menu opens and closes without JavaScript; the service page has one primary action', async () => {
  const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  for (const lang of ['fa', 'en'] as const) {
    await page.goto(`${base}/${lang}/services/apply-for-an-ordinary-passport`);
    const row = page.locator('.site-header .header-row');
    const brand = await page.locator('.site-header .brand').boundingBox();
    const button = page.locator('.site-header .menu-button');
    assert.ok(await button.isVisible(), 'a menu button on a phone');
    const b = await button.boundingBox();
    assert.ok(brand && b && Math.abs(brand.y + brand.height / 2 - (b.y + b.height / 2)) < 12, 'brand and menu button on one row');
    assert.ok(((await row.boundingBox())?.height ?? 999) < 80, 'the header takes one row');
    assert.equal(await page.locator('#site-menu').isVisible(), false, 'links folded away');
    await button.click();
    assert.ok(await page.locator('#site-menu').isVisible(), 'the menu opens without JavaScript');
    assert.ok(
      await page
        .locator('#site-menu')
        .getByRole('link', { name: lang === 'fa' ? 'حساب من' : 'Your account' })
        .isVisible(),
    );
    await page.locator('#site-menu .menu-close').click();
    assert.equal(await page.locator('#site-menu').isVisible(), false, 'and closes');
    // one obvious primary action: apply here is the start button; the agency's own system is a link
    assert.equal(await page.locator('main a.button-start').count(), 1);
    assert.match((await page.locator('main a.button-start').getAttribute('href')) ?? '', /\/apply$/);
    await noHorizontalScroll(page);
    await axeClean(`/${lang}/services/apply-for-an-ordinary-passport`);
  }
  // on a wide screen the links are shown and the button is not
  const wide = await browser.newContext({ viewport: { width: 1200, height: 800 }, javaScriptEnabled: false });
  const wp = await wide.newPage();
  await wp.goto(`${base}/en`);
  assert.ok(await wp.locator('#site-menu').isVisible());
  assert.equal(await wp.locator('.menu-button').isVisible(), false);
  await wide.close();
  await context.close();
});

/** Sums layout shifts (not caused by input) from the start of the page until its fonts are loaded. */
async function measure(context: BrowserContext, url: string) {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(() => {
    const w = window as unknown as { __cls: number };
    w.__cls = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
        if (!e.hadRecentInput) w.__cls += e.value;
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto(url, { waitUntil: 'load' });
  const cls = await page.evaluate(async () => {
    await document.fonts.ready;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return { cls: (window as unknown as { __cls: number }).__cls, font: document.fonts.check('16px Vazirmatn') };
  });
  const description = await page.locator('meta[name="description"]').getAttribute('content');
  await page.close();
  return { ...cls, errors, description };
}

test('sign-in and apply pages: layout shift under 0.1, no console errors, a meta description (phone and desktop)', async () => {
  const who = await citizenSession(t.ctx);
  for (const opts of [PHONE, { viewport: { width: 1280, height: 800 } }]) {
    const context = await browser.newContext(opts);
    await context.addCookies(await cookieFor(who));
    for (const url of ['/fa/sign-in', '/en/sign-in', '/fa/services/register-a-death/apply', '/en/services/register-a-death/apply']) {
      const r = await measure(context, `${base}${url}`);
      assert.ok(r.cls < 0.1, `${url}: layout shift ${r.cls}`);
      assert.ok(r.font, `${url}: the web font loaded`);
      assert.deepEqual(r.errors, [], `${url}: console errors`);
      assert.ok(r.description && r.description.length > 20, `${url}: a meta description`);
    }
    await context.close();
  }
});

test('a reference number stays on one line on a phone', async () => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto(`${base}/en/help`);
  const lines = await page.evaluate(() => {
    const p = document.createElement('p');
    p.style.width = '90px';
    p.innerHTML = 'Reference <bdi dir="ltr" class="reference-number">PJ-ABCD-EFGH-JKLM</bdi> and more';
    document.querySelector('main')?.append(p);
    return p.querySelector('bdi')?.getClientRects().length;
  });
  assert.equal(lines, 1, 'one line box');
  await context.close();
});
