// Monitoring indicators from participation (registered by server.ts with the other metric sources):
// per agency, the processes held, the people who took part, the share of proposals answered and the days
// from closing to the published outcome. Indicator sets refer to them by their metric key.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Measure, MetricSource } from '../monitoring/monitoring.metrics.ts';
import { ParticipationRepository } from './participation.repository.ts';

type Figures = Awaited<ReturnType<ParticipationRepository['agencyFigures']>>[number];

const NONE = {
  noData: true as const,
  reason: { fa: 'این دستگاه هنوز فرایند مشارکتی نداشته است.', en: 'The agency has held no participatory process yet.' },
};

export function participationMetrics(db: Kysely<Database>): MetricSource[] {
  const repo = new ParticipationRepository(db);
  const source = (metric: string, label: { fa: string; en: string }, value: (f: Figures) => Measure): MetricSource => ({
    metric,
    label,
    measure: async (ids, at) => {
      const by = new Map((await repo.agencyFigures(at)).map((f) => [f.agencyId, f]));
      return new Map(
        ids.map((id): [string, Measure] => {
          const f = by.get(id);
          return [id, f ? value(f) : NONE];
        }),
      );
    },
  });
  return [
    source('participation.processes', { fa: 'فرایندهای مشارکتی برگزارشده', en: 'Participatory processes held' }, (f) => ({
      value: f.processes,
    })),
    source('participation.participants', { fa: 'شهروندان مشارکت‌کننده', en: 'Citizens who took part' }, (f) => ({ value: f.participants })),
    source('participation.proposals-answered-share', { fa: 'سهم پیشنهادهای پاسخ‌داده‌شده', en: 'Share of proposals answered' }, (f) =>
      f.proposals
        ? { value: Math.round((1000 * f.answered) / f.proposals) / 10, detail: { numerator: f.answered, denominator: f.proposals } }
        : { noData: true, reason: { fa: 'پیشنهادی نرسیده است.', en: 'No proposals were received.' } },
    ),
    source('participation.outcome-days', { fa: 'روزها تا انتشار گزارش نتیجه', en: 'Days from closing to the outcome report' }, (f) =>
      f.outcomeDays === null
        ? { noData: true, reason: { fa: 'گزارش نتیجه‌ای منتشر نشده است.', en: 'No outcome report published yet.' } }
        : { value: Math.round(f.outcomeDays * 10) / 10 },
    ),
  ];
}
