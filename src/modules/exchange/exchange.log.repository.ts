// SQL for the message log and its statistics (exchange_log, exchange_log_batches, exchange_stats_daily,
// exchange_stats_state), Kysely only. The chaining and checking live in exchange.log.ts, the roll-ups
// in exchange.rollups.ts, the statistics in exchange.stats.ts.
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { Database, ExchangeLogBatchTable, ExchangeLogTable, ExchangeStatsDailyTable } from '../../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export class ExchangeLogRepository {
  constructor(readonly db: Kysely<Database>) {}

  /** Runs `fn` in a transaction holding the cluster-wide lock `key` until it ends. */
  locked<T>(key: number, fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(${key})`.execute(tx);
      return fn(tx);
    });
  }

  // ---- the log

  /** Inserts chained records in one statement (fails as a whole if another node took one of the seqs). */
  async insertRecords(rows: Insertable<ExchangeLogTable>[]): Promise<void> {
    await this.db.insertInto('exchange_log').values(rows).execute();
  }

  /** The newest record's seq and hash. */
  head(db: Db = this.db) {
    return db.selectFrom('exchange_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  }

  /** The last record before `seq`. */
  recordBefore(seq: number) {
    return this.db
      .selectFrom('exchange_log')
      .select(['seq', 'hash'])
      .where('seq', '<', seq)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** Records from `from` to `to`, oldest first, at most `limit`. */
  records(from: number, to: number, limit: number) {
    return this.db
      .selectFrom('exchange_log')
      .selectAll()
      .where('seq', '>=', from)
      .where('seq', '<=', to)
      .orderBy('seq')
      .limit(limit)
      .execute();
  }

  async hashAt(seq: number): Promise<string | undefined> {
    return (await this.db.selectFrom('exchange_log').select('hash').where('seq', '=', seq).executeTakeFirst())?.hash;
  }

  /** Every logged request that touched one person's data (by the keyed hash of their national ID). */
  dataUse(subjectHash: string, limit: number) {
    return this.db
      .selectFrom('exchange_log')
      .select(['seq', 'at', 'client_id', 'service_id', 'method', 'status', 'error_type', 'issue'])
      .where('subject_hash', '=', subjectHash)
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute();
  }

  // ---- signed batches

  lastBatch(tx: Db) {
    return tx.selectFrom('exchange_log_batches').select(['id', 'to_seq']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  }

  async insertBatch(tx: Db, b: ExchangeLogBatchTable): Promise<void> {
    await tx.insertInto('exchange_log_batches').values(b).execute();
  }

  /** Batches overlapping from..to, in order. */
  batchesOverlapping(from: number, to: number) {
    return this.db
      .selectFrom('exchange_log_batches')
      .selectAll()
      .where('to_seq', '>=', from)
      .where('from_seq', '<=', to)
      .orderBy('id')
      .execute();
  }

  // ---- roll-ups

  async rolledSeq(tx: Db): Promise<number> {
    return Number(
      (await tx.selectFrom('exchange_stats_state').select('rolled_seq').where('id', '=', 1).executeTakeFirstOrThrow()).rolled_seq,
    );
  }

  async setRolledSeq(tx: Db, seq: number): Promise<void> {
    await tx.updateTable('exchange_stats_state').set({ rolled_seq: seq, rolled_at: new Date() }).where('id', '=', 1).execute();
  }

  /** The largest seq in (after, upTo], if any. */
  async maxSeqIn(tx: Db, after: number, upTo: number) {
    return (
      await tx
        .selectFrom('exchange_log')
        .select((eb) => eb.fn.max('seq').as('m'))
        .where('seq', '>', after)
        .where('seq', '<=', upTo)
        .executeTakeFirst()
    )?.m;
  }

  /** The smallest seq after `after`, if any. */
  async minSeqAfter(tx: Db, after: number) {
    return (
      await tx
        .selectFrom('exchange_log')
        .select((eb) => eb.fn.min('seq').as('m'))
        .where('seq', '>', after)
        .executeTakeFirst()
    )?.m;
  }

  /** Records in (from, to] counted by UTC day, service, client and duration. */
  async countsIn(tx: Db, from: number, to: number) {
    const r = await sql<{ day: string; service_id: string; client_id: string; duration_ms: number; n: number; e: number }>`
        select to_char(at at time zone 'UTC', 'YYYY-MM-DD') as day, service_id, coalesce(client_id, '') as client_id, duration_ms,
               count(*)::bigint as n, (count(*) filter (where status >= 400))::bigint as e
        from exchange_log where seq > ${from} and seq <= ${to}
        group by 1, 2, 3, 4`.execute(tx);
    return r.rows;
  }

  dayRows(tx: Db, days: string[]) {
    return tx.selectFrom('exchange_stats_daily').selectAll().where('day', 'in', days).execute();
  }

  /** Writes day rows (replacing their counts), 500 to a statement. */
  async putDayRows(tx: Db, values: Insertable<ExchangeStatsDailyTable>[]): Promise<void> {
    for (let i = 0; i < values.length; i += 500) {
      await tx
        .insertInto('exchange_stats_daily')
        .values(values.slice(i, i + 500))
        .onConflict((oc) =>
          oc.columns(['day', 'service_id', 'client_id']).doUpdateSet((eb) => ({
            transactions: eb.ref('excluded.transactions'),
            errors: eb.ref('excluded.errors'),
            duration_sum: eb.ref('excluded.duration_sum'),
            histogram: eb.ref('excluded.histogram'),
          })),
        )
        .execute();
    }
  }

  /** Day rows from `day` (YYYY-MM-DD) on. */
  daysSince(day: string) {
    return this.db
      .selectFrom('exchange_stats_daily')
      .select(['day', 'service_id', 'client_id', 'transactions', 'errors', 'histogram'])
      .where('day', '>=', day)
      .execute();
  }

  /** Transactions and successful ones per service and client from `from` to `to` (days, inclusive). */
  async totalsBetween(from: string, to: string) {
    return this.db
      .selectFrom('exchange_stats_daily')
      .select([
        'service_id',
        'client_id',
        sql<number>`sum(transactions)`.as('transactions'),
        sql<number>`sum(transactions - errors)`.as('ok'),
      ])
      .where('day', '>=', from)
      .where('day', '<=', to)
      .groupBy(['service_id', 'client_id'])
      .execute();
  }
}
