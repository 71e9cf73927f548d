// Messages to the reader: error summary, inline error message, panel, tag, notice.
import type { ComponentChildren } from 'preact';
import type { Lang } from '../../platform/i18n.ts';
import { componentWords } from './words.ts';

export interface FieldError {
  field: string;
  message: string;
}

/** The error summary at the top of a page, linking to each field in error (GOV.UK error summary). */
export function ErrorSummary({ lang, errors }: { lang: Lang; errors: FieldError[] }) {
  if (!errors.length) return null;
  const m = componentWords(lang);
  return (
    <div class="error-summary" role="alert" tabIndex={-1}>
      <h2 class="error-summary-title">{m('thereIsAProblem')}</h2>
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

/** The inline message above a field in error; its id is `${id}-error` for aria-describedby. */
export function ErrorMessage({ id, lang, message }: { id: string; lang: Lang; message?: string }) {
  if (!message) return null;
  return (
    <p class="error-message" id={`${id}-error`}>
      <span class="visually-hidden">{componentWords(lang)('errorPrefix')} </span>
      {message}
    </p>
  );
}

/** A confirmation panel: the outcome of a transaction and its reference (GOV.UK panel). */
export function Panel({ title, children, level = 1 }: { title: ComponentChildren; children?: ComponentChildren; level?: 1 | 2 }) {
  const Heading = level === 1 ? 'h1' : 'h2';
  return (
    <div class="confirmation-panel">
      <Heading class="panel-title">{title}</Heading>
      {children ? <div class="panel-body">{children}</div> : null}
    </div>
  );
}

export type TagTone = 'green' | 'grey' | 'blue' | 'red' | 'orange';

/** A short status word ("submitted", "overdue"). */
export function Tag({ children, tone }: { children: ComponentChildren; tone?: TagTone }) {
  return <strong class={`tag${tone ? ` tag-${tone}` : ''}`}>{children}</strong>;
}

/** A highlighted note in the page flow (GOV.UK inset text). */
export function Inset({ children }: { children: ComponentChildren }) {
  return <div class="inset">{children}</div>;
}
