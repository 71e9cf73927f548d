// "Your data on Panjereh": what the platform holds about the signed-in citizen, with a JSON download of
// it and how to ask for a correction.
import { digits, formatDate, formatNumber, tr, type Lang } from '../../../platform/i18n.ts';
import { Ltr, SummaryList } from '../../../web/components.tsx';
import type { MyData } from '../site.service.ts';
import { SitePage } from './parts.tsx';

export function MyDataPage({ lang, data }: { lang: Lang; data: MyData }) {
  const p = data.profile;
  const count = (n: number, href: string | null) => {
    const text = formatNumber(lang, n);
    return href ? <a href={href}>{text}</a> : text;
  };
  return (
    <SitePage
      lang={lang}
      path="/account/my-data"
      title={tr(lang, 'اطلاعات من نزد پنجره', 'Your data on Panjereh')}
      description={tr(
        lang,
        'آنچه پنجره درباره شما نگه می‌دارد و دریافت نسخه‌ای از آن.',
        'What Panjereh keeps about you, and a copy to download.',
      )}
      parent={{ href: `/${lang}/account`, label: tr(lang, 'حساب من', 'Your account') }}
    >
      <p class="lead">
        {tr(
          lang,
          'این‌ها اطلاعاتی است که پنجره درباره شما نگه می‌دارد. فقط خود شما، پس از ورود، آن را می‌بینید.',
          'This is what Panjereh keeps about you. Only you, signed in, can see it.',
        )}
      </p>
      <SummaryList
        rows={[
          { key: tr(lang, 'کد ملی', 'National ID'), value: <Ltr>{digits(lang, p.nationalId)}</Ltr> },
          { key: tr(lang, 'شماره همراه', 'Mobile number'), value: <Ltr>{digits(lang, p.mobile)}</Ltr> },
          { key: tr(lang, 'نخستین ورود', 'First seen'), value: p.createdAt ? formatDate(lang, p.createdAt) : '–' },
          {
            key: tr(lang, 'تغییرهای شماره همراه', 'Mobile number changes'),
            value: formatNumber(lang, data.mobileChanges.length),
          },
          {
            key: tr(lang, 'درخواست‌ها (با پاسخ‌ها و پرونده‌ها)', 'Applications (with answers and files)'),
            value: count(data.applications.length, `/${lang}/applications`),
          },
          { key: tr(lang, 'پیام‌های صندوق الکترونیک', 'E-box messages'), value: count(data.eboxMessages.length, `/${lang}/ebox`) },
          {
            key: tr(lang, 'نشست‌های ورود (پایان‌یافته‌ها هم)', 'Sign-in sessions (ended ones too)'),
            value: count(data.sessions.length, `/${lang}/account/sessions`),
          },
          {
            key: tr(lang, 'سوابق استفاده دستگاه‌ها از اطلاعات شما', 'Records of agencies using your data'),
            value: count(data.dataUse.length, `/${lang}/account/data-use`),
          },
        ]}
      />
      <h2>{tr(lang, 'دریافت نسخه', 'Download a copy')}</h2>
      <p>
        {tr(lang, 'همه موارد بالا با جزئیات، در یک پرونده ', 'Everything above, in full, in one ')}
        <code dir="ltr">JSON</code>
        {tr(
          lang,
          ' که برنامه‌های دیگر هم می‌توانند بخوانند. پرونده‌هایی که بارگذاری کرده‌اید با نام و اندازه و چکیده در آن آمده‌اند؛ خود آن‌ها را از صفحه هر درخواست بگیرید.',
          ' file that other programs can read too. The files you uploaded are listed by name, size and checksum; download them from each application’s page.',
        )}
      </p>
      <p>
        <a class="button" href={`/${lang}/account/my-data.json`} download>
          {tr(lang, 'دریافت اطلاعات من', 'Download your data')}
        </a>
      </p>
      <h2>{tr(lang, 'اصلاح اطلاعات', 'Correcting your data')}</h2>
      <p>
        {tr(lang, 'اگر چیزی نادرست است، ', 'If something is wrong, see ')}
        <a href={`/${lang}/privacy#ask`}>{tr(lang, 'راه‌های اصلاح اطلاعات', 'how to have it corrected')}</a>
        {tr(lang, ' را ببینید.', '.')}
      </p>
    </SitePage>
  );
}
