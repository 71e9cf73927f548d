import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { freshDatabase } from '../../test/helpers/db.ts';
import type { DatabaseHandle } from '../db/connect.ts';
import { AuditLog } from './audit.ts';

let h: DatabaseHandle;
before(async () => (h = await freshDatabase()));
after(() => h.close());

test('concurrent appends from two loggers (two app nodes) keep one linear, verifiable chain', async () => {
  const a = new AuditLog(h.db);
  const b = new AuditLog(h.db);
  const before = (await h.db.selectFrom("audit_log").select("seq").execute()).length; // the demo data may have written some already
  await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).record({ actor: `t:${i}`, action: 'test.append', detail: { i, nested: { z: 1, a: [2, 3] } } })));
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
