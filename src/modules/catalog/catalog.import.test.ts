import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { freshDatabase } from '../../../test/helpers/db.ts';
import type { DatabaseHandle } from '../../db/connect.ts';
import { CatalogService } from './catalog.service.ts';
import { parseCatalogFile } from './importers/index.ts';
import { agencyToJson, parsePanjerehCsv, parsePanjerehJson, serviceToJson, toPanjerehCsv } from './importers/panjereh.ts';

const data = path.resolve(import.meta.dirname, '../../../datasets/catalogues');
let h: DatabaseHandle;
let catalog: CatalogService;

before(async () => {
  h = await freshDatabase();
  catalog = new CatalogService(h.db, 0);
});
after(() => h.close());

const load = (format: string, file: string) => parseCatalogFile(format, fs.readFileSync(path.join(data, file), 'utf8'));

test('both real catalogues import completely, and importing again changes nothing', async () => {
  const demoCount = await catalog.countServices();
  const kenya = await catalog.importBatch(load('kenya-ecitizen', 'kenya-ecitizen-services-2026-02.csv'), 'test');
  assert.deepEqual([kenya.agencies, kenya.created, kenya.updated, kenya.rejected.length], [286, 5489, 0, 0]);
  const canada = await catalog.importBatch(load('canada-gc', 'canada-gc-service-inventory-2016-2019.csv'), 'test');
  assert.deepEqual([canada.agencies, canada.created, canada.updated, canada.rejected.length], [67, 1232, 0, 0]);
  assert.equal(await catalog.countServices(), demoCount + 5489 + 1232);

  const again = await catalog.importBatch(load('kenya-ecitizen', 'kenya-ecitizen-services-2026-02.csv'), 'test');
  assert.deepEqual([again.created, again.updated, again.unchanged], [0, 0, 5489]);
  assert.equal(await catalog.countServices(), demoCount + 5489 + 1232);

  // Every imported service is searchable, in its own language
  const index = await catalog.index();
  const kenyaAgency = index.search({ q: '', lang: 'en', filters: { agency: ['ke-kenya-ports-authority'] }, page: 1, pageSize: 1 });
  assert.ok(kenyaAgency.total > 100);
  const fr = index.search({ q: 'médiation endettement agricole', lang: 'en', filters: {}, page: 1, pageSize: 3 });
  assert.equal(fr.items[0].slug, 'ca-farm-debt-mediation-service');
});

test('a changed row updates its card and adds a version; the slug stays stable', async () => {
  const csv = fs
    .readFileSync(path.join(data, 'kenya-ecitizen-services-2026-02.csv'), 'utf8')
    .replace('Lodge Complaints,', 'Lodge a Complaint,');
  const summary = await catalog.importBatch(parseCatalogFile('kenya-ecitizen', csv), 'editor-2');
  assert.deepEqual([summary.created, summary.updated], [0, 1]);
  const card = await catalog.getService('ke-lodge-complaints');
  assert.equal(card.name.en, 'Lodge a Complaint');
  assert.equal(card.version, 2);
  const versions = await catalog.versions(card.id);
  assert.deepEqual(
    versions.map((v) => [v.version, v.author]),
    [
      [2, 'editor-2'],
      [1, 'test'],
    ],
  );
});

test('export then import (CSV and JSON) reproduces the catalogue exactly', async () => {
  const { agencies, services } = await catalog.exportAll();
  const csv = toPanjerehCsv(services, agencies);
  const fromCsv = await catalog.importBatch(parsePanjerehCsv(csv), 'roundtrip');
  assert.deepEqual([fromCsv.created, fromCsv.updated, fromCsv.rejected.length], [0, 0, 0]);
  assert.equal(fromCsv.unchanged, services.length);

  const json = JSON.stringify({ agencies: agencies.map(agencyToJson), services: services.map(serviceToJson) });
  const fromJson = await catalog.importBatch(parsePanjerehJson(json), 'roundtrip');
  assert.deepEqual([fromJson.created, fromJson.updated, fromJson.unchanged], [0, 0, services.length]);
});

test('rows that break the rules are rejected with line and reason; the rest are stored', async () => {
  const header = 'slug,source,source_key,status,agency,agency_name_fa,agency_name_en,name_fa,name_en,maturity,channels,fees';
  const rows = [
    'zz-good-one,,,published,zz-new-agency,دستگاه تازه,New Agency,خدمت خوب,Good one,3,"[{""type"":""window""}]",',
    'zz-bad-maturity,,,published,zz-new-agency,,,,Bad maturity,7,,',
    'zz-bad-agency,,,published,zz-unknown,,,,Unknown agency,2,,',
    'Bad Slug!,,,published,zz-new-agency,,,,Bad slug,2,,',
    'zz-no-name,,,published,zz-new-agency,,,,,2,,',
    'zz-bad-json,,,published,zz-new-agency,,,,Bad JSON,2,"[{oops",',
    'zz-bad-channel,,,published,zz-new-agency,,,,Bad channel,2,"[{""type"":""online"",""url"":""javascript:alert(1)""}]",',
    'zz-bad-status,,,pending,zz-new-agency,,,,Bad status,2,,',
    'zz-good-one,,,published,zz-new-agency,,,,Duplicate,3,,',
    'zz-neg-fee,,,published,zz-new-agency,,,,Negative fee,2,,"[{""amount"":-5,""description"":{}}]"',
  ];
  const s = await catalog.importBatch(parsePanjerehCsv([header, ...rows].join('\n')), 'test');
  assert.equal(s.created, 1);
  const byLine = new Map(s.rejected.map((r) => [r.line, r.reason]));
  assert.deepEqual([...byLine.keys()], [3, 4, 5, 6, 7, 8, 9, 10, 11]);
  assert.match(byLine.get(3)!, /maturity "7" must be a whole number from 1 to 5/);
  assert.match(byLine.get(4)!, /agency "zz-unknown" is not in the catalogue/);
  assert.match(byLine.get(5)!, /slug "Bad Slug!" must be lower-case/);
  assert.match(byLine.get(6)!, /service name is missing/);
  assert.match(byLine.get(7)!, /column channels is not valid JSON/);
  assert.match(byLine.get(8)!, /not a web address/);
  assert.match(byLine.get(9)!, /status "pending"/);
  assert.match(byLine.get(10)!, /the same service as line 2/);
  assert.match(byLine.get(11)!, /fee amount "-5"/);
  const good = await catalog.getService('zz-good-one');
  assert.equal(good.name.en, 'Good one');
  assert.equal((await catalog.getAgency('zz-new-agency')).name.fa, 'دستگاه تازه');
});
