// Daily roll-ups of the message log (exchange_stats_daily), so statistics pages, open data and
// monitoring never scan the raw log. One row per UTC day, service and client subsystem: transactions,
// errors (status >= 400), the sum of durations and a latency histogram.
//
// The job reads the records after the watermark (exchange_stats_state.rolled_seq) in chunks, adds
// them to the day rows and moves the watermark in the same transaction, under an advisory lock, so
// every record is counted exactly once however many nodes run it. Records are committed in seq
// order (each node writes one batch statement at a time, chained on the committed head), so the
// records up to the largest seq seen form a complete prefix. It runs every few seconds next to the
// exchange port, and before every statistics read (which then costs only the short tail).
//
// Histogram buckets: 0..49 ms one bucket per millisecond (exact), then buckets 10% wide up to the
// longest timeout. Percentiles are nearest-rank over the histogram: exact below 50 ms, within 5%
// above (the bucket's middle).
import type { Kysely, Selectable } from 'kysely';
import type { Database, ExchangeStatsDailyTable } from '../../db/schema.ts';
import { Poller } from '../../platform/poller.ts';
import { ExchangeLogRepository } from './exchange.log.repository.ts';

const ROLLUP_LOCK = 7201007;
const EXACT = 50;
const GROWTH = 1.1;

export type Histogram = Record<string, number>;

export function bucketOf(ms: number): number {
  const v = Math.max(0, Math.round(ms));
  return v < EXACT ? v : EXACT + Math.floor(Math.log(v / EXACT) / Math.log(GROWTH));
}

/** The value a bucket stands for: its millisecond below 50 ms, the middle of its range above. */
export function bucketValue(i: number): number {
  if (i < EXACT) return i;
  const low = EXACT * GROWTH ** (i - EXACT);
  return Math.round((low + low * GROWTH) / 2);
}

export function addHistogram(into: Histogram, from: Histogram): Histogram {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + Number(n);
  return into;
}

/** Nearest-rank percentile (p in 0..1) of a histogram; 0 when empty. */
export function percentile(h: Histogram, p: number): number {
  const entries = Object.entries(h)
    .map(([k, n]) => [Number(k), Number(n)] as const)
    .sort((a, b) => a[0] - b[0]);
  const total = entries.reduce((s, [, n]) => s + n, 0);
  if (!total) return 0;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const [k, n] of entries) {
    seen += n;
    if (seen >= rank) return bucketValue(k);
  }
  return bucketValue(entries[entries.length - 1][0]);
}

/** One roll-up row as the table holds it. */
type DayRow = Selectable<ExchangeStatsDailyTable>;

export class ExchangeRollups {
  #poller: Poller | null = null;
  #running: Promise<number> | null = null;
  readonly #repo: ExchangeLogRepository;

  constructor(
    db: Kysely<Database>,
    private readonly chunk = 20_000,
  ) {
    this.#repo = new ExchangeLogRepository(db);
  }

  /** Rolls up every record committed so far; returns how many were added. One run at a time per node. */
  rollUp(): Promise<number> {
    this.#running ??= (async () => {
      try {
        let total = 0;
        for (;;) {
          const n = await this.#step();
          if (n < 0) return total;
          total += n;
        }
      } finally {
        this.#running = null;
      }
    })();
    return this.#running;
  }

  /** One chunk in one transaction; -1 when there was nothing after the watermark. */
  async #step(): Promise<number> {
    return this.#repo.locked(ROLLUP_LOCK, async (tx) => {
      let from = await this.#repo.rolledSeq(tx);
      let last = await this.#repo.maxSeqIn(tx, from, from + this.chunk);
      if (last == null) {
        // Nothing in this window: the log ends here, or a stretch of records was removed (the
        // verifier reports that); skip to the next record that exists.
        const next = await this.#repo.minSeqAfter(tx, from);
        if (next == null) return -1;
        from = Number(next) - 1;
        last = await this.#repo.maxSeqIn(tx, from, from + this.chunk);
      }
      const to = Number(last);
      const groups = await this.#repo.countsIn(tx, from, to);
      const rows = new Map<string, DayRow>();
      const key = (d: string, s: string, c: string) => `${d}\u0000${s}\u0000${c}`;
      let added = 0;
      for (const g of groups) {
        const k = key(g.day, g.service_id, g.client_id);
        let r = rows.get(k);
        if (!r)
          rows.set(
            k,
            (r = {
              day: g.day,
              service_id: g.service_id,
              client_id: g.client_id,
              transactions: 0,
              errors: 0,
              duration_sum: 0,
              histogram: {},
            }),
          );
        const n = Number(g.n);
        r.transactions += n;
        r.errors += Number(g.e);
        r.duration_sum += n * Number(g.duration_ms);
        const b = String(bucketOf(Number(g.duration_ms)));
        r.histogram[b] = (r.histogram[b] ?? 0) + n;
        added += n;
      }
      const days = [...new Set([...rows.values()].map((r) => r.day))];
      if (days.length) {
        const existing = await this.#repo.dayRows(tx, days);
        for (const e of existing) {
          const r = rows.get(key(String(e.day), e.service_id, e.client_id));
          if (!r) continue;
          r.transactions += Number(e.transactions);
          r.errors += Number(e.errors);
          r.duration_sum += Number(e.duration_sum);
          addHistogram(r.histogram, e.histogram);
        }
        const values = [...rows.values()].map((r) => ({ ...r, histogram: JSON.stringify(r.histogram) as unknown as Histogram }));
        await this.#repo.putDayRows(tx, values);
      }
      await this.#repo.setRolledSeq(tx, to);
      return added;
    });
  }

  /** Rolls up `ms` milliseconds after the last run until stop(); backs off while the database is away. */
  start(ms: number, log: (msg: string, detail?: Record<string, unknown>) => void): void {
    if (this.#poller || ms <= 0) return;
    this.#poller = new Poller('exchange statistics roll-up', () => this.rollUp(), ms, log, ms, true);
    this.#poller.start();
  }

  async stop(): Promise<void> {
    await this.#poller?.stop();
    this.#poller = null;
    await this.#running?.catch(() => 0);
  }
}
