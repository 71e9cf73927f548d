// Search results with facets; also the page of one category or life event (a preset filter).
import { t, tr, formatNumber, type Lang } from '../../../platform/i18n.ts';
import { Breadcrumbs, ErrorSummary, SearchForm, type FieldError } from '../../../web/components.tsx';
import { Layout } from '../../../web/layout.tsx';
import { FACETS, type Facet, type Filters, type SearchResult } from '../catalog.search.ts';
import { FacetGroup, ServiceList } from './parts.tsx';

export interface SearchPageProps {
  lang: Lang;
  q: string;
  filters: Filters;
  result: SearchResult | null;
  errors: FieldError[];
  label: (f: Facet, v: string) => string;
  /** For a category or life-event page: its heading, path and the facet it fixes. */
  listing?: { title: string; path: string; fixed: Facet; intro?: string };
}

function queryString(q: string, filters: Filters, page: number, skip?: Facet): string {
  const p = new URLSearchParams();
  if (q) p.set('q', q);
  for (const f of FACETS) if (f !== skip) for (const v of filters[f] ?? []) p.append(f, v);
  if (page > 1) p.set('page', String(page));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function SearchPage({ lang, q, filters, result, errors, label, listing }: SearchPageProps) {
  const path = listing?.path ?? `/${lang}/search`;
  const other: Lang = lang === 'fa' ? 'en' : 'fa';
  const qs = (page: number) => queryString(q, filters, page, listing?.fixed);
  const altPath = path.replace(/^\/(fa|en)/, `/${other}`) + qs(result?.page ?? 1);
  const title = listing?.title ?? (q ? `${t(lang, 'searchResults')}: ${q}` : t(lang, 'searchResults'));
  const pages = result ? Math.max(1, Math.ceil(result.total / result.pageSize)) : 1;
  const anyFilter = FACETS.some((f) => f !== listing?.fixed && filters[f]?.length);
  // nothing found and nothing to narrow: an empty filter panel would only confuse
  const showFilters = !!result && (result.total > 0 || anyFilter);

  return (
    <Layout lang={lang} title={title} altPath={altPath} hasError={errors.length > 0}>
      <Breadcrumbs lang={lang} items={[{ label: listing?.title ?? t(lang, 'searchResults') }]} />
      <ErrorSummary lang={lang} errors={errors} />
      <h1>{listing?.title ?? t(lang, 'searchResults')}</h1>
      {listing?.intro ? <p class="lead">{listing.intro}</p> : null}
      {listing ? null : <SearchForm lang={lang} q={q} error={errors.find((e) => e.field === 'q')?.message} />}
      {result ? (
        <div class="grid grid-sidebar">
          <section class="results" aria-labelledby="results-count">
            <h2 id="results-count" aria-live="polite">
              {formatNumber(lang, result.total)}{' '}
              {q
                ? `${t(lang, result.total === 1 ? 'resultFor' : 'resultsFor')} «${q}»`
                : t(lang, result.total === 1 ? 'result' : 'results')}
            </h2>
            {showFilters ? (
              <p class="filters-link">
                <a href="#filters">{t(lang, 'filters')}</a>
              </p>
            ) : null}
            {result.match === 'any' && result.total > 0 ? <p class="inset">{t(lang, 'partialMatch')}</p> : null}
            {result.suggestion ? (
              <p class="did-you-mean">
                {tr(lang, 'منظورتان این بود: ', 'Did you mean: ')}
                <a href={`/${lang}/search?q=${encodeURIComponent(result.suggestion)}`}>
                  <bdi>{result.suggestion}</bdi>
                </a>
                {tr(lang, '؟', '?')}
              </p>
            ) : null}
            {result.total === 0 ? (
              <>
                <p>{t(lang, 'noResults')}</p>
                <p>{t(lang, 'noResultsHelp')}</p>
                <ul class="link-list">
                  <li>
                    <a href={`/${lang}#life-events`}>
                      {tr(lang, 'خدمات را بر پایه رویدادهای زندگی ببینید', 'Find services by life event')}
                    </a>
                  </li>
                  <li>
                    <a href={`/${lang}/agencies`}>{tr(lang, 'دستگاه‌ها و خدمات هر یک', 'Agencies and their services')}</a>
                  </li>
                  <li>
                    <a href={`/${lang}/help`}>{tr(lang, 'راهنمایی بگیرید یا با ما تماس بگیرید', 'Get help or contact us')}</a>
                  </li>
                </ul>
              </>
            ) : (
              <ServiceList lang={lang} items={result.items} />
            )}
            {pages > 1 ? (
              <nav class="pagination" aria-label={t(lang, 'pagination')}>
                {result.page > 1 ? (
                  <a href={path + qs(result.page - 1)} rel="prev">
                    {t(lang, 'previous')}
                  </a>
                ) : null}
                <span>{t(lang, 'pageOf', { page: result.page, pages })}</span>
                {result.page < pages ? (
                  <a href={path + qs(result.page + 1)} rel="next">
                    {t(lang, 'next')}
                  </a>
                ) : null}
              </nav>
            ) : null}
          </section>
          {showFilters ? (
            <form class="facets" id="filters" method="get" action={path} aria-labelledby="filters-title">
              <h2 id="filters-title">{t(lang, 'filters')}</h2>
              {q ? <input type="hidden" name="q" value={q} /> : null}
              {FACETS.filter((f) => f !== listing?.fixed).map((f) => (
                <FacetGroup lang={lang} facet={f} values={result.facets[f]} selected={filters[f] ?? []} label={label} />
              ))}
              <button class="button" type="submit">
                {t(lang, 'applyFilters')}
              </button>
              {anyFilter ? (
                <a class="button button-secondary" href={path + (q ? `?q=${encodeURIComponent(q)}` : '')}>
                  {t(lang, 'clearFilters')}
                </a>
              ) : null}
            </form>
          ) : null}
        </div>
      ) : null}
    </Layout>
  );
}
