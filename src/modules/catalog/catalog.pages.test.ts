import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { parsePanjerehJson } from './importers/panjereh.ts';

let t: TestApp;
before(async () => {
  t = await testApp();
  await t.ctx.catalog.importBatch(
    parsePanjerehJson(
      JSON.stringify({
        agencies: [
          {
            code: 'zz-office',
            name: { fa: 'دفتر آزمایشی', en: 'Test Office' },
            connected: true,
            connectedSince: '2022-05-14',
            contact: { phone: '021-1522' },
          },
        ],
        services: [
          {
            slug: 'zz-permit',
            agency: 'zz-office',
            name: { fa: 'پروانه آزمایشی کوکا', en: 'Quokka test permit' },
            summary: { fa: 'خلاصه پروانه', en: 'Permit summary' },
            fees: [{ amount: 1250000, description: { fa: 'هزینه صدور', en: 'Issue fee' } }],
            processingDays: 7,
            documents: [{ fa: 'کارت ملی', en: 'National ID card' }],
            legalBasis: { fa: 'قانون آزمایشی ۱۴۰۰', en: 'Test Act 2021' },
            categories: ['health'],
            lifeEvents: ['falling-ill'],
            channels: [
              { type: 'online', url: 'https://example.org/apply' },
              { type: 'phone', phone: '1522' },
            ],
            maturity: 3,
            status: 'published',
          },
          { slug: 'zz-old', agency: 'zz-office', name: { en: 'Old English-only permit' }, maturity: 1, status: 'retired' },
        ],
      }),
    ),
    'test',
  );
});
after(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

test('"/" sends visitors to their language: cookie, then Accept-Language, then Persian', async () => {
  assert.equal((await get('/')).headers.location, '/fa');
  assert.equal((await get('/', { 'accept-language': 'en-GB,en;q=0.9' })).headers.location, '/en');
  assert.equal((await get('/', { 'accept-language': 'de, fa;q=0.5' })).headers.location, '/fa');
  assert.equal((await get('/', { cookie: 'lang=en', 'accept-language': 'fa' })).headers.location, '/en');
  const visit = await get('/en');
  assert.match(String(visit.headers['set-cookie']), /lang=en/);
});

test('every page sets lang and dir; Persian pages are right-to-left', async () => {
  for (const url of [
    '/fa',
    '/fa/search?q=test',
    '/fa/services/zz-permit',
    '/fa/agencies',
    '/fa/agencies/zz-office',
    '/fa/categories/health',
    '/fa/life-events/falling-ill',
  ]) {
    const res = await get(url);
    assert.equal(res.statusCode, 200, url);
    assert.match(res.body, /<html lang="fa" dir="rtl">/, url);
    const en = await get(url.replace('/fa', '/en'));
    assert.match(en.body, /<html lang="en" dir="ltr">/, url);
  }
});

test('the service card is a start page: cost, time, documents, how to apply, agency, legal basis', async () => {
  const fa = (await get('/fa/services/zz-permit')).body;
  assert.match(fa, /<h1>پروانه آزمایشی کوکا<\/h1>/);
  assert.match(fa, /۱٬۲۵۰٬۰۰۰ ریال/, 'fees in Persian digits');
  assert.match(fa, /حداکثر ۷ روز کاری/);
  assert.match(fa, /کارت ملی/);
  assert.match(fa, /قانون آزمایشی ۱۴۰۰/);
  assert.match(fa, /href="https:\/\/example.org\/apply"/);
  assert.match(fa, /۱۵۲۲/);
  assert.match(fa, /href="\/fa\/agencies\/zz-office"/);
  assert.match(
    fa,
    /آخرین به‌روزرسانی<\/dt><dd>[۰-۹]{1,2} (فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند) ۱۴[۰-۹]{2} \(نسخه ۱\)/,
    'Jalali date',
  );
  const en = (await get('/en/services/zz-permit')).body;
  assert.match(en, /1,250,000 rials/);
  assert.match(en, /Up to 7 working days/);
  assert.ok(en.includes(`<link rel="alternate" hreflang="fa" href="${t.ctx.config.PUBLIC_URL}/fa/services/zz-permit"/>`));
  assert.match(en, /<a href="\/fa\/services\/zz-permit" hreflang="fa" lang="fa" class="lang-switch">فارسی<\/a>/);
});

test('text missing in the page language falls back to the other, marked with its own lang', async () => {
  const res = await get('/fa/services/zz-old');
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /<span lang="en" dir="ltr">Old English-only permit<\/span>/);
  assert.match(res.body, /دیگر ارائه نمی‌شود/, 'retired notice');
});

test('the agency page shows its connection status with a Jalali date and its services', async () => {
  const fa = (await get('/fa/agencies/zz-office')).body;
  assert.match(fa, /متصل به پنجره از ۲۴ اردیبهشت ۱۴۰۱/);
  assert.match(fa, /پروانه آزمایشی کوکا/);
  const en = (await get('/en/agencies/zz-office')).body;
  assert.match(en, /Connected to Panjereh since 14 May 2022/);
});

test('search page: results and facets without JavaScript; a too-long query is an error that keeps the text', async () => {
  const ok = await get('/en/search?q=quokka');
  assert.match(ok.body, /Quokka test permit/);
  assert.match(ok.body, /<form class="facets" id="filters" method="get" action="\/en\/search"/);
  assert.match(ok.body, /<h2 id="results-count" aria-live="polite">1 result for «quokka»<\/h2>/);
  assert.match(ok.body, /name="category" value="health"/);
  const filtered = await get('/en/search?q=quokka&channel=phone');
  assert.match(filtered.body, /<input type="checkbox" id="f-channel-phone" name="channel" value="phone" checked\/>/);
  assert.doesNotMatch(filtered.body, /value="online" checked/);

  const long = 'x'.repeat(250);
  const bad = await get(`/en/search?q=${long}`);
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /<title>Error: /);
  assert.match(bad.body, /class="error-summary"/);
  assert.match(bad.body, /href="#q"/);
  assert.ok(bad.body.includes(`value="${long}"`), 'what the user typed is kept');
  const unknown = await get('/fa/search?channel=fax');
  assert.equal(unknown.statusCode, 400);
  assert.match(unknown.body, /<title>خطا: /);
});

test('nothing found: one clear message (not also "some of the words"), no empty filter panel, and where to go next', async () => {
  const none = await get('/en/search?q=xqzvw%20jjkkqq');
  assert.equal(none.statusCode, 200);
  assert.match(none.body, /No services match your search\./);
  assert.doesNotMatch(none.body, /match some of the words/);
  assert.doesNotMatch(none.body, /id="filters"/, 'no filter panel with nothing to filter');
  assert.match(none.body, /href="\/en#life-events"/);
  assert.match(none.body, /href="\/en\/help"/);
  // with a filter set, the panel stays so the filter can be removed
  assert.match((await get('/en/search?q=xqzvw&channel=phone')).body, /id="filters"/);
});

test('did you mean: when a search finds only some words, the closest known wording is offered as a link', async () => {
  const r = await get('/en/search?q=quokkka%20zzxxq');
  assert.match(r.body, /Did you mean: <a href="\/en\/search\?q=quokka(\+|%20)zzxxq"><bdi>quokka zzxxq<\/bdi><\/a>\?/);
  const fa = await get(`/fa/search?q=${encodeURIComponent('کوکاا زززژ')}`);
  assert.match(fa.body, /منظورتان این بود: <a href="\/fa\/search\?q=/);
});

test('unknown pages get the standard 404 page; unknown languages too', async () => {
  for (const url of ['/fa/services/no-such-thing', '/en/agencies/none', '/fa/categories/nope', '/fa/nothing/here']) {
    const res = await get(url);
    assert.equal(res.statusCode, 404, url);
    assert.match(res.headers['content-type'] as string, /text\/html/);
    assert.match(res.body, url.startsWith('/fa') ? /صفحه پیدا نشد/ : /Page not found/, url);
  }
  assert.equal((await get('/de')).statusCode, 404);
});

test('assets: the stylesheet and self-hosted font are cacheable; pages are small', async () => {
  const home = await get('/fa');
  const css = /href="(\/assets\/[0-9a-f]{12}\/app\.css)"/.exec(home.body)![1];
  const res = await get(css);
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['cache-control'] as string, /immutable/);
  const font = await get('/assets/font/vazirmatn.woff2');
  assert.equal(font.headers['content-type'], 'font/woff2');
  assert.ok(home.body.length < 60_000, `home page is ${home.body.length} bytes`);
  assert.doesNotMatch(home.body, /<script/);
});
