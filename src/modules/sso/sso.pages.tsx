// The provider's own pages in Panjereh's layout, Persian or English: "sign out of Panjereh?" for
// RP-initiated logout, "you are signed out", and the error page (the library's defaults are English
// only and load fonts from Google).
import type { KoaContextWithOIDC } from 'oidc-provider';
import { render } from 'preact-render-to-string';
import { isLang, preferredLang, type Lang, tr } from '../../platform/i18n.ts';
import { Layout } from '../../web/layout.tsx';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; form-action 'self' *; frame-ancestors 'none'; base-uri 'none'";

export function langOfKoa(ctx: KoaContextWithOIDC, fallback: Lang): Lang {
  const locale = String(ctx.oidc?.params?.ui_locales ?? '').split(' ')[0];
  return isLang(locale) ? locale : preferredLang(ctx.cookies.get('lang'), ctx.get('accept-language'), fallback);
}

function send(ctx: KoaContextWithOIDC, status: number, page: preact.VNode) {
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('content-security-policy', CSP);
  ctx.set('cache-control', 'no-store');
  ctx.body = `<!doctype html>${render(page)}`;
}

export function logoutPage(ctx: KoaContextWithOIDC, form: string, lang: Lang): void {
  const client = ctx.oidc.client?.clientName;
  const title = tr(lang, 'خروج از پنجره', 'Sign out of Panjereh');
  send(
    ctx,
    200,
    <Layout
      lang={lang}
      title={title}
      altPath={`${ctx.path}?${new URLSearchParams({ ...(ctx.query as Record<string, string>), ui_locales: lang === 'fa' ? 'en' : 'fa' })}`}
    >
      <h1>{title}</h1>
      <p>
        {client
          ? tr(
              lang,
              `از «${client}» خارج شدید. آیا می‌خواهید از پنجره و همهٔ سامانه‌هایی که با آن وارد شده‌اید هم خارج شوید؟`,
              `You signed out of “${client}”. Do you also want to sign out of Panjereh and every service you signed in to with it?`,
            )
          : tr(
              lang,
              'آیا می‌خواهید از پنجره و همهٔ سامانه‌هایی که با آن وارد شده‌اید خارج شوید؟',
              'Do you want to sign out of Panjereh and every service you signed in to with it?',
            )}
      </p>
      <div dangerouslySetInnerHTML={{ __html: form }} />
      <div class="timeout-actions">
        <button class="button" type="submit" form="op.logoutForm" value="yes" name="logout">
          {tr(lang, 'بله، خارج شوم', 'Yes, sign me out')}
        </button>
        <button class="button button-secondary" type="submit" form="op.logoutForm">
          {tr(lang, 'نه، در پنجره بمانم', 'No, stay signed in to Panjereh')}
        </button>
      </div>
    </Layout>,
  );
}

export function signedOutPage(ctx: KoaContextWithOIDC, lang: Lang): void {
  const title = tr(lang, 'از حساب خارج شدید', 'You are signed out');
  send(
    ctx,
    200,
    <Layout lang={lang} title={title} altPath={`/${lang === 'fa' ? 'en' : 'fa'}/sign-in`}>
      <h1>{title}</h1>
      <p>
        {tr(
          lang,
          'برای امنیت بیشتر، اگر رایانهٔ مشترک است پنجرهٔ مرورگر را ببندید.',
          'If this is a shared computer, close the browser window too.',
        )}
      </p>
      <p>
        <a href={`/${lang}`}>{tr(lang, 'رفتن به صفحهٔ اصلی پنجره', 'Go to the Panjereh home page')}</a>
      </p>
    </Layout>,
  );
}

export function errorPage(ctx: KoaContextWithOIDC, out: Record<string, unknown>, lang: Lang): void {
  const title = tr(lang, 'ورود با پنجره انجام نشد', 'Signing in with Panjereh did not work');
  send(
    ctx,
    ctx.status >= 400 ? ctx.status : 400,
    <Layout lang={lang} title={title} altPath={`/${lang === 'fa' ? 'en' : 'fa'}`} hasError>
      <h1>{title}</h1>
      <p>
        {tr(
          lang,
          'سامانه‌ای که شما را به اینجا فرستاد درخواست نادرستی داده است. به آن سامانه برگردید و دوباره تلاش کنید.',
          'The service that sent you here made a request we cannot accept. Go back to it and try again.',
        )}
      </p>
      <p>
        {tr(lang, 'کد خطا', 'Error code')}: <code>{String(out.error ?? 'server_error')}</code>
      </p>
      {out.error_description ? (
        <p lang="en" dir="ltr">
          {String(out.error_description)}
        </p>
      ) : null}
    </Layout>,
  );
}
