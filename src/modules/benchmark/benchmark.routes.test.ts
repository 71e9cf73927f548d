import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';

let t: TestApp;
before(async () => (t = await testApp()));
after(() => t.close());
const get = (url: string) => t.app.inject({ method: 'GET', url });

test('editions API gives the group counts of each edition', async () => {
  const body = (await get('/api/v1/un-egov/editions')).json();
  assert.equal(body.items.length, 10);
  assert.deepEqual(body.items.find((e: { year: number }) => e.year === 2020).groups, { 'very-high': 57, high: 69, middle: 59, low: 8 });
});

test('country API: every edition with the recomputed EGDI; unknown codes are a 404 problem', async () => {
  const body = (await get('/api/v1/un-egov/countries/irn')).json();
  assert.equal(body.country.iso3, 'IRN');
  assert.equal(body.country.name.fa, 'ایران');
  const y2020 = body.scores.find((s: { year: number }) => s.year === 2020);
  assert.equal(y2020.egdi, 0.6593);
  assert.equal(y2020.rank, 89);
  assert.ok(Math.abs(y2020.egdiComputed - 0.6593) < 0.0001);
  assert.equal(y2020.group, 'high');
  const missing = await get('/api/v1/un-egov/countries/XXX');
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().code, 'COUNTRY_NOT_FOUND');
  const list = (await get('/api/v1/un-egov/countries?year=2020')).json();
  assert.equal(list.items.length, 193);
});

test('compare API: a named peer group or any list of codes', async () => {
  const d8 = (await get('/api/v1/un-egov/compare?group=d8&year=2020')).json();
  assert.deepEqual(
    d8.members.map((m: { iso3: string }) => m.iso3),
    ['MYS', 'TUR', 'IDN', 'IRN', 'EGY', 'BGD', 'NGA', 'PAK'],
  );
  const own = (await get('/api/v1/un-egov/compare?countries=irn,%20tur&year=2024')).json();
  assert.equal(own.group, null);
  assert.equal(own.members.length, 2);
  for (const [qs, code, status] of [
    ['countries=IRN,XXX', 'COUNTRY_NOT_FOUND', 404],
    ['countries=I1N', 'VALIDATION_FAILED', 400],
    ['group=g7', 'VALIDATION_FAILED', 400],
    ['year=1999', 'EDITION_NOT_FOUND', 404],
    ['year=twenty', 'VALIDATION_FAILED', 400],
  ] as const) {
    const res = await get(`/api/v1/un-egov/compare?${qs}`);
    assert.equal(res.statusCode, status, qs);
    assert.equal(res.json().code, code, qs);
  }
});

test('what-if API: "if OSI rose to 0.70" gives the new EGDI, rank and group; bad values are refused', async () => {
  const r = (await get('/api/v1/un-egov/what-if?country=IRN&year=2020&osi=0.70')).json();
  assert.equal(r.current.rank, 89);
  assert.equal(r.scenario.osi, 0.7);
  assert.ok(r.scenario.egdi > r.current.egdi && r.scenario.rank < 89);
  const persianDigits = (await get(`/api/v1/un-egov/what-if?country=IRN&year=2020&osi=${encodeURIComponent('۰٫۷')}`)).json();
  assert.equal(persianDigits.scenario.egdi, r.scenario.egdi);
  for (const qs of ['country=IRN&osi=1.2', 'country=IRN&hci=-1', 'country=IRN&tii=abc']) {
    const res = await get(`/api/v1/un-egov/what-if?${qs}`);
    assert.equal(res.statusCode, 400, qs);
    assert.equal(res.json().code, 'VALUE_OUT_OF_RANGE', qs);
  }
  assert.equal((await get('/api/v1/un-egov/what-if')).json().code, 'VALIDATION_FAILED');
});

test('pages: overview, profile, comparison and what-if in both languages; bad input shows an error summary', async () => {
  const fa = await get('/fa/un-egov?year=2020');
  assert.equal(fa.statusCode, 200);
  assert.match(fa.body, /<h1>دولت الکترونیک در پیمایش سازمان ملل ۲۰۲۰<\/h1>/);
  assert.match(fa.body, /<svg[^>]*role="img"|<figure class="chart bar-chart"/); // a chart (bar charts are text rows, issue 17 s.7)
  const profile = await get('/en/un-egov/countries/IRN');
  assert.match(profile.body, /<h1>Iran \(Islamic Republic of\)<\/h1>/);
  assert.match(profile.body, /<caption>Iran \(Islamic Republic of\): EGDI, OSI, HCI, TII, EPI<\/caption>/);
  assert.match(
    profile.body,
    /<desc id="trend-desc">Iran \(Islamic Republic of\)'s EGDI went from 0\.3813 in 2005 to 0\.6564 in 2024\.<\/desc>/,
  );
  const whatIf = await get('/en/un-egov/what-if?country=IRN&year=2020&osi=0.70');
  assert.match(whatIf.body, /With these values Iran \(Islamic Republic of\)'s EGDI would be 0\.6965, rank 76, group “High”\./);
  const bad = await get('/fa/un-egov/what-if?country=IRN&year=2020&osi=7');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /<title>خطا: /);
  assert.match(bad.body, /href="#osi"/);
  assert.match(bad.body, /value="7"/);
  const badCompare = await get('/en/un-egov/compare?countries=IRN,XXX');
  assert.equal(badCompare.statusCode, 400);
  assert.match(badCompare.body, /Unknown country code\(s\): XXX/);
  assert.equal((await get('/fa/un-egov/countries/XXX')).statusCode, 404);
});
