// How catalogue records look in the API and open data.
import type { LocalText } from '../../db/schema.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { AgencyRow, ServiceRow } from './catalog.repository.ts';
import { agencyToJson } from './importers/panjereh.ts';
import type { Facet, SearchCard } from './catalog.search.ts';
import { audienceByCode, categoryByCode, channelByCode, lifeEventByCode, maturityByCode, pick } from './catalog.taxonomy.ts';

export const servicePath = (lang: Lang, slug: string) => `/${lang}/services/${slug}`;
export const agencyPath = (lang: Lang, id: string) => `/${lang}/agencies/${id}`;

export function listItem(c: SearchCard, lang: Lang, base: string) {
  return {
    id: c.id,
    slug: c.slug,
    name: { fa: c.name.fa ?? null, en: c.name.en ?? null },
    summary: pick(c.summary, lang).text || null,
    agency: { id: c.agency.id, name: pick(c.agency.name, lang).text },
    maturity: c.maturity,
    channels: c.channels,
    url: base + servicePath(lang, c.slug),
  };
}

const term = (map: Map<string, { code: string; name: { fa: string; en: string } }>) => (code: string) => ({
  code,
  name: map.get(code)?.name ?? { fa: code, en: code },
});

export function fullCard(
  s: ServiceRow,
  agency: AgencyRow,
  history: { version: number; author: string; changed_at: Date }[],
  lang: Lang,
  base: string,
) {
  return {
    id: s.id,
    slug: s.slug,
    status: s.status,
    name: s.name,
    summary: s.summary,
    description: s.description,
    agency: { id: agency.id, name: agency.name, url: base + `/api/v1/agencies/${agency.id}` },
    categories: s.categories.map(term(categoryByCode)),
    lifeEvents: s.life_events.map(term(lifeEventByCode)),
    audience: s.audience.map(term(audienceByCode)),
    channels: s.channels.map((c) => ({ ...c, label: channelByCode.get(c.type)?.name })),
    maturity: { stage: s.maturity, name: maturityByCode.get(String(s.maturity))?.name },
    fees: s.fees,
    processingDays: s.processing_days,
    assurance: s.assurance,
    processingTime: s.processing_time,
    documents: s.documents,
    eligibility: s.eligibility,
    legalBasis: s.legal_basis,
    source: { name: s.source, key: s.source_key },
    version: s.version,
    history: history.map((h) => ({ version: h.version, author: h.author, changedAt: h.changed_at })),
    createdAt: s.created_at,
    updatedAt: s.updated_at,
    url: base + servicePath(lang, s.slug),
  };
}

export function agencyItem(a: AgencyRow & { service_count?: number | string; last_updated?: unknown }, base: string) {
  const { code, ...card } = agencyToJson(a);
  return {
    id: code,
    ...card,
    serviceCount: Number(a.service_count ?? 0),
    lastUpdated: a.last_updated ?? null,
    url: base + `/api/v1/agencies/${a.id}`,
  };
}

/** A facet value's label in the wanted language. */
export function labeller(lang: Lang, agencies: Map<string, LocalText>) {
  const maps = {
    category: categoryByCode,
    lifeEvent: lifeEventByCode,
    audience: audienceByCode,
    channel: channelByCode,
    maturity: maturityByCode,
  };
  return (facet: Facet, value: string): string => {
    if (facet === 'agency') return pick(agencies.get(value), lang).text || value;
    return maps[facet].get(value)?.name[lang] ?? value;
  };
}
