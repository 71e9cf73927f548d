import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseCatalogFile } from './index.ts';
import { maturityFromFlags } from './canada.ts';
import { repairLink } from './urls.ts';

const data = path.resolve(import.meta.dirname, '../../../../datasets/catalogues');
const read = (f: string) => fs.readFileSync(path.join(data, f), 'utf8');

test("Kenya's eCitizen list parses whole: 5,489 services of 286 agencies, no rejects", () => {
  const b = parseCatalogFile('kenya-ecitizen', read('kenya-ecitizen-services-2026-02.csv'));
  assert.equal(b.services.length, 5489);
  assert.equal(b.agencies.length, 286);
  assert.deepEqual(b.rejects, []);
  assert.equal(new Set(b.services.map((s) => s.sourceKey)).size, 5489);
  const first = b.services[0];
  assert.equal(first.line, 2);
  assert.equal(first.name.en, 'Lodge Complaints');
  assert.equal(first.agencyId, 'ke-commission-on-administrative-justice');
  // four hand-typed links in the source are repaired and reported with their lines
  assert.deepEqual(
    b.warnings!.map((w) => w.line),
    [1035, 1095, 1096, 5481],
  );
  assert.equal(b.services.find((s) => s.line === 1035)!.channels[0].url, 'https://repository.mnu.ac.ke');
});

test("Canada's inventory: 1,232 distinct services of 67 departments, latest year kept, en and fr", () => {
  const b = parseCatalogFile('canada-gc', read('canada-gc-service-inventory-2016-2019.csv'));
  assert.equal(b.services.length, 1232);
  assert.equal(b.agencies.length, 67);
  assert.deepEqual(b.rejects, []);
  const farm = b.services.find((s) => s.sourceKey === '135')!;
  assert.equal(farm.name.en, 'Farm Debt Mediation Service');
  assert.equal(farm.name.fr, "Service de médiation en matière d'endettement agricole");
  // service 135 appears in 2016-17 and later years; the latest one is kept
  assert.equal(farm.extra.fiscalYear, '2018-2019');
  assert.ok(b.services.every((s) => /^\d{4}-\d{4}$/.test(String(s.extra.fiscalYear))));
  assert.ok(b.agencies.every((a) => a.name.en && a.name.fr));
});

test('Canada e-enablement flags map to maturity stages', () => {
  const f = (o: Record<string, string>) =>
    maturityFromFlags({
      e_registration: 'N',
      e_authentication: 'N',
      e_application: 'N',
      e_decision: 'N',
      e_issuance: 'N',
      e_feedback: 'N',
      ...o,
    });
  assert.equal(f({}), 1);
  assert.equal(f({ e_registration: 'NA' }), 1);
  assert.equal(f({ e_authentication: 'Y' }), 2);
  assert.equal(f({ e_application: 'Y' }), 3);
  assert.equal(f({ e_application: 'Y', e_decision: 'Y' }), 3);
  assert.equal(f({ e_application: 'Y', e_decision: 'Y', e_issuance: 'Y' }), 4);
});

test('bad rows are reported with their line numbers and the good rows still come through', () => {
  const csv = [
    'service_id,service_name,service_url,agency_name,department_name,ministry_name',
    'a1,Good service,https://x.ecitizen.go.ke/,Agency A,Dept,Ministry',
    ',No id,https://x.go.ke/,Agency A,Dept,Ministry',
    'a3,"Multi',
    'line name",https://x.go.ke/,Agency A,Dept,Ministry',
    'a4,Too,few',
    'a5,Bad link,javascript:alert(1),Agency A,Dept,Ministry',
  ].join('\n');
  const b = parseCatalogFile('kenya-ecitizen', csv);
  assert.deepEqual(
    b.rejects.map((r) => r.line).sort((x, y) => x - y),
    [3, 6],
  );
  assert.match(b.rejects.find((r) => r.line === 3)!.reason, /service_id is empty/);
  assert.match(b.rejects.find((r) => r.line === 6)!.reason, /has 3 fields where the header has 6/);
  assert.deepEqual(
    b.services.map((s) => [s.line, s.sourceKey]),
    [
      [2, 'a1'],
      [4, 'a3'],
      [7, 'a5'],
    ],
  );
  assert.equal(b.services[1].name.en, 'Multi\nline name');
  assert.equal(b.services[0].maturity, 3);
  assert.deepEqual(b.services[2].channels, []);
  assert.match(b.warnings![0].reason, /not a link/);
});

test('a file missing required columns is refused whole, naming them', () => {
  assert.throws(() => parseCatalogFile('kenya-ecitizen', 'id,name\n1,x\n'), /lacks the column\(s\) service_id, service_name/);
  assert.throws(() => parseCatalogFile('canada-gc', ''), /empty/);
  assert.throws(() => parseCatalogFile('panjereh-json', '{"services": [1,'), /not valid JSON/);
  assert.throws(() => parseCatalogFile('panjereh-json', '{"items": []}'), /neither an "agencies" nor a "services" list/);
  assert.throws(() => parseCatalogFile('excel', 'x'), /Unknown format "excel"/);
});

test('link repair fixes typing slips and refuses what is not a link', () => {
  assert.deepEqual(repairLink('htpps://a.ke'), { url: 'https://a.ke', repaired: true });
  assert.deepEqual(repairLink('ttps://a.ke/x'), { url: 'https://a.ke/x', repaired: true });
  assert.deepEqual(repairLink('www.canada.ca/en'), { url: 'https://www.canada.ca/en', repaired: true });
  assert.deepEqual(repairLink('https://a.ac .ke/'), { url: 'https://a.ac.ke/', repaired: true });
  assert.deepEqual(repairLink('ftp://ftp.gc.ca/pub/'), { url: 'ftp://ftp.gc.ca/pub/', repaired: false });
  assert.equal(repairLink('NA'), null);
  assert.equal(repairLink('javascript:alert(1)'), null);
});
