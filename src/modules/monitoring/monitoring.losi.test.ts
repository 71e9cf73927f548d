import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { losiSet } from './monitoring.builtin.ts';
import { ensureBuiltinSets } from './monitoring.service.ts';
import { client } from './monitoring.testkit.ts';

let t: TestApp;
before(async () => (t = await testApp()));
after(() => t.close());

test('every LOSI 2024 indicator has its English text and a Persian translation written by the Persian text rules', () => {
  const losi = losiSet();
  assert.equal(losi.indicators.length, 95);
  for (const i of losi.indicators) {
    const { fa, en } = i.description;
    assert.ok(en && en.length > 5, `${i.code}: English`);
    assert.ok(fa && /[\u0600-\u06FF]{3}/.test(fa), `${i.code}: Persian`);
    assert.doesNotMatch(fa!, /[يكة]/, `${i.code}: Persian letters (ی ک), not Arabic`);
    // Digits in Persian prose are Persian; ASCII digits only inside Latin names such as "WCAG 2.1 AA" or "W3C".
    const prose = fa!.replace(/[A-Za-z][A-Za-z0-9.\- ]*[A-Za-z0-9]/g, '');
    assert.doesNotMatch(prose, /[0-9]/, `${i.code}: ${fa}`);
    // Plural and verb affixes joined with a zero-width non-joiner, never a space or glued on.
    assert.doesNotMatch(fa!, / (ها|های|هایی)(?=[ ،)]|$)|(^| )می /, `${i.code}: ZWNJ in "${fa}"`);
  }
  const one = (code: string) => losi.indicators.find((i) => i.code === code)!.description;
  assert.equal(one('PE-250').fa, 'پاسخ به پرسشی که با رایانامه یا فرم فرستاده شده، در کمتر از ۳ روز کاری');
  assert.equal(one('PE-250').en, 'Response to a question sent by email/form in < 3 business days');
  assert.notEqual(one('IF-236').fa, one('PE-236').fa, '#236 is two indicators under two criteria');
});

test('the Persian LOSI page has no English-marked descriptions and names its source; an English-only stored set gets a new version on upgrade', async () => {
  const page = await client(t).get('/fa/monitoring/indicator-sets/un-losi-2024');
  assert.equal(page.statusCode, 200);
  assert.doesNotMatch(page.body, /<span lang="en"/);
  assert.match(page.body, /وبگاه رسمی دولت محلی شهر/);
  assert.match(page.body, /UN DESA/);
  const en = await client(t).get('/en/monitoring/indicator-sets/un-losi-2024');
  assert.match(en.body, /Official city government website/);
  assert.doesNotMatch(en.body, /<span lang="fa"/);

  // An installation from before the translation: version 1 stored in English only.
  const repo = t.ctx.monitoring.repo;
  const latest = (await repo.latestSet('un-losi-2024'))!;
  const old = losiSet();
  old.indicators = old.indicators.map((i) => ({ ...i, description: { en: i.description.en } }));
  await repo.insertSet(repo.db, old, latest.version + 1, 'built-in');
  await ensureBuiltinSets(repo.db);
  const upgraded = (await repo.latestSet('un-losi-2024'))!;
  assert.equal(upgraded.version, latest.version + 2);
  assert.ok(upgraded.indicators.every((i) => i.description.fa && i.description.en));
  await ensureBuiltinSets(repo.db);
  assert.equal((await repo.latestSet('un-losi-2024'))!.version, upgraded.version, 'no new version when nothing changed');
});
