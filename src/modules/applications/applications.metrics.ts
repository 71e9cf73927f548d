// The figures applications and ratings give the monitoring module (MetricSource), as of a moment:
// decisions within the promised time, median days to a decision, average rating and the share of
// people satisfied with their last experience (SDG 16.6.2: a rating of 4 or 5). An agency with no
// decided application (or no rating) before that moment has no value: "no data yet" on its scorecard.
// Also: applications per month (submitted in the month ending at the moment), the share of prefill-able
// fields that were prefilled, and the share of applications made online, against the counter (paper or
// in-person) applications agencies record themselves; an agency that recorded none has no value.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Measure, MetricSource } from '../monitoring/monitoring.metrics.ts';

interface Row {
  agency_id: string | null;
  n: number;
  value: number;
}

const toMap = (rows: Row[], agencyIds: string[]): Map<string, Measure> => {
  const want = new Set(agencyIds);
  return new Map(
    rows.flatMap((r): [string, Measure][] =>
      r.agency_id && want.has(r.agency_id) && r.n > 0 ? [[r.agency_id, { value: Number(r.value), detail: { count: Number(r.n) } }]] : [],
    ),
  );
};
const NO_DECISION = { fa: 'هنوز درخواستی تا این تاریخ تصمیم نگرفته است.', en: 'No application was decided before this date.' };
const NO_RATING = { fa: 'هنوز کسی تا این تاریخ امتیازی نداده است.', en: 'Nobody rated a service before this date.' };
const national = (rows: Row[], reason: { fa: string; en: string }): Measure => {
  const r = rows[0];
  return r && Number(r.n) > 0 ? { value: Number(r.value), detail: { count: Number(r.n) } } : { noData: true, reason };
};

const NO_ONLINE = {
  fa: 'تا این تاریخ هیچ درخواست برخطی به این دستگاه نرسیده است.',
  en: 'No application was made online to this agency before this date.',
};
const NO_ONLINE_NATIONAL = { fa: 'تا این تاریخ هیچ درخواست برخطی ثبت نشده است.', en: 'No application was made online before this date.' };
const NO_PREFILL = {
  fa: 'تا این تاریخ درخواستی با فیلد پیش‌پرشدنی فرستاده نشده است.',
  en: 'No application with prefill-able fields was submitted before this date.',
};
const NO_OFFLINE = {
  fa: 'این دستگاه شمار درخواست‌های حضوری یا کاغذیِ ۱۲ ماه پیش از این تاریخ را ثبت نکرده است.',
  en: 'The agency has not recorded its paper or in-person applications for the 12 months before this date.',
};
const NO_OFFLINE_NATIONAL = {
  fa: 'هیچ دستگاهی شمار درخواست‌های حضوری یا کاغذیِ ۱۲ ماه پیش از این تاریخ را ثبت نکرده است.',
  en: 'No agency has recorded its paper or in-person applications for the 12 months before this date.',
};
const NOTHING_IN_MONTHS = {
  fa: 'در ماه‌هایی که ثبت شده، نه درخواست برخط بود و نه حضوری.',
  en: 'In the months recorded there were no applications, online or at a counter.',
};

/** The calendar month (UTC) of a moment and the one 12 months earlier, as YYYY-MM, and the window start. */
export function monthWindow(at: Date): { to: string; fromExclusive: string; start: Date } {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const ym = (d: Date) => d.toISOString().slice(0, 7);
  return { to: ym(at), fromExclusive: ym(new Date(Date.UTC(y, m - 12, 1))), start: new Date(Date.UTC(y, m - 11, 1)) };
}

const pct = (num: number, den: number) => Math.round((1000 * num) / den) / 10;

export function applicationMetrics(db: Kysely<Database>): MetricSource[] {
  // applications submitted in the month ending at `at`, and whether any was ever submitted before it
  const perMonth = (at: Date) =>
    sql<{
      agency_id: string;
      recent: number;
      ever: number;
    }>`select agency_id, count(*) filter (where submitted_at > ${at}::timestamptz - interval '1 month')::int as recent, count(*)::int as ever
      from applications where submitted_at is not null and submitted_at <= ${at} group by agency_id`
      .execute(db)
      .then((r) => r.rows);
  const prefilled = (at: Date) =>
    sql<{
      agency_id: string;
      n: number;
      offered: number;
      filled: number;
    }>`select agency_id, count(*)::int as n, sum(prefill_offered)::int as offered, sum(prefill_filled)::int as filled
      from applications where submitted_at is not null and submitted_at <= ${at} and prefill_offered > 0 group by agency_id`
      .execute(db)
      .then((r) => r.rows);
  const onlineShare = (at: Date) => {
    const w = monthWindow(at);
    return sql<{ agency_id: string; months: number; offline: number; online: number }>`
      with off as (
        select agency_id, month, sum(count)::bigint as offline from offline_application_counts
        where month > ${w.fromExclusive} and month <= ${w.to} and created_at <= ${at} group by agency_id, month
      ), onl as (
        select agency_id, to_char(submitted_at at time zone 'UTC', 'YYYY-MM') as month, count(*)::bigint as online from applications
        where submitted_at is not null and submitted_at >= ${w.start} and submitted_at <= ${at} group by 1, 2
      )
      select off.agency_id, count(*)::int as months, sum(off.offline)::float8 as offline, coalesce(sum(onl.online), 0)::float8 as online
      from off left join onl on onl.agency_id = off.agency_id and onl.month = off.month group by off.agency_id`
      .execute(db)
      .then((r) => r.rows.map((x) => ({ ...x, offline: Number(x.offline), online: Number(x.online) })));
  };
  const shareOf = (online: number, offline: number, months: number): Measure =>
    online + offline > 0
      ? { value: pct(online, online + offline), detail: { online, offline, months } }
      : { noData: true, reason: NOTHING_IN_MONTHS };

  // One query shape per metric, by agency or for the whole country (grouping by nothing).
  const decided = (at: Date, byAgency: boolean, value: ReturnType<typeof sql>) =>
    sql<Row>`select ${byAgency ? sql`agency_id` : sql`null`} as agency_id, count(*)::int as n, ${value} as value
      from applications where decided_at is not null and decided_at <= ${at} and submitted_at is not null
      ${byAgency ? sql`group by agency_id` : sql``}`
      .execute(db)
      .then((r) => r.rows);
  const rated = (at: Date, byAgency: boolean, value: ReturnType<typeof sql>) =>
    sql<Row>`select ${byAgency ? sql`agency_id` : sql`null`} as agency_id, count(*)::int as n, ${value} as value
      from application_ratings where created_at <= ${at}
      ${byAgency ? sql`group by agency_id` : sql``}`
      .execute(db)
      .then((r) => r.rows);

  const onTime = sql`round(100.0 * avg(case when due_at is null or decided_at <= due_at then 1 else 0 end), 1)`;
  const medianDays = sql`round((percentile_cont(0.5) within group (order by extract(epoch from decided_at - submitted_at) / 86400))::numeric, 1)`;
  const average = sql`round(avg(score)::numeric, 2)`;
  const satisfied = sql`round(100.0 * avg(case when score >= 4 then 1 else 0 end), 1)`;

  return [
    {
      metric: 'applications.per-month',
      label: { fa: 'درخواست‌های برخط در ماه', en: 'Online applications per month' },
      measure: async (ids, at) => {
        const by = new Map((await perMonth(at)).map((r) => [r.agency_id, r]));
        return new Map(
          ids.map((id): [string, Measure] => {
            const row = by.get(id);
            return [id, row ? { value: Number(row.recent), detail: { count: Number(row.recent) } } : { noData: true, reason: NO_ONLINE }];
          }),
        );
      },
      national: async (at) => {
        const rows = await perMonth(at);
        const n = rows.reduce((a, r) => a + Number(r.recent), 0);
        return rows.length ? { value: n, detail: { count: n } } : { noData: true, reason: NO_ONLINE_NATIONAL };
      },
    },
    {
      metric: 'applications.prefilled-share',
      label: { fa: 'سهم فیلدهای پیش‌پرشده', en: 'Share of fields prefilled' },
      measure: async (ids, at) => {
        const by = new Map((await prefilled(at)).map((r) => [r.agency_id, r]));
        return new Map(
          ids.map((id): [string, Measure] => {
            const r = by.get(id);
            return [
              id,
              r
                ? {
                    value: pct(Number(r.filled), Number(r.offered)),
                    detail: { count: Number(r.n), numerator: Number(r.filled), denominator: Number(r.offered) },
                  }
                : { noData: true, reason: NO_PREFILL },
            ];
          }),
        );
      },
      national: async (at) => {
        const rows = await prefilled(at);
        const offered = rows.reduce((a, r) => a + Number(r.offered), 0);
        const filled = rows.reduce((a, r) => a + Number(r.filled), 0);
        return offered
          ? {
              value: pct(filled, offered),
              detail: { count: rows.reduce((a, r) => a + Number(r.n), 0), numerator: filled, denominator: offered },
            }
          : { noData: true, reason: NO_PREFILL };
      },
    },
    {
      metric: 'applications.online-share',
      label: { fa: 'سهم درخواست‌های برخط', en: 'Share of applications made online' },
      measure: async (ids, at) => {
        const by = new Map((await onlineShare(at)).map((r) => [r.agency_id, r]));
        return new Map(
          ids.map((id): [string, Measure] => {
            const r = by.get(id);
            return [id, r ? shareOf(r.online, r.offline, r.months) : { noData: true, reason: NO_OFFLINE }];
          }),
        );
      },
      national: async (at) => {
        const rows = await onlineShare(at);
        if (!rows.length) return { noData: true, reason: NO_OFFLINE_NATIONAL };
        return shareOf(
          rows.reduce((a, r) => a + r.online, 0),
          rows.reduce((a, r) => a + r.offline, 0),
          Math.max(...rows.map((r) => r.months)),
        );
      },
    },
    {
      metric: 'applications.on-time-share',
      label: { fa: 'تصمیم‌ها در زمان وعده‌داده‌شده', en: 'Decisions within the promised time' },
      measure: async (ids, at) => toMap(await decided(at, true, onTime), ids),
      national: async (at) => national(await decided(at, false, onTime), NO_DECISION),
    },
    {
      metric: 'applications.median-days',
      label: { fa: 'میانه روزها تا تصمیم', en: 'Median days to a decision' },
      measure: async (ids, at) => toMap(await decided(at, true, medianDays), ids),
      national: async (at) => national(await decided(at, false, medianDays), NO_DECISION),
    },
    {
      metric: 'ratings.average',
      label: { fa: 'میانگین امتیاز کاربران', en: 'Average user rating' },
      measure: async (ids, at) => toMap(await rated(at, true, average), ids),
      national: async (at) => national(await rated(at, false, average), NO_RATING),
    },
    {
      metric: 'ratings.satisfied-share',
      label: { fa: 'سهم کاربران راضی (SDG 16.6.2)', en: 'Share of users satisfied (SDG 16.6.2)' },
      measure: async (ids, at) => toMap(await rated(at, true, satisfied), ids),
      national: async (at) => national(await rated(at, false, satisfied), NO_RATING),
    },
  ];
}
