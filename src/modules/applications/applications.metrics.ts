// The figures applications and ratings give the monitoring module (MetricSource), as of a moment:
// decisions within the promised time, median days to a decision, average rating and the share of
// people satisfied with their last experience (SDG 16.6.2: a rating of 4 or 5). An agency with no
// decided application (or no rating) before that moment has no value: "no data yet" on its scorecard.
// Also: applications per month (submitted in the month ending at the moment), the share of prefill-able
// fields that were prefilled, and the share of applications made online, against the counter (paper or
// in-person) applications agencies record themselves; an agency that recorded none has no value.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Measure, MetricSource } from '../monitoring/monitoring.metrics.ts';
import { ApplicationMetricsRepository, type MetricRow as Row } from './applications.metrics.repository.ts';

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
  const q = new ApplicationMetricsRepository(db);
  const perMonth = (at: Date) => q.perMonth(at);
  const prefilled = (at: Date) => q.prefilled(at);
  const onlineShare = (at: Date) => q.onlineShare(at, monthWindow(at));
  const shareOf = (online: number, offline: number, months: number): Measure =>
    online + offline > 0
      ? { value: pct(online, online + offline), detail: { online, offline, months } }
      : { noData: true, reason: NOTHING_IN_MONTHS };
  const decided = (at: Date, byAgency: boolean, summary: 'on-time' | 'median-days') => q.decided(at, byAgency, summary);
  const rated = (at: Date, byAgency: boolean, summary: 'average' | 'satisfied') => q.rated(at, byAgency, summary);
  const onTime = 'on-time' as const;
  const medianDays = 'median-days' as const;
  const average = 'average' as const;
  const satisfied = 'satisfied' as const;

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
