// The read-only queries behind the applications' monitoring figures (applications.metrics.ts): counts
// per agency (or for the whole country, grouping by nothing) as of a moment.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/schema.ts';

export interface MetricRow {
  agency_id: string | null;
  n: number;
  value: number;
}

/** How a decided/rated row set is summarised into one value. */
export type Summary = 'on-time' | 'median-days' | 'average' | 'satisfied';

const SUMMARY: Record<Summary, RawBuilder<unknown>> = {
  'on-time': sql`round(100.0 * avg(case when due_at is null or decided_at <= due_at then 1 else 0 end), 1)`,
  'median-days': sql`round((percentile_cont(0.5) within group (order by extract(epoch from decided_at - submitted_at) / 86400))::numeric, 1)`,
  average: sql`round(avg(score)::numeric, 2)`,
  satisfied: sql`round(100.0 * avg(case when score >= 4 then 1 else 0 end), 1)`,
};

export class ApplicationMetricsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Applications submitted in the month ending at `at` (recent), and all submitted before it (ever). */
  async perMonth(at: Date): Promise<{ agency_id: string; recent: number; ever: number }[]> {
    const r = await sql<{ agency_id: string; recent: number; ever: number }>`
      select agency_id, count(*) filter (where submitted_at > ${at}::timestamptz - interval '1 month')::int as recent, count(*)::int as ever
      from applications where submitted_at is not null and submitted_at <= ${at} group by agency_id`.execute(this.db);
    return r.rows;
  }

  /** Submitted applications that offered prefill-able fields: how many fields were offered and filled. */
  async prefilled(at: Date): Promise<{ agency_id: string; n: number; offered: number; filled: number }[]> {
    const r = await sql<{ agency_id: string; n: number; offered: number; filled: number }>`
      select agency_id, count(*)::int as n, sum(prefill_offered)::int as offered, sum(prefill_filled)::int as filled
      from applications where submitted_at is not null and submitted_at <= ${at} and prefill_offered > 0 group by agency_id`.execute(
      this.db,
    );
    return r.rows;
  }

  /**
   * Per agency, over the months (YYYY-MM, after `fromExclusive` up to `to`) it recorded counter counts
   * for: how many months, the counter (offline) total and the online applications in those months.
   */
  async onlineShare(
    at: Date,
    w: { to: string; fromExclusive: string; start: Date },
  ): Promise<{ agency_id: string; months: number; offline: number; online: number }[]> {
    const r = await sql<{ agency_id: string; months: number; offline: number; online: number }>`
      with off as (
        select agency_id, month, sum(count)::bigint as offline from offline_application_counts
        where month > ${w.fromExclusive} and month <= ${w.to} and created_at <= ${at} group by agency_id, month
      ), onl as (
        select agency_id, to_char(submitted_at at time zone 'UTC', 'YYYY-MM') as month, count(*)::bigint as online from applications
        where submitted_at is not null and submitted_at >= ${w.start} and submitted_at <= ${at} group by 1, 2
      )
      select off.agency_id, count(*)::int as months, sum(off.offline)::float8 as offline, coalesce(sum(onl.online), 0)::float8 as online
      from off left join onl on onl.agency_id = off.agency_id and onl.month = off.month group by off.agency_id`.execute(this.db);
    return r.rows.map((x) => ({ ...x, offline: Number(x.offline), online: Number(x.online) }));
  }

  /** Decided applications up to `at`, summarised per agency (or nationally). */
  async decided(at: Date, byAgency: boolean, summary: 'on-time' | 'median-days'): Promise<MetricRow[]> {
    const r =
      await sql<MetricRow>`select ${byAgency ? sql`agency_id` : sql`null`} as agency_id, count(*)::int as n, ${SUMMARY[summary]} as value
      from applications where decided_at is not null and decided_at <= ${at} and submitted_at is not null
      ${byAgency ? sql`group by agency_id` : sql``}`.execute(this.db);
    return r.rows;
  }

  /** Ratings given up to `at`, summarised per agency (or nationally). */
  async rated(at: Date, byAgency: boolean, summary: 'average' | 'satisfied'): Promise<MetricRow[]> {
    const r =
      await sql<MetricRow>`select ${byAgency ? sql`agency_id` : sql`null`} as agency_id, count(*)::int as n, ${SUMMARY[summary]} as value
      from application_ratings where created_at <= ${at}
      ${byAgency ? sql`group by agency_id` : sql``}`.execute(this.db);
    return r.rows;
  }
}
