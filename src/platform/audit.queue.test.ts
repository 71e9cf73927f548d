// The audit log's group commit must never leave an entry waiting: not one recorded right after another
// (from the first one's continuation), and not the entries after a batch the database refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { testApp, type TestApp } from '../../test/helpers/app.ts';
import { AuditLog } from './audit.ts';

let t: TestApp;
before(async () => (t = await testApp()));
after(() => t.close());

/** Resolves with 'done', or 'stuck' when the promise is still pending after 3 s. */
const settles = (p: Promise<unknown>) =>
  Promise.race([
    p.then(
      () => 'done',
      () => 'done',
    ),
    new Promise((r) => setTimeout(() => r('stuck'), 3000)),
  ]);

test('an entry recorded right after another one is written too (the queue is never left without a flush)', async () => {
  const log = new AuditLog(t.ctx.database.db);
  await log.record({ actor: 'test', action: 'test.first' });
  assert.equal(await settles(log.record({ actor: 'test', action: 'test.second' })), 'done');
  const chained = async () => {
    for (let i = 0; i < 5; i++) await log.record({ actor: 'test', action: `test.chained.${i}` });
  };
  assert.equal(await settles(chained()), 'done');
});

test('a batch the database refuses fails its callers only; the next entries are written and the chain verifies', async () => {
  const log = new AuditLog(t.ctx.database.db);
  // PostgreSQL refuses a NUL character in text: this batch's transaction fails.
  await assert.rejects(log.record({ actor: 'bad\u0000actor', action: 'test.refused' }));
  assert.equal(await settles(log.record({ actor: 'test', action: 'test.after-failure' })), 'done');
  assert.deepEqual((await log.verify()).ok, true);
  const after = await t.ctx.database.db.selectFrom('audit_log').select('action').where('action', 'like', 'test.%').execute();
  assert.ok(after.some((r) => r.action === 'test.after-failure'));
  assert.ok(!after.some((r) => r.action === 'test.refused'));
});

test('the exchange message log writes a record appended right after another one', async () => {
  const ex = t.ctx.exchange.log;
  const entry = (i: number) => ({
    at: new Date(),
    xRoadId: `queue-${i}-${crypto.randomUUID()}`,
    requestId: crypto.randomUUID(),
    clientId: 'GOV/TAX/PORTAL',
    serviceId: 'GOV/NOCR/REGISTRY/person',
    method: 'GET',
    status: 200,
    errorType: null,
    durationMs: 1,
    requestBytes: 0,
    responseBytes: 1,
    requestHash: 'x',
    responseHash: 'y',
    subjectHash: null,
    issue: null,
    detail: { path: '/', query: '', userId: null },
  });
  await ex.append(entry(0));
  assert.equal(await settles(ex.append(entry(1))), 'done');
});
