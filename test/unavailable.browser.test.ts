// The "temporarily unavailable" page (PostgreSQL away) in Chromium: right language and direction,
// readable without JavaScript, axe-clean in fa and en. The page is rendered by the app's own error
// handler for a real connection error and shown with the app's stylesheet.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { listen, testApp, type TestApp } from './helpers/app.ts';
import { axeViolations, describeViolations, launchBrowser } from './helpers/browser.ts';
import { freePort } from './helpers/cluster.ts';
import { registerErrorHandling } from '../src/platform/http.ts';
import { renderErrorPage } from '../src/web/web.routes.tsx';

let t: TestApp;
let base: string;
let browser: Browser;
before(async () => {
  t = await testApp();
  base = await listen(t);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await t?.close();
});

test('the temporarily unavailable page is clear and axe-clean in fa and en', async () => {
  const refused = await new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${await freePort()}/x` }).connect().then(
    () => null,
    (e: Error) => e,
  );
  const app = Fastify();
  registerErrorHandling(app, renderErrorPage);
  app.get('/:lang/applications', async () => Promise.reject(refused));
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  for (const [lang, dir, title] of [
    ['fa', 'rtl', 'سامانه موقتاً در دسترس نیست'],
    ['en', 'ltr', 'The service is temporarily unavailable'],
  ] as const) {
    const res = await app.inject(`/${lang}/applications`);
    assert.equal(res.statusCode, 503);
    await page.goto(`${base}/${lang}`);
    await page.setContent(res.body, { waitUntil: 'load' });
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    assert.equal(await page.getAttribute('html', 'dir'), dir);
    assert.equal((await page.textContent('h1'))?.trim(), title);
    assert.ok(await page.locator(`a[href="/${lang}"]`).count(), 'a way back to the home page');
    const v = await axeViolations(page);
    assert.deepEqual(v, [], describeViolations(v));
  }
  await context.close();
  await app.close();
});
