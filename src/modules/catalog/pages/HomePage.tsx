// The home page: one search box, popular services, life events and topics.
import { formatNumber, t, type Lang } from '../../../platform/i18n.ts';
import { SearchForm } from '../../../web/components.tsx';
import { Layout } from '../../../web/layout.tsx';
import type { FacetCount, SearchCard } from '../catalog.search.ts';
import { CATEGORIES, LIFE_EVENTS } from '../catalog.taxonomy.ts';
import { servicePath } from '../catalog.presenter.ts';
import { pick } from '../catalog.taxonomy.ts';
import { Text } from '../../../web/components.tsx';

export function HomePage({
  lang,
  featured,
  categoryCounts,
  lifeEventCounts,
  total,
}: {
  lang: Lang;
  featured: SearchCard[];
  categoryCounts: FacetCount[];
  lifeEventCounts: FacetCount[];
  total: number;
}) {
  const other: Lang = lang === 'fa' ? 'en' : 'fa';
  const count = (list: FacetCount[], code: string) => list.find((c) => c.value === code)?.count ?? 0;
  return (
    <Layout lang={lang} title={t(lang, 'siteTagline')} altPath={`/${other}`}>
      <h1 class="visually-hidden">{t(lang, 'siteName')}</h1>
      <SearchForm lang={lang} large id="home-q" />
      <p class="muted">
        {formatNumber(lang, total)} {lang === 'fa' ? 'خدمت در فهرست' : 'services in the catalogue'} ·{' '}
        <a href={`/${lang}/agencies`}>{t(lang, 'allAgencies')}</a>
      </p>

      <h2>{t(lang, 'popularServices')}</h2>
      <ul class="link-list">
        {featured.map((c) => (
          <li>
            <a href={servicePath(lang, c.slug)}>
              <Text value={pick(c.name, lang)} pageLang={lang} />
            </a>
          </li>
        ))}
      </ul>

      <h2 id="life-events">{t(lang, 'lifeEvents')}</h2>
      <p>{t(lang, 'lifeEventsIntro')}</p>
      <ul class="link-list">
        {LIFE_EVENTS.filter((e) => count(lifeEventCounts, e.code) > 0).map((e) => (
          <li>
            <a href={`/${lang}/life-events/${e.code}`}>{e.name[lang]}</a>{' '}
            <span class="count">({formatNumber(lang, count(lifeEventCounts, e.code))})</span>
          </li>
        ))}
      </ul>

      <h2>{t(lang, 'categories')}</h2>
      <ul class="link-list">
        {CATEGORIES.filter((c) => count(categoryCounts, c.code) > 0).map((c) => (
          <li>
            <a href={`/${lang}/categories/${c.code}`}>{c.name[lang]}</a>{' '}
            <span class="count">({formatNumber(lang, count(categoryCounts, c.code))})</span>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
