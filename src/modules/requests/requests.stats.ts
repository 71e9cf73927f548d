// Public accountability of citizens' requests: the FOI register (published, redacted answers, no requester
// names), per-agency response statistics by month (the public page and open data), and the monitoring
// indicators (the e-participation criterion) computed from them. No HTTP, no SQL strings.
import type { AgencyMonth } from './requests.repository.ts';
import type { MetricSource, Measure } from '../monitoring/monitoring.metrics.ts';
import type { RequestsService } from './requests.service.ts';

export interface Totals {
  received: number;
  answered: number;
  on_time: number;
  overdue: number;
  appeals: number;
  appeals_upheld: number;
  median_days: number | null;
  rating: number | null;
}

export function totalsOf(months: AgencyMonth[]): Totals {
  const sum = (k: keyof AgencyMonth) => months.reduce((s, m) => s + Number(m[k] ?? 0), 0);
  const answered = sum('answered');
  // the median over months is weighted by answers: an approximation good enough for a summary line
  const medians = months.filter((m) => m.median_days !== null);
  const rated = months.filter((m) => m.rating !== null);
  return {
    received: sum('received'),
    answered,
    on_time: sum('on_time'),
    overdue: sum('overdue'),
    appeals: sum('appeals'),
    appeals_upheld: sum('appeals_upheld'),
    median_days: medians.length
      ? Math.round((medians.reduce((s, m) => s + (m.median_days ?? 0) * m.answered, 0) / Math.max(1, answered)) * 10) / 10
      : null,
    rating: rated.length ? Math.round((rated.reduce((s, m) => s + (m.rating ?? 0), 0) / rated.length) * 100) / 100 : null,
  };
}

export class RequestStats {
  constructor(private readonly requests: RequestsService) {}

  register(page = 1, size = 50) {
    return this.requests.repo.register(page, size);
  }

  async agency(agencyId: string): Promise<{ months: AgencyMonth[]; totals: Totals }> {
    const months = await this.requests.repo.monthly(this.requests.clock.now(), agencyId);
    return { months, totals: totalsOf(months) };
  }

  openData(): Promise<AgencyMonth[]> {
    return this.requests.repo.monthly(this.requests.clock.now());
  }

  /** Monitoring indicators (the e-participation criterion): per agency, from the same monthly statistics. */
  metrics(): MetricSource[] {
    const source = (metric: string, label: MetricSource['label'], value: (t: Totals) => number | null): MetricSource => ({
      metric,
      label,
      measure: async (agencyIds, at, cache) => {
        // one statistics query per computation, shared by the requests metrics
        const key = `requests.monthly:${at.toISOString()}`;
        if (!cache.has(key)) cache.set(key, this.requests.repo.monthly(at));
        const rows = (await cache.get(key)) as AgencyMonth[];
        const out = new Map<string, Measure>();
        for (const id of agencyIds) {
          const t = totalsOf(rows.filter((r) => r.agency_id === id));
          const v = t.received ? value(t) : null;
          if (v !== null) out.set(id, { value: v, detail: { received: t.received, onTime: t.on_time } });
        }
        return out;
      },
    });
    return [
      source(
        'requests.on-time-share',
        { fa: 'سهم درخواست‌های مردمی پاسخ‌داده‌شده در مهلت', en: 'Share of citizens’ requests answered on time' },
        (t) => Math.round((t.on_time / t.received) * 1000) / 10,
      ),
      source(
        'requests.median-days',
        { fa: 'میانه روزهای پاسخ به درخواست‌های مردمی', en: 'Median days to answer citizens’ requests' },
        (t) => t.median_days,
      ),
      source('requests.rating', { fa: 'رضایت از پاسخ درخواست‌ها (۱ تا ۵)', en: 'Satisfaction with answers (1 to 5)' }, (t) => t.rating),
      source(
        'requests.overdue-share',
        { fa: 'سهم درخواست‌های مهلت‌گذشته و بی‌پاسخ', en: 'Share of requests overdue and unanswered' },
        (t) => Math.round((t.overdue / t.received) * 1000) / 10,
      ),
    ];
  }
}
