// The inputs of a question page, one component per field type, in the GOV.UK pattern: label (or
// legend) as the heading when the page asks one thing, hint, error message, and the input.
import type { ComponentChildren } from 'preact';
import { catalogue, digits, formatDate, formatNumber, type Lang } from '../../../platform/i18n.ts';
import {
  Checkboxes,
  DateInput,
  Fieldset,
  FileUpload,
  Radios,
  Select,
  Textarea,
  TextField,
  type InputWidth,
} from '../../../web/components.tsx';
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

const words = catalogue({
  street: { fa: 'خیابان، کوچه و پلاک', en: 'Street and building number' },
  flat: { fa: 'واحد، طبقه (اختیاری)', en: 'Flat, floor (optional)' },
  city: { fa: 'شهر', en: 'Town or city' },
  postcode: { fa: 'کد پستی ۱۰ رقمی', en: '10-digit postcode' },
  fileKinds: { fa: 'نوع پرونده: {kinds}؛ حداکثر {mb} مگابایت.', en: 'File type: {kinds}; up to {mb} MB.' },
  listComma: { fa: '، ', en: ', ' },
  currentFile: {
    fa: ' پرونده کنونی: {name}. برای نگه داشتن آن، پرونده تازه‌ای انتخاب نکنید.',
    en: ' Current file: {name}. To keep it, do not choose a new file.',
  },
});

const ACCEPT: Record<string, string> = { pdf: '.pdf,application/pdf', png: '.png,image/png' };

/**
 * One field, on the shared components (src/web/components). `heading`: the page asks only this, so its
 * label or legend is the page's h1. Ids follow anchorOf (validate.ts): a date's day input, a group's
 * first option, an address's first line.
 */
export function Field({ f, raw, error, lang, heading }: { f: FormField; raw: Raw; error?: string; lang: Lang; heading: boolean }) {
  const m = words(lang);
  const base = {
    lang,
    id: f.name,
    label: pick(f.label, lang),
    hint: f.hint ? pick(f.hint, lang) : undefined,
    error,
    heading,
    optional: f.optional,
  };
  const options = (f.options ?? []).map((o) => ({ value: o.value, label: pick(o.label, lang) }));
  const ltr = ['national-id', 'mobile', 'postcode', 'email', 'number'].includes(f.type);

  switch (f.type) {
    case 'textarea':
      return <Textarea {...base} value={s(raw[f.name])} maxLength={f.maxLength ?? 2000} />;
    case 'select':
      return <Select {...base} options={options} value={s(raw[f.name])} />;
    case 'radio':
      return <Radios {...base} options={options} value={raw[f.name] === undefined ? undefined : s(raw[f.name])} />;
    case 'checkboxes': {
      const chosen = Array.isArray(raw[f.name]) ? (raw[f.name] as string[]) : raw[f.name] === undefined ? [] : [s(raw[f.name])];
      return <Checkboxes {...base} options={options} values={chosen} />;
    }
    case 'date':
      return (
        <DateInput {...base} value={{ day: s(raw[`${f.name}-day`]), month: s(raw[`${f.name}-month`]), year: s(raw[`${f.name}-year`]) }} />
      );
    case 'address': {
      const line = (p: string, text: string, width: InputWidth, auto?: string, isLtr = false) => (
        <TextField
          lang={lang}
          id={`${f.name}-${p}`}
          label={text}
          value={s(raw[`${f.name}-${p}`])}
          width={width}
          autocomplete={auto}
          dir={isLtr ? 'ltr' : undefined}
          inputMode={isLtr ? 'numeric' : undefined}
          invalid={!!error}
        />
      );
      return (
        <Fieldset {...base}>
          {line('line1', m('street'), 'wide', 'address-line1')}
          {line('line2', m('flat'), 'wide', 'address-line2')}
          {line('city', m('city'), 'medium', 'address-level2')}
          {line('postcode', m('postcode'), 'medium', 'postal-code', true)}
        </Fieldset>
      );
    }
    case 'file': {
      const kinds = (f.accept ?? []).map((k) => k.toUpperCase()).join(m('listComma'));
      const mb = formatNumber(lang, Math.round(((f.maxBytes ?? 0) / 1024 / 1024) * 10) / 10);
      const current = raw.__file as FileAnswer | undefined;
      return (
        <FileUpload
          {...base}
          hint={
            <>
              {base.hint ? `${base.hint} ` : ''}
              {m('fileKinds', { kinds, mb })}
              {current ? m('currentFile', { name: current.name }) : ''}
            </>
          }
          accept={(f.accept ?? []).map((k) => ACCEPT[k] ?? '.jpg,.jpeg,image/jpeg').join(',')}
        />
      );
    }
    default: {
      const type = f.type === 'email' ? 'email' : f.type === 'mobile' ? 'tel' : 'text';
      const auto = f.type === 'email' ? 'email' : f.type === 'mobile' ? 'tel' : f.type === 'postcode' ? 'postal-code' : undefined;
      const mode =
        f.type === 'number' || f.type === 'national-id' || f.type === 'postcode' ? 'numeric' : f.type === 'mobile' ? 'tel' : undefined;
      return (
        <TextField
          {...base}
          type={type}
          value={s(raw[f.name])}
          autocomplete={auto}
          inputMode={mode}
          width={ltr ? 'medium' : 'wide'}
          dir={ltr ? 'ltr' : undefined}
          spellcheck={f.type === 'text' ? undefined : false}
        />
      );
    }
  }
}
