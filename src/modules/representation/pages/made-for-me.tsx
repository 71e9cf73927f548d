// /{lang}/account/representation/made-for-me: the applications an attorney made in the citizen's name
// ("made for you by the holder of national ID X, as your attorney"), each with a way to object; and the
// objection page (one thing per page: the reason, required). Works without JavaScript (form POST).
import { digits, formatDate, tr, type Lang } from '../../../platform/i18n.ts';
import { Breadcrumbs, ErrorSummary } from '../../../web/components.tsx';
import { Layout } from '../../../web/layout.tsx';
import { StatusTag } from '../../applications/pages/common.tsx';
import type { MadeForMe } from '../principal.service.ts';
import { OBJECTION_MAX } from '../principal.service.ts';

const other = (lang: Lang) => (lang === 'fa' ? 'en' : 'fa');
const TITLE = { fa: 'درخواست‌هایی که دیگران به نام شما ثبت کرده‌اند', en: 'Applications others made in your name' };
const by = (lang: Lang, m: MadeForMe) => (
  <>
    {tr(lang, 'ثبت‌شده برای شما به دست دارنده کد ملی ', 'Made for you by the holder of national ID ')}
    <bdi>{digits(lang, m.record.applicant_national_id)}</bdi>
    {tr(
      lang,
      '، به عنوان وکیل شما (وکالت‌نامه رسمی، تأییدشده در ثبت)',
      ', as your attorney (a registered power of attorney, confirmed with the registry)',
    )}
  </>
);

export function MadeForMePage({ lang, items, notice }: { lang: Lang; items: MadeForMe[]; notice?: string }) {
  const title = tr(lang, TITLE.fa, TITLE.en);
  return (
    <Layout lang={lang} title={title} altPath={`/${other(lang)}/account/representation/made-for-me`}>
      <Breadcrumbs
        lang={lang}
        items={[
          { href: `/${lang}/account`, label: tr(lang, 'حساب من', 'Your account') },
          { href: `/${lang}/account/representation`, label: tr(lang, 'برای چه کسانی می‌توانید درخواست بدهید', 'Who you can apply for') },
          { label: title },
        ]}
      />
      <h1>{title}</h1>
      {notice ? (
        <div class="notice" role="status">
          <p>{notice}</p>
        </div>
      ) : null}
      {items.length ? (
        <ul class="list">
          {items.map((m) => (
            <li>
              <h2>
                <bdi>{m.service[lang] || m.service.fa}</bdi>
              </h2>
              <p>
                {tr(lang, 'شماره پیگیری: ', 'Reference: ')}
                <bdi dir="ltr">{m.application.reference ?? '–'}</bdi> · <StatusTag status={m.application.status} lang={lang} /> ·{' '}
                {formatDate(lang, m.application.submitted_at ?? m.application.created_at)}
              </p>
              <p>{by(lang, m)}</p>
              {m.objected ? (
                <p>
                  {tr(
                    lang,
                    'به این درخواست اعتراض کرده‌اید؛ اعتراض شما به دستگاه رسیده است.',
                    'You objected to this application; the agency has your objection.',
                  )}
                </p>
              ) : (
                <p>
                  <a href={`/${lang}/account/representation/made-for-me/${m.application.id}/object`}>
                    {tr(lang, 'اعتراض به این درخواست', 'Object to this application')}
                    <span class="visually-hidden"> ({m.application.reference ?? ''})</span>
                  </a>
                </p>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p>{tr(lang, 'کسی به نام شما درخواستی ثبت نکرده است.', 'Nobody has made an application in your name.')}</p>
      )}
    </Layout>
  );
}

export function ObjectPage(p: { lang: Lang; csrf: string; made: MadeForMe; reason?: string; problem?: string }) {
  const { lang, made } = p;
  const title = tr(lang, 'چرا به این درخواست اعتراض دارید؟', 'Why do you object to this application?');
  const base = `/${lang}/account/representation/made-for-me`;
  return (
    <Layout
      lang={lang}
      title={title}
      altPath={`/${other(lang)}/account/representation/made-for-me/${made.application.id}/object`}
      hasError={!!p.problem}
    >
      <p>
        <a href={base} class="back-link">
          {tr(lang, 'بازگشت', 'Back')}
        </a>
      </p>
      <ErrorSummary lang={lang} errors={p.problem ? [{ field: 'reason', message: p.problem }] : []} />
      <form method="post" action={`${base}/${made.application.id}/object`} novalidate>
        <input type="hidden" name="_csrf" value={p.csrf} />
        <div class={`field${p.problem ? ' field-error' : ''}`}>
          <h1>
            <label for="reason">{title}</label>
          </h1>
          <p class="hint" id="reason-hint">
            <bdi>{made.service[lang] || made.service.fa}</bdi>
            {tr(lang, '، شماره پیگیری ', ', reference ')}
            <bdi dir="ltr">{made.application.reference ?? '–'}</bdi>. {by(lang, made)}.{' '}
            {tr(
              lang,
              'اعتراض شما در پرونده درخواست ثبت و به کارشناس دستگاه نشان داده می‌شود. وکالت‌نامه را فقط در دفتر اسناد رسمی می‌توانید عزل کنید.',
              'Your objection is recorded on the application and shown to the agency’s officer. To revoke the power of attorney itself, visit a notary office.',
            )}
          </p>
          {p.problem ? (
            <p class="error-message" id="reason-error">
              <span class="visually-hidden">{tr(lang, 'خطا: ', 'Error: ')}</span>
              {p.problem}
            </p>
          ) : null}
          <textarea
            class={`input textarea input-wide${p.problem ? ' input-error' : ''}`}
            id="reason"
            name="reason"
            rows={6}
            maxLength={OBJECTION_MAX}
            aria-describedby={p.problem ? 'reason-hint reason-error' : 'reason-hint'}
          >
            {p.reason ?? ''}
          </textarea>
        </div>
        <button type="submit" class="button">
          {tr(lang, 'فرستادن اعتراض', 'Send the objection')}
        </button>
      </form>
    </Layout>
  );
}
