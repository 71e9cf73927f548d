// Citizen sign-in (national ID + mobile, then a one-time code), the account page, sessions and sign
// out. Real forms, POST-redirect-GET, a CSRF token in every form; works without JavaScript.
import { safeNext } from './next.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Lang, langOf } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import type { FieldError } from '../../web/components.tsx';
import { sendPage } from '../../web/render.ts';
import { identityWords } from './identity.words.ts';
import { AccountPage, SessionsPage, SignInCodePage, SignInPage, type SignInView } from './pages/citizen.tsx';
import { readCode, readMobile, readNationalId } from './identity.schema.ts';
import { citizenCookie, requireCitizen as requireCitizenOf } from './citizen.guard.ts';

const CHALLENGE_COOKIE = 'signin';

export function registerIdentityPages(app: FastifyInstance, ctx: AppContext): void {
  const hide = { schema: { hide: true } };
  const prod = ctx.config.NODE_ENV === 'production';
  const sessionCookie = citizenCookie(ctx);
  const csrf = { preHandler: app.csrfProtection };
  const ip = (req: FastifyRequest) => req.ip;

  const requireCitizen = (req: FastifyRequest, reply: FastifyReply, lang: Lang) => requireCitizenOf(ctx, req, reply, lang);

  const signInPage = async (reply: FastifyReply, lang: Lang, v: SignInView, status = 200) =>
    sendPage(reply, <SignInPage lang={lang} v={v} token={reply.generateCsrf()} />, status);

  app.get<{ Params: { lang: string }; Querystring: { next?: string; expired?: string } }>('/:lang/sign-in', hide, async (req, reply) => {
    const lang = langOf(req.params);
    return signInPage(reply, lang, {
      nationalId: '',
      mobile: '',
      next: safeNext(req.query.next, lang),
      errors: [],
      notice: req.query.expired === 'idle' ? identityWords(lang)('idleOut') : undefined,
    });
  });

  app.post<{ Params: { lang: string }; Body: Record<string, string> }>('/:lang/sign-in', { ...hide, ...csrf }, async (req, reply) => {
    const lang = langOf(req.params);
    const m = identityWords(lang);
    const body = req.body ?? {};
    const nationalIdRaw = String(body.nationalId ?? '').slice(0, 50);
    const mobileRaw = String(body.mobile ?? '').slice(0, 50);
    const next = safeNext(body.next, lang);
    const nid = readNationalId(nationalIdRaw, lang);
    const mob = readMobile(mobileRaw, lang);
    const errors: FieldError[] = [];
    if (!nid.ok) errors.push({ field: 'nationalId', message: nid.message });
    if (!mob.ok) errors.push({ field: 'mobile', message: mob.message });
    if (!nid.ok || !mob.ok) return signInPage(reply, lang, { nationalId: nationalIdRaw, mobile: mobileRaw, next, errors }, 400);
    const r = await ctx.identity.requestCode(nid.value, mob.value, ip(req), lang);
    if (!r.ok) {
      const message =
        r.reason === 'mobile-mismatch'
          ? m('mismatch')
          : r.reason === 'ownership-unavailable'
            ? m('unavailable')
            : r.reason === 'wait'
              ? m('wait', { s: r.waitSeconds ?? 60 })
              : m('tooMany');
      return signInPage(
        reply,
        lang,
        {
          nationalId: nationalIdRaw,
          mobile: mobileRaw,
          next,
          errors: [{ field: r.reason === 'mobile-mismatch' ? 'mobile' : 'nationalId', message }],
        },
        r.reason === 'too-many-requests' || r.reason === 'wait' ? 429 : 400,
      );
    }
    reply.setCookie(CHALLENGE_COOKIE, r.challengeId, { path: '/', httpOnly: true, sameSite: 'lax', secure: prod, maxAge: 15 * 60 });
    return reply.redirect(`/${lang}/sign-in/code?next=${encodeURIComponent(next)}`, 303);
  });

  const codePage = async (reply: FastifyReply, lang: Lang, v: { mobile: string; next: string; errors: FieldError[] }, status = 200) =>
    sendPage(reply, <SignInCodePage lang={lang} v={v} token={reply.generateCsrf()} />, status);

  app.get<{ Params: { lang: string }; Querystring: { next?: string } }>('/:lang/sign-in/code', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const id = req.cookies[CHALLENGE_COOKIE];
    const c = id && /^[0-9a-f-]{36}$/.test(id) ? await ctx.identity.repo.findChallenge(id) : undefined;
    if (!c) return reply.redirect(`/${lang}/sign-in`, 303);
    return codePage(reply, lang, { mobile: c.mobile, next: safeNext(req.query.next, lang), errors: [] });
  });

  app.post<{ Params: { lang: string }; Body: Record<string, string> }>('/:lang/sign-in/code', { ...hide, ...csrf }, async (req, reply) => {
    const lang = langOf(req.params);
    const m = identityWords(lang);
    const next = safeNext(req.body?.next, lang);
    const challengeId = req.cookies[CHALLENGE_COOKIE] ?? '';
    const code = readCode(String(req.body?.code ?? '').slice(0, 50), lang);
    const challenge = /^[0-9a-f-]{36}$/.test(challengeId) ? await ctx.identity.repo.findChallenge(challengeId) : undefined;
    if (!challenge)
      return signInPage(
        reply,
        lang,
        { nationalId: '', mobile: '', next, errors: [{ field: 'nationalId', message: m('noChallenge') }] },
        400,
      );
    if (!code.ok) return codePage(reply, lang, { mobile: challenge.mobile, next, errors: [{ field: 'code', message: code.message }] }, 400);
    const r = await ctx.identity.verifyCode(challengeId, code.value, ip(req), req.headers['user-agent'] ?? null);
    if (!r.ok) {
      if (r.reason === 'wrong-code')
        return codePage(
          reply,
          lang,
          {
            mobile: challenge.mobile,
            next,
            errors: [{ field: 'code', message: r.triesLeft === 1 ? m('wrongCodeOnce') : m('wrongCode', { n: r.triesLeft }) }],
          },
          400,
        );
      const message = r.reason === 'expired' ? m('expired') : r.reason === 'too-many-tries' ? m('tooManyTries') : m('used');
      reply.clearCookie(CHALLENGE_COOKIE, { path: '/' });
      return signInPage(reply, lang, { nationalId: '', mobile: '', next, errors: [{ field: 'nationalId', message }] }, 400);
    }
    reply.clearCookie(CHALLENGE_COOKIE, { path: '/' });
    reply.setCookie(sessionCookie, r.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: prod,
      maxAge: ctx.config.SESSION_ABSOLUTE_HOURS * 3600,
    });
    return reply.redirect(next, 303);
  });

  app.get<{ Params: { lang: string } }>('/:lang/account', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const me = await requireCitizen(req, reply, lang);
    if (!me) return reply;
    const c = me.citizen;
    const view = { nationalId: c.national_id, mobile: c.mobile, createdAt: c.created_at, lastSignInAt: c.last_sign_in_at };
    return sendPage(reply, <AccountPage lang={lang} me={view} token={reply.generateCsrf()} />);
  });

  app.get<{ Params: { lang: string } }>('/:lang/account/sessions', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const me = await requireCitizen(req, reply, lang);
    if (!me) return reply;
    const sessions = await ctx.identity.sessions(me.citizen.id);
    return sendPage(reply, <SessionsPage lang={lang} sessions={sessions} current={me.session.id} token={reply.generateCsrf()} />);
  });

  app.post<{ Params: { lang: string; id: string } }>('/:lang/account/sessions/:id/revoke', { ...hide, ...csrf }, async (req, reply) => {
    const lang = langOf(req.params);
    const me = await requireCitizen(req, reply, lang);
    if (!me) return reply;
    await ctx.identity.revoke(me.citizen.id, req.params.id);
    return reply.redirect(`/${lang}/account/sessions`, 303);
  });

  app.post<{ Params: { lang: string } }>('/:lang/sign-out', { ...hide, ...csrf }, async (req, reply) => {
    const lang = langOf(req.params);
    const found = await ctx.identity.sessionFor(req.cookies[sessionCookie]);
    if (found && 'session' in found) await ctx.identity.signOut(found.session);
    reply.clearCookie(sessionCookie, { path: '/' });
    return signInPage(reply, lang, {
      nationalId: '',
      mobile: '',
      next: `/${lang}/account`,
      errors: [],
      notice: identityWords(lang)('signedOut'),
    });
  });
}
