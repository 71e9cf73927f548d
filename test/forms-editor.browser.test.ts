// The form editor in Chromium: without JavaScript the Preview button shows the pages (and the problems,
// by line and JSON path) and Publish makes a new version; with JavaScript the preview follows the typing.
// axe-core (WCAG 2.2 AA) on the editor in Persian and English, with and without errors.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { listen, testApp, type TestApp } from './helpers/app.ts';
import { axeViolations, describeViolations, launchBrowser } from './helpers/browser.ts';
import { staffSession } from './helpers/people.ts';

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

const SLUG = 'certificate-of-single-status';
const PATH = `/staff/agencies/ir-nocr/services/${SLUG}/form`;

async function contexts(javaScriptEnabled: boolean) {
  const s = await staffSession(t.ctx, 'service-editor', 'ir-nocr', 'Editor Rahimi');
  const [name, value] = s.cookie.split('=');
  const ctx = await browser.newContext({ javaScriptEnabled, locale: 'fa-IR' });
  await ctx.addCookies([{ name, value, url: base }]);
  const axeCtx = await browser.newContext({ bypassCSP: true });
  await axeCtx.addCookies([{ name, value, url: base }]);
  const page = await ctx.newPage();
  page.setDefaultTimeout(5000);
  return { page, axePage: await axeCtx.newPage(), close: async () => (await ctx.close(), await axeCtx.close()) };
}

async function axeOf(axePage: Page, html: string | null, url: string | null): Promise<string> {
  if (html !== null) await axePage.setContent(html.replace('<head>', `<head><base href="${base}/">`), { waitUntil: 'load' });
  else await axePage.goto(url!);
  return describeViolations(await axeViolations(axePage));
}

test('without JavaScript: preview, problems by JSON path, publish (axe-clean fa+en)', async () => {
  const failures: string[] = [];
  const { page, axePage, close } = await contexts(false);
  for (const lang of ['fa', 'en']) {
    const v = await axeOf(axePage, null, `${base}/${lang}${PATH}`);
    if (v) failures.push(`editor ${lang}\n${v}`);
  }
  await page.goto(`${base}/en${PATH}`);
  assert.match(await page.locator('#preview-body').innerText(), /Full name/);
  const text = await page.locator('#definition').inputValue();
  const def = JSON.parse(text);
  def.pages[1].fields[0].type = 'colour';
  await page.locator('#definition').fill(JSON.stringify(def, null, 2));
  await page.getByRole('button', { name: 'Preview' }).click();
  assert.match(await page.locator('.error-summary').innerText(), /\/pages\/1\/fields\/0\/type: must be one of/);
  assert.match(await page.title(), /^Error: /);
  const v1 = await axeOf(axePage, await page.content(), null);
  if (v1) failures.push(`editor with errors\n${v1}`);

  def.pages[1].fields[0].type = 'text';
  def.pages[1].fields[0].hint = { fa: 'همان‌گونه که در کارت ملی آمده است', en: 'As it appears on your national ID card' };
  await page.locator('#definition').fill(JSON.stringify(def, null, 2));
  await page.getByRole('button', { name: 'Preview' }).click();
  assert.equal(await page.locator('.error-summary').count(), 0);
  assert.match(await page.locator('#preview-body').innerText(), /As it appears on your national ID card/);
  const v2 = await axeOf(axePage, await page.content(), null);
  if (v2) failures.push(`editor with a preview\n${v2}`);
  const before = (await t.ctx.applications.currentFormBySlug(SLUG))!.version;
  await page.getByRole('button', { name: /Publish as version/ }).click();
  assert.match(await page.locator('.notice').innerText(), new RegExp(`Version ${before + 1} of the form is published`));
  await page.goto(`${base}/fa${PATH}?published=${before + 1}`);
  const v3 = await axeOf(axePage, await page.content(), null);
  if (v3) failures.push(`editor after publishing (fa)\n${v3}`);
  await close();
  assert.deepEqual(failures, [], failures.join('\n\n'));
});

test('with JavaScript: the preview follows the typing', async () => {
  const { page, close } = await contexts(true);
  await page.goto(`${base}/en${PATH}`);
  const def = JSON.parse(await page.locator('#definition').inputValue());
  def.pages[0].title = { fa: 'درباره شما', en: 'About you, live' };
  await page.locator('#definition').fill(JSON.stringify(def, null, 2));
  await page.locator('#preview-body').getByText('About you, live').waitFor();
  assert.equal(await page.locator('#preview-status').textContent(), 'Preview updated');
  await page.locator('#definition').fill('{"service": ');
  await page
    .locator('#preview-body')
    .getByText(/No preview: \d+ problem/)
    .waitFor();
  assert.match(await page.locator('#preview-body').innerText(), /JSON syntax/);
  await close();
});

test('the counter applications page: record a figure without JavaScript (axe-clean fa+en, errors included)', async () => {
  const failures: string[] = [];
  const s = await staffSession(t.ctx, 'operator', 'ir-nocr', 'Officer Karimi');
  const [name, value] = s.cookie.split('=');
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  await ctx.addCookies([{ name, value, url: base }]);
  const axeCtx = await browser.newContext({ bypassCSP: true });
  await axeCtx.addCookies([{ name, value, url: base }]);
  const page = await ctx.newPage();
  const axePage = await axeCtx.newPage();
  page.setDefaultTimeout(5000);
  await axePage.goto(`${base}/en/staff/agencies/ir-nocr/offline-applications`); // the stylesheet, cached for the pages checked as shown
  await page.goto(`${base}/en/staff/applications`);
  await page.getByRole('link', { name: 'Counter applications' }).click();
  await page.getByRole('button', { name: 'Record' }).click();
  assert.match(await page.locator('.error-summary').innerText(), /Select a service from the list/);
  const v1 = await axeOf(axePage, await page.content(), null);
  if (v1) failures.push(`counter page with errors\n${v1}`);
  await page.getByLabel('Service').selectOption({ label: 'Get a certificate of single status' });
  const month = new Date().toISOString().slice(0, 7);
  await page.getByLabel('Year').fill(month.slice(0, 4));
  await page.getByLabel('Month (1 to 12)').fill(month.slice(5));
  await page.getByLabel('Number of paper or in-person applications').fill('120');
  await page.getByRole('button', { name: 'Record' }).click();
  assert.match(await page.locator('.notice').innerText(), /was recorded/);
  assert.match(await page.locator('table').innerText(), /120/);
  for (const lang of ['fa', 'en']) {
    const v = await axeOf(axePage, null, `${base}/${lang}/staff/agencies/ir-nocr/offline-applications`);
    if (v) failures.push(`counter page ${lang}\n${v}`);
  }
  await ctx.close();
  await axeCtx.close();
  assert.deepEqual(failures, [], failures.join('\n\n'));
});
