import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { client, staffSession } from '../../../test/helpers/people.ts';
import { looksPersonal } from './search.service.ts';

let t: TestApp;
before(async () => (t = await testApp()));
after(() => t.close());

const FOOD = 'get-a-food-handler-health-card';
const slugs = async (q: string) => {
  const r = await t.app.inject({ method: 'GET', url: `/api/v1/services?q=${encodeURIComponent(q)}&lang=fa` });
  assert.equal(r.statusCode, 200);
  return (r.json() as { items: { slug: string }[] }).items.map((i) => i.slug);
};

test('only service editors, agency administrators and platform administrators open the search pages', async () => {
  for (const [role, agency] of [
    ['operator', 'ir-moh'],
    ['oversight-analyst', null],
    ['finance-officer', 'ir-moh'],
  ] as const) {
    const c = client(t.app, (await staffSession(t.ctx, role, agency)).cookie);
    for (const url of ['/fa/staff/search/dictionary', '/en/staff/search/queries'])
      assert.equal((await c.get(url)).statusCode, 403, `${role} ${url}`);
    assert.equal((await c.post('/en/staff/search/dictionary', { term: 'x', expansions: 'y' })).statusCode, 403, role);
  }
  assert.ok(!(await t.ctx.catalog.dictionary.entries()).some((e) => e.term === 'x'), 'nothing saved');
  assert.equal((await t.app.inject({ method: 'GET', url: '/fa/staff/search/dictionary' })).statusCode, 303, 'signed out: sign in');
  for (const [role, agency] of [
    ['service-editor', 'ir-moh'],
    ['agency-admin', 'ir-nocr'],
    ['platform-admin', null],
  ] as const) {
    const c = client(t.app, (await staffSession(t.ctx, role, agency)).cookie);
    const page = await c.get('/fa/staff/search/dictionary');
    assert.equal(page.statusCode, 200, role);
    assert.match(page.body, /گذرنامه/, 'the starter dictionary is listed');
    assert.equal((await c.get('/en/staff/search/queries')).statusCode, 200, role);
  }
});

test('bad dictionary entries get a 400 page naming the field, in Persian and English; nothing is saved', async () => {
  const c = client(t.app, (await staffSession(t.ctx, 'service-editor', 'ir-moh')).cookie);
  const count = async () => (await t.ctx.catalog.dictionary.entries()).length;
  const before = await count();
  await c.get('/en/staff/search/dictionary');
  const cases: [Record<string, string>, RegExp, RegExp][] = [
    [{ term: '  ', expansions: 'گذرنامه' }, /Enter the word people search for/, /واژه را بنویسید/],
    [{ term: 'سفر', expansions: '' }, /Enter at least one word to also search for/, /دست‌کم یک واژه/],
    [{ term: 'سفر', expansions: 'سفر' }, /must differ from the word people search for/, /نباید همان واژهٔ اصلی/],
    [{ term: 'س'.repeat(61), expansions: 'سفر خارجی' }, /60 characters or fewer/, /حداکثر ۶۰ نویسه/],
    [{ term: 'پاسپورت', expansions: 'گذرنامه' }, /already in the dictionary/, /در واژه‌نامه هست/],
    [{ term: 'ﭘﺎﺳﭙﻮﺭﺕ', expansions: 'گذرنامه' }, /already in the dictionary/, /در واژه‌نامه هست/], // presentation forms: the same word
  ];
  for (const [body, en, fa] of cases) {
    const r = await c.post('/en/staff/search/dictionary', body);
    assert.equal(r.statusCode, 400, JSON.stringify(body));
    assert.match(r.body, en);
    assert.match(r.body, /<title>Error:/);
    const field = /expansions/.test(en.source) || /differ|one word/.test(en.source) ? 'expansions' : 'term';
    assert.match(r.body, new RegExp(`href="#${field}"`), `the summary links to ${field}`);
    const rf = await c.post('/fa/staff/search/dictionary', body);
    assert.equal(rf.statusCode, 400);
    assert.match(rf.body, fa);
  }
  assert.equal(await count(), before);
  // without the CSRF token the change is refused
  const noToken = await t.app.inject({
    method: 'POST',
    url: '/en/staff/search/dictionary',
    headers: { cookie: (await staffSession(t.ctx, 'service-editor', 'ir-moh')).cookie },
    payload: { term: 'سفر', expansions: 'گذرنامه' },
  });
  assert.equal(noToken.statusCode, 403);
  assert.equal(await count(), before);
});

test('an entry added on the page changes search results; edits and deletes are audited with before and after', async () => {
  const editor = await staffSession(t.ctx, 'service-editor', 'ir-moh');
  const c = client(t.app, editor.cookie);
  assert.ok(!(await slugs('ساندویچ')).includes(FOOD), 'the food card is not found before');
  await c.get('/fa/staff/search/dictionary');
  const revision = await t.ctx.catalog.revision();
  const added = await c.post('/fa/staff/search/dictionary', { term: 'ساندویچ', expansions: 'مواد غذایی\nرستوران' });
  assert.equal(added.statusCode, 303, added.body.slice(0, 300));
  assert.equal((await slugs('ساندویچ'))[0], FOOD, 'the dictionary entry finds the food card');
  assert.ok((await t.ctx.catalog.revision()) > revision, 'the catalogue revision moved, so every node re-indexes');
  const row = (await t.ctx.catalog.dictionary.entries()).find((e) => e.term === 'ساندویچ');
  assert.ok(row);
  assert.deepEqual(row.expansions, ['مواد غذایی', 'رستوران']);
  const list = await c.get('/fa/staff/search/dictionary?done=added');
  assert.match(list.body, /ساندویچ/);
  assert.match(list.body, /role="status"/);

  // edit: a term equal to its expansion is refused on the edit page too
  assert.equal((await c.post(`/en/staff/search/dictionary/${row.id}`, { term: 'ساندویچ', expansions: 'ساندویچ' })).statusCode, 400);
  assert.equal((await c.post(`/en/staff/search/dictionary/${row.id}`, { term: 'ساندویچ', expansions: 'داروخانه' })).statusCode, 303);
  assert.ok(!(await slugs('ساندویچ')).includes(FOOD), 'after the edit the food card is no longer found');
  assert.equal((await c.post(`/en/staff/search/dictionary/${row.id}/delete`, {})).statusCode, 303);
  assert.equal((await c.get(`/en/staff/search/dictionary/${row.id}`)).statusCode, 404);
  assert.equal((await c.get('/en/staff/search/dictionary/not-an-id')).statusCode, 404);
  assert.equal((await c.get(`/en/staff/search/dictionary/${'-'.repeat(36)}`)).statusCode, 404);

  const audit = await t.ctx.database.db
    .selectFrom('audit_log')
    .select(['action', 'actor', 'subject', 'detail'])
    .where('action', 'like', 'search.dictionary-%')
    .where('subject', '=', row.id)
    .orderBy('seq')
    .execute();
  assert.deepEqual(
    audit.map((a) => a.action),
    ['search.dictionary-added', 'search.dictionary-changed', 'search.dictionary-deleted'],
  );
  assert.ok(audit.every((a) => a.actor === `staff:${editor.id}`));
  const detail = audit.map((a) => a.detail as { before: unknown; after: unknown });
  assert.deepEqual(detail[1].before, { term: 'ساندویچ', expansions: ['مواد غذایی', 'رستوران'] });
  assert.deepEqual(detail[1].after, { term: 'ساندویچ', expansions: ['داروخانه'] });
  assert.equal(detail[2].after, null);
});

test('searches are counted anonymously; personal-looking queries are never stored', async () => {
  for (const q of [
    '0012345679',
    '۰۰۱۲۳۴۵۶۷۹',
    '09121234567',
    '+98 912 123 4567',
    'ali@example.ir',
    'Ali @ example.ir',
    '6037-9912-3456-7890',
  ])
    assert.ok(looksPersonal(q), q);
  for (const q of ['گذرنامه', 'driving licence', 'فرم ۱۰', 'تمدید گواهینامه پایه ۲']) assert.ok(!looksPersonal(q), q);

  const searched = ['گذرنامه', 'گذرنامه', 'زرافه‌ی بنفش', '0012345679', '09121234567', 'ali@example.ir'];
  for (const q of searched) await slugs(q);
  await t.app.inject({ method: 'GET', url: `/en/search?q=${encodeURIComponent('passport')}` });
  await t.ctx.catalog.searchLog.flush();
  const rows = await t.ctx.database.db.selectFrom('search_query_counts').selectAll().execute();
  const stored = rows.map((r) => r.query);
  assert.ok(!stored.some((q) => /\d{5}|@/.test(q)), `nothing personal stored: ${stored.join(', ')}`);
  assert.deepEqual(Object.keys(rows[0]).sort(), ['day', 'lang', 'query', 'searches', 'zero_results'], 'no user, no IP');
  const passport = rows.find((r) => r.query === 'گذرنامه' && r.lang === 'fa');
  assert.equal(passport?.searches, 2);
  assert.equal(passport?.zero_results, 0);
  assert.ok(rows.some((r) => r.query === 'passport' && r.lang === 'en'));

  const c = client(t.app, (await staffSession(t.ctx, 'platform-admin', null)).cookie);
  const page = await c.get('/en/staff/search/queries');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /گذرنامه/);
  const zero = rows.find((r) => r.zero_results > 0);
  assert.ok(zero, 'a search that found nothing');
  assert.ok(page.body.includes(`/en/staff/search/dictionary?term=${encodeURIComponent(zero.query)}`), 'links to add it to the dictionary');
  const prefilled = await c.get(`/en/staff/search/dictionary?term=${encodeURIComponent(zero.query)}`);
  assert.ok(prefilled.body.includes(`value="${zero.query}"`));
});
