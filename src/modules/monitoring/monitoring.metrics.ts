// Automatic indicators compute their value from platform data through a MetricSource, looked up by
// the metric key an indicator names. Sources that exist today read the catalogue, staff accounts and
// single sign-on clients; applications and ratings (applications.metrics.ts). A metric with no source
// (the exchange's, so far) is "no data yet" and leaves the score's denominator.
import type { LocalText } from '../../db/schema.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { ServiceInput } from '../catalog/catalog.schema.ts';

export type Measure = { value: number; detail?: Record<string, number | string> } | { noData: true; reason: LocalText };

/** Memo for one computation (one round fill or one page): sources share the catalogue snapshot. */
export type MetricCache = Map<string, Promise<unknown>>;

export interface MetricSource {
  /** The key indicators name in their "metric" field, e.g. "applications.online-share". */
  metric: string;
  label: LocalText;
  /** Values per agency as of a moment (the end of a round's cut-off day). An agency missing from the map has no data. */
  measure(agencyIds: string[], at: Date, cache: MetricCache): Promise<Map<string, Measure>>;
  /** The national figure for the overview, when the source can give one. */
  national?(at: Date, cache: MetricCache): Promise<Measure>;
}

/** Metrics whose source is another module that is not part of the platform yet (shown as such). */
export const PENDING_METRICS: Record<string, { source: LocalText; label: LocalText }> = {
  'applications.online-share': {
    source: { fa: 'درخواست‌ها', en: 'applications' },
    label: { fa: 'سهم درخواست‌های برخط', en: 'Share of applications made online' },
  },
  'applications.prefilled-share': {
    source: { fa: 'درخواست‌ها', en: 'applications' },
    label: { fa: 'سهم فیلدهای پیش‌پرشده', en: 'Share of fields prefilled' },
  },
  'applications.on-time-share': {
    source: { fa: 'درخواست‌ها', en: 'applications' },
    label: { fa: 'تصمیم‌ها در زمان وعده‌داده‌شده', en: 'Decisions within the promised time' },
  },
  'applications.median-days': {
    source: { fa: 'درخواست‌ها', en: 'applications' },
    label: { fa: 'میانه روزها تا تصمیم', en: 'Median days to a decision' },
  },
  'applications.per-month': {
    source: { fa: 'درخواست‌ها', en: 'applications' },
    label: { fa: 'درخواست‌ها در ماه', en: 'Applications per month' },
  },
  'ratings.average': {
    source: { fa: 'نظرسنجی کاربران', en: 'user ratings' },
    label: { fa: 'میانگین امتیاز کاربران', en: 'Average user rating' },
  },
  'ratings.satisfied-share': {
    source: { fa: 'نظرسنجی کاربران', en: 'user ratings' },
    label: { fa: 'سهم کاربران راضی (SDG 16.6.2)', en: 'Share of users satisfied (SDG 16.6.2)' },
  },
  'exchange.services-share': {
    source: { fa: 'تبادل داده', en: 'the data exchange' },
    label: { fa: 'سهم خدمات استفاده‌کننده از تبادل داده', en: 'Share of services using the exchange' },
  },
  'exchange.transactions-per-month': {
    source: { fa: 'تبادل داده', en: 'the data exchange' },
    label: { fa: 'تراکنش‌های تبادل داده در ماه', en: 'Exchange transactions per month' },
  },
};

export const noData = (metric: string): Measure => {
  const p = PENDING_METRICS[metric];
  return {
    noData: true,
    reason: p
      ? {
          fa: `هنوز داده‌ای نیست: منبع آن (${p.source.fa}) هنوز به پنجره وصل نشده است.`,
          en: `No data yet: its source (${p.source.en}) is not connected to the window yet.`,
        }
      : { fa: 'هنوز داده‌ای نیست.', en: 'No data yet.' },
  };
};

export class MetricRegistry {
  readonly #sources = new Map<string, MetricSource>();

  register(source: MetricSource): void {
    this.#sources.set(source.metric, source);
  }

  get(metric: string): MetricSource | undefined {
    return this.#sources.get(metric);
  }

  keys(): string[] {
    return [...this.#sources.keys()];
  }

  /** Values for every agency; agencies (or whole metrics) without a source get "no data yet". */
  async measure(metric: string, agencyIds: string[], at: Date, cache: MetricCache): Promise<Map<string, Measure>> {
    const src = this.#sources.get(metric);
    const got = src ? await src.measure(agencyIds, at, cache) : new Map<string, Measure>();
    return new Map(agencyIds.map((id) => [id, got.get(id) ?? noData(metric)]));
  }

  async national(metric: string, at: Date, cache: MetricCache): Promise<Measure> {
    const src = this.#sources.get(metric);
    return src?.national ? src.national(at, cache) : noData(metric);
  }
}

const filled = (t: LocalText | undefined) => !!(t && (t.fa?.trim() || t.en?.trim()));
/** A card's completeness: the share of the eight things a citizen needs that it states. */
export function cardCompleteness(s: ServiceInput): number {
  const parts = [
    filled(s.summary),
    filled(s.description),
    s.documents.length > 0,
    s.channels.length > 0,
    s.processingDays !== null || filled(s.processingTime),
    filled(s.eligibility),
    filled(s.legalBasis),
    !!(s.name.fa && s.name.en),
  ];
  return parts.filter(Boolean).length / parts.length;
}

/** The sources that exist now: the catalogue as of the cut-off, staff accounts and SSO clients. */
export interface PlatformData {
  catalog: CatalogService;
  /** Agencies with their number of set-up staff accounts at a moment (identity module). */
  activeAccounts: (at: Date) => Promise<Map<string, number>>;
  /** Registered single sign-on clients (sso module). */
  ssoClients: () => Promise<{ metadata: Record<string, unknown>; created_at: Date }[]>;
}

export function platformSources({ catalog, activeAccounts, ssoClients }: PlatformData): MetricSource[] {
  const snapshot = (at: Date, cache: MetricCache) => {
    const k = `catalog@${at.toISOString()}`;
    if (!cache.has(k)) cache.set(k, catalog.snapshotAt(at));
    return cache.get(k) as ReturnType<CatalogService['snapshotAt']>;
  };
  const published = async (at: Date, cache: MetricCache) => {
    const snap = await snapshot(at, cache);
    const by = new Map<string, ServiceInput[]>();
    for (const s of snap.services) if (s.status === 'published') by.set(s.agencyId, [...(by.get(s.agencyId) ?? []), s]);
    return { snap, by };
  };
  const share = (metric: string, label: LocalText, test: (s: ServiceInput) => number): MetricSource => ({
    metric,
    label,
    async measure(ids, at, cache) {
      const { by } = await published(at, cache);
      const out = new Map<string, Measure>();
      for (const id of ids) {
        const list = by.get(id) ?? [];
        if (!list.length)
          out.set(id, {
            noData: true,
            reason: {
              fa: 'این دستگاه در تاریخ برش خدمت منتشرشده‌ای نداشت.',
              en: 'The agency had no published services at the cut-off date.',
            },
          });
        else {
          const sum = list.reduce((a, s) => a + test(s), 0);
          out.set(id, {
            value: Math.round((1000 * sum) / list.length) / 10,
            detail: { numerator: Math.round(sum * 100) / 100, denominator: list.length },
          });
        }
      }
      return out;
    },
    async national(at, cache) {
      const { snap } = await published(at, cache);
      const list = snap.services.filter((s) => s.status === 'published');
      if (!list.length) return { noData: true, reason: { fa: 'خدمتی منتشر نشده است.', en: 'No services are published.' } };
      const sum = list.reduce((a, s) => a + test(s), 0);
      return {
        value: Math.round((1000 * sum) / list.length) / 10,
        detail: { numerator: Math.round(sum * 100) / 100, denominator: list.length },
      };
    },
  });
  const hostOf = (u: string | null | undefined) => {
    try {
      return u ? new URL(u).hostname.replace(/^www\./, '') : '';
    } catch {
      return '';
    }
  };
  return [
    share('catalog.stage-3-5-share', { fa: 'سهم خدمات در مرحله ۳ تا ۵', en: 'Share of services at stage 3-5' }, (s) =>
      s.maturity >= 3 ? 1 : 0,
    ),
    share('catalog.stage-4-5-share', { fa: 'سهم خدمات تراکنشی', en: 'Share of transactional services' }, (s) => (s.maturity >= 4 ? 1 : 0)),
    share('catalog.card-completeness', { fa: 'کامل بودن شناسنامه خدمات', en: 'Completeness of service cards' }, cardCompleteness),
    {
      metric: 'catalog.connected',
      label: { fa: 'متصل به پنجره', en: 'Connected to the window' },
      async measure(ids, at, cache) {
        const { agencies } = await snapshot(at, cache);
        const m = new Map(agencies.map((a) => [a.id, a]));
        const out = new Map<string, Measure>();
        for (const id of ids) {
          const a = m.get(id);
          if (a) out.set(id, { value: a.connected ? 1 : 0 });
        }
        return out;
      },
      async national(at, cache) {
        const { agencies } = await snapshot(at, cache);
        const n = agencies.filter((a) => a.connected).length;
        return agencies.length
          ? { value: Math.round((1000 * n) / agencies.length) / 10, detail: { numerator: n, denominator: agencies.length } }
          : noData('catalog.connected');
      },
    },
    {
      metric: 'staff.active-accounts',
      label: { fa: 'حساب فعال کارکنان', en: 'Active staff accounts' },
      async measure(ids, at) {
        const counts = await activeAccounts(at);
        return new Map(ids.map((id) => [id, { value: (counts.get(id) ?? 0) > 0 ? 1 : 0, detail: { accounts: counts.get(id) ?? 0 } }]));
      },
    },
    {
      metric: 'sso.portal-client',
      label: { fa: 'ورود یکپارچه در درگاه دستگاه', en: "Single sign-on on the agency's portal" },
      // A client counts for an agency when one of its redirect addresses is on the agency website's host.
      async measure(ids, at, cache) {
        const [{ agencies }, clients] = await Promise.all([snapshot(at, cache), ssoClients()]);
        const hosts = clients
          .filter((c) => new Date(c.created_at) <= at)
          .flatMap((c) => ((c.metadata.redirect_uris as string[]) ?? []).map(hostOf));
        const m = new Map(agencies.map((a) => [a.id, hostOf(a.website)]));
        const out = new Map<string, Measure>();
        for (const id of ids) {
          const h = m.get(id);
          if (h) out.set(id, { value: hosts.some((x) => x === h || x.endsWith(`.${h}`)) ? 1 : 0 });
        }
        return out;
      },
    },
  ];
}
