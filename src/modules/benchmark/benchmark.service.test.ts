import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { freshDatabase } from '../../../test/helpers/db.ts';
import type { DatabaseHandle } from '../../db/connect.ts';
import { BenchmarkService, egdiOf, groupOf, PEER_GROUPS } from './benchmark.service.ts';
import { parseCountries, parseSurvey } from './benchmark.loader.ts';

let h: DatabaseHandle;
let bench: BenchmarkService;
before(async () => {
  h = await freshDatabase();
  bench = new BenchmarkService(h.db);
});
after(() => h.close());

test('the shipped survey loads: 193 countries with ISO codes, 10 editions', async () => {
  const countries = await bench.countries();
  assert.equal(countries.length, 193);
  assert.equal(new Set(countries.map((c) => c.iso3)).size, 193);
  assert.deepEqual([...bench.editions()], [2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024]);
  const iran = await bench.country('irn');
  assert.equal(iran.country.name_en, 'Iran (Islamic Republic of)');
  assert.equal(iran.country.name_fa, 'ایران');
  assert.equal(iran.scores.length, 10);
  assert.equal((await bench.country('TUR')).country.name_en, 'Türkiye');
});

test('recomputed EGDI (mean of OSI, HCI, TII) matches the published EGDI for every country, 2014-2024', async () => {
  let checked = 0;
  for (const year of [2014, 2016, 2018, 2020, 2022, 2024]) {
    for (const r of await bench.edition(year)) {
      if (r.egdi === null) continue;
      assert.ok(r.egdiComputed !== null, `${r.iso3} ${year} has all three sub-indices`);
      // the published values are themselves rounded, so agreement is within one unit of the 4th decimal
      assert.ok(Math.abs(r.egdiComputed! - r.egdi) < 0.0001, `${r.iso3} ${year}: computed ${r.egdiComputed} vs published ${r.egdi}`);
      checked++;
    }
  }
  assert.equal(checked, 193 * 6);
});

test('2020: the published D-8 figures and the group counts (57 / 69 / 59 / 8)', async () => {
  const expected: [string, number, number][] = [
    ['MYS', 0.7892, 47],
    ['TUR', 0.7718, 53],
    ['IDN', 0.6612, 88],
    ['IRN', 0.6593, 89],
    ['EGY', 0.5527, 111],
    ['BGD', 0.5189, 119],
    ['NGA', 0.4406, 141],
    ['PAK', 0.4183, 153],
  ];
  const d8 = await bench.compare(PEER_GROUPS.d8.members, 2020);
  assert.deepEqual(
    d8.members.map((m) => [m.country.iso3, m.score!.egdi, m.score!.rank]),
    expected,
  );
  assert.deepEqual(await bench.groupCounts(2020), { 'very-high': 57, high: 69, middle: 59, low: 8 });
  assert.equal(d8.average.egdi, Math.round((expected.reduce((n, e) => n + e[1], 0) / 8) * 10_000) / 10_000);
});

test('2005-2012: a 0 in the file means not assessed and is stored as missing', async () => {
  const iraq = await bench.country('IRQ');
  assert.equal(iraq.scores.find((s) => s.year === 2005)!.epi, null);
  assert.equal(iraq.scores.find((s) => s.year === 2005)!.egdi, 0.3334);
});

test('what-if: raising one sub-index gives the new EGDI, rank among the others, and group', async () => {
  const r = await bench.whatIf({ iso3: 'IRN', year: 2020, osi: 0.7 });
  assert.equal(r.current.egdi, 0.6593);
  assert.equal(r.current.rank, 89);
  const expectedEgdi = egdiOf(0.7, r.current.hci, r.current.tii);
  assert.equal(r.scenario.egdi, expectedEgdi);
  const others = (await bench.edition(2020)).filter((x) => x.iso3 !== 'IRN' && x.egdi! > expectedEgdi).length;
  assert.equal(r.scenario.rank, others + 1);
  assert.ok(r.scenario.rank < 89);
  assert.equal(r.scenario.group, groupOf(expectedEgdi));
  // no change gives back the published rank
  const same = await bench.whatIf({ iso3: 'IRN', year: 2020 });
  assert.equal(same.scenario.rank, 89);
  await assert.rejects(bench.whatIf({ iso3: 'IRN', year: 2020, osi: 1.5 }), /OSI must be a number from 0 to 1/);
  await assert.rejects(bench.whatIf({ iso3: 'IRN', year: 2012 }), /2014 edition and later/);
  await assert.rejects(bench.whatIf({ iso3: 'XXX', year: 2020 }), /no UN member state/);
});

test('groups: boundaries as the UN defines them (property)', () => {
  assert.equal(groupOf(0.7501), 'very-high');
  assert.equal(groupOf(0.75), 'high');
  assert.equal(groupOf(0.5), 'high');
  assert.equal(groupOf(0.4999), 'middle');
  assert.equal(groupOf(0.25), 'middle');
  assert.equal(groupOf(0.2499), 'low');
  fc.assert(
    fc.property(
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (o, hc, t) => {
        const e = egdiOf(o, hc, t);
        assert.ok(e >= Math.min(o, hc, t) - 0.000001 && e <= Math.max(o, hc, t) + 0.000001);
      },
    ),
  );
});

test('a survey file with unknown countries or impossible values is refused with line numbers', () => {
  const countries = parseCountries('name,iso3,name_fa,region\nIran,IRN,ایران,Asia\n');
  const years = [2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024];
  const cols = [
    'E-Government Rank',
    'E-Government Index',
    'E-Participation Index',
    'Online Service Index',
    'Human Capital Index',
    'Telecommunication Infrastructure Index',
  ];
  const header = ['Country Name', ...years.flatMap((y) => cols.map((c) => `${c} ${y}`))].join(',');
  const good = ['Iran', ...years.flatMap(() => ['10', '0.5', '0.5', '0.5', '0.5', '0.5'])].join(',');
  const bad = [
    'Iran',
    ...years.flatMap((y) => (y === 2020 ? ['10', '1.5', '0.5', '0.5', '0.5', '0.5'] : ['10', '0.5', '0.5', '0.5', '0.5', '0.5'])),
  ].join(',');
  const unknown = ['Atlantis', ...years.flatMap(() => ['1', '0.5', '0.5', '0.5', '0.5', '0.5'])].join(',');
  assert.equal(parseSurvey([header, good].join('\n'), countries).scores.length, 10);
  const r = parseSurvey([header, bad, unknown].join('\n'), countries);
  assert.deepEqual(
    r.rejects.map((x) => x.line),
    [2, 3],
  );
  assert.match(r.rejects[0].reason, /E-Government Index 2020 1.5 is outside 0..1/);
  assert.match(r.rejects[1].reason, /country "Atlantis" is not in countries.csv/);
  assert.equal(r.scores.length, 0);
});
