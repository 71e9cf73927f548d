import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { client, PDF, signedInStaff } from './monitoring.testkit.ts';
import { cardCompleteness } from './monitoring.metrics.ts';

let t: TestApp;
before(async () => (t = await testApp()));
after(() => t.close());

const today = new Date().toISOString().slice(0, 10);

test('a full round: create, automatic indicators, assign, assess with evidence, review, publish, public results and open data, correction', async () => {
  const admin = await signedInStaff(t, 'admin@example.ir', 'platform-admin', null);
  const analyst = await signedInStaff(t, 'analyst@example.ir', 'oversight-analyst', null);
  const assessor = await signedInStaff(t, 'assessor@example.ir', 'service-editor', 'ir-tax');
  const nocr = await signedInStaff(t, 'nocr@example.ir', 'service-editor', 'ir-nocr');

  // bad input keeps what was typed and says what to fix
  await admin.b.get('/en/staff/monitoring/rounds/new');
  const bad = await admin.b.post('/en/staff/monitoring/rounds/new', {
    titleFa: '',
    titleEn: 'First half',
    slug: 'X!',
    cutoff: '2999-01-01',
    setKey: 'national-maturity',
    agencies: ['ir-nocr', 'no-such-agency'],
  });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /<title>Error: /);
  for (const m of [
    /Enter the title in Persian/,
    /Enter a short name of 3 to 80/,
    /must be today or in the past/,
    /Unknown agencies: no-such-agency/,
  ])
    assert.match(bad.body, m);
  assert.match(bad.body, /value="First half"/);

  const created = await admin.b.post('/en/staff/monitoring/rounds/new', {
    titleFa: 'ارزیابی ۱۴۰۴، نیمه نخست',
    titleEn: '1404, first half',
    slug: '1404-h1',
    cutoff: today,
    setKey: 'national-maturity',
    agencies: ['ir-nocr', 'ir-tax'],
  });
  assert.equal(created.statusCode, 303, created.body.slice(0, 300));
  const round = await t.ctx.monitoring.round('1404-h1');

  // automatic indicators: from the catalogue as of the cut-off; missing sources say "no data yet"
  const answers = await t.ctx.monitoring.repo.answers(round.id, 'ir-nocr');
  const a = (code: string) => answers.find((x) => x.code === code)!;
  const cards = (await t.ctx.catalog.agencyCards('ir-nocr')).filter((c) => c.status === 'published');
  const expected = Math.round((1000 * cards.filter((c) => c.maturity >= 3).length) / cards.length) / 10;
  assert.equal(a('AV-1').value, expected);
  assert.equal(a('AV-1').state, 'answered');
  assert.equal(a('IN-1').value, 1, 'NOCR is connected in the demo data');
  const { rowToInput } = await import('../catalog/catalog.service.ts');
  assert.equal(
    a('TR-1').value,
    Math.round((1000 * cards.map((c) => cardCompleteness(rowToInput(c))).reduce((x, y) => x + y, 0)) / cards.length) / 10,
  );
  // The exchange measures NOCR (its member GOV/NOCR names the agency): no traffic before the cut-off, so 0%.
  assert.equal(a('IN-2').state, 'answered');
  assert.equal(a('IN-2').value, 0);
  for (const code of ['US-1', 'PF-1', 'SA-1']) {
    assert.equal(a(code).state, 'no-data', code);
    assert.equal(a(code).value, null);
  }
  assert.equal(a('IN-5').value, 1, 'NOCR has a set-up staff account (nocr@)');

  // assignment: no one assesses their own agency; the agency's own editor cannot even see the round
  const page = await admin.b.get('/en/staff/monitoring/rounds/1404-h1');
  assert.equal(page.statusCode, 200);
  const own = await admin.b.post('/en/staff/monitoring/rounds/1404-h1/assign', { subject: 'ir-nocr', assessor: nocr.id });
  assert.match(decodeURIComponent(own.headers.location as string), /cannot assess their own agency/);
  await admin.b.get('/en/staff/monitoring/rounds/1404-h1');
  assert.equal(
    (await admin.b.post('/en/staff/monitoring/rounds/1404-h1/assign', { subject: 'ir-nocr', assessor: assessor.id })).headers.location,
    '/en/staff/monitoring/rounds/1404-h1',
  );
  await admin.b.post('/en/staff/monitoring/rounds/1404-h1/assign', { subject: 'ir-tax', assessor: analyst.id });
  assert.equal((await nocr.b.get('/en/staff/monitoring/rounds/1404-h1')).statusCode, 403);
  assert.equal((await nocr.b.get('/en/staff/monitoring/rounds/1404-h1/subjects/ir-nocr')).statusCode, 403);
  assert.equal((await assessor.b.get('/en/staff/monitoring/rounds/1404-h1/subjects/ir-tax')).statusCode, 403, 'only the assigned subject');
  assert.equal((await assessor.b.get('/en/staff/monitoring/rounds/new')).statusCode, 403);
  assert.equal((await client(t).get('/en/staff/monitoring/rounds/1404-h1')).statusCode, 303, 'signed out: to sign-in');
  assert.match((await assessor.b.get('/en/staff/monitoring')).body, /National Organization for Civil Registration/);

  // answering with evidence
  const form = '/en/staff/monitoring/rounds/1404-h1/subjects/ir-nocr/indicators/TR-2';
  assert.equal((await assessor.b.get(form)).statusCode, 200);
  const noEvidence = await assessor.b.multipart(form, { value: 'yes', note: '', link: '' });
  assert.equal(noEvidence.statusCode, 400);
  assert.match(noEvidence.body, /Give evidence: a note, a link or a file/);
  const exe = await assessor.b.multipart(
    form,
    { value: 'yes', note: '' },
    { name: 'report.pdf', type: 'application/pdf', data: Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]) },
  );
  assert.equal(exe.statusCode, 400);
  assert.match(exe.body, /must be a PDF, PNG, JPEG, text or CSV file/);
  const big = await assessor.b.multipart(
    form,
    { value: 'yes' },
    { name: 'big.txt', type: 'text/plain', data: Buffer.alloc(t.ctx.config.MONITORING_EVIDENCE_MAX_BYTES + 10, 0x61) },
  );
  assert.equal(big.statusCode, 400);
  assert.match(big.body, /must be smaller than 5 MB/);
  const badLink = await assessor.b.multipart(form, { value: 'maybe', link: 'javascript:alert(1)' });
  assert.match(badLink.body, /Choose yes or no/);
  assert.match(badLink.body, /must be a web address starting with https/);
  const good = await assessor.b.multipart(
    form,
    { value: 'yes', note: 'Open data page lists service statistics', link: 'https://www.sabteahval.ir/opendata' },
    { name: 'open-data.pdf', type: 'application/pdf', data: PDF },
  );
  assert.equal(good.statusCode, 303, good.body.slice(0, 500));
  const auto = await assessor.b.get('/en/staff/monitoring/rounds/1404-h1/subjects/ir-nocr/indicators/AV-1');
  assert.equal(auto.statusCode, 200);
  assert.equal(
    (await assessor.b.multipart('/en/staff/monitoring/rounds/1404-h1/subjects/ir-nocr/indicators/AV-1', { value: '100', note: 'x' }))
      .statusCode,
    400,
    'automatic indicators are not typed in',
  );
  const file = (await t.ctx.monitoring.repo.evidence(round.id, 'ir-nocr'))[0];
  assert.equal(file.media_type, 'application/pdf');
  const dl = await assessor.b.get(`/en/staff/monitoring/evidence/${file.id}`);
  assert.equal(dl.statusCode, 200);
  assert.equal(dl.rawPayload.subarray(0, 5).toString(), '%PDF-');
  assert.equal((await nocr.b.get(`/en/staff/monitoring/evidence/${file.id}`)).statusCode, 403);

  // submit: ir-tax is missing TR-2; then answered and submitted
  await analyst.b.get('/en/staff/monitoring/rounds/1404-h1/subjects/ir-tax');
  const missing = await analyst.b.post('/en/staff/monitoring/rounds/1404-h1/subjects/ir-tax/submit', {});
  assert.match(missing.headers.location as string, /missing=TR-2/);
  await analyst.b.get('/en/staff/monitoring/rounds/1404-h1/subjects/ir-tax/indicators/TR-2');
  assert.equal(
    (
      await analyst.b.multipart('/en/staff/monitoring/rounds/1404-h1/subjects/ir-tax/indicators/TR-2', {
        value: 'no',
        note: 'No open data found on intamedia.ir',
      })
    ).statusCode,
    303,
  );
  await analyst.b.get('/en/staff/monitoring/rounds/1404-h1/subjects/ir-tax');
  assert.equal(
    (await analyst.b.post('/en/staff/monitoring/rounds/1404-h1/subjects/ir-tax/submit', {})).headers.location,
    '/en/staff/monitoring/rounds/1404-h1/subjects/ir-tax',
  );
  await assessor.b.get('/en/staff/monitoring/rounds/1404-h1/subjects/ir-nocr');
  await assessor.b.post('/en/staff/monitoring/rounds/1404-h1/subjects/ir-nocr/submit', {});
  assert.equal(
    (await assessor.b.multipart(form, { value: 'no', note: 'changed my mind' })).statusCode,
    409,
    'submitted: locked until returned',
  );

  // review: nobody reviews their own work; publishing waits for every approval
  await analyst.b.get('/en/staff/monitoring/rounds/1404-h1/subjects/ir-tax');
  assert.equal(
    (await analyst.b.post('/en/staff/monitoring/rounds/1404-h1/subjects/ir-tax/review', { decision: 'approve' })).statusCode,
    403,
  );
  await admin.b.get('/en/staff/monitoring/rounds/1404-h1');
  const early = await admin.b.post('/en/staff/monitoring/rounds/1404-h1/publish', {});
  assert.match(decodeURIComponent(early.headers.location as string), /waiting: ir-nocr, ir-tax/);
  await analyst.b.get('/en/staff/monitoring/rounds/1404-h1/subjects/ir-nocr');
  assert.equal(
    (await analyst.b.post('/en/staff/monitoring/rounds/1404-h1/subjects/ir-nocr/review', { decision: 'return', reviewNote: '' }))
      .statusCode,
    400,
  );
  assert.equal(
    (await analyst.b.post('/en/staff/monitoring/rounds/1404-h1/subjects/ir-nocr/review', { decision: 'approve' })).statusCode,
    303,
  );
  await admin.b.get('/en/staff/monitoring/rounds/1404-h1/subjects/ir-tax');
  assert.equal((await admin.b.post('/en/staff/monitoring/rounds/1404-h1/subjects/ir-tax/review', { decision: 'approve' })).statusCode, 303);
  assert.equal((await client(t).get('/en/monitoring/rounds/1404-h1')).statusCode, 404, 'not public before publication');
  await admin.b.get('/en/staff/monitoring/rounds/1404-h1');
  assert.equal((await admin.b.post('/en/staff/monitoring/rounds/1404-h1/publish', {})).statusCode, 303);

  // public results, scorecard, open data
  const results = await t.ctx.monitoringResults.results('1404-h1');
  const nocrRow = results.rows.find((r) => r.subject.subject === 'ir-nocr')!;
  assert.equal(nocrRow.scores.criteria.transparency.assessed, 2);
  assert.equal(nocrRow.scores.criteria.usage.score, null, 'no data yet: left out');
  const pub = await client(t).get('/en/monitoring/rounds/1404-h1');
  assert.equal(pub.statusCode, 200);
  assert.match(pub.body, /1404, first half/);
  const card = await client(t).get('/fa/monitoring/rounds/1404-h1/subjects/ir-nocr');
  assert.match(card.body, /هنوز داده‌ای نیست/);
  assert.match(card.body, /Open data page lists service statistics/);
  const csv = await client(t).get('/open-data/monitoring/rounds/1404-h1.csv');
  assert.match(csv.headers['content-type'] as string, /text\/csv/);
  const lines = csv.body
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\n');
  assert.equal(lines[0], 'round,cutoff,indicator_set,subject,name_fa,name_en,criterion,score,assessed,no_data,indicators,rank,change');
  assert.equal(lines.length, 1 + 2 * 7);
  const json = (await t.app.inject({ url: '/open-data/monitoring/rounds/1404-h1.json' })).json();
  const total = json.rows.find((r: { subject: string; criterion: string }) => r.subject === 'ir-nocr' && r.criterion === 'total');
  assert.equal(total.score, Math.round(nocrRow.scores.total! * 1e4) / 1e4);
  assert.ok(
    (await t.app.inject({ url: '/open-data/monitoring/rounds/1404-h1/answers.csv' })).body.includes(
      'TR-2,transparency,1,answered,assessor',
    ),
  );
  assert.equal((await t.app.inject({ url: '/open-data/monitoring/dictionary.json' })).json().files.length, 4);

  // published: no more changes, only a correction that keeps the original
  assert.equal(
    (await analyst.b.multipart('/en/staff/monitoring/rounds/1404-h1/subjects/ir-tax/indicators/TR-2', { value: 'yes', note: 'x' }))
      .statusCode,
    409,
  );
  await admin.b.get('/en/staff/monitoring/rounds/1404-h1');
  assert.match(
    decodeURIComponent(
      (await admin.b.post('/en/staff/monitoring/rounds/1404-h1/correction', { correctionNote: '' })).headers.location as string,
    ),
    /Say what the correction is for/,
  );
  const corr = await admin.b.post('/en/staff/monitoring/rounds/1404-h1/correction', {
    correctionNote: 'Tax administration publishes open data after all',
  });
  assert.equal(corr.headers.location, '/en/staff/monitoring/rounds/1404-h1-correction-1');
  await admin.b.get('/en/staff/monitoring/rounds/1404-h1-correction-1/subjects/ir-tax');
  await admin.b.post('/en/staff/monitoring/rounds/1404-h1-correction-1/subjects/ir-tax/reopen', {});
  await analyst.b.get('/en/staff/monitoring/rounds/1404-h1-correction-1/subjects/ir-tax/indicators/TR-2');
  assert.equal(
    (
      await analyst.b.multipart('/en/staff/monitoring/rounds/1404-h1-correction-1/subjects/ir-tax/indicators/TR-2', {
        value: 'yes',
        link: 'https://www.intamedia.ir/opendata',
      })
    ).statusCode,
    303,
  );
  await analyst.b.get('/en/staff/monitoring/rounds/1404-h1-correction-1/subjects/ir-tax');
  await analyst.b.post('/en/staff/monitoring/rounds/1404-h1-correction-1/subjects/ir-tax/submit', {});
  await admin.b.get('/en/staff/monitoring/rounds/1404-h1-correction-1/subjects/ir-tax');
  await admin.b.post('/en/staff/monitoring/rounds/1404-h1-correction-1/subjects/ir-tax/review', { decision: 'approve' });
  await admin.b.get('/en/staff/monitoring/rounds/1404-h1-correction-1');
  assert.equal((await admin.b.post('/en/staff/monitoring/rounds/1404-h1-correction-1/publish', {})).statusCode, 303);
  const old = await t.ctx.monitoringResults.results('1404-h1');
  const fixed = await t.ctx.monitoringResults.results('1404-h1-correction-1');
  assert.equal(old.round.status, 'superseded');
  assert.equal(old.rows.find((r) => r.subject.subject === 'ir-tax')!.scores.criteria.transparency.assessed, 2);
  assert.ok(
    fixed.rows.find((r) => r.subject.subject === 'ir-tax')!.scores.total! >
      old.rows.find((r) => r.subject.subject === 'ir-tax')!.scores.total!,
  );
  const oldPage = await client(t).get('/en/monitoring/rounds/1404-h1');
  assert.match(oldPage.body, /superseded by a correction and is kept for the record/);
  assert.equal((await t.ctx.monitoring.repo.evidence(fixed.round.id, 'ir-nocr')).length, 1, 'evidence carried into the correction');

  const actions = (await t.ctx.audit.search({ action: 'monitoring.' })).map((e) => e.action);
  for (const x of [
    'monitoring.round-created',
    'monitoring.automatic-filled',
    'monitoring.assessor-assigned',
    'monitoring.answered',
    'monitoring.submitted',
    'monitoring.approved',
    'monitoring.published',
    'monitoring.correction-started',
    'monitoring.reopened',
  ])
    assert.ok(actions.includes(x), x);
  assert.equal((await t.ctx.audit.verify()).ok, true);
});

test('a later round shows rank and change since the previous one; the overview shows figures and "no data yet"', async () => {
  // an earlier round (two days before: the demo catalogue did not exist yet, so its catalogue indicators have no data)
  const boss = {
    id: (await t.ctx.staff.listAll()).find((s) => s.email === 'admin@example.ir')!.id,
    role: 'platform-admin' as const,
    agencyId: null,
  };
  const analyst = (await t.ctx.staff.listAll()).find((s) => s.email === 'analyst@example.ir')!;
  const me = { id: analyst.id, role: analyst.role, agencyId: null };
  const earlier = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
  const r = await t.ctx.monitoring.createRound(
    {
      slug: '1403-h2',
      title: { fa: 'ارزیابی ۱۴۰۳، نیمه دوم', en: '1403, second half' },
      setKey: 'national-maturity',
      cutoff: earlier,
      agencyIds: ['ir-nocr', 'ir-tax'],
    },
    boss,
  );
  assert.ok(r.ok);
  const before = await t.ctx.monitoring.repo.answers(r.round.id, 'ir-nocr');
  assert.equal(before.find((a) => a.code === 'AV-1')!.state, 'no-data', 'as of the cut-off the agency had no published services');
  for (const subject of ['ir-nocr', 'ir-tax']) {
    assert.deepEqual(await t.ctx.monitoring.assign(r.round.id, subject, me.id, me, boss), []);
    assert.deepEqual(
      await t.ctx.monitoring.answer(r.round.id, subject, 'TR-2', { value: 'no', note: 'Nothing published then' }, me, 'en'),
      [],
    );
    assert.deepEqual(await t.ctx.monitoring.submit(r.round.id, subject, me), []);
    assert.deepEqual(await t.ctx.monitoring.review(r.round.id, subject, 'approve', '', boss), []);
  }
  await t.ctx.monitoring.publish(r.round.id, boss);
  const now = await t.ctx.monitoringResults.results('1404-h1-correction-1');
  assert.equal(now.previous?.slug, '1403-h2');
  const tax = now.rows.find((x) => x.subject.subject === 'ir-tax')!;
  assert.equal(tax.previousTotal, 0);
  assert.equal(tax.change, tax.scores.total);
  assert.ok(tax.rank === 1 || tax.rank === 2);
  assert.match((await client(t).get('/en/monitoring/rounds/1404-h1-correction-1/subjects/ir-tax')).body, /Change since last round/);
  const o = await client(t).get('/en/monitoring');
  assert.equal(o.statusCode, 200);
  assert.match(o.body, /No data yet/);
  assert.match(o.body, /Services by maturity stage/);
  const fa = await client(t).get('/fa/monitoring');
  assert.match(fa.body, /هنوز داده‌ای نیست/);
  const ov = (await t.app.inject({ url: '/open-data/monitoring/overview.json' })).json();
  const connected = ov.figures.find((f: { figure: string }) => f.figure === 'catalog.connected');
  assert.equal(connected.status, 'ok');
  assert.equal(ov.figures.find((f: { figure: string }) => f.figure === 'applications.online-share').status, 'no-data');
  assert.equal((await t.app.inject({ url: '/open-data/monitoring/overview.csv' })).statusCode, 200);
  assert.equal((await t.app.inject({ url: '/open-data/monitoring/indicator-sets/un-losi-2024.csv' })).body.trim().split('\n').length, 96);
  assert.equal((await t.app.inject({ url: '/en/monitoring/rounds/nope' })).statusCode, 404);
  assert.equal((await t.app.inject({ url: '/open-data/monitoring/rounds/nope.json' })).json().code, 'ROUND_NOT_FOUND');
});
