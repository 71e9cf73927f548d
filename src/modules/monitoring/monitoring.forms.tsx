// Staff monitoring pages that are forms: a new round, and an assessor's answer to one indicator.
import type { Lang } from '../../platform/i18n.ts';
import { formatNumber, tr } from '../../platform/i18n.ts';
import { ErrorSummary, TextInput, type FieldError } from '../../web/components.tsx';
import { Layout } from '../../web/layout.tsx';
import type { AgencyRow } from '../catalog/catalog.repository.ts';
import type { AnswerRow, EvidenceMeta, RoundRow, SetRow } from './monitoring.repository.ts';
import type { Indicator } from './monitoring.schema.ts';
import { L, other, plain } from './monitoring.view.tsx';

const errOf = (errors: FieldError[], f: string) => errors.find((e) => e.field === f)?.message;

function ErrorText({ id, text }: { id: string; text?: string }) {
  return text ? (
    <p class="error-message" id={`${id}-error`}>
      {text}
    </p>
  ) : null;
}

export function NewRoundPage(p: {
  lang: Lang;
  csrf: string;
  sets: SetRow[];
  agencies: AgencyRow[];
  values: Record<string, string | string[]>;
  errors: FieldError[];
}) {
  const { lang, values, errors } = p;
  const chosen = new Set([values.agencies ?? []].flat());
  const title = tr(lang, 'دوره ارزیابی تازه', 'New evaluation round');
  const v = (k: string) => String(values[k] ?? '');
  return (
    <Layout lang={lang} title={title} altPath={`/${other(lang)}/staff/monitoring/rounds/new`} hasError={errors.length > 0}>
      <a class="back-link" href={`/${lang}/staff/monitoring`}>
        {tr(lang, 'بازگشت', 'Back')}
      </a>
      <ErrorSummary lang={lang} errors={errors} />
      <h1>{title}</h1>
      <form method="post" action={`/${lang}/staff/monitoring/rounds/new`} novalidate>
        <input type="hidden" name="_csrf" value={p.csrf} />
        <TextInput
          id="titleFa"
          label={tr(lang, 'عنوان به فارسی', 'Title in Persian')}
          hint={tr(lang, 'مثلاً: ارزیابی ۱۴۰۴، نیمه نخست', 'For example: ارزیابی ۱۴۰۴، نیمه نخست')}
          value={v('titleFa')}
          error={errOf(errors, 'titleFa')}
          width="wide"
        />
        <TextInput
          id="titleEn"
          label={tr(lang, 'عنوان به انگلیسی', 'Title in English')}
          hint={tr(lang, 'مثلاً: 1404, first half', 'For example: 1404, first half')}
          value={v('titleEn')}
          error={errOf(errors, 'titleEn')}
          width="wide"
        />
        <TextInput
          id="slug"
          label={tr(lang, 'نام کوتاه برای نشانی', 'Short name for the address')}
          hint={tr(lang, 'حروف کوچک لاتین، رقم و خط تیره؛ مثلاً 1404-h1', 'Lower-case letters, digits and dashes, like 1404-h1')}
          value={v('slug')}
          error={errOf(errors, 'slug')}
        />
        <TextInput
          id="cutoff"
          type="date"
          label={tr(lang, 'تاریخ برش (میلادی)', 'Cut-off date')}
          hint={tr(
            lang,
            'شاخص‌های خودکار از داده‌های پنجره تا پایان این روز حساب می‌شوند',
            'Automatic indicators use platform data up to the end of this day',
          )}
          value={v('cutoff')}
          error={errOf(errors, 'cutoff')}
        />
        <fieldset class="plain-fieldset" aria-describedby={errOf(errors, 'setKey') ? 'setKey-error' : undefined}>
          <legend class="label">{tr(lang, 'مجموعه شاخص', 'Indicator set')}</legend>
          <ErrorText id="setKey" text={errOf(errors, 'setKey')} />
          {p.sets.map((s, i) => (
            <div class="checkbox">
              <input
                type="radio"
                id={i === 0 ? 'setKey' : `setKey-${s.key}`}
                name="setKey"
                value={s.key}
                checked={v('setKey') ? v('setKey') === s.key : i === 0}
              />
              <label for={i === 0 ? 'setKey' : `setKey-${s.key}`}>
                {plain(s.name, lang)} ({tr(lang, 'نسخه', 'version')} {formatNumber(lang, s.version)})
              </label>
            </div>
          ))}
        </fieldset>
        <fieldset class="plain-fieldset" aria-describedby={errOf(errors, 'agencies') ? 'agencies-error' : undefined}>
          <legend class="label">{tr(lang, 'دستگاه‌ها', 'Agencies')}</legend>
          <ErrorText id="agencies" text={errOf(errors, 'agencies')} />
          {p.agencies.map((a, i) => (
            <div class="checkbox">
              <input
                type="checkbox"
                id={i === 0 ? 'agencies' : `agency-${a.id}`}
                name="agencies"
                value={a.id}
                checked={values.agencies === undefined || chosen.has(a.id)}
              />
              <label for={i === 0 ? 'agencies' : `agency-${a.id}`}>{plain(a.name, lang)}</label>
            </div>
          ))}
        </fieldset>
        <div class="field">
          <label class="label" for="portals">
            {tr(lang, 'درگاه‌های دیگر، مانند درگاه شهرها (اختیاری)', 'Other portals, such as city portals (optional)')}
          </label>
          <p class="hint" id="portals-hint">
            {tr(lang, 'هر درگاه در یک سطر: نام | https://نشانی', 'One per line: name | https://address')}
          </p>
          <ErrorText id="portals" text={errOf(errors, 'portals')} />
          <textarea class="input input-wide textarea" id="portals" name="portals" aria-describedby="portals-hint" dir="auto">
            {v('portals')}
          </textarea>
        </div>
        <button class="button" type="submit">
          {tr(lang, 'ساختن دوره', 'Create the round')}
        </button>
      </form>
    </Layout>
  );
}

export function AnswerPage(p: {
  lang: Lang;
  csrf: string;
  round: RoundRow;
  subjectName: string;
  base: string;
  ind: Indicator;
  answer?: AnswerRow;
  files: EvidenceMeta[];
  values?: Record<string, string>;
  errors: FieldError[];
  maxMb: number;
}) {
  const { lang, ind, answer, errors } = p;
  const values = p.values ?? {
    value:
      answer?.value === null || answer?.value === undefined
        ? ''
        : ind.type === 'yesno'
          ? answer.value
            ? 'yes'
            : 'no'
          : String(answer.value),
    note: answer?.note ?? '',
    link: answer?.link ?? '',
  };
  const question = plain(ind.description, lang);
  const hint =
    ind.type === 'scale'
      ? tr(lang, `عددی درست از ${ind.rule.min} تا ${ind.rule.max}`, `A whole number from ${ind.rule.min} to ${ind.rule.max}`)
      : ind.type === 'percentage'
        ? tr(lang, 'درصدی از ۰ تا ۱۰۰', 'A percentage from 0 to 100')
        : tr(lang, 'یک عدد', 'A number');
  const proposed = answer?.state === 'proposed';
  return (
    <Layout
      lang={lang}
      title={question}
      altPath={`/${other(lang)}${p.base.slice(3)}/indicators/${encodeURIComponent(ind.code)}`}
      hasError={errors.length > 0}
    >
      <a class="back-link" href={p.base}>
        {tr(lang, 'بازگشت', 'Back')}
      </a>
      <ErrorSummary lang={lang} errors={errors} />
      <p class="muted">
        {p.subjectName} · <bdi>{ind.code}</bdi>
      </p>
      {proposed ? (
        <p class="notice">
          {tr(
            lang,
            'این پاسخ را بررسی خودکار درگاه پیشنهاد کرده است. درستی آن را بسنجید و تأیید کنید.',
            'An automated portal check proposed this answer. Check it and confirm.',
          )}
        </p>
      ) : null}
      <form method="post" action={`${p.base}/indicators/${encodeURIComponent(ind.code)}`} enctype="multipart/form-data" novalidate>
        <input type="hidden" name="_csrf" value={p.csrf} />
        {ind.type === 'yesno' ? (
          <fieldset class="plain-fieldset" aria-describedby={errOf(errors, 'value') ? 'value-error' : undefined}>
            <legend>
              <h1>
                <L text={ind.description} lang={lang} />
              </h1>
            </legend>
            <ErrorText id="value" text={errOf(errors, 'value')} />
            <div class="checkbox">
              <input type="radio" id="value" name="value" value="yes" checked={values.value === 'yes'} />
              <label for="value">{tr(lang, 'بله', 'Yes')}</label>
            </div>
            <div class="checkbox">
              <input type="radio" id="value-no" name="value" value="no" checked={values.value === 'no'} />
              <label for="value-no">{tr(lang, 'خیر', 'No')}</label>
            </div>
          </fieldset>
        ) : (
          <div class="field">
            <h1>
              <label for="value">
                <L text={ind.description} lang={lang} />
              </label>
            </h1>
            <p class="hint" id="value-hint">
              {hint}
            </p>
            <ErrorText id="value" text={errOf(errors, 'value')} />
            <input
              class={`input input-narrow${errOf(errors, 'value') ? ' input-error' : ''}`}
              id="value"
              name="value"
              inputMode="decimal"
              value={values.value}
              aria-describedby={errOf(errors, 'value') ? 'value-hint value-error' : 'value-hint'}
              dir="ltr"
            />
          </div>
        )}
        <h2>{tr(lang, 'مستند', 'Evidence')}</h2>
        <p>
          {tr(lang, 'دست‌کم یکی از این‌ها را بدهید: یادداشت، پیوند یا پرونده.', 'Give at least one of these: a note, a link or a file.')}
        </p>
        <div class="field">
          <label class="label" for="note">
            {tr(lang, 'یادداشت (اختیاری)', 'Note (optional)')}
          </label>
          <ErrorText id="note" text={errOf(errors, 'note')} />
          <textarea
            class="input input-wide textarea"
            id="note"
            name="note"
            dir="auto"
            aria-describedby={errOf(errors, 'note') ? 'note-error' : undefined}
          >
            {values.note}
          </textarea>
        </div>
        <TextInput
          id="link"
          type="url"
          label={tr(lang, 'پیوند (اختیاری)', 'Link (optional)')}
          hint={tr(lang, 'نشانی صفحه‌ای که پاسخ را نشان می‌دهد', 'The address of a page that shows the answer')}
          value={values.link}
          error={errOf(errors, 'link')}
          width="wide"
        />
        <div class="field">
          <label class="label" for="file">
            {tr(lang, 'پرونده (اختیاری)', 'File (optional)')}
          </label>
          <p class="hint" id="file-hint">
            {tr(
              lang,
              `PDF، PNG، JPEG، متن یا CSV، کوچک‌تر از ${formatNumber(lang, p.maxMb)} مگابایت`,
              `PDF, PNG, JPEG, text or CSV, smaller than ${p.maxMb} MB`,
            )}
          </p>
          <ErrorText id="file" text={errOf(errors, 'file')} />
          <input
            class="input"
            type="file"
            id="file"
            name="file"
            accept=".pdf,.png,.jpg,.jpeg,.txt,.csv"
            aria-describedby={errOf(errors, 'file') ? 'file-hint file-error' : 'file-hint'}
          />
        </div>
        {p.files.length ? (
          <ul>
            {p.files.map((f) => (
              <li>
                <a href={`/${lang}/staff/monitoring/evidence/${f.id}`}>{f.filename}</a> ({formatNumber(lang, Math.ceil(f.size / 1024))} KB)
              </li>
            ))}
          </ul>
        ) : null}
        <button class="button" type="submit">
          {proposed ? tr(lang, 'تأیید و ذخیره', 'Confirm and save') : tr(lang, 'ذخیره', 'Save')}
        </button>
      </form>
    </Layout>
  );
}
