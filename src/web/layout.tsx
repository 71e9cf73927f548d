// The page frame every page uses: lang/dir, skip link, header with language switch, footer.
import type { ComponentChildren } from 'preact';
import { dirOf, t, type Lang } from '../platform/i18n.ts';
import { assetUrl } from './assets.ts';

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
  const fullTitle = `${hasError ? `${t(lang, 'errorPrefix')} ` : ''}${title} – ${t(lang, 'siteName')}`;
  return (
    <html lang={lang} dir={dirOf(lang)}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        {description ? <meta name="description" content={description} /> : null}
        <link rel="stylesheet" href={assetUrl('app.css')} />
        <link rel="alternate" hrefLang={other} href={altPath} />
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t(lang, 'skipToContent')}
        </a>
        <header class="site-header">
          <div class="container header-row">
            <a class="brand" href={`/${lang}`}>
              <span class="brand-mark" aria-hidden="true">
                ▦
              </span>
              <span class="brand-name">{t(lang, 'siteName')}</span>
              <span class="brand-tagline">{t(lang, 'siteTagline')}</span>
            </a>
            <nav class="header-nav" aria-label={lang === 'fa' ? 'پیوندهای اصلی' : 'Main links'}>
              <a href={`/${lang}/agencies`}>{t(lang, 'agencies')}</a>
              <a href={`/${lang}/monitoring`}>{lang === 'fa' ? 'پایش دولت الکترونیک' : 'Monitoring'}</a>
              <a href={`/${lang}/un-egov`}>{lang === 'fa' ? 'دولت الکترونیک در جهان' : 'E-government worldwide'}</a>
              <a href={`/${lang}/applications`}>{lang === 'fa' ? 'درخواست‌های من' : 'Your applications'}</a>
              <a href={`/${lang}/account`}>{lang === 'fa' ? 'حساب من' : 'Your account'}</a>
              <a href={altPath} hrefLang={other} lang={other} class="lang-switch">
                {t(lang, 'otherLanguage')}
              </a>
            </nav>
          </div>
        </header>
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
            <p>{t(lang, 'footerLicence')}</p>
          </div>
        </footer>
      </body>
    </html>
  );
}
