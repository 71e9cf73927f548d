import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { canonicalJson } from './json.ts';
import { freshDatabase } from '../../test/helpers/db.ts';
import type { DatabaseHandle } from '../db/connect.ts';
import { AuditLog } from './audit.ts';

let h: DatabaseHandle;
before(async () => (h = await freshDatabase()));
after(() => h.close());

test('concurrent appends from two loggers (two app nodes) keep one linear, verifiable chain', async () => {
  const a = new AuditLog(h.db);
  const b = new AuditLog(h.db);
  const before = (await h.db.selectFrom('audit_log').select('seq').execute()).length; // the demo data may have written some already
  await Promise.all(
    Array.from({ length: 200 }, (_, i) =>
      (i % 2 ? a : b).record({ actor: `t:${i}`, action: 'test.append', detail: { i, nested: { z: 1, a: [2, 3] } } }),
    ),
  );
  const r = await a.verify();
  assert.deepEqual(r, { ok: true, entries: before + 200 });
  const rows = await h.db.selectFrom('audit_log').select(['seq', 'prev_hash', 'hash']).orderBy('seq').execute();
  for (let i = 1; i < rows.length; i++) assert.equal(rows[i].prev_hash, rows[i - 1].hash);
});

test('verify names the first entry that was altered, removed or inserted', async () => {
  const log = new AuditLog(h.db);
  const rows = await h.db.selectFrom('audit_log').select(['seq']).orderBy('seq').execute();
  await h.db.deleteFrom('audit_log').where('seq', '=', rows[50].seq).execute();
  const removed = await log.verify();
  assert.equal(removed.ok, false);
  assert.equal((removed as { seq: number }).seq, Number(rows[51].seq));
  assert.match((removed as { reason: string }).reason, /removed or inserted/);
});

test('entries recorded one after another each resolve (a flush that is just ending starts the next)', { timeout: 20_000 }, async () => {
  const log = new AuditLog(h.db);
  for (let i = 0; i < 5; i++) await log.record({ actor: 't:seq', action: 'test.sequential', detail: { i } });
  const n = await h.db.selectFrom('audit_log').select('seq').where('action', '=', 'test.sequential').execute();
  assert.equal(n.length, 5);
});

// ---- Signed batches: a removed tail and a rewritten, re-chained entry are named. ----

const SECRET = 'audit-test-secret-audit-test-secret-0123';

/** Runs a tampering, checks, then puts the log and its batches back as they were. */
async function tampered<T>(tamper: () => Promise<void>, check: () => Promise<T>): Promise<T> {
  const saved = await h.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  try {
    await tamper();
    return await check();
  } finally {
    await h.db.deleteFrom('audit_log').execute();
    await sql`insert into audit_log overriding system value select * from json_populate_recordset(null::audit_log, ${JSON.stringify(saved)}::json)`.execute(
      h.db,
    );
  }
}

function rehash(
  prev: string,
  r: { at: Date | string; actor: string; action: string; subject: string | null; ip_hash: string | null; detail: Record<string, unknown> },
): string {
  return crypto
    .createHash('sha256')
    .update(canonicalJson([prev, new Date(r.at).toISOString(), r.actor, r.action, r.subject, r.ip_hash, r.detail]))
    .digest('hex');
}

test('a signed log: deleting the last entries is named as a removed tail (signed count and head against what is there)', async () => {
  // Start from a clean chain (the earlier test broke it on purpose).
  await h.db.deleteFrom('audit_log').execute();
  const log = new AuditLog(h.db, { secret: SECRET });
  for (let i = 0; i < 30; i++) await log.record({ actor: 't:tail', action: 'test.signed', detail: { i } });
  const first = await log.signPending();
  assert.ok(first, 'a batch was signed');
  for (let i = 30; i < 40; i++) await log.record({ actor: 't:tail', action: 'test.signed', detail: { i } });
  const second = await log.signPending();
  assert.ok(second);
  assert.equal(await log.signPending(), null, 'nothing left to sign');
  const intact = await log.inspect();
  assert.deepEqual(intact.ok && [intact.entries, intact.batches, intact.unsignedTail], [40, 2, 0]);

  const seqs = (await h.db.selectFrom('audit_log').select('seq').orderBy('seq').execute()).map((r) => Number(r.seq));
  const r = await tampered(
    () =>
      h.db
        .deleteFrom('audit_log')
        .where('seq', '>=', seqs[36])
        .execute()
        .then(() => {}),
    () => log.verify(),
  );
  assert.equal(r.ok, false, 'a log cut short must not verify');
  assert.ok(!r.ok);
  assert.equal(r.kind, 'removed');
  assert.equal(r.seq, seqs[35] + 1);
  assert.equal(r.batch, 2);
  assert.match(r.reason, new RegExp(`batch 2 signed entries up to ${seqs[39]} but the log ends at ${seqs[35]}`));
  assert.match(r.reason, /10 entries .* 6 of them are there/);
  assert.equal((await log.verify()).ok, true, 'the restored log verifies again');
});

test('a signed log: rewriting an entry and recomputing every later hash is named at that entry', async () => {
  const log = new AuditLog(h.db, { secret: SECRET });
  const rows = await h.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  const victim = rows[12];
  const r = await tampered(
    async () => {
      let prev = rows[11].hash;
      for (const row of rows.slice(12)) {
        const changed = { ...row, action: row.seq === victim.seq ? 'test.nothing-happened' : row.action, prev_hash: prev };
        changed.hash = rehash(prev, changed);
        await h.db
          .updateTable('audit_log')
          .set({ action: changed.action, prev_hash: changed.prev_hash, hash: changed.hash })
          .where('seq', '=', row.seq)
          .execute();
        prev = changed.hash;
      }
    },
    () => log.verify(),
  );
  assert.equal(r.ok, false, 'a rewritten and re-chained log must not verify');
  assert.ok(!r.ok);
  assert.deepEqual([r.kind, r.seq, r.batch], ['rewritten', Number(victim.seq), 1]);
  assert.match(r.reason, new RegExp(`entry ${victim.seq} was rewritten`));

  // A forged batch signature is caught too.
  const sig = await tampered(
    async () => {
      const b = await h.db.selectFrom('audit_log_batches').selectAll().where('id', '=', 2).executeTakeFirstOrThrow();
      await h.db.updateTable('audit_log_batches').set({ last_hash: rows[0].hash }).where('id', '=', b.id).execute();
    },
    () => log.verify(),
  );
  await h.db
    .updateTable('audit_log_batches')
    .set({ last_hash: rows[rows.length - 1].hash })
    .where('id', '=', 2)
    .execute();
  assert.deepEqual(!sig.ok && [sig.kind, sig.batch], ['signature', 2]);
  assert.equal((await log.verify()).ok, true);
});

test(
  'an entry is written in the transaction of the change it records: rolled back together, committed together',
  { timeout: 30_000 },
  async () => {
    const log = new AuditLog(h.db, { secret: SECRET });
    const entries = (action: string) =>
      h.db
        .selectFrom('audit_log')
        .select('seq')
        .where('action', '=', action)
        .execute()
        .then((r) => r.length);
    const holiday = (day: string) =>
      h.db
        .selectFrom('public_holidays')
        .select('day')
        .where(sql`day::text`, '=', day)
        .execute()
        .then((r) => r.length);

    // A failure after the change (and after its entry) rolls back both.
    await assert.rejects(
      h.db.transaction().execute(async (tx) => {
        await tx.insertInto('public_holidays').values({ day: '2031-01-02', name_fa: 'آزمون', name_en: 'Test' }).execute();
        await log.record({ actor: 't:tx', action: 'test.holiday-rolled-back', subject: '2031-01-02' }, tx);
        throw new Error('injected failure after the change');
      }),
      /injected failure/,
    );
    assert.deepEqual([await holiday('2031-01-02'), await entries('test.holiday-rolled-back')], [0, 0], 'neither the change nor its entry');

    // A failure writing the entry rolls back the change.
    await sql`create function audit_fail() returns trigger language plpgsql as $$ begin if new.action = 'test.audit-fails' then raise exception 'injected audit failure'; end if; return new; end $$`.execute(
      h.db,
    );
    await sql`create trigger audit_fail before insert on audit_log for each row execute function audit_fail()`.execute(h.db);
    try {
      await assert.rejects(
        h.db.transaction().execute(async (tx) => {
          await tx.insertInto('public_holidays').values({ day: '2031-01-03', name_fa: 'آزمون', name_en: 'Test' }).execute();
          await log.record({ actor: 't:tx', action: 'test.audit-fails', subject: '2031-01-03' }, tx);
        }),
        /injected audit failure/,
      );
    } finally {
      await sql`drop trigger audit_fail on audit_log`.execute(h.db);
      await sql`drop function audit_fail()`.execute(h.db);
    }
    assert.equal(await holiday('2031-01-03'), 0, 'no change without its entry');

    // Committed: both are there, and the chain (with the gap the rolled-back seq left) still verifies.
    await h.db.transaction().execute(async (tx) => {
      await tx.insertInto('public_holidays').values({ day: '2031-01-04', name_fa: 'آزمون', name_en: 'Test' }).execute();
      await log.record({ actor: 't:tx', action: 'test.holiday-committed', subject: '2031-01-04' }, tx);
    });
    assert.deepEqual([await holiday('2031-01-04'), await entries('test.holiday-committed')], [1, 1]);
    // In-transaction entries and group-committed ones interleave on one linear chain.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2
          ? log.record({ actor: 't:mix', action: 'test.mix', detail: { i } })
          : h.db.transaction().execute((tx) => log.record({ actor: 't:mix', action: 'test.mix', detail: { i } }, tx)),
      ),
    );
    assert.equal(await entries('test.mix'), 20);
    await log.signPending();
    assert.equal((await log.verify()).ok, true);
  },
);
