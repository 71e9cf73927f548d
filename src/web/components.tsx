// Shared page components in the GOV.UK spirit: error summary, breadcrumbs, tags, key-value lists.
import type { ComponentChildren } from 'preact';
import { t, type Lang } from '../platform/i18n.ts';

/** Text that may be in another language than the page: marked with its own lang for screen readers. */
export function Text({ value, pageLang }: { value: { text: string; lang: string }; pageLang: Lang }) {
  if (value.lang === pageLang) return <>{value.text}</>;
  return (
    <span lang={value.lang} dir={value.lang === 'fa' ? 'rtl' : 'ltr'}>
      {value.text}
    </span>
  );
}

export interface FieldError {
  field: string;
  message: string;
}

/** The error summary at the top of a page, linking to each field in error. */
export function ErrorSummary({ lang, errors }: { lang: Lang; errors: FieldError[] }) {
  if (!errors.length) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1}>
      <h2 class="error-summary-title">{t(lang, 'thereIsAProblem')}</h2>
      <ul>
        {errors.map((e) => (
          <li>
            <a href={`#${e.field}`}>{e.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Breadcrumbs({ lang, items }: { lang: Lang; items: { href?: string; label: ComponentChildren }[] }) {
  return (
    <nav class="breadcrumbs" aria-label={lang === 'fa' ? 'مسیر صفحه' : 'Breadcrumb'}>
      <ol>
        <li>
          <a href={`/${lang}`}>{t(lang, 'home')}</a>
        </li>
        {items.map((i) => (
          <li>{i.href ? <a href={i.href}>{i.label}</a> : <span aria-current="page">{i.label}</span>}</li>
        ))}
      </ol>
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
      {error ? (
        <p class="error-message" id={`${id}-error`}>
          <span class="visually-hidden">{t(lang, 'errorPrefix')} </span>
          {error}
        </p>
      ) : null}
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

export function SummaryList({ rows }: { rows: { key: ComponentChildren; value: ComponentChildren }[] }) {
  return (
    <dl class="summary-list">
      {rows.map((r) => (
        <div class="summary-row">
          <dt>{r.key}</dt>
          <dd>{r.value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Tag({ children, tone }: { children: ComponentChildren; tone?: 'green' | 'grey' | 'blue' | 'red' | 'orange' }) {
  return <strong class={`tag${tone ? ` tag-${tone}` : ''}`}>{children}</strong>;
}

/** A labelled text input with an optional hint and error message, linked for screen readers (GOV.UK pattern). */
export function TextInput(props: {
  id: string;
  label: string;
  hint?: string;
  value?: string;
  error?: string;
  type?: string;
  autocomplete?: string;
  inputMode?: string;
  width?: 'medium' | 'wide';
  dir?: 'ltr' | 'rtl' | 'auto';
}) {
  const { id, label, hint, value, error, type = 'text', autocomplete, inputMode, width = 'medium', dir = 'ltr' } = props;
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label class="label" for={id}>
        {label}
      </label>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="error-message" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      <input
        class={`input input-${width}${error ? ' input-error' : ''}`}
        id={id}
        name={id}
        type={type}
        value={type === 'password' ? undefined : value}
        autocomplete={autocomplete}
        inputMode={inputMode}
        aria-describedby={described}
        aria-invalid={error ? 'true' : undefined}
        dir={dir}
        spellcheck={false}
      />
    </div>
  );
}

/**
 * Left-to-right text isolated inside a sentence of either direction: numbers, codes, masked mobiles
 * ("۰۹۱۲***۴۵۶۷" keeps its first four digits first in a Persian sentence), paths and addresses.
 */
export function Ltr({ children }: { children: ComponentChildren }) {
  return <bdi dir="ltr">{children}</bdi>;
}

/** A reference number (application, payment, request): left-to-right, isolated, never broken across lines. */
export function Reference({ children }: { children: ComponentChildren }) {
  return (
    <bdi dir="ltr" class="reference-number">
      {children}
    </bdi>
  );
}
