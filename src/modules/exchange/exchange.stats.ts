// Statistics of the exchange: transactions by day and month, by provider, consumer and
// service, error rates and latency percentiles, all read from the daily roll-ups
// (exchange.rollups.ts), never by scanning the raw log; plus the counts of organisations and the
// data-use list for one person (by the indexed keyed hash of their national ID).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { ExchangeRepository } from './exchange.repository.ts';
import { ExchangeLogRepository } from './exchange.log.repository.ts';
import { addHistogram, percentile, type ExchangeRollups, type Histogram } from './exchange.rollups.ts';

export interface StatRow {
  period: string;
  provider: string;
  consumer: string;
  service: string;
  transactions: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
}

const two = (id: string) => id.split('/').slice(0, 2).join('/');
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

interface Agg {
  transactions: number;
  errors: number;
  histogram: Histogram;
}

export class ExchangeStats {
  readonly #repo: ExchangeLogRepository;
  readonly #registry: ExchangeRepository;

  constructor(
    db: Kysely<Database>,
    private readonly rollups: ExchangeRollups,
  ) {
    this.#repo = new ExchangeLogRepository(db);
    this.#registry = new ExchangeRepository(db);
  }

  /** Day rows since a date (the whole first day), grouped by `group`; the roll-up is brought up to date first. */
  async #grouped<K extends string>(
    since: Date,
    group: (r: { day: string; service_id: string; client_id: string }) => K,
  ): Promise<Map<K, Agg>> {
    await this.rollups.rollUp();
    const rows = await this.#repo.daysSince(dayOf(since));
    const out = new Map<K, Agg>();
    for (const r of rows) {
      const k = group({ day: String(r.day), service_id: r.service_id, client_id: r.client_id });
      let a = out.get(k);
      if (!a) out.set(k, (a = { transactions: 0, errors: 0, histogram: {} }));
      a.transactions += Number(r.transactions);
      a.errors += Number(r.errors);
      addHistogram(a.histogram, r.histogram);
    }
    return out;
  }

  /** Transactions per day or month and provider, consumer (member) and service, newest first. */
  async detailed(unit: 'day' | 'month', since: Date): Promise<StatRow[]> {
    const cut = unit === 'day' ? 10 : 7;
    const m = await this.#grouped(since, (r) =>
      [r.day.slice(0, cut), r.service_id, r.client_id ? two(r.client_id) : '(unauthenticated)'].join('\u0000'),
    );
    return [...m]
      .map(([k, a]) => {
        const [period, service, consumer] = k.split('\u0000');
        return {
          period,
          provider: two(service),
          consumer,
          service,
          transactions: a.transactions,
          errors: a.errors,
          p50: percentile(a.histogram, 0.5),
          p95: percentile(a.histogram, 0.95),
          p99: percentile(a.histogram, 0.99),
        };
      })
      .sort((a, b) =>
        a.period === b.period ? b.transactions - a.transactions || (a.service < b.service ? -1 : 1) : a.period < b.period ? 1 : -1,
      );
  }

  /** Totals per period (all services), newest first. */
  async totals(unit: 'day' | 'month', since: Date) {
    const cut = unit === 'day' ? 10 : 7;
    const m = await this.#grouped(since, (r) => r.day.slice(0, cut));
    return [...m]
      .map(([period, a]) => ({
        period,
        transactions: a.transactions,
        errors: a.errors,
        p50: percentile(a.histogram, 0.5),
        p99: percentile(a.histogram, 0.99),
      }))
      .sort((a, b) => (a.period < b.period ? 1 : -1));
  }

  /** Per service since a date: volume, error rate and latency (the 50 busiest). */
  async byService(since: Date) {
    const m = await this.#grouped(since, (r) => r.service_id);
    return [...m]
      .map(([service, a]) => ({
        service,
        transactions: a.transactions,
        errors: a.errors,
        p50: percentile(a.histogram, 0.5),
        p95: percentile(a.histogram, 0.95),
        p99: percentile(a.histogram, 0.99),
      }))
      .sort((a, b) => b.transactions - a.transactions || (a.service < b.service ? -1 : 1))
      .slice(0, 50);
  }

  /** Members that provide at least one service, and members whose subsystems may call one. */
  async organisations(): Promise<{ servers: number; clients: number; members: number }> {
    const row = await this.#registry.organisationCounts();
    return { servers: Number(row.servers), clients: Number(row.clients), members: Number(row.members) };
  }

  /** Every logged request that touched one person's data (by the keyed hash of their national ID). */
  dataUse(subjectHash: string, limit = 500) {
    return this.#repo.dataUse(subjectHash, limit);
  }
}
