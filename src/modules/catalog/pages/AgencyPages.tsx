// The list of agencies and one agency's page: its details, connection status and services.
import { digits, formatDate, formatNumber, t, type Lang } from '../../../platform/i18n.ts';
import { Breadcrumbs, SummaryList, Tag, Text } from '../../../web/components.tsx';
import { Layout } from '../../../web/layout.tsx';
import type { AgencyRow } from '../catalog.repository.ts';
import type { SearchCard } from '../catalog.search.ts';
import { agencyPath } from '../catalog.presenter.ts';
import { pick } from '../catalog.taxonomy.ts';
import { ServiceList } from './parts.tsx';

type AgencyWithCount = AgencyRow & { service_count: number | string };

function Connection({ lang, a }: { lang: Lang; a: AgencyRow }) {
  if (!a.connected) return <Tag tone="grey">{t(lang, 'notConnected')}</Tag>;
  return (
    <Tag tone="green">
      {a.connected_since ? t(lang, 'connectedSince', { date: formatDate(lang, a.connected_since) }) : t(lang, 'connected')}
    </Tag>
  );
}

export function AgencyListPage({ lang, agencies }: { lang: Lang; agencies: AgencyWithCount[] }) {
  const other: Lang = lang === 'fa' ? 'en' : 'fa';
  const coll = new Intl.Collator(lang);
  const sorted = [...agencies].sort(
    (a, b) => Number(b.connected) - Number(a.connected) || coll.compare(pick(a.name, lang).text, pick(b.name, lang).text),
  );
  return (
    <Layout lang={lang} title={t(lang, 'agencies')} altPath={`/${other}/agencies`}>
      <Breadcrumbs lang={lang} items={[{ label: t(lang, 'agencies') }]} />
      <h1>{t(lang, 'agencies')}</h1>
      <ul class="card-list">
        {sorted.map((a) => (
          <li>
            <h2 class="card-title">
              <a href={agencyPath(lang, a.id)}>
                <Text value={pick(a.name, lang)} pageLang={lang} />
              </a>
            </h2>
            <p class="card-meta">
              {t(lang, 'serviceCount', { n: Number(a.service_count) })} · <Connection lang={lang} a={a} />
            </p>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export function AgencyPage({
  lang,
  agency: a,
  services,
  total,
  page,
  pageSize,
}: {
  lang: Lang;
  agency: AgencyRow;
  services: SearchCard[];
  total: number;
  page: number;
  pageSize: number;
}) {
  const other: Lang = lang === 'fa' ? 'en' : 'fa';
  const name = pick(a.name, lang);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const rows = [
    ...(a.parent_ministry
      ? [{ key: t(lang, 'parentMinistry'), value: <Text value={pick(a.parent_ministry, lang)} pageLang={lang} /> }]
      : []),
    { key: t(lang, 'connected'), value: <Connection lang={lang} a={a} /> },
    ...(a.website
      ? [
          {
            key: t(lang, 'website'),
            value: (
              <a href={a.website} rel="noopener noreferrer external">
                <bdi>{a.website.replace(/^https?:\/\//, '')}</bdi>
              </a>
            ),
          },
        ]
      : []),
    ...(a.contact.phone ? [{ key: t(lang, 'phone'), value: <a href={`tel:${a.contact.phone}`}>{digits(lang, a.contact.phone)}</a> }] : []),
    ...(a.contact.email ? [{ key: t(lang, 'email'), value: <a href={`mailto:${a.contact.email}`}>{a.contact.email}</a> }] : []),
    ...(a.contact.address ? [{ key: t(lang, 'address'), value: <Text value={pick(a.contact.address, lang)} pageLang={lang} /> }] : []),
  ];
  return (
    <Layout lang={lang} title={name.text} altPath={`/${other}/agencies/${a.id}${page > 1 ? `?page=${page}` : ''}`}>
      <Breadcrumbs
        lang={lang}
        items={[{ href: `/${lang}/agencies`, label: t(lang, 'agencies') }, { label: <Text value={name} pageLang={lang} /> }]}
      />
      <h1>
        <Text value={name} pageLang={lang} />
      </h1>
      <SummaryList rows={rows} />
      <h2>
        {t(lang, 'servicesOfAgency')} ({formatNumber(lang, total)})
      </h2>
      {services.length ? <ServiceList lang={lang} items={services} /> : <p>{t(lang, 'noServices')}</p>}
      {pages > 1 ? (
        <nav class="pagination" aria-label={t(lang, 'pagination')}>
          {page > 1 ? <a href={`?page=${page - 1}`}>{t(lang, 'previous')}</a> : null}
          <span>{t(lang, 'pageOf', { page, pages })}</span>
          {page < pages ? <a href={`?page=${page + 1}`}>{t(lang, 'next')}</a> : null}
        </nav>
      ) : null}
    </Layout>
  );
}
