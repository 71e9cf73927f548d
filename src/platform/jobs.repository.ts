// The SQL of the job primitive (src/platform/jobs.ts), generic over any table with the standard job columns:
// `id`, `status`, `attempts`, `next_attempt_at` (when the row is due; while a worker holds it, when its lease
// runs out) and `last_error`. Each table names its own statuses in a JobTable.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

export type Db = Kysely<Database> | Transaction<Database>;

/** How one table spells the job states, and which optional time columns it keeps. */
export interface JobTable {
  table: string;
  /** States a due row is claimed from (the waiting state; also the running one, for a lease that ran out). */
  claimable: readonly string[];
  /** The state while a worker holds the row (may equal the waiting state). */
  running: string;
  /** The state a failed attempt that will be retried goes back to. */
  waiting: string;
  done: string;
  dead: string;
  /** Claim order (oldest first). */
  orderBy: string;
  /** Set to now() when claimed. */
  startedAt?: string;
  /** now() on success, null otherwise. */
  doneAt?: string;
  /** now() on success or dead letter, null on a retry. */
  endedAt?: string;
}

export type JobOutcome = { kind: 'done' } | { kind: 'retry'; error: string; retryInMs: number } | { kind: 'dead'; error: string };

const setList = (cols: Record<string, unknown>): RawBuilder<unknown>[] => Object.entries(cols).map(([k, v]) => sql`${sql.ref(k)} = ${v}`);

export const jobsRepo = {
  /**
   * Claims up to `limit` due rows (FOR UPDATE SKIP LOCKED: a row another worker holds is skipped), counts the
   * attempt and leases them for `leaseSeconds`; a running row whose lease ran out (its worker died) is due again.
   */
  async claim<Row>(db: Db, t: JobTable, limit: number, leaseSeconds: number): Promise<Row[]> {
    const tbl = sql.table(t.table);
    const r = await sql<Row>`
      update ${tbl} set ${sql.ref('status')} = ${t.running}, attempts = attempts + 1,
        next_attempt_at = now() + make_interval(secs => ${leaseSeconds})${t.startedAt ? sql`, ${sql.ref(t.startedAt)} = now()` : sql``}
      where id in (
        select id from ${tbl} where ${sql.ref('status')} in (${sql.join([...t.claimable])}) and next_attempt_at <= now()
        order by ${sql.ref(t.orderBy)} limit ${limit} for update skip locked)
      returning *`.execute(db);
    return r.rows;
  },

  /** Records how an attempt ended (with the table's own extra columns in `extra`). */
  async finish(db: Db, t: JobTable, id: string | number, o: JobOutcome, extra: Record<string, unknown> = {}): Promise<void> {
    const cols: RawBuilder<unknown>[] = [
      sql`${sql.ref('status')} = ${o.kind === 'done' ? t.done : o.kind === 'dead' ? t.dead : t.waiting}`,
      sql`last_error = ${o.kind === 'done' ? null : o.error}`,
      ...setList(extra),
    ];
    if (o.kind === 'retry') cols.push(sql`next_attempt_at = now() + make_interval(secs => ${o.retryInMs / 1000})`);
    if (t.doneAt) cols.push(o.kind === 'done' ? sql`${sql.ref(t.doneAt)} = now()` : sql`${sql.ref(t.doneAt)} = null`);
    if (t.endedAt) cols.push(o.kind === 'retry' ? sql`${sql.ref(t.endedAt)} = null` : sql`${sql.ref(t.endedAt)} = now()`);
    await sql`update ${sql.table(t.table)} set ${sql.join(cols)} where id = ${id}`.execute(db);
  },

  transaction<T>(db: Kysely<Database>, fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
    return db.transaction().execute(fn);
  },
};
