// Monthly trends for the national overview: each chart's figures are the metric registry's national
// values evaluated at the end of each of the last 12 months (the last point is "now", the month so
// far). Whatever metrics are registered are used; a metric with no source, or with no data at any
// point, shows "no data yet". Past month ends are cached for an hour (their data rarely changes),
// the current point follows the overview's own cache.
import type { LocalText } from '../../db/schema.ts';
import { PENDING_METRICS, type Measure, type MetricCache, type MetricRegistry } from './monitoring.metrics.ts';

export interface TrendSpec {
  id: string;
  title: LocalText;
  /** percent: values 0-100 drawn as a line; count: whole numbers drawn as columns. */
  unit: 'percent' | 'count';
  metrics: string[];
}

/** The overview's trend charts, in the words: connection, applications, exchange, and the outcome shares. */
export const TRENDS: TrendSpec[] = [
  {
    id: 'trend-connected',
    title: { fa: 'سهم دستگاه‌های متصل به پنجره', en: 'Share of agencies connected to the window' },
    unit: 'percent',
    metrics: ['catalog.connected'],
  },
  {
    id: 'trend-applications',
    title: { fa: 'درخواست‌ها در ماه', en: 'Applications per month' },
    unit: 'count',
    metrics: ['applications.per-month'],
  },
  {
    id: 'trend-online',
    title: { fa: 'سهم درخواست‌های برخط و فیلدهای پیش‌پرشده', en: 'Share of applications made online, and of fields prefilled' },
    unit: 'percent',
    metrics: ['applications.online-share', 'applications.prefilled-share'],
  },
  {
    id: 'trend-exchange',
    title: { fa: 'تراکنش‌های تبادل داده در ماه', en: 'Exchange transactions per month' },
    unit: 'count',
    metrics: ['exchange.transactions-per-month'],
  },
  {
    id: 'trend-exchange-services',
    title: { fa: 'سهم خدمات استفاده‌کننده از تبادل داده', en: 'Share of services using the data exchange' },
    unit: 'percent',
    metrics: ['exchange.services-share'],
  },
  {
    id: 'trend-outcomes',
    title: { fa: 'تصمیم‌ها در زمان وعده‌داده‌شده و رضایت کاربران', en: 'Decisions on time and users satisfied' },
    unit: 'percent',
    metrics: ['applications.on-time-share', 'ratings.satisfied-share'],
  },
];

export interface TrendPoint {
  /** The moment the figure is evaluated at (end of a month, or now for the current month). */
  at: string;
  /** The month, YYYY-MM (UTC). */
  month: string;
  measure: Measure;
}

export interface TrendSeries {
  metric: string;
  label: LocalText;
  /** False when no source is registered for the metric. */
  registered: boolean;
  points: TrendPoint[];
}

export interface Trend extends TrendSpec {
  series: TrendSeries[];
  /** True when no series has a value at any point. */
  empty: boolean;
}

/** The end of each of the 11 months before `now` (UTC, last millisecond), then `now`. */
export function monthEnds(now: Date, count = 12): Date[] {
  const out: Date[] = [];
  for (let i = count - 1; i >= 1; i--) out.push(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i + 1, 1) - 1));
  out.push(now);
  return out;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const persianMonth = new Intl.DateTimeFormat('en-u-ca-persian', { year: 'numeric', month: 'numeric', timeZone: 'Asia/Tehran' });
const tehranDate = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'Asia/Tehran' });

/** Midnight in Tehran (UTC+03:30, no daylight saving since 2022) that starts the Tehran day of `d`. */
function tehranMidnight(d: Date): number {
  const [y, m, day] = tehranDate.format(d).split('-').map(Number);
  return Date.UTC(y, m - 1, day) - 3.5 * HOUR;
}

/**
 * The end of each of the 11 Solar Hijri months before `now`'s (Tehran time, last millisecond), then
 * `now`: the Persian pages' points, so each stands for a whole Solar Hijri month.
 */
export function persianMonthEnds(now: Date, count = 12): Date[] {
  const out: Date[] = [];
  let t = tehranMidnight(now);
  for (let guard = 0; out.length < count - 1 && guard < 400 * count; guard++) {
    const last = new Date(t - 1);
    if (persianMonth.format(last) !== persianMonth.format(new Date(t))) out.unshift(last);
    t -= DAY;
  }
  out.push(now);
  return out;
}

export class TrendCache {
  readonly #points = new Map<string, { until: number; value: Promise<Measure> }>();

  constructor(private readonly metrics: MetricRegistry) {}

  /** One national figure at a moment: past month ends come from the cache for an hour. */
  #point(metric: string, at: Date, current: boolean, cache: MetricCache): Promise<Measure> {
    if (current) return this.metrics.national(metric, at, cache);
    const key = `${metric}@${at.toISOString()}`;
    const hit = this.#points.get(key);
    if (hit && hit.until > Date.now()) return hit.value;
    if (this.#points.size > 2000) this.#points.clear();
    const value = this.metrics.national(metric, at, cache);
    value.catch(() => this.#points.delete(key));
    this.#points.set(key, { until: Date.now() + HOUR, value });
    return value;
  }

  /** Forgets every cached point (a test, or after a data import that rewrote history). */
  clear(): void {
    this.#points.clear();
  }

  /**
   * Month by month (one month's data, e.g. a catalogue snapshot, is shared by its metrics and then
   * let go before the next month is read); the current month uses the caller's cache.
   */
  async trends(
    now: Date,
    cache: MetricCache,
    specs: TrendSpec[] = TRENDS,
    calendar: 'gregorian' | 'persian' = 'gregorian',
  ): Promise<Trend[]> {
    const ends = calendar === 'persian' ? persianMonthEnds(now) : monthEnds(now);
    const metrics = [...new Set(specs.flatMap((s) => s.metrics))];
    const values = new Map<string, Measure[]>(metrics.map((m) => [m, []]));
    const column = (m: string): Measure[] => {
      const c = values.get(m);
      if (!c) throw new Error(`No values were gathered for metric ${m}.`);
      return c;
    };
    for (const [i, at] of ends.entries()) {
      const current = i === ends.length - 1;
      const monthCache: MetricCache = current ? cache : new Map();
      const got = await Promise.all(metrics.map((m) => this.#point(m, at, current, monthCache)));
      metrics.forEach((m, j) => column(m).push(got[j]));
    }
    return specs.map((spec) => {
      const series = spec.metrics.map((metric): TrendSeries => {
        const src = this.metrics.get(metric);
        return {
          metric,
          label: src?.label ?? PENDING_METRICS[metric]?.label ?? { fa: metric, en: metric },
          registered: !!src,
          points: ends.map((at, i) => ({ at: at.toISOString(), month: at.toISOString().slice(0, 7), measure: column(metric)[i] })),
        };
      });
      return { ...spec, series, empty: series.every((s) => s.points.every((p) => 'noData' in p.measure)) };
    });
  }
}

/** A point's value, or null for "no data". */
export const valueOf = (m: Measure): number | null => ('value' in m ? m.value : null);
