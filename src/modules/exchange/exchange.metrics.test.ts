import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { endOfDay } from '../monitoring/monitoring.service.ts';
import { exchangeFixture } from './exchange.fixture.ts';

let f: Awaited<ReturnType<typeof exchangeFixture>>;
before(async () => (f = await exchangeFixture()));
after(() => f.close());

const DAY = 86_400_000;
const PERSON = '/r1/IR/GOV/NOCR/REGISTRY/person/persons/0499370899';
const SHAHKAR = '/r1/IR/GOV/CRA/SHAHKAR/mobile-ownership/ownership?nationalId=0499370899&mobile=09121234567';

test('exchange metrics for monitoring from real traffic: transactions in the month to the cut-off and the share of services using the exchange', async () => {
  const metrics = f.t.ctx.monitoring.metrics;
  const db = f.t.ctx.database.db;
  const today = new Date().toISOString().slice(0, 10);
  const at = endOfDay(today);
  const agencies = new Set((await db.selectFrom('agencies').select('id').execute()).map((a) => a.id));
  for (const id of ['ir-nocr', 'ir-tax', 'ir-ito']) assert.ok(agencies.has(id), `demo agency ${id}`);
  const members = await db.selectFrom('exchange_members').select(['id', 'agency_id']).execute();
  assert.equal(members.find((m) => m.id === 'GOV/NOCR')?.agency_id, 'ir-nocr', 'members name their catalogue agency');

  // Real traffic: the tax portal asks the civil registry 5 times (one refused: not in its grant) and Shahkar twice.
  for (let i = 0; i < 4; i++) assert.equal((await f.call(PERSON)).status, 200);
  assert.equal((await f.call(PERSON, { method: 'DELETE' })).status, 403);
  for (let i = 0; i < 2; i++) assert.ok((await f.call(SHAHKAR)).status < 500);
  // A record from 40 days ago is outside the month.
  await f.ex.log.append({
    at: new Date(Date.now() - 40 * DAY),
    xRoadId: crypto.randomUUID(),
    requestId: crypto.randomUUID(),
    clientId: 'GOV/TAX/PORTAL',
    serviceId: 'GOV/NOCR/REGISTRY/person',
    method: 'GET',
    status: 200,
    errorType: null,
    durationMs: 4,
    requestBytes: 0,
    responseBytes: 10,
    requestHash: 'x',
    responseHash: 'y',
    subjectHash: null,
    issue: null,
    detail: { path: '/', query: '', userId: null },
  });

  const ids = ['ir-nocr', 'ir-tax', 'ir-ito', [...agencies].find((a) => !['ir-nocr', 'ir-tax', 'ir-ito'].includes(a))!];
  const tx = await metrics.measure('exchange.transactions-per-month', ids, at, new Map());
  const value = (m: unknown) => (m as { value?: number }).value;
  assert.equal(value(tx.get('ir-nocr')), 5, 'the registry provided 5 (the refusal counts as a transaction)');
  assert.equal(value(tx.get('ir-tax')), 7, 'the tax portal consumed 7');
  assert.equal(value(tx.get('ir-ito')), 0, 'a linked member with no traffic: 0');
  assert.ok('noData' in tx.get(ids[3])!, 'an agency with no exchange member: no data');
  assert.equal(value(await metrics.national('exchange.transactions-per-month', at, new Map())), 7);
  const earlier = await metrics.measure(
    'exchange.transactions-per-month',
    ['ir-nocr'],
    endOfDay(new Date(Date.now() - 35 * DAY).toISOString().slice(0, 10)),
    new Map(),
  );
  assert.equal(value(earlier.get('ir-nocr')), 1, 'as of an earlier cut-off only the old record counts');

  const published = async (agency: string) =>
    (await f.t.ctx.catalog.snapshotAt(at)).services.filter((s) => s.status === 'published' && s.agencyId === agency).length;
  const share = await metrics.measure('exchange.services-share', ['ir-nocr', 'ir-tax', 'ir-ito'], at, new Map());
  const nocr = await published('ir-nocr');
  const tax = await published('ir-tax');
  assert.ok(nocr > 0 && tax > 0);
  assert.deepEqual(share.get('ir-nocr'), {
    value: Math.round((1000 * Math.min(1, nocr)) / nocr) / 10,
    detail: { exchangeServicesUsed: 1, publishedServices: nocr },
  });
  const taxUsed = (
    await db
      .selectFrom('exchange_stats_daily')
      .select('service_id')
      .where('client_id', '=', 'GOV/TAX/PORTAL')
      .where('day', '=', today)
      .where((eb) => eb('transactions', '>', eb.ref('errors')))
      .execute()
  ).length;
  assert.equal(taxUsed, 2, 'the tax portal used the registry and Shahkar successfully');
  assert.deepEqual(share.get('ir-tax'), {
    value: Math.round((1000 * Math.min(2, tax)) / tax) / 10,
    detail: { exchangeServicesUsed: 2, publishedServices: tax },
  });
  assert.equal(value(share.get('ir-ito')), 0);
  const national = await metrics.national('exchange.services-share', at, new Map());
  assert.equal((national as unknown as { detail: { exchangeServicesUsed: number } }).detail.exchangeServicesUsed, 2);
});
