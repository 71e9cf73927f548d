// Help and contact: where to turn for what, the platform's own contact address (CONTACT_EMAIL) and each
// agency's contact details as the catalogue holds them (phone, email, address, website), linking to its page.
import { digits, t, tr, type Lang } from '../../../platform/i18n.ts';
import { Ltr, SummaryList, Text } from '../../../web/components.tsx';
import type { AgencyRow } from '../../catalog/catalog.repository.ts';
import { agencyPath } from '../../catalog/catalog.presenter.ts';
import { pick } from '../../catalog/catalog.taxonomy.ts';
import { SitePage } from './parts.tsx';

function AgencyContact({ lang, a }: { lang: Lang; a: AgencyRow }) {
  const name = pick(a.name, lang);
  const rows = [
    ...(a.contact.phone
      ? [
          {
            key: t(lang, 'phone'),
            value: (
              <a href={`tel:${a.contact.phone}`}>
                <Ltr>{digits(lang, a.contact.phone)}</Ltr>
              </a>
            ),
          },
        ]
      : []),
    ...(a.contact.email
      ? [
          {
            key: t(lang, 'email'),
            value: (
              <a href={`mailto:${a.contact.email}`}>
                <Ltr>{a.contact.email}</Ltr>
              </a>
            ),
          },
        ]
      : []),
    ...(a.contact.address ? [{ key: t(lang, 'address'), value: <Text value={pick(a.contact.address, lang)} pageLang={lang} /> }] : []),
    ...(a.website
      ? [
          {
            key: t(lang, 'website'),
            value: (
              <a href={a.website} rel="noopener noreferrer external">
                <Ltr>{a.website.replace(/^https?:\/\//, '')}</Ltr>
              </a>
            ),
          },
        ]
      : []),
  ];
  return (
    <section class="agency-contact" aria-labelledby={`agency-${a.id}`}>
      <h3 id={`agency-${a.id}`}>
        <a href={agencyPath(lang, a.id)}>
          <Text value={name} pageLang={lang} />
        </a>
      </h3>
      {rows.length ? (
        <SummaryList rows={rows} />
      ) : (
        <p>{tr(lang, 'نشانی تماسی برای این دستگاه ثبت نشده است.', 'No contact details are recorded for this agency.')}</p>
      )}
    </section>
  );
}

export function HelpPage({ lang, agencies, contactEmail }: { lang: Lang; agencies: AgencyRow[]; contactEmail?: string }) {
  const coll = new Intl.Collator(lang);
  const sorted = [...agencies].sort((a, b) => coll.compare(pick(a.name, lang).text, pick(b.name, lang).text));
  return (
    <SitePage
      lang={lang}
      path="/help"
      title={tr(lang, 'راهنما و تماس با ما', 'Help and contact')}
      description={tr(
        lang,
        'برای پرسش درباره یک خدمت یا درخواست به کجا مراجعه کنید، و نشانی، تلفن و وب‌گاه دستگاه‌های دولتی.',
        'Where to get help with a service or an application, and the phone numbers, addresses and websites of government agencies.',
      )}
    >
      <h2>{tr(lang, 'کمک گرفتن', 'Getting help')}</h2>
      <ul>
        <li>
          {tr(
            lang,
            'درباره یک خدمت یا درخواستی که فرستاده‌اید: با دستگاهی که خدمت را ارائه می‌کند تماس بگیرید (فهرست پایین). شماره پیگیری درخواست را که در صفحه درخواست و صندوق الکترونیک شماست، آماده داشته باشید.',
            'About a service, or an application you sent: contact the agency that provides the service (listed below). Have the application’s reference number ready; it is on the application’s page and in your e-box.',
          )}
        </li>
        <li>
          {tr(lang, 'پاسخ‌های دستگاه به درخواست‌هایتان در ', 'Agencies’ answers to your applications are in ')}
          <a href={`/${lang}/applications`}>{tr(lang, 'درخواست‌های من', 'your applications')}</a>
          {tr(lang, ' می‌آید.', '.')}
        </li>
        <li>
          {tr(lang, 'درباره اطلاعات شخصی‌تان: ', 'About your personal data: ')}
          <a href={`/${lang}/privacy`}>{tr(lang, 'حریم خصوصی', 'the privacy notice')}</a>
          {tr(lang, '. درباره دسترس‌پذیری: ', '. About accessibility: ')}
          <a href={`/${lang}/accessibility`}>{tr(lang, 'بیانیه دسترس‌پذیری', 'the accessibility statement')}</a>.
        </li>
      </ul>

      <h2 id="contact">{tr(lang, 'تماس با پنجره', 'Contacting Panjereh')}</h2>
      {contactEmail ? (
        <p>
          {tr(
            lang,
            'برای مشکل در ورود، خطا در وب‌گاه یا مشکل دسترس‌پذیری به این نشانی رایانامه بفرستید: ',
            'For a problem signing in, an error on the website or an accessibility problem, email: ',
          )}
          <a href={`mailto:${contactEmail}`}>
            <Ltr>{contactEmail}</Ltr>
          </a>
          {tr(lang, '. شماره خطا را اگر صفحه نشان داده بنویسید.', '. Include the error reference if the page showed one.')}
        </p>
      ) : (
        <p>
          {tr(
            lang,
            'گرداننده این پنجره هنوز نشانی تماسی اعلام نکرده است. تا آن زمان، با دستگاهی که خدمتش را می‌خواهید تماس بگیرید.',
            'The operator of this window has not published a contact address yet. Until then, contact the agency whose service you need.',
          )}
        </p>
      )}

      <h2>{tr(lang, 'دستگاه‌های دولتی', 'Government agencies')}</h2>
      <p>
        {tr(
          lang,
          'ساعت کاری دستگاه‌ها هنوز در فهرست خدمات ثبت نشده است؛ آن را در وب‌گاه هر دستگاه ببینید.',
          'Agencies’ opening hours are not in the catalogue yet; see each agency’s website.',
        )}
      </p>
      {sorted.map((a) => (
        <AgencyContact lang={lang} a={a} />
      ))}
    </SitePage>
  );
}
