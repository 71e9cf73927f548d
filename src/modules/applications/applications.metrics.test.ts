// The applications figures monitoring reads: applications per month, the share of prefill-able fields
// prefilled, and the share made online against the counter applications agencies record on their
// back-office page (validated, audited); each "no data yet" with the reason when its source is empty.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { citizenSession, client, staffSession } from '../../../test/helpers/people.ts';
import type { Measure } from '../monitoring/monitoring.metrics.ts';
import { monthWindow } from './applications.metrics.ts';
import { readOfflineCount } from './offline.routes.tsx';

let t: TestApp;
before(async () => (t = await testApp({ NOTIFICATIONS_WORKER: false })));
after(() => t.close());

const PAGE = '/en/staff/agencies/ir-nocr/offline-applications';
const SLUG = 'certificate-of-single-status'; // ir-nocr; its national ID and mobile are prefilled from the profile
const soon = () => new Date(Date.now() + 60_000);
const value = (m: Measure | undefined) => (m && 'value' in m ? m.value : null);
const reason = (m: Measure | undefined) => (m && 'noData' in m ? m.reason.en : null);

async function submitted(changeMobile = false) {
  const who = await citizenSession(t.ctx);
  const citizen = { id: who.id, national_id: who.nationalId, mobile: who.mobile };
  const draft = await t.ctx.applications.startDraft(citizen, SLUG, 'en');
  await t.ctx.applications.saveAnswers(draft, {
    fullName: 'Maryam Ahmadi',
    purpose: 'employment',
    ...(changeMobile ? { mobile: '09120000000' } : {}),
  });
  const r = await t.ctx.applications.submit(citizen, draft.id, draft.submission_token);
  assert.ok('app' in r);
  return r.app;
}

test('the month window: the cut-off month and the 11 before it', () => {
  assert.deepEqual(monthWindow(new Date('2026-03-15T10:00:00Z')), {
    to: '2026-03',
    fromExclusive: '2025-03',
    start: new Date('2025-04-01T00:00:00Z'),
  });
  assert.equal(monthWindow(new Date('2026-01-01T00:00:00Z')).fromExclusive, '2025-01');
});

test('recorded counter figures are checked: service of this agency, a real past month, a whole number', () => {
  const services = new Set(['s1']);
  const now = new Date('2026-05-10T00:00:00Z');
  assert.deepEqual(readOfflineCount({ service: 's1', year: '۲۰۲۶', month: '4', count: '1,250' }, services, now), {
    ok: true,
    serviceId: 's1',
    month: '2026-04',
    count: 1250,
  });
  const fields = (b: Record<string, unknown>) => {
    const r = readOfflineCount(b, services, now);
    return r.ok ? [] : r.errors.map((e) => e.field);
  };
  assert.deepEqual(fields({ service: 's2', year: '2026', month: '4', count: '1' }), ['service']);
  assert.deepEqual(fields({ service: 's1', year: '26', month: '4', count: '1' }), ['year']);
  assert.deepEqual(fields({ service: 's1', year: '2026', month: '13', count: '1' }), ['month']);
  assert.deepEqual(fields({ service: 's1', year: '2026', month: '6', count: '1' }), ['month'], 'in the future');
  assert.deepEqual(fields({ service: 's1', year: '2026', month: '4', count: '-3' }), ['count']);
  assert.deepEqual(fields({ service: 's1', year: '2026', month: '4', count: '1.5' }), ['count']);
  assert.deepEqual(fields({ service: 's1', year: '2026', month: '4', count: '' }), ['count']);
  assert.deepEqual(
    fields({ service: ['s1'], year: { a: 1 }, month: null, count: 7 }),
    ['service', 'year', 'count'],
    'wrong types never throw',
  );
});

test('the counter page: operators and admins of the agency only; bad input 400 with what to fix; each record audited', async () => {
  for (const [role, agency, status] of [
    ['operator', 'ir-nocr', 200],
    ['agency-admin', 'ir-nocr', 200],
    ['service-editor', 'ir-nocr', 403],
    ['operator', 'ir-tax', 403],
    ['oversight-analyst', null, 403],
  ] as const) {
    const b = client(t.app, (await staffSession(t.ctx, role, agency)).cookie);
    assert.equal((await b.get(PAGE)).statusCode, status, `${role} of ${agency}`);
  }
  const b = client(t.app, (await staffSession(t.ctx, 'operator', 'ir-nocr')).cookie);
  const page = await b.get(PAGE);
  assert.match(page.body, /Nothing is recorded yet/);
  const service = (await t.ctx.catalog.getService(SLUG)).id;
  const taxService = (await t.ctx.catalog.agencyCards('ir-tax'))[0].id;
  const bad = await b.post(PAGE, { service: taxService, year: '2026', month: '0', count: 'many' });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /<title>Error: /);
  assert.match(bad.body, /href="#service">Select a service from the list/);
  assert.match(bad.body, /href="#count">The number of applications must be a whole number/);
  assert.match(bad.body, /value="many"/, 'what was typed is kept');
  assert.equal((await b.post(PAGE, { service, year: '2026', month: '1', count: '5' }, { noCsrf: true })).statusCode, 403);
  const month = new Date().toISOString().slice(0, 7);
  const ok = await b.post(PAGE, { service, year: month.slice(0, 4), month: String(Number(month.slice(5))), count: '4' });
  assert.equal(ok.statusCode, 303);
  const again = await b.post(PAGE, { service, year: month.slice(0, 4), month: month.slice(5), count: '6' });
  assert.equal(again.statusCode, 303);
  const rows = await t.ctx.database.db.selectFrom('offline_application_counts').selectAll().execute();
  assert.equal(rows.length, 1, 'the same service and month is replaced, not added');
  assert.equal(rows[0].count, 6);
  const audit = await t.ctx.database.db
    .selectFrom('audit_log')
    .select(['detail'])
    .where('action', '=', 'applications.offline-count-recorded')
    .orderBy('seq')
    .execute();
  assert.deepEqual(
    audit.map((a) => [(a.detail as { before: number | null }).before, (a.detail as { after: number }).after]),
    [
      [null, 4],
      [4, 6],
    ],
  );
  assert.match((await b.get(`${PAGE}?saved=1`)).body, /The number of applications was recorded/);
  await t.ctx.database.db.deleteFrom('offline_application_counts').execute();
});

test('monitoring: applications per month, prefilled share and online share, each with "no data yet" and its reason', async () => {
  const m = t.ctx.monitoring.metrics;
  const earlier = new Date(Date.now() - 3600_000);
  const ids = ['ir-nocr', 'ir-tax'];
  // nothing submitted yet
  assert.match(
    reason((await m.measure('applications.per-month', ids, soon(), new Map())).get('ir-tax'))!,
    /No application was made online to this agency/,
  );
  assert.match(
    reason((await m.measure('applications.online-share', ids, soon(), new Map())).get('ir-nocr'))!,
    /has not recorded its paper or in-person applications/,
  );
  assert.match(reason(await m.national('applications.online-share', soon(), new Map()))!, /No agency has recorded/);

  await submitted();
  await submitted();
  await submitted(true); // the mobile number changed: 1 of its 2 prefill-able fields kept the prefilled value
  const perMonth = await m.measure('applications.per-month', ids, soon(), new Map());
  assert.equal(value(perMonth.get('ir-nocr')), 3);
  assert.ok(reason(perMonth.get('ir-tax')));
  assert.equal(value(await m.national('applications.per-month', soon(), new Map())), 3);
  assert.ok(reason(await m.national('applications.per-month', earlier, new Map())), 'as of an hour ago there was none');

  const share = (await m.measure('applications.prefilled-share', ids, soon(), new Map())).get('ir-nocr')!;
  assert.equal(value(share), 83.3, JSON.stringify(share)); // 5 of 6
  assert.deepEqual('detail' in share && share.detail, { count: 3, numerator: 5, denominator: 6 });
  assert.match(
    reason((await m.measure('applications.prefilled-share', ids, soon(), new Map())).get('ir-tax'))!,
    /No application with prefill-able fields/,
  );

  // the agency records its counter applications for this month: 3 online, 9 at the counter
  const b = client(t.app, (await staffSession(t.ctx, 'agency-admin', 'ir-nocr')).cookie);
  await b.get(PAGE);
  const month = new Date().toISOString().slice(0, 7);
  const service = (await t.ctx.catalog.getService(SLUG)).id;
  assert.equal((await b.post(PAGE, { service, year: month.slice(0, 4), month: month.slice(5), count: '9' })).statusCode, 303);
  const online = (await m.measure('applications.online-share', ids, soon(), new Map())).get('ir-nocr')!;
  assert.equal(value(online), 25, JSON.stringify(online));
  assert.deepEqual('detail' in online && online.detail, { online: 3, offline: 9, months: 1 });
  assert.ok(reason((await m.measure('applications.online-share', ids, soon(), new Map())).get('ir-tax')), 'no record: no data');
  assert.equal(value(await m.national('applications.online-share', soon(), new Map())), 25);
  assert.ok(reason(await m.national('applications.online-share', earlier, new Map())), 'recorded after that cut-off');
});
