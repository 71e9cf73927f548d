// The page frame every page uses: lang/dir, absolute hreflang alternates, icons, skip link, header with
// language switch, footer (with privacy, accessibility, help and contact, terms and cookies).
import type { ComponentChildren } from 'preact';
import { dirOf, t, type Lang } from '../platform/i18n.ts';
import { assetUrl } from './assets.ts';
import { staffFrame, type StaffFrame } from './frame.ts';

// The site's origin for absolute links (hreflang alternates), set once from PUBLIC_URL when the app is
// built (registerWeb): never from a request's Host header. One origin per process.
const site = { origin: '', defaultLang: 'fa' as Lang };
export function configureSite(publicUrl: string, defaultLang: Lang): void {
  site.origin = publicUrl.replace(/\/+$/, '');
  site.defaultLang = defaultLang;
}

/** The page's path in each language, when altPath is the same path under the other language's prefix. */
export function languagePaths(lang: Lang, altPath: string): Record<Lang, string> | null {
  const other: Lang = lang === 'fa' ? 'en' : 'fa';
  const m = new RegExp(`^/${other}(?=$|[/?#])(.*)$`).exec(altPath);
  if (!m) return null;
  return { [lang]: `/${lang}${m[1]}`, [other]: altPath } as Record<Lang, string>;
}

/** fa, en and x-default alternates, absolute (from PUBLIC_URL). */
function Alternates({ lang, altPath }: { lang: Lang; altPath: string }) {
  const paths = languagePaths(lang, altPath);
  const other: Lang = lang === 'fa' ? 'en' : 'fa';
  if (!paths) return <link rel="alternate" hrefLang={other} href={altPath} />;
  return (
    <>
      <link rel="alternate" hrefLang="fa" href={`${site.origin}${paths.fa}`} />
      <link rel="alternate" hrefLang="en" href={`${site.origin}${paths.en}`} />
      <link rel="alternate" hrefLang="x-default" href={`${site.origin}${paths[site.defaultLang]}`} />
    </>
  );
}

/** The web font, fetched early so text is drawn once in it (app.css also sizes its fallback to match). */
const FONT_URL = '/assets/font/vazirmatn.woff2';

const DEFAULT_DESCRIPTION: Record<Lang, string> = {
  fa: 'پنجره: درگاه ملی خدمات دولت؛ یافتن خدمت، درخواست برخط و پیگیری آن در یک جا.',
  en: 'Panjereh, the national single window for government services: find a service, apply online and follow your application in one place.',
};

/** The footer's links to the pages every government service has (src/modules/site). */
const FOOTER = [
  ['help', 'راهنما و تماس با ما', 'Help and contact'],
  ['privacy', 'حریم خصوصی', 'Privacy'],
  ['accessibility', 'دسترس‌پذیری', 'Accessibility'],
  ['terms', 'شرایط استفاده', 'Terms of use'],
  ['cookies', 'کوکی‌ها', 'Cookies'],
] as const;

export interface PageProps {
  lang: Lang;
  title: string;
  /** The same page in the other language (path only). */
  altPath: string;
  /** Prefix the title with "Error:" when the page shows a validation error. */
  hasError?: boolean;
  description?: string;
  children: ComponentChildren;
}

export function Layout({ lang, title, altPath, hasError, description, children }: PageProps) {
  const other: Lang = lang === 'fa' ? 'en' : 'fa';
  const staff = staffFrame();
  const fullTitle = `${hasError ? `${t(lang, 'errorPrefix')} ` : ''}${title} – ${t(lang, 'siteName')}`;
  return (
    <html lang={lang} dir={dirOf(lang)}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        {/* every page has a description (search results, link previews); a page without its own gets the site's */}
        <meta name="description" content={description || DEFAULT_DESCRIPTION[lang]} />
        <link rel="preload" href={FONT_URL} as="font" type="font/woff2" crossorigin="anonymous" />
        <link rel="stylesheet" href={assetUrl('app.css')} />
        <link rel="icon" href="/favicon.ico" sizes="32x32" />
        <link rel="icon" href={assetUrl('icon.svg')} type="image/svg+xml" />
        <Alternates lang={lang} altPath={altPath} />
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t(lang, 'skipToContent')}
        </a>
        {staff ? (
          <StaffHeader lang={lang} altPath={altPath} frame={staff} />
        ) : (
          <header class="site-header">
            <div class="container header-row">
              <a class="brand" href={`/${lang}`}>
                <span class="brand-mark" aria-hidden="true">
                  ▦
                </span>
                <span class="brand-name">{t(lang, 'siteName')}</span>
                <span class="brand-tagline">{t(lang, 'siteTagline')}</span>
              </a>
              {/* on a phone the links fold behind a menu button that works without JavaScript (:target) */}
              <a class="menu-button" href="#site-menu" aria-label={lang === 'fa' ? 'نمایش فهرست پیوندها' : 'Show the menu'}>
                {lang === 'fa' ? 'فهرست' : 'Menu'}
              </a>
              <nav id="site-menu" class="header-nav" aria-label={lang === 'fa' ? 'پیوندهای اصلی' : 'Main links'}>
                <a href={`/${lang}/agencies`}>{t(lang, 'agencies')}</a>
                <a href={`/${lang}/monitoring`}>{lang === 'fa' ? 'پایش دولت الکترونیک' : 'Monitoring'}</a>
                <a href={`/${lang}/un-egov`}>{lang === 'fa' ? 'دولت الکترونیک در جهان' : 'E-government worldwide'}</a>
                <a href={`/${lang}/applications`}>{lang === 'fa' ? 'درخواست‌های من' : 'Your applications'}</a>
                <a href={`/${lang}/account`}>{lang === 'fa' ? 'حساب من' : 'Your account'}</a>
                <a href={altPath} hrefLang={other} lang={other} class="lang-switch">
                  {t(lang, 'otherLanguage')}
                </a>
                <a class="menu-close" href="#main">
                  {lang === 'fa' ? 'بستن فهرست' : 'Close the menu'}
                </a>
              </nav>
            </div>
          </header>
        )}
        <main id="main" class="container" tabIndex={-1}>
          {children}
        </main>
        <footer class="site-footer">
          <div class="container">
            <ul class="footer-links">
              <li>
                <a href={`/${lang}/agencies`}>{t(lang, 'allAgencies')}</a>
              </li>
              <li>
                <a href="/open-data/services.csv">{t(lang, 'openData')} (CSV)</a>
              </li>
              <li>
                <a href="/api/docs">{t(lang, 'apiDocs')}</a>
              </li>
            </ul>
            <nav aria-label={lang === 'fa' ? 'راهنما و قواعد' : 'Help and policies'}>
              <ul class="footer-links">
                {FOOTER.map(([path, fa, en]) => (
                  <li>
                    <a href={`/${lang}/${path}`}>{lang === 'fa' ? fa : en}</a>
                  </li>
                ))}
              </ul>
            </nav>
            <p>{t(lang, 'footerLicence')}</p>
          </div>
        </footer>
      </body>
    </html>
  );
}

/** The staff shell's header: the officer (name, role, agency), the links their role may use, sign-out. */
function StaffHeader({ lang, altPath, frame }: { lang: Lang; altPath: string; frame: StaffFrame }) {
  const other: Lang = lang === 'fa' ? 'en' : 'fa';
  return (
    <header class="site-header staff-header">
      <div class="container header-row">
        <a class="brand" href={`/${lang}/staff`}>
          <span class="brand-mark" aria-hidden="true">
            ▦
          </span>
          <span class="brand-name">{t(lang, 'siteName')}</span>
          <span class="brand-tagline">{lang === 'fa' ? 'میز کار کارکنان' : 'Staff workspace'}</span>
        </a>
        <div class="staff-who">
          <span class="staff-name">{frame.name}</span>
          <span>
            {frame.role}
            {frame.agency ? `${lang === 'fa' ? '، ' : ', '}${frame.agency}` : ''}
          </span>
          <form method="post" action={frame.signOut.action} class="inline-form">
            <input type="hidden" name="_csrf" value={frame.signOut.csrf()} />
            <button class="link-button" type="submit">
              {lang === 'fa' ? 'خروج' : 'Sign out'}
            </button>
          </form>
          <a href={altPath} hrefLang={other} lang={other} class="lang-switch">
            {t(lang, 'otherLanguage')}
          </a>
        </div>
      </div>
      <nav class="container staff-nav" aria-label={lang === 'fa' ? 'میز کار' : 'Workspace'}>
        <ul>
          {frame.nav.map((l) => (
            <li>
              <a href={l.href} data-nav={l.key}>
                {l.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}
