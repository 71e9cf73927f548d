// The counter module's figure for monitoring: per agency, the share of its submitted applications that
// were made at government counter offices (the rest online), as of the round's cut-off; and the
// citizens' average rating per channel (applications made at a counter office, and online).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Measure, MetricSource } from '../monitoring/monitoring.metrics.ts';
import { CounterRepository } from './counter.repository.ts';

export function counterMetrics(db: Kysely<Database>): MetricSource[] {
  const repo = new CounterRepository(db);
  const measure = (submitted: number, atOffices: number): Measure =>
    submitted
      ? { value: Math.round((1000 * atOffices) / submitted) / 10, detail: { numerator: atOffices, denominator: submitted } }
      : { noData: true, reason: { fa: 'هنوز درخواستی ثبت نشده است.', en: 'No application has been submitted yet.' } };
  const rating = (rows: { n: number; average: number }[]): Measure => {
    const n = rows.reduce((s, r) => s + r.n, 0);
    if (!n) return { noData: true, reason: { fa: 'هنوز امتیازی از این راه داده نشده است.', en: 'No rating through this channel yet.' } };
    const average = rows.reduce((s, r) => s + r.n * r.average, 0) / n;
    return { value: Math.round(average * 100) / 100, detail: { ratings: n } };
  };
  const byChannel = (atOffice: boolean, metric: string, label: { fa: string; en: string }): MetricSource => ({
    metric,
    label,
    measure: async (ids, at) => {
      const rows = (await repo.ratingsByChannel(at)).filter((r) => r.at_office === atOffice);
      return new Map(ids.map((id): [string, Measure] => [id, rating(rows.filter((r) => r.agency_id === id))]));
    },
    national: async (at) => rating((await repo.ratingsByChannel(at)).filter((r) => r.at_office === atOffice)),
  });
  return [
    {
      metric: 'counter.office-share',
      label: { fa: 'سهم درخواست‌های ثبت‌شده در دفترهای پیشخوان', en: 'Share of applications made at counter offices' },
      measure: async (ids, at) => {
        const by = new Map((await repo.agencyChannelCounts(at)).map((r) => [r.agency_id, r]));
        return new Map(ids.map((id): [string, Measure] => [id, measure(by.get(id)?.submitted ?? 0, by.get(id)?.at_offices ?? 0)]));
      },
      national: async (at) => {
        const rows = await repo.agencyChannelCounts(at);
        return measure(
          rows.reduce((s, r) => s + r.submitted, 0),
          rows.reduce((s, r) => s + r.at_offices, 0),
        );
      },
    },
    byChannel(true, 'counter.rating-at-offices', {
      fa: 'میانگین امتیاز شهروندان به درخواست‌های ثبت‌شده در دفترهای پیشخوان',
      en: 'Average citizen rating of applications made at counter offices',
    }),
    byChannel(false, 'counter.rating-online', {
      fa: 'میانگین امتیاز شهروندان به درخواست‌های برخط',
      en: 'Average citizen rating of applications made online',
    }),
  ];
}
