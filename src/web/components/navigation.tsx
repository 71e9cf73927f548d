// Getting around: back link, breadcrumbs, pagination, the service search form.
import type { ComponentChildren } from 'preact';
import { formatNumber, t, type Lang } from '../../platform/i18n.ts';
import { ErrorMessage } from './feedback.tsx';
import { componentWords } from './words.ts';

/** A link back to the previous step; its text is "Back" unless given. */
export function BackLink({ lang, href, children }: { lang: Lang; href: string; children?: ComponentChildren }) {
  return (
    <a class="back-link" href={href}>
      {children ?? componentWords(lang)('back')}
    </a>
  );
}

export function Breadcrumbs({ lang, items }: { lang: Lang; items: { href?: string; label: ComponentChildren }[] }) {
  const m = componentWords(lang);
  return (
    <nav class="breadcrumbs" aria-label={m('breadcrumb')}>
      <ol>
        <li>
          <a href={`/${lang}`}>{m('home')}</a>
        </li>
        {items.map((i) => (
          <li>{i.href ? <a href={i.href}>{i.label}</a> : <span aria-current="page">{i.label}</span>}</li>
        ))}
      </ol>
    </nav>
  );
}

/**
 * Links to the pages of a list (plain links: no JavaScript): previous (rel="prev"), the page numbers with
 * the current one marked aria-current="page", next (rel="next"). `href(n)` builds page n's address.
 * Nothing is shown for a single page.
 */
export function Pagination({
  lang,
  page,
  pages,
  href,
  label,
}: {
  lang: Lang;
  page: number;
  pages: number;
  href: (n: number) => string;
  /** What the pages are of ("Pages of results"); the nav's accessible name. */
  label?: string;
}) {
  if (pages <= 1) return null;
  const m = componentWords(lang);
  // long lists: the first, the last and two either side of the current page, gaps as "…"
  const shown = Array.from({ length: pages }, (_, i) => i + 1).filter((n) => n === 1 || n === pages || Math.abs(n - page) <= 2);
  return (
    <nav class="pagination" aria-label={label ?? m('pages')}>
      {page > 1 ? (
        <a href={href(page - 1)} rel="prev">
          {m('previousPage')}
        </a>
      ) : null}
      <ul class="pagination-pages">
        {shown.map((n, i) => (
          <>
            {i > 0 && n - shown[i - 1] > 1 ? (
              <li aria-hidden="true">
                <span>…</span>
              </li>
            ) : null}
            <li>
              {n === page ? (
                <a href={href(n)} aria-current="page" aria-label={m('pageN', { n })}>
                  {formatNumber(lang, n)}
                </a>
              ) : (
                <a href={href(n)} aria-label={m('pageN', { n })}>
                  {formatNumber(lang, n)}
                </a>
              )}
            </li>
          </>
        ))}
      </ul>
      {page < pages ? (
        <a href={href(page + 1)} rel="next">
          {m('nextPage')}
        </a>
      ) : null}
    </nav>
  );
}

export function SearchForm({ lang, q, id = 'q', large, error }: { lang: Lang; q?: string; id?: string; large?: boolean; error?: string }) {
  return (
    <form class={`search-form${large ? ' search-form-large' : ''}`} action={`/${lang}/search`} method="get" role="search">
      <label class="label" for={id}>
        {t(lang, 'searchLabel')}
      </label>
      <p class="hint" id={`${id}-hint`}>
        {t(lang, 'searchHint')}
      </p>
      <ErrorMessage id={id} lang={lang} message={error} />
      <div class="search-row">
        <input
          class={`input${error ? ' input-error' : ''}`}
          type="search"
          id={id}
          name="q"
          value={q ?? ''}
          aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
          aria-invalid={error ? 'true' : undefined}
          autocomplete="off"
        />
        <button class="button" type="submit">
          {t(lang, 'searchButton')}
        </button>
      </div>
    </form>
  );
}
