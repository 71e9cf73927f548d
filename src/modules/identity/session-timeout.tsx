// The idle-timeout warning. Every page served through requireCitizen carries an inert <template>
// with the warning and a small script (assets/timeout.js) that shows it as a modal dialog two
// minutes before the idle limit. Without JavaScript, /{lang}/session/warning is the same warning
// as a page; "stay signed in" is a POST to /{lang}/session/extend either way.
import type { FastifyInstance } from 'fastify';
import { render } from 'preact-render-to-string';
import type { AppContext } from '../../context.ts';
import { formatNumber, formatTime, type Lang, langOf, tr } from '../../platform/i18n.ts';
import { Button, CsrfField } from '../../web/components.tsx';
import { Layout } from '../../web/layout.tsx';
import { assetUrl } from '../../web/assets.ts';
import { sendPage } from '../../web/render.ts';
import { citizenCookie, signedInPages } from './citizen.guard.ts';
import { safeNext } from './next.ts';

const WARN_SECONDS = 120;

function Warning({
  lang,
  endsAt,
  minutes,
  next,
  token,
  heading,
}: {
  lang: Lang;
  endsAt: Date;
  minutes: number;
  next: string;
  token: string;
  heading: 'h1' | 'h2';
}) {
  const H = heading;
  return (
    <>
      <H id="timeout-title" tabIndex={-1}>
        {tr(lang, 'به‌زودی از حساب خارج می‌شوید', 'You’re about to be signed out')}
      </H>
      <p id="timeout-text">
        {tr(
          lang,
          `برای امنیت شما، اگر تا ${formatNumber(lang, minutes)} دقیقهٔ دیگر (ساعت ${formatTime(lang, endsAt)}) کاری نکنید از حساب خارج می‌شوید.`,
          `For your security, we will sign you out in ${minutes} minute${minutes === 1 ? '' : 's'} (at ${formatTime(lang, endsAt)}) if you do nothing.`,
        )}
      </p>
      <div class="timeout-actions">
        <form class="timeout-extend" method="post" action={`/${lang}/session/extend`}>
          <CsrfField token={token} />
          <input type="hidden" name="next" value={next} />
          <Button>{tr(lang, 'در حساب بمانم', 'Stay signed in')}</Button>
        </form>
        <form method="post" action={`/${lang}/sign-out`}>
          <CsrfField token={token} />
          <Button variant="secondary">{tr(lang, 'خروج از حساب', 'Sign out')}</Button>
        </form>
      </div>
    </>
  );
}

export function registerSessionTimeout(app: FastifyInstance, ctx: AppContext): void {
  const hide = { schema: { hide: true } };
  const cookie = citizenCookie(ctx);

  // Signed-in pages: add the warning template and the script before </body>.
  app.addHook('onSend', async (req, reply, payload) => {
    const signedIn = signedInPages.get(req);
    if (!signedIn || typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return payload;
    const { lang, endsAt } = signedIn;
    const next = safeNext(req.url, lang);
    const idleSeconds = Math.max(0, Math.round((endsAt.getTime() - Date.now()) / 1000));
    const snippet = render(
      <>
        <template
          id="timeout-warning"
          data-idle-seconds={String(idleSeconds)}
          data-warn-seconds={String(WARN_SECONDS)}
          data-expired-url={`/${lang}/sign-in?expired=idle&next=${encodeURIComponent(next)}`}
        >
          <Warning
            lang={lang}
            endsAt={endsAt}
            minutes={Math.max(1, Math.round(Math.min(WARN_SECONDS, idleSeconds / 2) / 60))}
            next={next}
            token={reply.generateCsrf()}
            heading="h2"
          />
        </template>
        <script src={assetUrl('timeout.js')} defer />
      </>,
    );
    return payload.replace('</body>', `${snippet}</body>`);
  });

  app.get<{ Params: { lang: string }; Querystring: { next?: string } }>('/:lang/session/warning', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const next = safeNext(req.query.next, lang);
    const session = await ctx.identity.peekSession(req.cookies[cookie]);
    if (!session) return reply.redirect(`/${lang}/sign-in?expired=idle&next=${encodeURIComponent(next)}`, 303);
    const title = tr(lang, 'به‌زودی از حساب خارج می‌شوید', 'You’re about to be signed out');
    return sendPage(
      reply,
      <Layout lang={lang} title={title} altPath={`/${lang === 'fa' ? 'en' : 'fa'}/session/warning`}>
        <Warning
          lang={lang}
          endsAt={ctx.identity.sessionEndsAt(session)}
          minutes={Math.max(1, Math.ceil((ctx.identity.sessionEndsAt(session).getTime() - Date.now()) / 60_000))}
          next={next}
          token={reply.generateCsrf()}
          heading="h1"
        />
      </Layout>,
    );
  });

  app.post<{ Params: { lang: string }; Body: Record<string, string> }>(
    '/:lang/session/extend',
    { ...hide, preHandler: app.csrfProtection },
    async (req, reply) => {
      const lang = langOf(req.params);
      const next = safeNext(req.body?.next, lang);
      const session = await ctx.identity.peekSession(req.cookies[cookie]);
      if (!session) return reply.redirect(`/${lang}/sign-in?expired=idle&next=${encodeURIComponent(next)}`, 303);
      await ctx.identity.extendSession(session);
      return reply.redirect(next, 303);
    },
  );
}
