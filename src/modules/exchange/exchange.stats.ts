// Statistics from the message log (Kysely only): transactions by day and month, by provider,
// consumer and service, error rates, latency percentiles, and the data-use list for one person.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

const provider = sql<string>`split_part(service_id, '/', 1) || '/' || split_part(service_id, '/', 2)`;
const consumer = sql<string>`coalesce(split_part(client_id, '/', 1) || '/' || split_part(client_id, '/', 2), '(unauthenticated)')`;
const errors = sql<number>`count(*) filter (where status >= 400)`;
const pct = (p: number) => sql<number>`coalesce(percentile_cont(${p}::float8) within group (order by duration_ms), 0)`;

export interface StatRow {
  period: string;
  provider: string;
  consumer: string;
  service: string;
  transactions: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
}

export class ExchangeStats {
  constructor(private readonly db: Kysely<Database>) {}

  /** Transactions per day or month and provider, consumer and service, newest first. */
  async detailed(unit: 'day' | 'month', since: Date): Promise<StatRow[]> {
    const period = unit === 'day' ? sql<string>`to_char(at at time zone 'UTC', 'YYYY-MM-DD')` : sql<string>`to_char(at at time zone 'UTC', 'YYYY-MM')`;
    const rows = await this.db
      .selectFrom('exchange_log')
      .select([period.as('period'), provider.as('provider'), consumer.as('consumer'), 'service_id as service', sql<number>`count(*)`.as('transactions'), errors.as('errors'), pct(0.5).as('p50'), pct(0.95).as('p95'), pct(0.99).as('p99')])
      .where('at', '>=', since)
      .groupBy([period, provider, consumer, 'service_id'])
      .orderBy('period', 'desc')
      .orderBy('transactions', 'desc')
      .execute();
    return rows.map((r) => ({ ...r, transactions: Number(r.transactions), errors: Number(r.errors), p50: Number(r.p50), p95: Number(r.p95), p99: Number(r.p99) }));
  }

  /** Totals per period (all services). */
  async totals(unit: 'day' | 'month', since: Date) {
    const period = unit === 'day' ? sql<string>`to_char(at at time zone 'UTC', 'YYYY-MM-DD')` : sql<string>`to_char(at at time zone 'UTC', 'YYYY-MM')`;
    const rows = await this.db
      .selectFrom('exchange_log')
      .select([period.as('period'), sql<number>`count(*)`.as('transactions'), errors.as('errors'), pct(0.5).as('p50'), pct(0.99).as('p99')])
      .where('at', '>=', since)
      .groupBy(period)
      .orderBy('period', 'desc')
      .execute();
    return rows.map((r) => ({ period: r.period, transactions: Number(r.transactions), errors: Number(r.errors), p50: Number(r.p50), p99: Number(r.p99) }));
  }

  /** Per service since a date: volume, error rate and latency. */
  async byService(since: Date) {
    const rows = await this.db
      .selectFrom('exchange_log')
      .select(['service_id', sql<number>`count(*)`.as('transactions'), errors.as('errors'), pct(0.5).as('p50'), pct(0.95).as('p95'), pct(0.99).as('p99')])
      .where('at', '>=', since)
      .groupBy('service_id')
      .orderBy('transactions', 'desc')
      .limit(50)
      .execute();
    return rows.map((r) => ({ service: r.service_id, transactions: Number(r.transactions), errors: Number(r.errors), p50: Number(r.p50), p95: Number(r.p95), p99: Number(r.p99) }));
  }

  /** Members that provide at least one service, and members whose subsystems may call one. */
  async organisations(): Promise<{ servers: number; clients: number; members: number }> {
    const r = await sql<{ servers: number; clients: number; members: number }>`
      select
        (select count(distinct s.member_id) from exchange_services v join exchange_subsystems s on s.id = v.subsystem_id) as servers,
        (select count(distinct s.member_id) from exchange_subsystems s
           where exists (select 1 from exchange_grants g where g.client_subsystem_id = s.id)
              or exists (select 1 from exchange_group_members gm join exchange_grants g on g.group_code = gm.group_code where gm.subsystem_id = s.id)) as clients,
        (select count(*) from exchange_members) as members`.execute(this.db);
    const row = r.rows[0];
    return { servers: Number(row.servers), clients: Number(row.clients), members: Number(row.members) };
  }

  /** Every logged request that touched one person's data (by the keyed hash of their national ID). */
  dataUse(subjectHash: string, limit = 500) {
    return this.db
      .selectFrom('exchange_log')
      .select(['seq', 'at', 'client_id', 'service_id', 'method', 'status', 'error_type', 'issue'])
      .where('subject_hash', '=', subjectHash)
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute();
  }
}
