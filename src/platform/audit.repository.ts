// SQL for the audit log's tables (audit_log, audit_log_batches) and the platform's signing keys
// (platform_keys), Kysely only. The chaining, signing and checking live in audit.ts.
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { AuditLogBatchTable, AuditLogTable, Database } from '../db/schema.ts';

type Db = Transaction<Database> | Kysely<Database>;

export type AuditRow = Insertable<AuditLogTable>;

export class AuditRepository {
  constructor(readonly db: Kysely<Database>) {}

  /** Takes a cluster-wide lock held by `tx` until it ends. */
  async lock(tx: Db, key: number): Promise<void> {
    await sql`select pg_advisory_xact_lock(${key})`.execute(tx);
  }

  /** Runs `fn` in a transaction of its own. */
  transaction<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  /** The hash of the newest entry, if any. */
  async headHash(tx: Db): Promise<string | undefined> {
    return (await tx.selectFrom('audit_log').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst())?.hash;
  }

  async insertEntries(tx: Db, rows: AuditRow[]): Promise<void> {
    await tx.insertInto('audit_log').values(rows).execute();
  }

  /** Entries newest first, filtered by action prefix, actor and time. */
  search(f: { action?: string; actor?: string; from?: Date; to?: Date; limit?: number }) {
    let q = this.db
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('seq', 'desc')
      .limit(f.limit ?? 200);
    if (f.action) q = q.where('action', 'like', `${f.action.replace(/[%_\\]/g, '')}%`);
    if (f.actor) q = q.where('actor', '=', f.actor);
    if (f.from) q = q.where('at', '>=', f.from as never);
    if (f.to) q = q.where('at', '<', f.to as never);
    return q.execute();
  }

  /** Entries after `seq`, oldest first, at most `limit`. */
  entriesAfter(seq: number, limit: number) {
    return this.db.selectFrom('audit_log').selectAll().where('seq', '>', seq).orderBy('seq').limit(limit).execute();
  }

  /** Sequence numbers and hashes from `seq` on, oldest first, at most `limit`. */
  hashesFrom(tx: Db, seq: number, limit: number) {
    return tx.selectFrom('audit_log').select(['seq', 'hash']).where('seq', '>=', seq).orderBy('seq').limit(limit).execute();
  }

  lastBatch(tx: Db) {
    return tx.selectFrom('audit_log_batches').select(['id', 'to_seq']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  }

  async insertBatch(tx: Db, b: AuditLogBatchTable): Promise<void> {
    await tx.insertInto('audit_log_batches').values(b).execute();
  }

  batches() {
    return this.db.selectFrom('audit_log_batches').selectAll().orderBy('id').execute();
  }

  platformKey(id: string) {
    return this.db.selectFrom('platform_keys').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Stores a key unless one with this id exists (another node made it first). */
  async putPlatformKeyOnce(k: { id: string; purpose: string; public_pem: string; private_sealed: string }): Promise<void> {
    await this.db
      .insertInto('platform_keys')
      .values(k)
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  publicKeys(purpose: string) {
    return this.db.selectFrom('platform_keys').select(['id', 'public_pem']).where('purpose', '=', purpose).execute();
  }
}
