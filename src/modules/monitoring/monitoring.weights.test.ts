import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { client, signedInStaff } from './monitoring.testkit.ts';
import { applyWeights, parseWeight } from './monitoring.weights.ts';
import { MATURITY } from './monitoring.builtin.ts';

let t: TestApp;
before(async () => (t = await testApp()));
after(() => t.close());

const all = (set = MATURITY, w = '1') =>
  Object.fromEntries([...set.criteria.map((c) => [`cw-${c.code}`, w]), ...set.indicators.map((i) => [`w-${i.code}`, w])]);

test('weights: numbers in any digits, non-negative, bounded, at least one positive; each error names its field', () => {
  assert.equal(parseWeight('۲٫۵'), 2.5);
  assert.equal(parseWeight(' 0.25 '), 0.25);
  assert.equal(parseWeight('1,5'), 1.5);
  assert.equal(parseWeight('-1'), null);
  assert.equal(parseWeight('abc'), null);
  assert.equal(parseWeight(''), null);
  const bad = applyWeights(
    MATURITY,
    { ...all(), 'w-AV-1': '-2', 'w-AV-2': 'lots', 'w-IN-1': '', 'w-IN-2': '101', 'cw-usage': '1001' },
    'en',
  );
  assert.ok(!bad.ok);
  assert.deepEqual(
    bad.errors.map((e) => e.field),
    ['cw-usage', 'w-AV-1', 'w-AV-2', 'w-IN-1', 'w-IN-2'],
  );
  assert.match(bad.errors[1].message, /The weight of AV-1 cannot be negative/);
  assert.match(bad.errors[2].message, /must be a number, like 1 or 0.5/);
  assert.match(bad.errors[3].message, /Enter a weight for IN-1 \(now 1\)/);
  assert.match(bad.errors[4].message, /must be 100 or less/);
  const zero = applyWeights(MATURITY, all(MATURITY, '0'), 'fa');
  assert.ok(!zero.ok);
  assert.equal(zero.errors[0].message, 'دست‌کم یک شاخص باید وزنی بیشتر از صفر داشته باشد');
  const orphan = applyWeights(MATURITY, { ...all(), 'w-US-1': '0' }, 'en');
  assert.ok(!orphan.ok);
  assert.match(orphan.errors[0].message, /Criterion "Usage" has a weight but all its indicators weigh 0/);
  const ok = applyWeights(MATURITY, { ...all(), 'cw-usage': '2', 'w-US-1': '1', 'w-TR-2': '۰' }, 'en');
  assert.ok(ok.ok);
  assert.deepEqual(ok.change.changed, [
    { code: 'usage', kind: 'criterion', from: 1, to: 2 },
    { code: 'TR-2', kind: 'indicator', from: 1, to: 0 },
  ]);
});

test('the oversight office saves new weights in the browser as a new version; rounds keep theirs; audited; others are refused', async () => {
  const analyst = await signedInStaff(t, 'weights.analyst@example.ir', 'oversight-analyst', null);
  const editor = await signedInStaff(t, 'weights.editor@example.ir', 'agency-admin', 'ir-nocr');
  const url = '/en/staff/monitoring/indicator-sets/national-maturity/weights';
  assert.equal((await editor.b.get(url)).statusCode, 403);
  const signedOut = await client(t).get(url);
  assert.equal(signedOut.statusCode, 303);
  const before = await t.ctx.monitoring.set('national-maturity');
  const round = await t.ctx.monitoring.round('demo-1404-h1');
  assert.equal(round.set_id, before.id);

  const form = await analyst.b.get(url);
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /<label class="label" for="w-AV-1">AV-1: Share of services at maturity stage 3, 4 or 5<\/label>/);
  assert.match(form.body, /id="cw-availability"[^>]*value="1"/);
  // the agency admin's form post is refused too
  await editor.b.get('/en/staff');
  assert.equal((await editor.b.post(url, { ...all(), version: String(before.version) })).statusCode, 403);

  const bad = await analyst.b.post(url, { ...all(), version: String(before.version), 'w-PF-2': '-1', 'w-SA-1': 'x' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /<title>Error: /);
  assert.match(bad.body, /<a href="#w-PF-2">The weight of PF-2 cannot be negative<\/a>/);
  assert.match(bad.body, /id="w-SA-1"[^>]*value="x"/, 'keeps what was typed');
  assert.equal((await t.ctx.monitoring.set('national-maturity')).version, before.version, 'nothing saved');

  const saved = await analyst.b.post(url, { ...all(), version: String(before.version), 'cw-satisfaction': '3', 'w-SA-2': '۲' });
  assert.equal(saved.statusCode, 303);
  const after = await t.ctx.monitoring.set('national-maturity');
  assert.equal(after.version, before.version + 1);
  assert.equal(after.criteria.find((c) => c.code === 'satisfaction')!.weight, 3);
  assert.equal(after.indicators.find((i) => i.code === 'SA-2')!.weight, 2);
  assert.equal(after.created_by, `staff:${analyst.id}`);
  assert.equal(
    (await t.ctx.monitoring.setOf(await t.ctx.monitoring.round('demo-1404-h1'))).version,
    before.version,
    'the published round keeps its version',
  );
  const page = await analyst.b.get(saved.headers.location as string);
  assert.match(page.body, new RegExp(`saved as version ${after.version}`));
  const audit = (await t.ctx.audit.search({ action: 'monitoring.indicator-set-reweighted' }))[0];
  assert.equal(audit.subject, `national-maturity@${after.version}`);
  assert.deepEqual((audit.detail as { changed: unknown[] }).changed, [
    { code: 'satisfaction', kind: 'criterion', from: 1, to: 3 },
    { code: 'SA-2', kind: 'indicator', from: 1, to: 2 },
  ]);

  // a form opened before that save does not overwrite it
  const stale = await analyst.b.post(url, { ...all(), version: String(before.version) });
  assert.equal(stale.statusCode, 400);
  assert.match(stale.body, new RegExp(`it is now version ${after.version}`));
  assert.equal((await t.ctx.monitoring.set('national-maturity')).version, after.version);
  // nothing changed: no new version
  const same = await analyst.b.post(url, { ...all(), version: String(after.version), 'cw-satisfaction': '3', 'w-SA-2': '2' });
  assert.equal(same.statusCode, 303);
  assert.equal((await t.ctx.monitoring.set('national-maturity')).version, after.version);
  // Persian page
  const fa = await analyst.b.get('/fa/staff/monitoring/indicator-sets/un-losi-2024/weights');
  assert.equal(fa.statusCode, 200);
  assert.match(fa.body, /IF-281: وبگاه رسمی دولت محلی شهر/);
  assert.doesNotMatch(fa.body, /id="cw-/, 'a pooled set has no criterion weights');
  assert.equal((await analyst.b.get('/en/staff/monitoring/indicator-sets/no-such-set/weights')).statusCode, 404);
});
