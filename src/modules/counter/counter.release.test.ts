// Migration 0032: an assisted session opened before the assisted-token mark existed has an unmarked
// token the scope hook no longer looks up; the release ends every such open session and revokes the
// citizen session behind it, so the operator's browser holds no full citizen session.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { client, sessionOf, nationalId, staffSession } from '../../../test/helpers/people.ts';
import { up } from '../../db/migrations/0032_counter_end_unmarked_sessions.ts';
import { DEMO_OFFICES } from './counter.demo.ts';

let t: TestApp;
before(async () => (t = await testApp({ NOTIFICATIONS_WORKER: false })));
after(() => t?.close());

test('0032 ends an assisted session opened before the release (unmarked token) and revokes its citizen session', async () => {
  const db = t.ctx.database.db;
  const nid = nationalId(880101);
  const old = await sessionOf(t.ctx, nid, '09351880101');
  assert.ok(!old.token.startsWith('as.'));
  const cookie = `session=${old.token}`;
  assert.equal((await client(t.app, cookie).get('/fa/account')).statusCode, 200);
  const hash = crypto.createHash('sha256').update(old.token).digest('hex');
  const citizenSession = await db.selectFrom('sessions').select('id').where('token_hash', '=', hash).executeTakeFirstOrThrow();
  const op = await staffSession(t.ctx, 'counter-operator', null, 'Old operator');
  const office = await t.ctx.counter.service.attachOperator(op.id, DEMO_OFFICES[0].code, 'test');
  const service = await db.selectFrom('services').select('id').limit(1).executeTakeFirstOrThrow();
  const row = await db
    .insertInto('counter_sessions')
    .values({
      office_id: office.id,
      operator_id: op.id,
      national_id: nid,
      service_id: service.id,
      challenge_id: crypto.randomUUID(),
      status: 'active',
      citizen_id: old.id,
      citizen_session_id: citizenSession.id,
      token_hash: hash,
      verified_at: new Date(),
      expires_at: new Date(Date.now() + 30 * 60_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  await up(db as unknown as Kysely<unknown>);

  const after = await db.selectFrom('counter_sessions').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
  assert.equal(after.status, 'ended');
  assert.ok(after.ended_at);
  const s = await db.selectFrom('sessions').select('revoked_at').where('id', '=', citizenSession.id).executeTakeFirstOrThrow();
  assert.ok(s.revoked_at, 'the citizen session is revoked');
  const res = await client(t.app, cookie).get('/fa/account');
  assert.notEqual(res.statusCode, 200, 'the old cookie opens the account no more');
});
