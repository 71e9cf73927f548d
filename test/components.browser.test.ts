// Issue 17 §8: every shared component (src/web/components/fixtures.tsx: normal, with a hint, with an
// error) rendered in Chromium in Persian and English, checked with axe (WCAG 2.0-2.2 A and AA) and for
// the GOV.UK patterns: errors linked with aria-describedby, the summary's links land on a control,
// fieldset and legend for groups, pagination's rel and aria-current, no inline styles.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { render } from 'preact-render-to-string';
import type { Browser, Page } from 'playwright-core';
import { ASSETS } from '../src/web/assets.ts';
import { ComponentFixturesPage, componentExamples } from '../src/web/components/fixtures.tsx';
import { axeViolations, describeViolations, launchBrowser } from './helpers/browser.ts';
import type { Lang } from '../src/platform/i18n.ts';

let browser: Browser;
before(async () => (browser = await launchBrowser()));
after(async () => browser?.close());

const ORIGIN = 'http://components.test';

/** Opens the fixtures page: the HTML rendered here, the stylesheet and font from src/web/assets. */
async function open(lang: Lang): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: true, bypassCSP: true });
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  const html = `<!doctype html>${render(ComponentFixturesPage({ lang }))}`;
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === `/${lang}/components`) return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
    const asset = /^\/assets\/[0-9a-f]+\/(.+)$/.exec(url.pathname);
    const a = asset ? ASSETS[asset[1]] : undefined;
    if (a) return route.fulfill({ status: 200, contentType: a.type, body: fs.readFileSync(a.file) });
    return route.fulfill({ status: 404, body: '' });
  });
  await page.goto(`${ORIGIN}/${lang}/components`);
  return page;
}

for (const lang of ['fa', 'en'] as const) {
  test(`components (${lang}): every example renders and axe finds no WCAG 2.2 AA violation`, async () => {
    const page = await open(lang);
    assert.equal(await page.getAttribute('html', 'dir'), lang === 'fa' ? 'rtl' : 'ltr');
    const names = await page.locator('[data-component]').evaluateAll((els) => els.map((e) => e.getAttribute('data-component')));
    assert.deepEqual(
      names,
      componentExamples(lang).map((e) => e.name),
    );
    for (const must of [
      'text input',
      'textarea',
      'select',
      'radios',
      'checkboxes',
      'date',
      'file',
      'error summary',
      'pagination',
      'back link',
      'summary list',
      'panel',
      'tags',
      'table',
      'buttons and CSRF field',
    ]) {
      assert.ok(names.includes(must), `an example of ${must}`);
    }
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], describeViolations(violations));
    await page.context().close();
  });

  test(`components (${lang}): errors, hints and groups are linked the GOV.UK way`, async () => {
    const page = await open(lang);
    // every error summary link lands on a control that exists
    for (const href of await page.locator('.error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))) {
      const target = page.locator(href);
      assert.equal(await target.count(), 1, href);
      assert.match((await target.evaluate((el) => el.tagName)).toLowerCase(), /^(input|select|textarea)$/, href);
    }
    // every error message is read with its control (or its group), with a hidden "Error:" prefix
    const errors = await page.locator('.error-message').evaluateAll((ps) =>
      ps.map((p) => ({
        id: p.id,
        prefix: p.querySelector('.visually-hidden')?.textContent ?? '',
        describes: document.querySelectorAll(`[aria-describedby~="${p.id}"]`).length,
      })),
    );
    assert.equal(errors.length, 7, 'one message per example in error');
    for (const e of errors) {
      assert.equal(e.describes, 1, `${e.id} is in one aria-describedby`);
      assert.equal(e.prefix.trim(), lang === 'fa' ? 'خطا:' : 'Error:');
    }
    // a control in error is marked invalid; its hint is described too
    assert.equal(await page.getAttribute('#id-error', 'aria-invalid'), 'true');
    assert.equal(await page.getAttribute('#id-error', 'aria-describedby'), 'id-error-hint id-error-error');
    // radios, checkboxes and dates are fieldsets named by their legend
    for (const id of ['contact-sms', 'docs-birth', 'born-day']) {
      const legend = await page.locator(`#${id}`).evaluate((el) => el.closest('fieldset')?.querySelector('legend')?.textContent ?? '');
      assert.ok(legend.trim().length > 0, `${id} has a legend`);
    }
    // the date asks for Solar Hijri on Persian pages and says so
    assert.equal(await page.locator('input[name="born-calendar"]').getAttribute('value'), lang === 'fa' ? 'jalali' : 'gregorian');
    // pagination: rel prev/next, the current page marked, numbers in the page's digits
    const nav = page.locator('nav.pagination');
    assert.equal(await nav.locator('a[rel="prev"]').getAttribute('href'), `/${lang}/search?page=3`);
    assert.equal(await nav.locator('a[rel="next"]').getAttribute('href'), `/${lang}/search?page=5`);
    assert.equal((await nav.locator('[aria-current="page"]').textContent())?.trim(), lang === 'fa' ? '۴' : '4');
    // the CSRF field and the table's caption and header scopes
    assert.equal(await page.locator('form input[type="hidden"][name="_csrf"]').count(), 1);
    assert.equal(await page.locator('table caption').count(), 1);
    assert.equal(await page.locator('table th[scope="col"]').count(), 2);
    // buttons: primary, secondary, warning and a start link
    for (const cls of [
      '.button:not(.button-secondary):not(.button-warning):not(.button-start)',
      '.button-secondary',
      '.button-warning',
      'a.button-start',
    ]) {
      assert.equal(await page.locator(`[data-component="buttons and CSRF field"] ${cls}`).count(), 1, cls);
    }
    // no inline styles anywhere
    assert.equal(await page.locator('main [style]').count(), 0);
    await page.context().close();
  });
}
