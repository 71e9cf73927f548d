// The figures applications and ratings give the monitoring module (MetricSource), as of a moment:
// decisions within the promised time, median days to a decision, average rating and the share of
// people satisfied with their last experience (SDG 16.6.2: a rating of 4 or 5). An agency with no
// decided application (or no rating) before that moment has no value: "no data yet" on its scorecard.
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
  return new Map(rows.filter((r) => r.agency_id && want.has(r.agency_id) && r.n > 0).map((r) => [r.agency_id!, { value: Number(r.value), detail: { count: Number(r.n) } }]));
};
const NO_DECISION = { fa: 'هنوز درخواستی تا این تاریخ تصمیم نگرفته است.', en: 'No application was decided before this date.' };
const NO_RATING = { fa: 'هنوز کسی تا این تاریخ امتیازی نداده است.', en: 'Nobody rated a service before this date.' };
const national = (rows: Row[], reason: { fa: string; en: string }): Measure => {
  const r = rows[0];
  return r && Number(r.n) > 0 ? { value: Number(r.value), detail: { count: Number(r.n) } } : { noData: true, reason };
};

export function applicationMetrics(db: Kysely<Database>): MetricSource[] {
  // One query shape per metric, by agency or for the whole country (grouping by nothing).
  const decided = (at: Date, byAgency: boolean, value: ReturnType<typeof sql>) =>
    sql<Row>`select ${byAgency ? sql`agency_id` : sql`null`} as agency_id, count(*)::int as n, ${value} as value
      from applications where decided_at is not null and decided_at <= ${at} and submitted_at is not null
      ${byAgency ? sql`group by agency_id` : sql``}`.execute(db).then((r) => r.rows);
  const rated = (at: Date, byAgency: boolean, value: ReturnType<typeof sql>) =>
    sql<Row>`select ${byAgency ? sql`agency_id` : sql`null`} as agency_id, count(*)::int as n, ${value} as value
      from application_ratings where created_at <= ${at}
      ${byAgency ? sql`group by agency_id` : sql``}`.execute(db).then((r) => r.rows);

  const onTime = sql`round(100.0 * avg(case when due_at is null or decided_at <= due_at then 1 else 0 end), 1)`;
  const medianDays = sql`round((percentile_cont(0.5) within group (order by extract(epoch from decided_at - submitted_at) / 86400))::numeric, 1)`;
  const average = sql`round(avg(score)::numeric, 2)`;
  const satisfied = sql`round(100.0 * avg(case when score >= 4 then 1 else 0 end), 1)`;

  return [
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
