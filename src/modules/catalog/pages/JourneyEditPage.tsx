// The editor's page for a life event's steps (/{lang}/staff/life-events/{code}): one fieldset per step
// (how it follows the one before, its title and note in both languages, the services it names by their
// address), two empty steps to add more; a step left empty is dropped.
import { formatNumber, tr, type Lang } from '../../../platform/i18n.ts';
import { ErrorSummary, type FieldError } from '../../../web/components.tsx';
import { Layout } from '../../../web/layout.tsx';
import { LIFE_EVENTS } from '../catalog.taxonomy.ts';
import type { StepInput } from '../journey.repository.ts';

export function JourneyIndexPage({ lang }: { lang: Lang }) {
  const title = tr(lang, 'مسیرهای رویدادهای زندگی', 'Life-event journeys');
  return (
    <Layout lang={lang} title={title} altPath={`/${lang === 'fa' ? 'en' : 'fa'}/staff/life-events`}>
      <h1>{title}</h1>
      <ul>
        {LIFE_EVENTS.map((e) => (
          <li>
            <a href={`/${lang}/staff/life-events/${e.code}`}>{e.name[lang]}</a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export function JourneyEditPage({
  lang,
  code,
  name,
  steps,
  csrf,
  errors = [],
  done,
}: {
  lang: Lang;
  code: string;
  name: string;
  steps: StepInput[];
  csrf: string;
  errors?: FieldError[];
  done?: boolean;
}) {
  const other: Lang = lang === 'fa' ? 'en' : 'fa';
  const title = tr(lang, `گام‌های «${name}»`, `Steps of "${name}"`);
  const rows: StepInput[] = [
    ...steps,
    ...Array.from({ length: 2 }, () => ({ connector: 'then' as const, title: { fa: '', en: '' }, note: null, serviceSlugs: [] })),
  ];
  const err = (id: string) => errors.find((e) => e.field === id)?.message;
  const field = (id: string, label: string, value: string, dir: 'rtl' | 'ltr', long = false) => (
    <div class={err(id) ? 'field field-error' : 'field'}>
      <label class="label" for={id}>
        {label}
      </label>
      {err(id) ? (
        <p class="error-message" id={`${id}-error`}>
          <span class="visually-hidden">{tr(lang, 'خطا: ', 'Error: ')}</span>
          {err(id)}
        </p>
      ) : null}
      {long ? (
        <textarea
          class="input input-wide textarea"
          id={id}
          name={id}
          rows={2}
          dir={dir}
          aria-describedby={err(id) ? `${id}-error` : undefined}
        >
          {value}
        </textarea>
      ) : (
        <input class="input input-wide" id={id} name={id} value={value} dir={dir} aria-describedby={err(id) ? `${id}-error` : undefined} />
      )}
    </div>
  );
  return (
    <Layout lang={lang} title={title} altPath={`/${other}/staff/life-events/${code}`} hasError={errors.length > 0}>
      <a class="back-link" href={`/${lang}/staff/life-events`}>
        {tr(lang, 'همهٔ رویدادهای زندگی', 'All life events')}
      </a>
      <ErrorSummary lang={lang} errors={errors} />
      {done ? (
        <div class="notice" role="status">
          <p>{tr(lang, 'گام‌ها ذخیره شد.', 'The steps are saved.')}</p>
        </div>
      ) : null}
      <h1>{title}</h1>
      <p>
        <a href={`/${lang}/life-events/${code}`}>{tr(lang, 'دیدن مسیر همان‌طور که مردم می‌بینند', 'See the journey as people see it')}</a>
      </p>
      <form method="post" action={`/${lang}/staff/life-events/${code}`} novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        {rows.map((s, i) => {
          const p = `step${i + 1}`;
          return (
            <fieldset class="fieldset">
              <legend>{tr(lang, `گام ${formatNumber(lang, i + 1)}`, `Step ${i + 1}`)}</legend>
              <div class="field">
                <label class="label" for={`${p}-connector`}>
                  {tr(lang, 'نسبت با گام پیش', 'How it follows the step before')}
                </label>
                <select class="select" id={`${p}-connector`} name={`${p}-connector`}>
                  {(
                    [
                      ['then', tr(lang, 'پس از آن (گام تازه)', 'After it (a new step)')],
                      ['and', tr(lang, 'و (هم‌زمان با آن)', 'And (alongside it)')],
                      ['or', tr(lang, 'یا (به جای آن)', 'Or (instead of it)')],
                    ] as const
                  ).map(([v, l]) => (
                    <option value={v} selected={s.connector === v}>
                      {l}
                    </option>
                  ))}
                </select>
              </div>
              {field(`${p}-title-fa`, tr(lang, 'عنوان به فارسی', 'Title in Persian'), s.title.fa, 'rtl')}
              {field(`${p}-title-en`, tr(lang, 'عنوان به انگلیسی', 'Title in English'), s.title.en, 'ltr')}
              {field(`${p}-note-fa`, tr(lang, 'توضیح به فارسی (اختیاری)', 'Note in Persian (optional)'), s.note?.fa ?? '', 'rtl', true)}
              {field(`${p}-note-en`, tr(lang, 'توضیح به انگلیسی (اختیاری)', 'Note in English (optional)'), s.note?.en ?? '', 'ltr', true)}
              {field(
                `${p}-services`,
                tr(lang, 'نشانی خدمت‌ها در کاتالوگ (با فاصله جدا کنید)', 'Services, by their catalogue address (separate with spaces)'),
                s.serviceSlugs.join(' '),
                'ltr',
              )}
            </fieldset>
          );
        })}
        <button class="button" type="submit">
          {tr(lang, 'ذخیره گام‌ها', 'Save the steps')}
        </button>
      </form>
    </Layout>
  );
}
