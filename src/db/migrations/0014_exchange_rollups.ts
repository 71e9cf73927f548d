import { sql, type Kysely } from 'kysely';

// Daily roll-ups of the exchange's message log, so statistics never scan the raw log: one row per
// UTC day, service and client subsystem with counts, errors, the sum of durations and a latency
// histogram (bucket index -> count; the buckets are defined in exchange.rollups.ts). The roll-up job
// adds the records after `rolled_seq` and moves the watermark in the same transaction.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table exchange_stats_daily (
    day date not null,
    service_id text not null,
    client_id text not null,
    transactions bigint not null,
    errors bigint not null,
    duration_sum bigint not null,
    histogram jsonb not null,
    primary key (day, service_id, client_id)
  )`.execute(db);
  await sql`create table exchange_stats_state (id integer primary key, rolled_seq bigint not null, rolled_at timestamptz)`.execute(db);
  await sql`insert into exchange_stats_state (id, rolled_seq) values (1, 0)`.execute(db);
}
