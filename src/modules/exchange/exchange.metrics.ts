// What the exchange gives the monitoring module (MetricSource), as of a round's cut-off, read from the
// daily statistics roll-ups (never the raw log).
//
// Agencies and exchange members: a member (CLASS/MEMBER, e.g. GOV/NOCR) belongs to the catalogue
// agency named in its agency_id column (set with `exchange member add --agency`, in the admin form,
// and for the demo in exchange.demo.ts). A member without one counts only nationally. A transaction
// belongs to the provider member (the first two parts of the service id) and to the consumer member
// (the first two parts of the client subsystem); an agency that is both counts it once.
//
// The month ending at the cut-off: the 30 UTC days up to and including the cut-off day.
//
// exchange.transactions-per-month: the transactions in that month where one of the agency's members
//   was the provider or the consumer (nationally: all transactions).
// exchange.services-share: how many of the agency's published catalogue services (as of the cut-off)
//   are backed by the exchange, measured as the number of distinct exchange services the agency's
//   members provided or consumed with at least one successful (status < 400) transaction in that
//   month, divided by the published services, at most 100%. The catalogue does not yet say which card
//   uses which exchange service, so each exchange service in use is taken to back one card.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { Measure, MetricCache, MetricSource } from '../monitoring/monitoring.metrics.ts';
import type { ExchangeRollups } from './exchange.rollups.ts';
import { ExchangeRepository } from './exchange.repository.ts';
import { ExchangeLogRepository } from './exchange.log.repository.ts';

const DAY = 86_400_000;
const member = (id: string) => id.split('/').slice(0, 2).join('/');
const NO_MEMBER = { fa: 'هیچ عضو تبادل داده‌ای به این دستگاه پیوند نشده است.', en: 'No exchange member is linked to this agency.' };
const NO_SERVICES = {
  fa: 'این دستگاه در تاریخ برش خدمت منتشرشده‌ای نداشت.',
  en: 'The agency had no published services at the cut-off date.',
};

interface Month {
  /** Agency -> its members. */
  members: Map<string, Set<string>>;
  rows: { service_id: string; client_id: string; transactions: number; ok: number }[];
  from: string;
  to: string;
}

export function exchangeMetrics(db: Kysely<Database>, rollups: ExchangeRollups, catalog: CatalogService): MetricSource[] {
  const logs = new ExchangeLogRepository(db);
  const registry = new ExchangeRepository(db);
  const month = (at: Date, cache: MetricCache): Promise<Month> => {
    const k = `exchange-month@${at.toISOString()}`;
    if (!cache.has(k))
      cache.set(
        k,
        (async () => {
          await rollups.rollUp();
          const to = at.toISOString().slice(0, 10);
          const from = new Date(at.getTime() - 29 * DAY).toISOString().slice(0, 10);
          const [rows, ms] = await Promise.all([logs.totalsBetween(from, to), registry.membersWithAgency()]);
          const members = new Map<string, Set<string>>();
          for (const m of ms) members.set(m.agency_id, (members.get(m.agency_id) ?? new Set()).add(m.id));
          return { members, rows: rows.map((r) => ({ ...r, transactions: Number(r.transactions), ok: Number(r.ok) })), from, to };
        })(),
      );
    return cache.get(k) as Promise<Month>;
  };
  const published = (at: Date, cache: MetricCache) => {
    const k = `catalog@${at.toISOString()}`; // the key platformSources uses: one snapshot per computation
    if (!cache.has(k)) cache.set(k, catalog.snapshotAt(at));
    return (cache.get(k) as ReturnType<CatalogService['snapshotAt']>).then((s) => s.services.filter((v) => v.status === 'published'));
  };
  const mine = (m: Month, own: Set<string>) =>
    m.rows.filter((r) => own.has(member(r.service_id)) || (r.client_id !== '' && own.has(member(r.client_id))));
  const usedServices = (rows: Month['rows']) => new Set(rows.filter((r) => r.ok > 0).map((r) => r.service_id)).size;
  const share = (used: number, services: number): Measure => ({
    value: Math.round((1000 * Math.min(used, services)) / services) / 10,
    detail: { exchangeServicesUsed: used, publishedServices: services },
  });

  return [
    {
      metric: 'exchange.transactions-per-month',
      label: {
        fa: 'تراکنش‌های تبادل داده در ۳۰ روز تا تاریخ برش (برای هر دستگاه: به‌عنوان ارائه‌دهنده یا مصرف‌کننده)',
        en: 'Exchange transactions in the 30 days to the cut-off (per agency: as provider or consumer)',
      },
      async measure(ids, at, cache) {
        const m = await month(at, cache);
        const out = new Map<string, Measure>();
        for (const id of ids) {
          const own = m.members.get(id);
          if (!own) out.set(id, { noData: true, reason: NO_MEMBER });
          else
            out.set(id, {
              value: mine(m, own).reduce((s, r) => s + r.transactions, 0),
              detail: { from: m.from, to: m.to, members: [...own].join(' ') },
            });
        }
        return out;
      },
      async national(at, cache) {
        const m = await month(at, cache);
        return { value: m.rows.reduce((s, r) => s + r.transactions, 0), detail: { from: m.from, to: m.to } };
      },
    },
    {
      metric: 'exchange.services-share',
      label: {
        fa: 'سهم خدمات استفاده‌کننده از تبادل داده: خدمات تبادلی که اعضای دستگاه در ۳۰ روز تا تاریخ برش با موفقیت ارائه یا مصرف کردند، بخش بر خدمات منتشرشده (حداکثر ۱۰۰٪)',
        en: 'Share of services using the exchange: exchange services the agency’s members provided or consumed successfully in the 30 days to the cut-off, over its published services (at most 100%)',
      },
      async measure(ids, at, cache) {
        const [m, services] = await Promise.all([month(at, cache), published(at, cache)]);
        const count = new Map<string, number>();
        for (const s of services) count.set(s.agencyId, (count.get(s.agencyId) ?? 0) + 1);
        const out = new Map<string, Measure>();
        for (const id of ids) {
          const own = m.members.get(id);
          const n = count.get(id) ?? 0;
          if (!own) out.set(id, { noData: true, reason: NO_MEMBER });
          else if (!n) out.set(id, { noData: true, reason: NO_SERVICES });
          else out.set(id, share(usedServices(mine(m, own)), n));
        }
        return out;
      },
      async national(at, cache) {
        const [m, services] = await Promise.all([month(at, cache), published(at, cache)]);
        if (!services.length) return { noData: true, reason: { fa: 'خدمتی منتشر نشده است.', en: 'No services are published.' } };
        return share(usedServices(m.rows), services.length);
      },
    },
  ];
}
