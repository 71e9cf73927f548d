// The agency's own deadlines for citizens' requests, per kind, in working days (its admin sets them; an
// empty field is the platform's default: FOI 10 working days by the FOI law, complaints and demands 15).
import { formatNumber, tr, type Lang } from '../../../platform/i18n.ts';
import type { CitizenRequestKind } from '../../../db/schema.ts';
import { ErrorSummary, TextInput } from '../../../web/components.tsx';
import { Layout } from '../../../web/layout.tsx';
import { KIND_NAME, KINDS } from '../requests.text.ts';
import { other, type Errors } from './controls.tsx';

export function DeadlinesPage(p: {
  lang: Lang;
  csrf: string;
  agency: string;
  deadlines: Record<CitizenRequestKind, { days: number; own: boolean }>;
  errors: Errors;
  saved: boolean;
}) {
  const { lang, errors } = p;
  const path = `/${lang}/staff/requests/deadlines`;
  const title = tr(lang, 'مهلت پاسخ به درخواست‌های مردمی', 'Deadlines for citizens’ requests');
  const list = Object.entries(errors).map(([field, message]) => ({ field, message }));
  return (
    <Layout lang={lang} title={title} altPath={other(lang, path)} hasError={list.length > 0}>
      <p>
        <a href={`/${lang}/staff/requests`}>{tr(lang, 'بازگشت به صف', 'Back to the queue')}</a>
      </p>
      <ErrorSummary lang={lang} errors={list} />
      <h1>{title}</h1>
      <p dir="auto">{p.agency}</p>
      {p.saved ? (
        <p class="notice" role="status">
          {tr(
            lang,
            'ذخیره شد. درخواست‌های تازه و انتقال‌یافته با این مهلت‌ها سنجیده می‌شوند.',
            'Saved. New and transferred requests use these deadlines.',
          )}
        </p>
      ) : null}
      <form method="post" action={path} novalidate>
        <input type="hidden" name="_csrf" value={p.csrf} />
        {KINDS.map((k) => (
          <TextInput
            id={`days-${k}`}
            label={tr(lang, `${KIND_NAME[k].fa} (روز کاری)`, `${KIND_NAME[k].en} (working days)`)}
            hint={tr(
              lang,
              `خالی: پیش‌فرض. اکنون ${formatNumber(lang, p.deadlines[k].days)} روز${p.deadlines[k].own ? '' : ' (پیش‌فرض)'}`,
              `Empty: the default. Now ${p.deadlines[k].days} days${p.deadlines[k].own ? '' : ' (the default)'}`,
            )}
            value={p.deadlines[k].own ? String(p.deadlines[k].days) : ''}
            error={errors[`days-${k}`]}
            inputMode="numeric"
          />
        ))}
        <button class="button" type="submit">
          {tr(lang, 'ذخیره', 'Save')}
        </button>
      </form>
    </Layout>
  );
}
