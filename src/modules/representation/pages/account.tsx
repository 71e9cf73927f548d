// /{lang}/account/representation: whom the signed-in citizen may apply for (their minor children and
// wards), from the civil registry. The registry is asked only when the citizen presses the button (a
// form POST: no JavaScript), after the page has said what is fetched, from whom, for what, and that the
// request is recorded where they can see it.
import { digits, formatDate, tr, type Lang } from '../../../platform/i18n.ts';
import { Breadcrumbs, SummaryList } from '../../../web/components.tsx';
import { Layout } from '../../../web/layout.tsx';
import { CIVIL_REGISTRY, type Dependant } from '../representation.service.ts';
import { relationName } from './panel.tsx';
import { CompaniesSection, type GrantForm, type GrantsView, type OthersView } from './companies.tsx';

const other = (lang: Lang) => (lang === 'fa' ? 'en' : 'fa');

export function RepresentationPage(p: {
  lang: Lang;
  csrf: string;
  result?: { outcome: 'ok' | 'unavailable' | 'unknown'; dependants: Dependant[] };
  grants: GrantsView;
  others?: OthersView;
  form?: GrantForm;
  notice?: string;
}) {
  const { lang, result } = p;
  const title = tr(lang, 'برای چه کسانی می‌توانید درخواست بدهید', 'Who you can apply for');
  const path = `/${lang}/account/representation`;
  return (
    <Layout lang={lang} title={title} altPath={`/${other(lang)}/account/representation`} hasError={!!p.form?.problems.length}>
      <Breadcrumbs lang={lang} items={[{ href: `/${lang}/account`, label: tr(lang, 'حساب من', 'Your account') }, { label: title }]} />
      <h1>{title}</h1>
      <p>
        {tr(
          lang,
          'پدر، مادر یا سرپرست قانونی می‌تواند برای فرزند زیر ۱۸ سال خود درخواست بدهد (مثلاً انتقال مدرسه). پنجره این را در هر درخواست از ثبت احوال می‌پرسد.',
          'A parent or legal guardian can apply for their child under 18 (for example, to move school). Panjereh checks this with the civil registry for each such application.',
        )}
      </p>
      {result ? <Result lang={lang} result={result} /> : null}
      {!result || result.outcome !== 'ok' ? (
        <>
          <h2>{tr(lang, 'فهرست فرزندانتان را از ثبت احوال بگیریم؟', 'Get the list of your children from the civil registry?')}</h2>
          <SummaryList
            rows={[
              {
                key: tr(lang, 'چه چیزی گرفته می‌شود', 'What will be fetched'),
                value: tr(
                  lang,
                  'نام، کد ملی و تاریخ تولد فرزندانتان و کودکانی که سرپرستی قانونی‌شان با شماست',
                  'The names, national IDs and dates of birth of your children and of the children in your legal guardianship',
                ),
              },
              { key: tr(lang, 'از کدام دستگاه', 'From which agency'), value: CIVIL_REGISTRY[lang] },
              {
                key: tr(lang, 'برای چه', 'What for'),
                value: tr(lang, 'نشان دادن همین فهرست به شما؛ چیزی نگه داشته نمی‌شود', 'Showing you this list; nothing is kept'),
              },
              {
                key: tr(lang, 'ثبت استعلام', 'Record of the request'),
                value: (
                  <>
                    {tr(
                      lang,
                      'این استعلام با همین هدف ثبت می‌شود و آن را در صفحه ',
                      'The request is recorded with this purpose, and you will see it on the page ',
                    )}
                    <a href={`/${lang}/account/data-use`}>
                      {tr(lang, '«چه دستگاه‌هایی اطلاعات شما را استعلام کرده‌اند»', '“Which agencies have used your data”')}
                    </a>
                    {tr(lang, ' می‌بینید.', '.')}
                  </>
                ),
              },
            ]}
          />
          <form method="post" action={path}>
            <input type="hidden" name="_csrf" value={p.csrf} />
            <button class="button" type="submit">
              {result ? tr(lang, 'دوباره امتحان کنید', 'Try again') : tr(lang, 'بله، از ثبت احوال بپرسید', 'Yes, ask the civil registry')}
            </button>
          </form>
        </>
      ) : null}
      <CompaniesSection lang={lang} csrf={p.csrf} grants={p.grants} others={p.others} form={p.form} notice={p.notice} />
      <p>
        <a href={`/${lang}/account`}>{tr(lang, 'بازگشت به حساب من', 'Back to your account')}</a>
      </p>
    </Layout>
  );
}

function Result({ lang, result }: { lang: Lang; result: { outcome: 'ok' | 'unavailable' | 'unknown'; dependants: Dependant[] } }) {
  if (result.outcome === 'unavailable')
    return (
      <div class="notice" role="status">
        <p>
          {tr(
            lang,
            `اکنون نتوانستیم به ${CIVIL_REGISTRY.fa} دسترسی پیدا کنیم. چند دقیقه دیگر دوباره امتحان کنید.`,
            `We could not reach the ${CIVIL_REGISTRY.en} just now. Try again in a few minutes.`,
          )}
        </p>
      </div>
    );
  if (result.outcome === 'unknown' || !result.dependants.length)
    return (
      <div class="inset" role="status">
        <p>
          {tr(
            lang,
            `${CIVIL_REGISTRY.fa} فرزند زیر ۱۸ سال یا کودکی تحت سرپرستی قانونی شما ثبت نکرده است. اگر این درست نیست، با ${CIVIL_REGISTRY.fa} تماس بگیرید.`,
            `The ${CIVIL_REGISTRY.en} has no child under 18 or child in your legal guardianship registered for you. If that is wrong, contact the ${CIVIL_REGISTRY.en}.`,
          )}
        </p>
      </div>
    );
  return (
    <>
      <h2>{tr(lang, 'شما می‌توانید برای این افراد درخواست بدهید', 'You can apply for')}</h2>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">{tr(lang, 'فرزندان و کودکان تحت سرپرستی', 'Children and wards')}</caption>
          <thead>
            <tr>
              <th scope="col">{tr(lang, 'نام', 'Name')}</th>
              <th scope="col">{tr(lang, 'کد ملی', 'National ID')}</th>
              <th scope="col">{tr(lang, 'نسبت', 'Relation')}</th>
              <th scope="col">{tr(lang, 'تاریخ تولد', 'Date of birth')}</th>
              <th scope="col">{tr(lang, 'تا کی', 'Until')}</th>
            </tr>
          </thead>
          <tbody>
            {result.dependants.map((d) => (
              <tr>
                <td>
                  <bdi>{d.name[lang] || d.name.fa || d.name.en}</bdi>
                </td>
                <td>
                  <bdi>{digits(lang, d.nationalId)}</bdi>
                </td>
                <td>{relationName(lang, d.relation)}</td>
                <td>{formatDate(lang, d.birthDate)}</td>
                <td>{tr(lang, `${formatDate('fa', d.adultOn)} (۱۸ سالگی)`, `${formatDate('en', d.adultOn)} (when they turn 18)`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="hint">
        {tr(
          lang,
          `از ${CIVIL_REGISTRY.fa}، هم‌اکنون. اگر نادرست است، با ${CIVIL_REGISTRY.fa} تماس بگیرید.`,
          `From the ${CIVIL_REGISTRY.en}, just now. If it is wrong, contact the ${CIVIL_REGISTRY.en}.`,
        )}
      </p>
    </>
  );
}
