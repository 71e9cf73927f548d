// The cookies Panjereh sets, as the code sets them (identity, web, CSRF, the OpenID Connect provider):
// all strictly necessary, none for tracking or advertising.
import { formatNumber, tr, type Lang } from '../../../platform/i18n.ts';
import { DataTable } from '../../../web/charts.tsx';
import { SitePage } from './parts.tsx';

interface CookieRow {
  names: string[];
  purpose: [string, string];
  lasts: [string, string];
}

export function CookiesPage({ lang, absoluteHours, idleMinutes }: { lang: Lang; absoluteHours: number; idleMinutes: number }) {
  const h = formatNumber(lang, absoluteHours);
  const rows: CookieRow[] = [
    {
      names: ['__Host-session'],
      purpose: ['نگه‌داشتن ورود شهروند به حساب خود.', 'Keeps a citizen signed in.'],
      lasts: [
        `تا خروج، ${formatNumber(lang, idleMinutes)} دقیقه بی‌کاری یا حداکثر ${h} ساعت`,
        `Until you sign out, after ${idleMinutes} minutes without activity, or ${h} hours at most`,
      ],
    },
    {
      names: ['signin'],
      purpose: ['در میانه ورود، درخواست کد را به همین مرورگر پیوند می‌دهد.', 'During sign-in, ties the code request to this browser.'],
      lasts: [`${formatNumber(lang, 15)} دقیقه`, '15 minutes'],
    },
    {
      names: ['__Host-staff'],
      purpose: ['نگه‌داشتن ورود کارکنان دولت.', 'Keeps government staff signed in.'],
      lasts: [`تا خروج یا حداکثر ${h} ساعت`, `Until they sign out, or ${h} hours at most`],
    },
    {
      names: ['__Host-csrf'],
      purpose: [
        'از فرم‌ها در برابر جعل درخواست از وب‌گاه‌های دیگر محافظت می‌کند.',
        'Protects forms against requests forged by other websites.',
      ],
      lasts: ['تا بستن مرورگر', 'Until you close the browser'],
    },
    {
      names: ['lang'],
      purpose: ['زبانی را که آخرین بار انتخاب کردید به یاد می‌سپارد.', 'Remembers the language you last chose.'],
      lasts: [`${formatNumber(lang, 1)} سال`, '1 year'],
    },
    {
      names: ['_session', '_session.sig'],
      purpose: [
        'ورود یکپارچه: نگه‌داشتن ورود شما برای درگاه دستگاه‌هایی که با پنجره وارد می‌شوند.',
        'Single sign-on: keeps you signed in for agency portals that sign in with Panjereh.',
      ],
      lasts: [`تا خروج یا حداکثر ${h} ساعت`, `Until you sign out, or ${h} hours at most`],
    },
    {
      names: ['_interaction', '_interaction.sig', '_interaction_resume', '_interaction_resume.sig'],
      purpose: [
        'ورود یکپارچه: در میانه ورود به درگاه یک دستگاه، مرحله کار را نگه می‌دارد.',
        'Single sign-on: keeps track of a sign-in to an agency portal while it is under way.',
      ],
      lasts: [`${formatNumber(lang, 15)} دقیقه`, '15 minutes'],
    },
  ];
  return (
    <SitePage
      lang={lang}
      path="/cookies"
      title={tr(lang, 'کوکی‌ها', 'Cookies')}
      description={tr(
        lang,
        'کوکی‌هایی که پنجره به کار می‌برد: همه برای کارکرد وب‌گاه ضروری‌اند و هیچ‌کدام برای ردگیری نیست.',
        'The cookies Panjereh uses: all are strictly necessary for the website to work, and none tracks you.',
      )}
    >
      <p class="lead">
        {tr(
          lang,
          'کوکی پرونده کوچکی است که وب‌گاه در مرورگر شما می‌گذارد. پنجره فقط کوکی‌هایی را به کار می‌برد که بدون آن‌ها کار نمی‌کند؛ هیچ کوکی ردگیری، آماری یا تبلیغاتی، از خود ما یا دیگران، در کار نیست. به همین دلیل از شما رضایت نمی‌خواهیم.',
          'A cookie is a small file a website puts in your browser. Panjereh uses only the cookies it cannot work without; there are no tracking, analytics or advertising cookies, ours or anyone else’s. That is why we do not ask for your consent.',
        )}
      </p>
      <p>
        {tr(
          lang,
          'اسکریپت‌ها به هیچ‌یک از این کوکی‌ها دسترسی ندارند و با درخواست‌هایی که وب‌گاه‌های دیگر در پس‌زمینه می‌فرستند همراه نمی‌شوند. در محیط عملیاتی فقط از راه اتصال امن فرستاده می‌شوند؛ در محیط آزمایشی، کوکی‌هایی که نامشان با ',
          'Scripts cannot read any of them, and they are not sent with requests other websites make in the background. In production they are sent over secure connections only; in development the cookies whose names start with ',
        )}
        <code dir="ltr">__Host-</code>
        {tr(
          lang,
          ' آغاز می‌شود بی‌این پیشوند نام‌گذاری می‌شوند. هر کوکی ورود یکپارچه همراهی با پسوند ',
          ' are named without that prefix. Each single sign-on cookie has a companion ending in ',
        )}
        <code dir="ltr">.sig</code>
        {tr(lang, ' دارد که امضای آن است.', ' that carries its signature.')}
      </p>
      <DataTable
        caption={tr(lang, 'کوکی‌های پنجره، همه ضروری', 'Panjereh’s cookies, all strictly necessary')}
        head={[tr(lang, 'نام', 'Name'), tr(lang, 'کاربرد', 'What it is for'), tr(lang, 'مدت', 'How long it lasts')]}
        rows={rows.map((r) => [
          r.names.map((n, i) => (
            <>
              {i ? <br /> : null}
              <code dir="ltr">{n}</code>
            </>
          )),
          tr(lang, ...r.purpose),
          tr(lang, ...r.lasts),
        ])}
      />
    </SitePage>
  );
}
