// The counter module's figure for monitoring: per agency, the share of its submitted applications that
// were made at government counter offices (the rest online), as of the round's cut-off.
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
  ];
}
