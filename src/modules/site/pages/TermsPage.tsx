// Terms of use: what Panjereh is, what it asks of the people who use it, and what it does not promise.
import { tr, type Lang } from '../../../platform/i18n.ts';
import { SitePage } from './parts.tsx';

export function TermsPage({ lang }: { lang: Lang }) {
  const items: [string, string][] = [
    [
      'پنجره درگاه یکپارچه خدمات دولت است: فهرست خدمات، درخواست برخط، صندوق الکترونیک و ورود یکپارچه به درگاه دستگاه‌ها. تصمیم درباره هر درخواست با دستگاه ارائه‌دهنده خدمت است، نه با پنجره.',
      'Panjereh is the single window to government services: the catalogue of services, online applications, the e-box and single sign-on to agencies’ portals. Decisions on an application are made by the agency that provides the service, not by Panjereh.',
    ],
    [
      'اطلاعاتی که در درخواست می‌دهید باید درست و کامل باشد. دادن اطلاعات نادرست به دستگاه دولتی ممکن است پیامد قانونی داشته باشد.',
      'The information you give in an application must be true and complete. Giving false information to a government agency can have legal consequences.',
    ],
    [
      'حساب شما شخصی است. کد ورود را به هیچ‌کس ندهید؛ کارکنان دولت هرگز آن را از شما نمی‌خواهند. اگر دستگاهی را در فهرست نشست‌هایتان نمی‌شناسید، آن نشست را پایان دهید.',
      'Your account is personal. Never give your sign-in code to anyone; government staff will never ask for it. If you do not recognise a device in your list of sessions, end that session.',
    ],
    [
      'از پنجره برای آسیب زدن به آن یا به دیگران استفاده نکنید: تلاش برای دسترسی به اطلاعات دیگران، فرستادن پرونده آلوده یا درخواست‌های انبوه خودکار ممنوع است و ثبت می‌شود.',
      'Do not use Panjereh to harm it or others: trying to reach other people’s data, sending infected files or automated bulk requests is not allowed and is recorded.',
    ],
    [
      'داده‌های فهرست خدمات، داده باز است و با ذکر منبع می‌توان آن را به کار برد؛ پروانه آن در پایین هر صفحه آمده است.',
      'The catalogue of services is open data and may be reused with attribution; its licence is at the foot of every page.',
    ],
    [
      'می‌کوشیم پنجره همیشه در دسترس باشد، اما ممکن است برای نگه‌داری یا به سبب خرابی مدتی در دسترس نباشد. پیش‌نویس‌ها روی سرور ذخیره می‌شوند تا کارتان از دست نرود.',
      'We try to keep Panjereh available at all times, but it may be unavailable for maintenance or because of a fault. Drafts are saved on the server so your work is not lost.',
    ],
    [
      'این شرایط ممکن است تغییر کند؛ نسخه تازه همیشه در همین صفحه است. استفاده از پنجره تابع قوانین جمهوری اسلامی ایران است.',
      'These terms may change; the current version is always on this page. Use of Panjereh is subject to the laws of the Islamic Republic of Iran.',
    ],
  ];
  return (
    <SitePage
      lang={lang}
      path="/terms"
      title={tr(lang, 'شرایط استفاده', 'Terms of use')}
      description={tr(
        lang,
        'شرایط استفاده از پنجره، درگاه یکپارچه خدمات دولت.',
        'The terms of use of Panjereh, the single window to government services.',
      )}
    >
      <ol>
        {items.map(([fa, en]) => (
          <li>{tr(lang, fa, en)}</li>
        ))}
      </ol>
      <p>
        <a href={`/${lang}/privacy`}>{tr(lang, 'حریم خصوصی', 'Privacy notice')}</a>
        {' · '}
        <a href={`/${lang}/cookies`}>{tr(lang, 'کوکی‌ها', 'Cookies')}</a>
      </p>
    </SitePage>
  );
}
