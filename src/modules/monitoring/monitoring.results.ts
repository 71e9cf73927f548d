// What the public sees: a published round's results with ranks and the change since the previous
// round of the same indicator set, the national overview (live platform figures, "no data yet" where
// a source is missing), and the open data files with their dictionary.
import { AppError } from '../../platform/errors.ts';
import { toSafeCsv as stringify } from '../../platform/csv.ts';
import type { LocalText } from '../../db/schema.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { MonitoringService } from './monitoring.service.ts';
import type { RoundRow, SetRow, SubjectRow } from './monitoring.repository.ts';
import { rollUp, type Scores } from './monitoring.schema.ts';
import { TrendCache, type Trend } from './monitoring.trends.ts';
import { PENDING_METRICS, type Measure, type MetricCache, type MetricRegistry } from './monitoring.metrics.ts';

export interface RankedSubject {
  subject: SubjectRow;
  scores: Scores;
  rank: number | null;
  previousTotal: number | null;
  previousRank: number | null;
  /** Change of the total score since the previous round (points of 0-1), null when not comparable. */
  change: number | null;
}

export interface RoundResults {
  round: RoundRow;
  set: SetRow;
  rows: RankedSubject[];
  previous: RoundRow | null;
  correctedBy: RoundRow | null;
}

export interface Figure {
  metric: string;
  label: LocalText;
  measure: Measure;
}

export interface Overview {
  asOf: string;
  agencies: number;
  connected: number;
  connectedTrend: { year: number; share: number }[];
  stages: number[];
  services: number;
  figures: Figure[];
  /** Monthly national figures over the last 12 months, per chart. */
  trends: Trend[];
  /** The same at Solar Hijri month ends (Tehran time), for the Persian pages. */
  trendsPersian: Trend[];
  latest: RoundResults | null;
}

/** Competition ranking (1, 2, 2, 4) by total, highest first; nothing assessed means no rank. O(n log n). */
export function rank<T extends { total: number | null }>(items: T[]): (T & { rank: number | null })[] {
  const sorted = [...items].sort((a, b) => (b.total ?? -1) - (a.total ?? -1));
  let prev: number | null = null;
  let prevRank = 0;
  return sorted.map((x, i) => {
    if (x.total === null) return { ...x, rank: null };
    if (prev === null || Math.abs(prev - x.total) >= 1e-9) {
      prev = x.total;
      prevRank = i + 1;
    }
    return { ...x, rank: prevRank };
  });
}

/** Results shown on one page of a round (the ranking stays global: ranks are computed over every subject). */
export const RESULTS_PAGE_SIZE = 50;

const NATIONAL_METRICS = [
  'catalog.connected',
  'catalog.stage-3-5-share',
  'catalog.card-completeness',
  'applications.per-month',
  'applications.online-share',
  'applications.on-time-share',
  'ratings.average',
  'ratings.satisfied-share',
  'exchange.transactions-per-month',
];

export class MonitoringResults {
  #cache = new Map<string, Promise<unknown>>();
  /** How many times a round's results were computed (not served from the cache): tests read it. */
  computed = 0;
  readonly trendCache: TrendCache;

  constructor(
    private readonly monitoring: MonitoringService,
    private readonly catalog: CatalogService,
    private readonly metrics: MetricRegistry,
  ) {
    this.trendCache = new TrendCache(metrics);
  }

  #memo<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const hit = this.#cache.get(key);
    if (hit) {
      // Most recently used last: the oldest entries go first when the cache is full.
      this.#cache.delete(key);
      this.#cache.set(key, hit);
      return hit as Promise<T>;
    }
    if (this.#cache.size >= 200) {
      const oldest = this.#cache.keys().next();
      if (!oldest.done) this.#cache.delete(oldest.value);
    }
    const p = fn();
    p.catch(() => this.#cache.delete(key));
    this.#cache.set(key, p);
    return p;
  }

  /** Rounds the public may see (published, and superseded ones kept for the record). */
  async publicRounds(): Promise<RoundRow[]> {
    return this.monitoring.rounds(['published', 'superseded']);
  }

  /** A round's results for the public: a round still open is not there yet (ROUND_NOT_FOUND). */
  async publicResults(idOrSlug: string): Promise<RoundResults> {
    const r = await this.results(idOrSlug);
    if (r.round.status === 'open') throw new AppError('ROUND_NOT_FOUND');
    return r;
  }

  /**
   * A round's results, computed once per round revision: a published round never changes (its
   * revision moves only when a correction supersedes it), an open round's revision moves with every
   * answer, assignment or review, so its cached results are dropped on the next read on every node.
   * The previous round (for "change") is part of the key through the list of public rounds.
   */
  async results(idOrSlug: string): Promise<RoundResults> {
    const all = await this.publicRounds();
    const round = all.find((r) => r.id === idOrSlug || r.slug === idOrSlug) ?? (await this.monitoring.round(idOrSlug));
    const sig = all.map((r) => `${r.id}:${r.status}:${r.revision}`).join(',');
    return this.#memo(`results:${round.id}:${round.status}:${round.revision}:${sig}`, () => this.#results(round, all));
  }

  /** Set-based: one query for the sets, one for the subjects, one for the answers (open rounds only), one for the previous totals. */
  async #results(round: RoundRow, all: RoundRow[]): Promise<RoundResults> {
    this.computed++;
    const sets = new Map((await this.monitoring.repo.setsByIds([round.set_id, ...all.map((r) => r.set_id)])).map((s) => [s.id, s]));
    const set = sets.get(round.set_id);
    if (!set) throw new Error(`Round ${round.id} uses indicator set ${round.set_id}, which does not exist.`);
    const subjects = await this.monitoring.repo.subjects(round.id);
    const answers = subjects.some((s) => !s.scores) ? await this.monitoring.repo.answersBySubject(round.id) : null;
    const scored = subjects.map((s) => {
      const scores = s.scores ? s.scores : rollUp(set, answers?.get(s.subject) ?? new Map());
      return { subject: s, scores, total: scores.total };
    });
    // The previous round: the latest published one of the same set key with an earlier cut-off.
    const previous =
      all.find((r) => r.status === 'published' && r.id !== round.id && r.cutoff < round.cutoff && sets.get(r.set_id)?.key === set.key) ??
      null;
    let prev = new Map<string, { total: number | null; rank: number | null }>();
    if (previous)
      prev = new Map(
        rank(
          (await this.monitoring.repo.storedTotals([previous.id])).map((s) => ({
            key: s.subject,
            total: s.total === null ? null : Number(s.total),
          })),
        ).map((x) => [x.key, x]),
      );
    const rows = rank(scored).map((x) => {
      const p = prev.get(x.subject.subject);
      return {
        subject: x.subject,
        scores: x.scores,
        rank: x.rank,
        previousTotal: p?.total ?? null,
        previousRank: p?.rank ?? null,
        change: p && p.total !== null && x.total !== null ? x.total - p.total : null,
      };
    });
    const correctedBy = all.find((r) => r.supersedes === round.id) ?? null;
    return { round, set, rows, previous, correctedBy };
  }

  #latestOverview: { base: string; key: string; value: Overview } | null = null;

  /**
   * The overview, recomputed at most once a minute and whenever the catalogue or the public rounds
   * change. When only the minute moved on, the previous overview is served while the new one is
   * computed (no request waits for the recomputation); changed data is never served stale.
   */
  async overview(): Promise<Overview> {
    const [revision, rounds] = await Promise.all([this.catalog.revision(), this.publicRounds()]);
    const base = `overview:${revision}:${rounds.map((r) => `${r.id}:${r.status}:${r.revision}`).join(',')}`;
    const key = `${base}:${Math.floor(Date.now() / 60_000)}`;
    const fresh = this.#memo(key, async () => {
      const value = await this.#overview(rounds);
      if (!this.#latestOverview || this.#latestOverview.key <= key || this.#latestOverview.base !== base)
        this.#latestOverview = { base, key, value };
      return value;
    });
    const last = this.#latestOverview;
    if (last && last.base === base && last.key !== key) {
      fresh.catch(() => {});
      return last.value;
    }
    return fresh;
  }

  async #overview(rounds: RoundRow[]): Promise<Overview> {
    const now = new Date();
    const cache: MetricCache = new Map();
    const snap = await this.catalog.snapshotAt(now);
    const published = snap.services.filter((s) => s.status === 'published');
    const stages = [1, 2, 3, 4, 5].map((st) => published.filter((s) => s.maturity === st).length);
    const years = snap.agencies.flatMap((a) => (a.connected && a.connected_since ? [Number(a.connected_since.slice(0, 4))] : []));
    const first = years.length ? Math.min(...years) : now.getUTCFullYear();
    const connectedTrend = [];
    for (let y = first; y <= now.getUTCFullYear(); y++) {
      const n = snap.agencies.filter((a) => a.connected && (!a.connected_since || Number(a.connected_since.slice(0, 4)) <= y)).length;
      connectedTrend.push({ year: y, share: snap.agencies.length ? n / snap.agencies.length : 0 });
    }
    const figures = await Promise.all(
      NATIONAL_METRICS.map(async (metric) => ({
        metric,
        label: this.metrics.get(metric)?.label ?? PENDING_METRICS[metric]?.label ?? { fa: metric, en: metric },
        measure: await this.metrics.national(metric, now, cache),
      })),
    );
    const trends = await this.trendCache.trends(now, cache);
    const trendsPersian = await this.trendCache.trends(now, cache, undefined, 'persian');
    const latestRound = rounds.find((r) => r.status === 'published');
    return {
      trends,
      trendsPersian,
      asOf: now.toISOString(),
      agencies: snap.agencies.length,
      connected: snap.agencies.filter((a) => a.connected).length,
      connectedTrend,
      stages,
      services: published.length,
      figures,
      latest: latestRound ? await this.results(latestRound.id) : null,
    };
  }
}

// ---- open data ----

export const DICTIONARY = {
  title: { fa: 'واژه‌نامه داده‌های باز پایش و ارزیابی', en: 'Data dictionary: monitoring and evaluation open data' },
  licence: 'CC BY 4.0',
  /** How text cells are written in every CSV file (formula injection: see src/platform/csv.ts). */
  csvText: {
    fa: "در همه پرونده‌های CSV، خانه‌ای متنی که با = یا + یا - یا @ یا نویسه جدول‌بندی (tab) یا بازگشت نورد (CR) آغاز شود با یک آپاستروف (') در آغازش نوشته می‌شود تا برنامه‌های صفحه‌گسترده آن را فرمول نخوانند؛ آن آپاستروف جزو مقدار نیست. عددها بدون تغییر نوشته می‌شوند. نسخه JSON همان مقدار را بی‌آپاستروف دارد.",
    en: "In every CSV file, a text cell that starts with =, +, -, @, a tab or a carriage return is written with a leading apostrophe (') so that spreadsheets do not run it as a formula; the apostrophe is not part of the value. Numbers are written as they are. The JSON version has the value without the apostrophe.",
  },
  files: [
    {
      file: 'rounds/{round}.csv | .json',
      description: {
        fa: 'نتایج یک دوره: برای هر دستگاه یا درگاه و هر معیار یک سطر، و یک سطر total برای امتیاز کل',
        en: 'A round\'s results: one row per agency or portal and criterion, plus a "total" row',
      },
      columns: [
        ['round', 'شناسه کوتاه دوره', "The round's short name"],
        ['cutoff', 'تاریخ برش (داده‌های خودکار تا پایان این روز)', 'Cut-off date (automatic data up to the end of this day)'],
        ['indicator_set', 'مجموعه شاخص و نسخه آن', 'Indicator set and its version'],
        ['subject', 'شناسه دستگاه یا درگاه', 'Agency or portal id'],
        ['name_fa', 'نام فارسی', 'Name in Persian'],
        ['name_en', 'نام انگلیسی', 'Name in English'],
        ['criterion', 'کد معیار یا total', 'Criterion code, or total'],
        ['score', 'امتیاز از ۰ تا ۱ (خالی: چیزی ارزیابی نشده)', 'Score from 0 to 1 (empty: nothing assessed)'],
        ['assessed', 'شاخص‌های ارزیابی‌شده', 'Indicators assessed'],
        [
          'no_data',
          'شاخص‌های خودکاری که منبعشان هنوز داده ندارد (از مخرج کنار گذاشته)',
          'Automatic indicators whose source has no data yet (left out of the denominator)',
        ],
        ['indicators', 'همه شاخص‌ها', 'All indicators'],
        ['rank', 'رتبه (فقط در سطر total)', 'Rank (total row only)'],
        ['change', 'تغییر امتیاز کل از دوره قبل', 'Change of the total since the previous round'],
      ],
    },
    {
      file: 'rounds/{round}/answers.csv | .json',
      description: { fa: 'پاسخ هر شاخص با مستند آن', en: 'Every indicator answer with its evidence' },
      columns: [
        ['round', 'شناسه کوتاه دوره', "The round's short name"],
        ['subject', 'شناسه دستگاه یا درگاه', 'Agency or portal id'],
        ['code', 'کد شاخص', 'Indicator code'],
        ['criterion', 'کد معیار', 'Criterion code'],
        ['value', 'مقدار (بله=۱، خیر=۰، درصد ۰ تا ۱۰۰، عدد)', 'Value (yes=1, no=0, percentage 0-100, number)'],
        ['state', 'answered یا no-data', 'answered or no-data'],
        ['origin', 'assessor (ارزیاب)، auto (داده‌های پنجره) یا portal-check', 'assessor, auto (platform data) or portal-check'],
        ['note', 'یادداشت ارزیاب', "The assessor's note"],
        ['link', 'پیوند مستند', 'Evidence link'],
      ],
    },
    {
      file: 'trends.csv | .json',
      description: {
        fa: 'روند ماهانه شاخص‌های ملی در ۱۲ ماه گذشته (ارقام در پایان هر ماه؛ آخرین ردیف: ماه جاری تا امروز)',
        en: 'Monthly trend of the national figures over the last 12 months (figures at the end of each month; the last row: this month so far)',
      },
      columns: [
        ['chart', 'شناسه نمودار در نمای ملی', 'Chart id on the national overview'],
        ['figure', 'کد شاخص', 'Figure code'],
        ['label_fa', 'عنوان فارسی', 'Label in Persian'],
        ['label_en', 'عنوان انگلیسی', 'Label in English'],
        ['month', 'ماه میلادی (YYYY-MM)', 'Month (YYYY-MM)'],
        ['as_of', 'لحظه‌ای که رقم در آن حساب شده (پایان ماه)', 'The moment the figure is computed at (end of the month)'],
        ['value', 'مقدار (خالی: هنوز داده‌ای نیست)', 'Value (empty: no data yet)'],
        ['unit', 'percent (۰ تا ۱۰۰) یا count (شمار)', 'percent (0-100) or count'],
        ['status', 'ok یا no-data', 'ok or no-data'],
      ],
    },
    {
      file: 'overview.csv | .json',
      description: { fa: 'نمای ملی: شاخص‌های زنده پنجره', en: 'National overview: live platform figures' },
      columns: [
        ['figure', 'کد شاخص', 'Figure code'],
        ['label_fa', 'عنوان فارسی', 'Label in Persian'],
        ['label_en', 'عنوان انگلیسی', 'Label in English'],
        ['value', 'مقدار (خالی: هنوز داده‌ای نیست)', 'Value (empty: no data yet)'],
        ['numerator', 'صورت کسر', 'Numerator'],
        ['denominator', 'مخرج کسر', 'Denominator'],
        ['status', 'ok یا no-data', 'ok or no-data'],
        ['as_of', 'زمان محاسبه', 'Computed at'],
      ],
    },
  ],
};

/** Scores in open data: 4 decimals, like the UN survey's published indices. */
const r4 = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 1e4) / 1e4);

export function resultsTable(r: RoundResults): Record<string, string | number | null>[] {
  const out: Record<string, string | number | null>[] = [];
  for (const row of r.rows) {
    const base = {
      round: r.round.slug,
      cutoff: r.round.cutoff,
      indicator_set: `${r.set.key}@${r.set.version}`,
      subject: row.subject.subject,
      name_fa: row.subject.name.fa ?? '',
      name_en: row.subject.name.en ?? '',
    };
    out.push({
      ...base,
      criterion: 'total',
      score: r4(row.scores.total),
      assessed: row.scores.assessed,
      no_data: row.scores.noData,
      indicators: row.scores.of,
      rank: row.rank,
      change: r4(row.change),
    });
    for (const c of r.set.criteria) {
      const s = row.scores.criteria[c.code];
      out.push({
        ...base,
        criterion: c.code,
        score: r4(s?.score),
        assessed: s?.assessed ?? 0,
        no_data: s?.noData ?? 0,
        indicators: s?.of ?? 0,
        rank: null,
        change: null,
      });
    }
  }
  return out;
}

export function overviewTable(o: Overview): Record<string, string | number | null>[] {
  return o.figures.map((f) => ({
    figure: f.metric,
    label_fa: f.label.fa ?? '',
    label_en: f.label.en ?? '',
    value: 'value' in f.measure ? f.measure.value : null,
    numerator: 'value' in f.measure ? (f.measure.detail?.numerator ?? null) : null,
    denominator: 'value' in f.measure ? (f.measure.detail?.denominator ?? null) : null,
    status: 'value' in f.measure ? 'ok' : 'no-data',
    as_of: o.asOf,
  }));
}

export function trendsTable(o: Overview): Record<string, string | number | null>[] {
  return o.trends.flatMap((t) =>
    t.series.flatMap((s) =>
      s.points.map((p) => ({
        chart: t.id,
        figure: s.metric,
        label_fa: s.label.fa ?? '',
        label_en: s.label.en ?? '',
        month: p.month,
        as_of: p.at,
        value: 'value' in p.measure ? p.measure.value : null,
        unit: t.unit,
        status: 'value' in p.measure ? 'ok' : 'no-data',
      })),
    ),
  );
}

export const toCsv = (rows: Record<string, unknown>[], columns: string[]) =>
  '\uFEFF' + stringify(rows, { header: true, columns, cast: { number: (n) => String(n) } });
