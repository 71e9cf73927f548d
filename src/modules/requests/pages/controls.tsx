// Form controls and pieces the requests pages share: a labelled select and text area with their error
// message (GOV.UK pattern), a checkbox, the status tag, the timeline of a request and the deadline line.
import { formatDate, tr, type Lang } from '../../../platform/i18n.ts';
import { Tag } from '../../../web/components.tsx';
import type { RequestEventRow, RequestRow } from '../requests.repository.ts';
import { EVENT_NAME, STATUS_NAME, name } from '../requests.text.ts';

export const other = (lang: Lang, path: string) => path.replace(/^\/(fa|en)/, `/${lang === 'fa' ? 'en' : 'fa'}`);
export type Errors = Record<string, string>;

function Err({ id, message, lang }: { id: string; message?: string; lang: Lang }) {
  return message ? (
    <p class="error-message" id={`${id}-error`}>
      <span class="visually-hidden">{tr(lang, 'خطا: ', 'Error: ')}</span>
      {message}
    </p>
  ) : null;
}

export function Select(p: {
  lang: Lang;
  id: string;
  label: string;
  hint?: string;
  value?: string;
  error?: string;
  options: { value: string; label: string }[];
  optional?: boolean;
}) {
  const described = [p.hint ? `${p.id}-hint` : '', p.error ? `${p.id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${p.error ? ' field-error' : ''}`}>
      <label class="label" for={p.id}>
        {p.label}
      </label>
      {p.hint ? (
        <p class="hint" id={`${p.id}-hint`}>
          {p.hint}
        </p>
      ) : null}
      <Err id={p.id} message={p.error} lang={p.lang} />
      <select
        class={`input input-medium${p.error ? ' input-error' : ''}`}
        id={p.id}
        name={p.id}
        aria-describedby={described}
        aria-invalid={p.error ? 'true' : undefined}
      >
        <option value="">{p.optional ? tr(p.lang, 'هیچ‌کدام', 'None') : tr(p.lang, 'انتخاب کنید', 'Choose')}</option>
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === p.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function TextArea(p: { lang: Lang; id: string; label: string; hint?: string; value?: string; error?: string; rows?: number }) {
  const described = [p.hint ? `${p.id}-hint` : '', p.error ? `${p.id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${p.error ? ' field-error' : ''}`}>
      <label class="label" for={p.id}>
        {p.label}
      </label>
      {p.hint ? (
        <p class="hint" id={`${p.id}-hint`}>
          {p.hint}
        </p>
      ) : null}
      <Err id={p.id} message={p.error} lang={p.lang} />
      <textarea
        class={`input textarea input-wide${p.error ? ' input-error' : ''}`}
        id={p.id}
        name={p.id}
        rows={p.rows ?? 5}
        maxLength={10000}
        aria-describedby={described}
        aria-invalid={p.error ? 'true' : undefined}
      >
        {p.value ?? ''}
      </textarea>
    </div>
  );
}

export function Check(p: { id: string; label: string; checked?: boolean }) {
  return (
    <div class="checkbox">
      <input type="checkbox" id={p.id} name={p.id} value="yes" checked={p.checked} />
      <label for={p.id}>{p.label}</label>
    </div>
  );
}

const TONE: Record<RequestRow['status'], 'green' | 'grey' | 'blue' | 'red' | 'orange'> = {
  open: 'blue',
  clarification: 'orange',
  answered: 'green',
  partial: 'orange',
  refused: 'red',
  closed: 'grey',
  'vexatious-review': 'orange',
};
export function StatusTag({ lang, r }: { lang: Lang; r: RequestRow }) {
  return <Tag tone={TONE[r.status]}>{STATUS_NAME[r.status][lang]}</Tag>;
}

export const isOverdue = (r: RequestRow, now: Date) => r.status === 'open' && r.due_at < now;

export function Deadline({ lang, r, now }: { lang: Lang; r: RequestRow; now: Date }) {
  if (r.status === 'clarification')
    return <>{tr(lang, 'مهلت متوقف است تا توضیح شما برسد', 'The clock is paused until your clarification arrives')}</>;
  if (r.status !== 'open') return <>{r.answered_at ? formatDate(lang, r.answered_at) : '—'}</>;
  return (
    <>
      {formatDate(lang, r.due_at)} {isOverdue(r, now) ? <Tag tone="red">{tr(lang, 'مهلت گذشته', 'Overdue')}</Tag> : null}
    </>
  );
}

export function Timeline({ lang, events }: { lang: Lang; events: RequestEventRow[] }) {
  return (
    <ol class="timeline">
      {events.map((e) => (
        <li>
          <strong>{name(EVENT_NAME, e.kind, lang)}</strong> <span class="hint">{formatDate(lang, e.at)}</span>
          {e.note ? <p dir="auto">{e.note}</p> : null}
        </li>
      ))}
    </ol>
  );
}
