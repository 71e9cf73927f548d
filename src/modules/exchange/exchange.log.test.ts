import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { MessageLog, recordHash, type LogInput } from './exchange.log.ts';

let t: TestApp;
before(async () => (t = await testApp()));
after(() => t.close());

const db = () => t.ctx.database.db;
const log = () => t.ctx.exchange.log;

function entry(i: number): LogInput {
  return {
    at: new Date(),
    xRoadId: `test-${i}-${crypto.randomUUID()}`,
    requestId: crypto.randomUUID(),
    clientId: 'GOV/TAX/PORTAL',
    serviceId: 'GOV/NOCR/REGISTRY/person',
    method: 'GET',
    status: 200,
    errorType: null,
    durationMs: 3,
    requestBytes: 0,
    responseBytes: 100 + i,
    requestHash: crypto.randomBytes(64).toString('base64'),
    responseHash: crypto.randomBytes(64).toString('base64'),
    subjectHash: t.ctx.exchange.subjectHash('0499370899'),
    issue: 'test',
    detail: { path: `/persons/${i}`, query: '', userId: null },
  };
}

/** Runs a tampering inside a transaction that is rolled back, so each case starts from the intact log. */
async function tampered<T>(tamper: () => Promise<void>, check: () => Promise<T>): Promise<T> {
  const saved = await db().selectFrom('exchange_log').selectAll().orderBy('seq').execute();
  const savedBatches = await db().selectFrom('exchange_log_batches').selectAll().orderBy('id').execute();
  try {
    await tamper();
    return await check();
  } finally {
    await db().deleteFrom('exchange_log').execute();
    await db().deleteFrom('exchange_log_batches').execute();
    await db().insertInto('exchange_log').values(saved).execute();
    await db().insertInto('exchange_log_batches').values(savedBatches).execute();
  }
}

test('concurrent appends form one gap-free chain (group commit); batches are signed', async () => {
  await Promise.all(Array.from({ length: 120 }, (_, i) => log().append(entry(i))));
  const first = await log().signPending();
  assert.deepEqual(first && { from: first.from, to: first.to }, { from: 1, to: 120 });
  await Promise.all(Array.from({ length: 30 }, (_, i) => log().append(entry(200 + i))));
  const second = await log().signPending();
  assert.deepEqual(second && { from: second.from, to: second.to }, { from: 121, to: 150 });
  assert.equal(await log().signPending(), null, 'nothing left to sign');
  await log().append(entry(999));
  const seqs = (await db().selectFrom('exchange_log').select('seq').orderBy('seq').execute()).map((r) => Number(r.seq));
  assert.deepEqual(
    seqs,
    Array.from({ length: 151 }, (_, i) => i + 1),
  );
  const v = await log().verify();
  assert.deepEqual(v, { ok: true, records: 151, batches: 2, unsignedTail: 1 });
  const part = await log().verify({ from: 100, to: 130 });
  assert.equal(part.ok, true);
  assert.equal(part.ok && part.records, 31);
});

test('an altered record is named', async () => {
  const r = await tampered(
    () =>
      db()
        .updateTable('exchange_log')
        .set({ status: 404 })
        .where('seq', '=', 37)
        .execute()
        .then(() => {}),
    () => log().verify(),
  );
  assert.equal(r.ok, false);
  assert.deepEqual(!r.ok && [r.kind, r.seq], ['altered', 37]);
});

test('a removed record is named, in the middle and at the end', async () => {
  const mid = await tampered(
    () =>
      db()
        .deleteFrom('exchange_log')
        .where('seq', '=', 64)
        .execute()
        .then(() => {}),
    () => log().verify(),
  );
  assert.deepEqual(!mid.ok && [mid.kind, mid.seq], ['removed', 64]);
  // Removed and the rest renumbered to hide the gap: the next record no longer links.
  const renumbered = await tampered(
    async () => {
      await db().deleteFrom('exchange_log').where('seq', '=', 64).execute();
      await db()
        .updateTable('exchange_log')
        .set({ seq: sql`seq + 100000` })
        .where('seq', '>', 64)
        .execute();
      await db()
        .updateTable('exchange_log')
        .set({ seq: sql`seq - 100001` })
        .where('seq', '>', 100000)
        .execute();
    },
    () => log().verify(),
  );
  assert.deepEqual(!renumbered.ok && [renumbered.kind, renumbered.seq], ['removed', 64]);
  const end = await tampered(
    () =>
      db()
        .deleteFrom('exchange_log')
        .where('seq', '>=', 150)
        .execute()
        .then(() => {}),
    () => log().verify(),
  );
  assert.equal(end.ok, false);
  assert.equal(!end.ok && end.kind, 'removed');
});

test('an inserted record is named', async () => {
  const r = await tampered(
    async () => {
      await db()
        .updateTable('exchange_log')
        .set({ seq: sql`seq + 100000` })
        .where('seq', '>=', 80)
        .execute();
      await db()
        .updateTable('exchange_log')
        .set({ seq: sql`seq - 99999` })
        .where('seq', '>', 100000)
        .execute();
      const before = await db().selectFrom('exchange_log').selectAll().where('seq', '=', 79).executeTakeFirstOrThrow();
      const forged = { ...before, seq: 80, x_road_id: 'forged', issue: 'a request that never happened', prev_hash: before.hash };
      forged.hash = recordHash(before.hash, forged);
      await db().insertInto('exchange_log').values(forged).execute();
    },
    () => log().verify(),
  );
  assert.deepEqual(!r.ok && [r.kind, r.seq], ['inserted', 80]);
});

test('a forged batch signature is caught, and so is a chain rewritten after tampering', async () => {
  const sig = await tampered(
    async () => {
      const b = await db().selectFrom('exchange_log_batches').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
      const bytes = Buffer.from(b.signature, 'base64');
      bytes[5] ^= 0xff;
      await db()
        .updateTable('exchange_log_batches')
        .set({ signature: bytes.toString('base64') })
        .where('id', '=', 1)
        .execute();
    },
    () => log().verify(),
  );
  assert.deepEqual(!sig.ok && [sig.kind, sig.batch], ['signature', 1]);
  // Alter record 10 and recompute every hash after it: the chain holds, the signed hash does not.
  const rewritten = await tampered(
    async () => {
      const rows = await db().selectFrom('exchange_log').selectAll().orderBy('seq').execute();
      let prev = rows[8].hash;
      for (const r of rows.slice(9)) {
        const changed = { ...r, prev_hash: prev, status: r.seq === 10 ? 500 : r.status };
        changed.hash = recordHash(prev, changed);
        await db()
          .updateTable('exchange_log')
          .set({ status: changed.status, prev_hash: changed.prev_hash, hash: changed.hash })
          .where('seq', '=', r.seq)
          .execute();
        prev = changed.hash;
      }
    },
    () => log().verify(),
  );
  assert.equal(!rewritten.ok && rewritten.kind, 'rewritten');
  assert.equal(!rewritten.ok && rewritten.batch, 1);
  assert.equal((await log().verify()).ok, true, 'the restored log verifies again');
});

test('records appended one after another each resolve (a flush that is just ending starts the next)', { timeout: 20_000 }, async () => {
  const before = await db().selectFrom('exchange_log').select('seq').execute();
  for (let i = 0; i < 5; i++) await log().append(entry(7000 + i));
  assert.equal((await db().selectFrom('exchange_log').select('seq').execute()).length, before.length + 5);
});

test('two exchange nodes appending to one log at the same time keep one gap-free chain', async () => {
  const other = new MessageLog(db(), t.ctx.config.SESSION_SECRET!, t.ctx.exchange.ca);
  const before = Number(
    (
      await db()
        .selectFrom('exchange_log')
        .select((e) => e.fn.max('seq').as('m'))
        .executeTakeFirstOrThrow()
    ).m,
  );
  await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? other : log()).append(entry(5000 + i))));
  const seqs = (await db().selectFrom('exchange_log').select('seq').where('seq', '>', before).orderBy('seq').execute()).map((r) =>
    Number(r.seq),
  );
  assert.deepEqual(
    seqs,
    Array.from({ length: 60 }, (_, i) => before + i + 1),
  );
  assert.equal((await log().verify()).ok, true);
});
