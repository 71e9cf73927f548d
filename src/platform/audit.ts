// The audit log: an append-only record of sign-ins, failures and staff actions. Each entry's hash
// covers its content and the previous entry's hash, so a changed, removed or inserted entry breaks
// the chain; verify() names the first break. No personal data: addresses are keyed hashes.
import crypto from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { canonicalJson } from './json.ts';

export interface AuditEvent {
  actor: string;
  action: string;
  subject?: string | null;
  ipHash?: string | null;
  detail?: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);

function entryHash(prev: string, e: { at: string; actor: string; action: string; subject: string | null; ip_hash: string | null; detail: Record<string, unknown> }): string {
  return crypto.createHash('sha256').update(canonicalJson([prev, e.at, e.actor, e.action, e.subject, e.ip_hash, e.detail])).digest('hex');
}

export class AuditLog {
  #queue: { e: AuditEvent; done: (err?: unknown) => void }[] = [];
  #flushing: Promise<void> | null = null;

  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Appends one entry and resolves once it is committed. Entries that arrive while a batch is being
   * written are chained and inserted together in the next transaction (group commit), under one
   * cluster-wide advisory lock that keeps the chain linear across app nodes.
   */
  record(e: AuditEvent): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ e, done: (err) => (err ? reject(err) : resolve()) });
      this.#kick();
    });
  }

  /**
   * Starts a flush unless one is under way. An entry can arrive after the flush took its last batch but
   * before it ended (recorded from the continuation of an entry it just wrote): the flush that ends
   * looks at the queue once more, so no entry is left waiting for a next one.
   */
  #kick(): void {
    if (this.#flushing) return;
    this.#flushing = this.#flush().finally(() => {
      this.#flushing = null;
      if (this.#queue.length) this.#kick();
    });
  }

  async #flush(): Promise<void> {
    while (this.#queue.length) {
      const batch = this.#queue.splice(0, 500);
      try {
        await this.db.transaction().execute(async (tx) => {
          await sql`select pg_advisory_xact_lock(7201001)`.execute(tx);
          const last = await tx.selectFrom('audit_log').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst();
          let prev = last?.hash ?? GENESIS;
          const rows = batch.map(({ e }) => {
            const entry = { at: new Date().toISOString(), actor: e.actor, action: e.action, subject: e.subject ?? null, ip_hash: e.ipHash ?? null, detail: e.detail ?? {} };
            const hash = entryHash(prev, entry);
            const row = { ...entry, detail: JSON.stringify(entry.detail), prev_hash: prev, hash };
            prev = hash;
            return row;
          });
          await tx.insertInto('audit_log').values(rows).execute();
        });
        for (const { done } of batch) done();
      } catch (err) {
        for (const { done } of batch) done(err);
      }
    }
  }

  /** Entries newest first, filtered by action prefix, actor and time. */
  search(f: { action?: string; actor?: string; from?: Date; to?: Date; limit?: number }) {
    let q = this.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(f.limit ?? 200);
    if (f.action) q = q.where('action', 'like', `${f.action.replace(/[%_\\]/g, '')}%`);
    if (f.actor) q = q.where('actor', '=', f.actor);
    if (f.from) q = q.where('at', '>=', f.from as never);
    if (f.to) q = q.where('at', '<', f.to as never);
    return q.execute();
  }

  /** Walks the chain; returns the first entry whose hash or link does not hold. */
  async verify(): Promise<{ ok: true; entries: number } | { ok: false; seq: number; reason: string }> {
    const rows = await this.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    let prev = GENESIS;
    for (const r of rows) {
      if (r.prev_hash !== prev) return { ok: false, seq: Number(r.seq), reason: 'links to a different previous entry (an entry was removed or inserted before it)' };
      const at = new Date(r.at).toISOString();
      if (entryHash(prev, { at, actor: r.actor, action: r.action, subject: r.subject, ip_hash: r.ip_hash, detail: r.detail }) !== r.hash) {
        return { ok: false, seq: Number(r.seq), reason: 'its content does not match its hash (the entry was altered)' };
      }
      prev = r.hash;
    }
    return { ok: true, entries: rows.length };
  }
}
