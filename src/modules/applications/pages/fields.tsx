// The inputs of a question page, one component per field type, in the GOV.UK pattern: label (or
// legend) as the heading when the page asks one thing, hint, error message, and the input.
import type { ComponentChildren } from 'preact';
import { digits, formatDate, formatNumber, type Lang } from '../../../platform/i18n.ts';
import { pick, type FormField } from '../forms.ts';
import { gregorianToJalali } from '../jalali.ts';
import type { AddressAnswer, FileAnswer } from '../validate.ts';

export type Raw = Record<string, unknown>;

const s = (v: unknown) =>
  typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : v === undefined || v === null ? '' : String(v);

/** What the inputs show for a stored answer (the reverse of validation). */
export function rawOf(f: FormField, answer: unknown, lang: Lang): Raw {
  if (answer === undefined || answer === null) return {};
  switch (f.type) {
    case 'date': {
      const iso = String(answer);
      if (lang === 'fa') {
        const j = gregorianToJalali(iso);
        return { [`${f.name}-day`]: String(j.day), [`${f.name}-month`]: String(j.month), [`${f.name}-year`]: String(j.year) };
      }
      const [y, m, d] = iso.split('-');
      return { [`${f.name}-day`]: String(Number(d)), [`${f.name}-month`]: String(Number(m)), [`${f.name}-year`]: y };
    }
    case 'address': {
      const a = answer as AddressAnswer;
      return {
        [`${f.name}-line1`]: a.line1,
        [`${f.name}-line2`]: a.line2 ?? '',
        [`${f.name}-city`]: a.city,
        [`${f.name}-postcode`]: a.postcode,
      };
    }
    case 'checkboxes':
      return { [f.name]: answer };
    case 'file':
      return {};
    default:
      return { [f.name]: String(answer) };
  }
}

/** An answer as the check-your-answers page and the back office show it. */
export function showAnswer(f: FormField, answer: unknown, lang: Lang, fileHref?: (id: string) => string): ComponentChildren {
  if (answer === undefined || answer === null || answer === '') return lang === 'fa' ? 'پاسخ داده نشده' : 'Not answered';
  switch (f.type) {
    case 'date':
      return formatDate(lang, String(answer));
    case 'number':
      return formatNumber(lang, Number(answer));
    case 'national-id':
    case 'mobile':
    case 'postcode':
      return <bdi>{digits(lang, String(answer))}</bdi>;
    case 'select':
    case 'radio':
      return pick(f.options?.find((o) => o.value === answer)?.label, lang) || String(answer);
    case 'checkboxes':
      return (answer as string[])
        .map((v) => pick(f.options?.find((o) => o.value === v)?.label, lang) || v)
        .join(lang === 'fa' ? '، ' : ', ');
    case 'address': {
      const a = answer as AddressAnswer;
      return (
        <>
          {a.line1}
          <br />
          {a.line2 ? (
            <>
              {a.line2}
              <br />
            </>
          ) : null}
          {a.city}
          <br />
          <bdi>{digits(lang, a.postcode)}</bdi>
        </>
      );
    }
    case 'file': {
      const file = answer as FileAnswer;
      const size = `${formatNumber(lang, Math.max(1, Math.round(file.size / 1024)))} ${lang === 'fa' ? 'کیلوبایت' : 'KB'}`;
      return fileHref ? (
        <>
          <a href={fileHref(file.fileId)}>
            <bdi>{file.name}</bdi>
          </a>{' '}
          ({size})
        </>
      ) : (
        <>
          <bdi>{file.name}</bdi> ({size})
        </>
      );
    }
    default:
      return <span class="pre-line">{String(answer)}</span>;
  }
}

function Err({ id, message, lang }: { id: string; message?: string; lang: Lang }) {
  return message ? (
    <p class="error-message" id={`${id}-error`}>
      <span class="visually-hidden">{lang === 'fa' ? 'خطا:' : 'Error:'} </span>
      {message}
    </p>
  ) : null;
}

const optionalMark = (f: FormField, lang: Lang) => (f.optional ? (lang === 'fa' ? ' (اختیاری)' : ' (optional)') : '');

/** One field. `heading`: the page asks only this, so its label or legend is the page's h1. */
export function Field({ f, raw, error, lang, heading }: { f: FormField; raw: Raw; error?: string; lang: Lang; heading: boolean }) {
  const label = `${pick(f.label, lang)}${optionalMark(f, lang)}`;
  const hint = f.hint ? pick(f.hint, lang) : '';
  const hintId = `${f.name}-hint`;
  const describedBy = [hint ? hintId : '', error ? `${f.name}-error` : ''].filter(Boolean).join(' ') || undefined;
  const Hint = () =>
    hint ? (
      <p class="hint" id={hintId}>
        {hint}
      </p>
    ) : null;
  const Label = ({ forId }: { forId: string }) =>
    heading ? (
      <h1 class="label-heading">
        <label class="label label-large" for={forId}>
          {label}
        </label>
      </h1>
    ) : (
      <label class="label" for={forId}>
        {label}
      </label>
    );
  const Legend = () => <legend class={heading ? 'legend-heading' : 'label'}>{heading ? <h1>{label}</h1> : label}</legend>;
  const group = (children: ComponentChildren) => (
    <div class={`field${error ? ' field-error' : ''}`}>
      <fieldset class="plain-fieldset" aria-describedby={describedBy}>
        <Legend />
        <Hint />
        <Err id={f.name} message={error} lang={lang} />
        {children}
      </fieldset>
    </div>
  );
  const ltr = ['national-id', 'mobile', 'postcode', 'email', 'number'].includes(f.type);

  switch (f.type) {
    case 'textarea':
      return (
        <div class={`field${error ? ' field-error' : ''}`}>
          <Label forId={f.name} />
          <Hint />
          <Err id={f.name} message={error} lang={lang} />
          <textarea
            class={`input textarea input-wide${error ? ' input-error' : ''}`}
            id={f.name}
            name={f.name}
            rows={5}
            aria-describedby={describedBy}
            aria-invalid={error ? 'true' : undefined}
            maxLength={f.maxLength ?? 2000}
          >
            {s(raw[f.name])}
          </textarea>
        </div>
      );
    case 'select':
      return (
        <div class={`field${error ? ' field-error' : ''}`}>
          <Label forId={f.name} />
          <Hint />
          <Err id={f.name} message={error} lang={lang} />
          <select
            class={`input input-medium${error ? ' input-error' : ''}`}
            id={f.name}
            name={f.name}
            aria-describedby={describedBy}
            aria-invalid={error ? 'true' : undefined}
          >
            <option value="">{lang === 'fa' ? 'انتخاب کنید' : 'Choose'}</option>
            {(f.options ?? []).map((o) => (
              <option value={o.value} selected={s(raw[f.name]) === o.value}>
                {pick(o.label, lang)}
              </option>
            ))}
          </select>
        </div>
      );
    case 'radio':
    case 'checkboxes': {
      const chosen = Array.isArray(raw[f.name]) ? (raw[f.name] as string[]) : raw[f.name] === undefined ? [] : [s(raw[f.name])];
      return group(
        (f.options ?? []).map((o) => (
          <div class="checkbox">
            <input
              type={f.type === 'radio' ? 'radio' : 'checkbox'}
              id={`${f.name}-${o.value}`}
              name={f.name}
              value={o.value}
              checked={chosen.includes(o.value)}
            />
            <label for={`${f.name}-${o.value}`}>{pick(o.label, lang)}</label>
          </div>
        )),
      );
    }
    case 'date': {
      const part = (p: 'day' | 'month' | 'year', text: string, width: string) => (
        <div class="date-part">
          <label class="label" for={`${f.name}-${p}`}>
            {text}
          </label>
          <input
            class={`input ${width}${error ? ' input-error' : ''}`}
            id={`${f.name}-${p}`}
            name={`${f.name}-${p}`}
            value={s(raw[`${f.name}-${p}`])}
            inputMode="numeric"
            dir="ltr"
            autocomplete="off"
            maxLength={p === 'year' ? 4 : 2}
          />
        </div>
      );
      return group(
        <>
          <p class="hint" id={`${f.name}-format`}>
            {lang === 'fa' ? 'به تاریخ خورشیدی، برای نمونه ۲۷ ۳ ۱۳۷۰' : 'For example, 27 3 1991'}
          </p>
          <input type="hidden" name={`${f.name}-calendar`} value={lang === 'fa' ? 'jalali' : 'gregorian'} />
          <div class="date-input">
            {part('day', lang === 'fa' ? 'روز' : 'Day', 'input-2')}
            {part('month', lang === 'fa' ? 'ماه' : 'Month', 'input-2')}
            {part('year', lang === 'fa' ? 'سال' : 'Year', 'input-4')}
          </div>
        </>,
      );
    }
    case 'address': {
      const line = (p: string, text: string, cls = 'input-wide', auto?: string, isLtr = false) => (
        <div class="field">
          <label class="label" for={`${f.name}-${p}`}>
            {text}
          </label>
          <input
            class={`input ${cls}${error ? ' input-error' : ''}`}
            id={`${f.name}-${p}`}
            name={`${f.name}-${p}`}
            value={s(raw[`${f.name}-${p}`])}
            autocomplete={auto}
            dir={isLtr ? 'ltr' : undefined}
            inputMode={isLtr ? 'numeric' : undefined}
          />
        </div>
      );
      return group(
        <>
          {line('line1', lang === 'fa' ? 'خیابان، کوچه و پلاک' : 'Street and building number', 'input-wide', 'address-line1')}
          {line('line2', lang === 'fa' ? 'واحد، طبقه (اختیاری)' : 'Flat, floor (optional)', 'input-wide', 'address-line2')}
          {line('city', lang === 'fa' ? 'شهر' : 'Town or city', 'input-medium', 'address-level2')}
          {line('postcode', lang === 'fa' ? 'کد پستی ۱۰ رقمی' : '10-digit postcode', 'input-medium', 'postal-code', true)}
        </>,
      );
    }
    case 'file': {
      const kinds = (f.accept ?? []).map((k) => k.toUpperCase()).join(lang === 'fa' ? '، ' : ', ');
      const mb = formatNumber(lang, Math.round(((f.maxBytes ?? 0) / 1024 / 1024) * 10) / 10);
      const current = raw.__file as FileAnswer | undefined;
      return (
        <div class={`field${error ? ' field-error' : ''}`}>
          <Label forId={f.name} />
          <p class="hint" id={hintId}>
            {hint ? `${hint} ` : ''}
            {lang === 'fa' ? `نوع پرونده: ${kinds}؛ حداکثر ${mb} مگابایت.` : `File type: ${kinds}; up to ${mb} MB.`}
            {current
              ? lang === 'fa'
                ? ` پرونده کنونی: ${current.name}. برای نگه داشتن آن، پرونده تازه‌ای انتخاب نکنید.`
                : ` Current file: ${current.name}. To keep it, do not choose a new file.`
              : ''}
          </p>
          <Err id={f.name} message={error} lang={lang} />
          <input
            class={`input-file${error ? ' input-error' : ''}`}
            type="file"
            id={f.name}
            name={f.name}
            accept={(f.accept ?? [])
              .map((k) => (k === 'pdf' ? '.pdf,application/pdf' : k === 'png' ? '.png,image/png' : '.jpg,.jpeg,image/jpeg'))
              .join(',')}
            aria-describedby={[hintId, error ? `${f.name}-error` : ''].filter(Boolean).join(' ')}
          />
        </div>
      );
    }
    default: {
      const type = f.type === 'email' ? 'email' : f.type === 'mobile' ? 'tel' : 'text';
      const auto = f.type === 'email' ? 'email' : f.type === 'mobile' ? 'tel' : f.type === 'postcode' ? 'postal-code' : undefined;
      const mode =
        f.type === 'number' || f.type === 'national-id' || f.type === 'postcode' ? 'numeric' : f.type === 'mobile' ? 'tel' : undefined;
      return (
        <div class={`field${error ? ' field-error' : ''}`}>
          <Label forId={f.name} />
          <Hint />
          <Err id={f.name} message={error} lang={lang} />
          <input
            class={`input ${ltr ? 'input-medium' : 'input-wide'}${error ? ' input-error' : ''}`}
            id={f.name}
            name={f.name}
            type={type}
            value={s(raw[f.name])}
            autocomplete={auto}
            inputMode={mode}
            aria-describedby={describedBy}
            aria-invalid={error ? 'true' : undefined}
            dir={ltr ? 'ltr' : undefined}
            spellcheck={f.type === 'text' ? undefined : false}
          />
        </div>
      );
    }
  }
}
