import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { parsePanjerehJson } from './importers/panjereh.ts';

let t: TestApp;

// Cards whose words the search assertions rely on, next to the demo catalogue.
const fixture = {
  agencies: [
    { code: 'test-registry', name: { fa: 'اداره آزمایشی ثبت', en: 'Test Registry Office' }, connected: true, connectedSince: '2023-03-21' },
  ],
  services: [
    {
      slug: 'zz-track-requests',
      agency: 'test-registry',
      name: { fa: 'پیگیری درخواست‌ها در زیرسامانه زرین', en: 'Track zarrin requests' },
      summary: { fa: 'وضعیت درخواست‌ها', en: 'See where requests stand' },
      maturity: 4,
      channels: [{ type: 'window' }],
      audience: ['citizens'],
      status: 'published',
    },
    {
      slug: 'zz-widget-licence',
      agency: 'test-registry',
      name: { fa: 'پروانه ابزارک', en: 'Widget licence' },
      description: { en: 'Needed before a quokkaport is issued.' },
      maturity: 2,
      audience: ['businesses'],
      channels: [{ type: 'in-person' }],
      status: 'published',
    },
    {
      slug: 'zz-quokkaport-renewal',
      agency: 'test-registry',
      name: { fa: 'تمدید کوکاپورت', en: 'Quokkaport renewal' },
      maturity: 3,
      audience: ['citizens'],
      channels: [{ type: 'online', url: 'https://example.org/q' }],
      status: 'published',
    },
    { slug: 'zz-draft-card', agency: 'test-registry', name: { en: 'Quokkaport draft' }, maturity: 1, status: 'draft' },
    {
      slug: 'zz-tax-1402',
      agency: 'test-registry',
      name: { fa: 'استرداد مالیات ۱۴۰۲ زرین', en: 'Zarrin tax refund 1402' },
      maturity: 3,
      status: 'published',
    },
  ],
};

before(async () => {
  t = await testApp();
  const summary = await t.ctx.catalog.importBatch(parsePanjerehJson(JSON.stringify(fixture)), 'test');
  assert.equal(summary.created, 5);
});
after(() => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url });
const search = async (qs: string) => {
  const res = await get(`/api/v1/services?${qs}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
};

test('GET /healthz answers ok when the database answers', async () => {
  const res = await get('/healthz');
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { status: 'ok', database: 'up' });
});

test('search returns the documented shape with facets and paging', async () => {
  const body = await search('lang=en&pageSize=5');
  assert.ok(body.total >= 150, `demo catalogue has ${body.total} published services`);
  assert.equal(body.page, 1);
  assert.equal(body.pageSize, 5);
  assert.equal(body.items.length, 5);
  const item = body.items[0];
  for (const k of ['id', 'slug', 'name', 'summary', 'agency', 'maturity', 'channels', 'url']) assert.ok(k in item, k);
  assert.ok('fa' in item.name && 'en' in item.name);
  assert.match(item.url, /\/en\/services\//);
  for (const f of ['agency', 'category', 'audience', 'channel', 'maturity'])
    assert.ok(Array.isArray(body.facets[f]) && body.facets[f].length > 0, f);
  const sum = body.facets.maturity.reduce((n: number, x: { count: number }) => n + x.count, 0);
  assert.equal(sum, body.total, 'every card has one maturity stage');
  const page2 = await search('lang=en&pageSize=5&page=2');
  assert.notEqual(page2.items[0].id, item.id);
});

test('Persian search matches Arabic-keyboard letters, ZWNJ variants and Persian digits', async () => {
  for (const q of ['درخواست‌ها زرین', 'درخواست ها زرین', 'درخواستها زرين']) {
    const body = await search(`q=${encodeURIComponent(q)}`);
    assert.equal(body.items[0]?.slug, 'zz-track-requests', q);
  }
  for (const q of ['مالیات ۱۴۰۲ زرین', 'ماليات 1402 زرين', 'مالیات ١٤٠٢ زرین']) {
    const body = await search(`q=${encodeURIComponent(q)}`);
    assert.equal(body.items[0]?.slug, 'zz-tax-1402', q);
  }
});

test('English search ignores case and accents, matches prefixes and tolerates typos', async () => {
  for (const q of ['QUOKKAPORT', 'quokkapórt', 'quokka', 'quokaport', 'qokkaport renewl']) {
    const body = await search(`lang=en&q=${encodeURIComponent(q)}`);
    assert.ok(
      body.items.some((i: { slug: string }) => i.slug === 'zz-quokkaport-renewal'),
      q,
    );
  }
  const typo = await search('lang=en&q=pasport');
  assert.ok(typo.total > 0 && /passport/i.test(typo.items[0].name.en), 'pasport finds a passport service');
});

test('a name match ranks above a description match; drafts are never found', async () => {
  const body = await search('lang=en&q=quokkaport');
  const slugs = body.items.map((i: { slug: string }) => i.slug);
  assert.deepEqual(slugs, ['zz-quokkaport-renewal', 'zz-widget-licence']);
});

test('facets filter (any value within a facet, all facets together) and keep other counts', async () => {
  const all = await search('q=quokkaport&lang=en');
  assert.equal(all.total, 2);
  const biz = await search('q=quokkaport&lang=en&audience=businesses');
  assert.deepEqual(
    biz.items.map((i: { slug: string }) => i.slug),
    ['zz-widget-licence'],
  );
  // the audience facet still counts both values, so a user can widen the choice
  assert.deepEqual(biz.facets.audience.map((f: { value: string; count: number }) => [f.value, f.count]).sort(), [
    ['businesses', 1],
    ['citizens', 1],
  ]);
  const both = await search('q=quokkaport&lang=en&audience=businesses&audience=citizens');
  assert.equal(both.total, 2);
  const none = await search('q=quokkaport&lang=en&audience=businesses&maturity=3');
  assert.equal(none.total, 0);
  const agency = await search('agency=test-registry&lang=fa');
  assert.equal(agency.total, 4);
  assert.equal(agency.facets.agency.find((f: { value: string }) => f.value === 'test-registry').label, 'اداره آزمایشی ثبت');
});

test('bad parameters get a 400 with a stable code, never a 500', async () => {
  const cases: [string, string][] = [
    ['pageSize=0', 'PAGE_SIZE_OUT_OF_RANGE'],
    ['pageSize=10000', 'PAGE_SIZE_OUT_OF_RANGE'],
    ['pageSize=ten', 'PAGE_SIZE_OUT_OF_RANGE'],
    ['page=0', 'PAGE_OUT_OF_RANGE'],
    ['page=-3', 'PAGE_OUT_OF_RANGE'],
    ['channel=fax', 'UNKNOWN_FACET_VALUE'],
    ['agency=no-such-agency', 'UNKNOWN_FACET_VALUE'],
    ['maturity=9', 'UNKNOWN_FACET_VALUE'],
    ['category=%3Cscript%3E', 'UNKNOWN_FACET_VALUE'],
    [`q=${'ا'.repeat(2000)}`, 'QUERY_TOO_LONG'],
    ['lang=de', 'UNKNOWN_LANGUAGE'],
  ];
  for (const [qs, code] of cases) {
    const res = await get(`/api/v1/services?${qs}`);
    assert.equal(res.statusCode, 400, qs);
    assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
    const body = res.json();
    assert.equal(body.code, code, qs);
    assert.ok(body.message && body.requestId, qs);
  }
});

test('any query string gets 200 or a 4xx problem, never a 500 (property)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.dictionary(
        fc.constantFrom('q', 'lang', 'page', 'pageSize', 'agency', 'category', 'channel', 'maturity', 'audience', 'lifeEvent', 'x'),
        fc.string({ maxLength: 300 }),
        { maxKeys: 5 },
      ),
      async (params) => {
        const res = await get(`/api/v1/services?${new URLSearchParams(params)}`);
        assert.ok(
          res.statusCode === 200 || (res.statusCode >= 400 && res.statusCode < 500),
          `${res.statusCode} for ${JSON.stringify(params)}`,
        );
        if (res.statusCode !== 200) assert.ok(res.json().code);
      },
    ),
    { numRuns: 150 },
  );
});

test('GET /api/v1/services/{id} returns the whole card by id or slug, and a 404 problem when unknown', async () => {
  const bySlug = await get('/api/v1/services/zz-quokkaport-renewal');
  assert.equal(bySlug.statusCode, 200);
  const card = bySlug.json();
  assert.equal(card.name.en, 'Quokkaport renewal');
  assert.equal(card.agency.id, 'test-registry');
  assert.deepEqual(card.maturity, { stage: 3, name: { fa: 'ثبت درخواست برخط', en: 'Online submission' } });
  assert.equal(card.version, 1);
  assert.equal(card.history.length, 1);
  assert.equal(card.history[0].author, 'test');
  const byId = await get(`/api/v1/services/${card.id}`);
  assert.equal(byId.json().slug, 'zz-quokkaport-renewal');

  for (const id of [
    'no-such-service',
    '00000000-0000-0000-0000-000000000000',
    'zz-draft-card',
    '..%2F..%2Fetc%2Fpasswd',
    'x'.repeat(190),
  ]) {
    const res = await get(`/api/v1/services/${id}`);
    assert.equal(res.statusCode, 404, id);
    assert.equal(res.json().code, 'SERVICE_NOT_FOUND', id);
  }
});

test('agencies API lists agencies with counts and shows one with its services', async () => {
  const list = (await get('/api/v1/agencies')).json();
  assert.ok(list.total >= 25);
  const reg = list.items.find((a: { id: string }) => a.id === 'test-registry');
  assert.equal(reg.serviceCount, 4);
  assert.equal(reg.connected, true);
  assert.equal(reg.connectedSince, '2023-03-21');
  const one = (await get('/api/v1/agencies/test-registry')).json();
  assert.equal(one.services.length, 4);
  const missing = await get('/api/v1/agencies/nope');
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().code, 'AGENCY_NOT_FOUND');
});

test('open data: CSV and JSON with a licence, cached by ETag', async () => {
  const csv = await get('/open-data/services.csv');
  assert.equal(csv.statusCode, 200);
  assert.match(csv.headers['content-type'] as string, /text\/csv/);
  const lines = csv.body.split('\n');
  assert.match(lines[0], /^# Licence: CC BY 4\.0/);
  assert.match(lines[1], /^slug,source,source_key,status,agency/);
  assert.ok(csv.body.includes('zz-quokkaport-renewal'));
  assert.ok(!csv.body.includes('zz-draft-card'), 'drafts are not published');
  const again = await t.app.inject({
    method: 'GET',
    url: '/open-data/services.csv',
    headers: { 'if-none-match': csv.headers.etag as string },
  });
  assert.equal(again.statusCode, 304);

  const json = (await get('/open-data/services.json')).json();
  assert.match(json.licence, /CC BY 4\.0/);
  assert.equal(json.count, json.services.length);
  assert.ok(json.agencies.length >= 25);

  const agencies = await get('/open-data/agencies.csv');
  assert.match(agencies.body.split('\n')[0], /^# Licence/);
  assert.match(agencies.body.split('\n')[1], /^id,name_fa,name_en/);
});

test('the OpenAPI document describes the API and the docs page renders it', async () => {
  const doc = (await get('/api/openapi.json')).json();
  assert.equal(doc.openapi, '3.0.3');
  for (const p of ['/api/v1/services', '/api/v1/services/{id}', '/api/v1/agencies', '/api/v1/agencies/{id}', '/open-data/services.csv'])
    assert.ok(doc.paths[p], p);
  const docs = await get('/api/docs');
  assert.equal(docs.statusCode, 200);
  assert.match(docs.body, /GET \/api\/v1\/services/);
});

test('unknown API paths and bad methods get problem bodies; security headers are set', async () => {
  const res = await get('/api/v1/nothing-here');
  assert.equal(res.statusCode, 404);
  assert.equal(res.json().code, 'NOT_FOUND');
  assert.ok(res.headers['x-request-id']);
  const home = await get('/fa');
  assert.match(home.headers['content-security-policy'] as string, /script-src 'self'/);
  assert.doesNotMatch(home.headers['content-security-policy'] as string, /unsafe-inline/);
  assert.equal(home.headers['x-content-type-options'], 'nosniff');
  const bad = await t.app.inject({
    method: 'POST',
    url: '/api/v1/services',
    payload: '{"broken',
    headers: { 'content-type': 'application/json' },
  });
  assert.ok(bad.statusCode >= 400 && bad.statusCode < 500, String(bad.statusCode));
});

test('the catalogue index follows changes made by another process (revision check)', async () => {
  const rev0 = (await get('/api/v1/catalog/state')).json().revision;
  const before = await search('lang=en&q=wombatport');
  assert.equal(before.total, 0);
  // Write through a second service object, as a CLI import on another node would.
  const { CatalogService } = await import('./catalog.service.ts');
  const other = new CatalogService(t.ctx.database.db);
  await other.importBatch(
    parsePanjerehJson(
      JSON.stringify({
        services: [{ slug: 'zz-wombatport', agency: 'test-registry', name: { en: 'Wombatport' }, maturity: 1, status: 'published' }],
      }),
    ),
    'other-node',
  );
  // CATALOG_REFRESH_MS is 50 in tests: the change shows within a few refreshes (background rebuild)
  let afterChange = await search('lang=en&q=wombatport');
  for (let i = 0; i < 100 && afterChange.total === 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    afterChange = await search('lang=en&q=wombatport');
  }
  assert.equal(afterChange.total, 1);
  assert.equal((await get('/api/v1/catalog/state')).json().revision, rev0 + 1);
});
