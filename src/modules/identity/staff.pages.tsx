// Staff pages: account setup from the invitation link (password, authenticator, recovery codes),
// sign-in with password then second factor, the staff home page, sign out. Routes only: the views are
// in pages/staff-sign-in.tsx and pages/staff-home.tsx.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { type Lang, langOf, tr } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import type { FieldError } from '../../web/components.tsx';
import { sendPage } from '../../web/render.ts';
import { requireStaff, staffCookie } from './staff.guard.ts';
import { recoveryCodesPage } from './pages/recovery-codes.tsx';
import { registerStaffAccountPages } from './staff.account.tsx';
import {
  AuthenticatorPage,
  CheckEmailPage,
  ForgotPasswordPage,
  ResetPasswordPage,
  SecondFactorPage,
  SetupPasswordPage,
  SignInPage,
} from './pages/staff-sign-in.tsx';
import { StaffHomePage } from './pages/staff-home.tsx';

export function registerStaffPages(app: FastifyInstance, ctx: AppContext): void {
  const hide = { schema: { hide: true } };
  const csrf = { preHandler: app.csrfProtection };
  const prod = ctx.config.NODE_ENV === 'production';
  const cookie = staffCookie(ctx);
  const ipHash = (ip: string) => ctx.identity.keyed('ip', ip);

  // --- setup from the invitation link
  app.get<{ Params: { lang: string; token: string } }>('/:lang/staff/setup/:token', hide, async (req, reply) => {
    const lang = langOf(req.params);
    if (!(await ctx.staff.byToken(req.params.token, 'invitation'))) throw new AppError('NOT_FOUND');
    return sendPage(reply, <SetupPasswordPage lang={lang} csrf={reply.generateCsrf()} action={req.url} errors={[]} />);
  });

  app.post<{ Params: { lang: string; token: string }; Body: Record<string, string> }>(
    '/:lang/staff/setup/:token',
    { ...hide, ...csrf },
    async (req, reply) => {
      const lang = langOf(req.params);
      const staff = await ctx.staff.byToken(req.params.token, 'invitation');
      if (!staff) throw new AppError('NOT_FOUND');
      const pw = String(req.body?.password ?? '');
      const errors: FieldError[] = [];
      if (pw.length < 12 || pw.length > 200)
        errors.push({
          field: 'password',
          message: tr(lang, 'گذرواژه باید دست‌کم ۱۲ نویسه باشد', 'Password must be at least 12 characters'),
        });
      else if (pw !== req.body?.confirm)
        errors.push({ field: 'confirm', message: tr(lang, 'دو گذرواژه یکسان نیستند', 'The two passwords do not match') });
      if (errors.length)
        return sendPage(reply, <SetupPasswordPage lang={lang} csrf={reply.generateCsrf()} action={req.url} errors={errors} />, 400);
      await ctx.staff.setPassword(staff, pw);
      return reply.redirect(`/${lang}/staff/setup/${req.params.token}/authenticator`, 303);
    },
  );

  const authenticatorPage = (
    reply: FastifyReply,
    lang: Lang,
    url: string,
    secret: string,
    email: string,
    errors: FieldError[],
    status = 200,
  ) =>
    sendPage(
      reply,
      <AuthenticatorPage lang={lang} csrf={reply.generateCsrf()} action={url} secret={secret} email={email} errors={errors} />,
      status,
    );

  app.get<{ Params: { lang: string; token: string } }>('/:lang/staff/setup/:token/authenticator', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const staff = await ctx.staff.byToken(req.params.token, 'invitation');
    const secret = staff && ctx.staff.totpSecret(staff);
    if (!staff || !secret) throw new AppError('NOT_FOUND');
    return authenticatorPage(reply, lang, req.url, secret, staff.email, []);
  });

  app.post<{ Params: { lang: string; token: string }; Body: Record<string, string> }>(
    '/:lang/staff/setup/:token/authenticator',
    { ...hide, ...csrf },
    async (req, reply) => {
      const lang = langOf(req.params);
      const staff = await ctx.staff.byToken(req.params.token, 'invitation');
      const secret = staff && ctx.staff.totpSecret(staff);
      if (!staff || !secret) throw new AppError('NOT_FOUND');
      const codes = await ctx.staff.completeInvitation(req.params.token, String(req.body?.code ?? '').replace(/\s/g, ''));
      if (codes === 'bad-link') throw new AppError('NOT_FOUND');
      if (codes === 'bad-code')
        return authenticatorPage(
          reply,
          lang,
          req.url,
          secret,
          staff.email,
          [
            {
              field: 'code',
              message: tr(
                lang,
                'این کد درست نیست؛ کد تازه برنامه را وارد کنید',
                'That code is not right. Enter the current code from the app',
              ),
            },
          ],
          400,
        );
      return recoveryCodesPage(reply, lang, codes);
    },
  );

  // --- sign in
  const signInForm = (reply: FastifyReply, lang: Lang, next: string, errors: FieldError[], status = 200) =>
    sendPage(reply, <SignInPage lang={lang} csrf={reply.generateCsrf()} next={next} errors={errors} />, status);

  const safe = (lang: Lang, next: unknown) =>
    typeof next === 'string' && /^\/(fa|en)\/staff(\/[a-z0-9\-/]*)?$/.test(next) && !next.includes('//') ? next : `/${lang}/staff`;

  app.get<{ Params: { lang: string }; Querystring: { next?: string } }>('/:lang/staff/sign-in', hide, async (req, reply) =>
    signInForm(reply, langOf(req.params), safe(langOf(req.params), req.query.next), []),
  );

  app.post<{ Params: { lang: string }; Querystring: { next?: string }; Body: Record<string, string> }>(
    '/:lang/staff/sign-in',
    { ...hide, ...csrf },
    async (req, reply) => {
      const lang = langOf(req.params);
      const next = safe(lang, req.query.next);
      const r = await ctx.staff.signInPassword(
        String(req.body?.email ?? '').slice(0, 200),
        String(req.body?.password ?? '').slice(0, 200),
        ipHash(req.ip),
      );
      if (!r.ok) {
        const message =
          r.reason === 'locked'
            ? tr(
                lang,
                'به دلیل تلاش‌های ناموفق پیاپی، حساب ۱۵ دقیقه قفل است',
                'After repeated failures the account is locked for 15 minutes',
              )
            : tr(lang, 'رایانامه یا گذرواژه درست نیست', 'The email or password is not right');
        return signInForm(reply, lang, next, [{ field: 'email', message }], r.reason === 'locked' ? 429 : 400);
      }
      reply.setCookie(cookie, r.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: prod,
        maxAge: ctx.config.SESSION_ABSOLUTE_HOURS * 3600,
      });
      return reply.redirect(`/${lang}/staff/sign-in/second-factor?next=${encodeURIComponent(next)}`, 303);
    },
  );

  const secondFactorForm = (reply: FastifyReply, lang: Lang, next: string, errors: FieldError[], status = 200) =>
    sendPage(reply, <SecondFactorPage lang={lang} csrf={reply.generateCsrf()} next={next} errors={errors} />, status);

  app.get<{ Params: { lang: string }; Querystring: { next?: string } }>('/:lang/staff/sign-in/second-factor', hide, async (req, reply) =>
    secondFactorForm(reply, langOf(req.params), safe(langOf(req.params), req.query.next), []),
  );

  app.post<{ Params: { lang: string }; Querystring: { next?: string }; Body: Record<string, string> }>(
    '/:lang/staff/sign-in/second-factor',
    { ...hide, ...csrf },
    async (req, reply) => {
      const lang = langOf(req.params);
      const next = safe(lang, req.query.next);
      const r = await ctx.staff.signInSecondFactor(req.cookies[cookie] ?? '', String(req.body?.code ?? '').slice(0, 50), ipHash(req.ip));
      if (r.ok) return reply.redirect(next, 303);
      if (r.reason === 'no-session') return reply.redirect(`/${lang}/staff/sign-in`, 303);
      const message =
        r.reason === 'locked'
          ? tr(lang, 'به دلیل تلاش‌های ناموفق پیاپی، حساب ۱۵ دقیقه قفل است', 'After repeated failures the account is locked for 15 minutes')
          : tr(lang, 'این کد درست نیست', 'That code is not right');
      return secondFactorForm(reply, lang, next, [{ field: 'code', message }], r.reason === 'locked' ? 429 : 400);
    },
  );

  // --- password reset: a link by email, then a new password with the authenticator code
  const forgotForm = (reply: FastifyReply, lang: Lang, errors: FieldError[], status = 200) =>
    sendPage(reply, <ForgotPasswordPage lang={lang} csrf={reply.generateCsrf()} errors={errors} />, status);

  app.get<{ Params: { lang: string } }>('/:lang/staff/password/forgot', hide, async (req, reply) =>
    forgotForm(reply, langOf(req.params), []),
  );

  app.post<{ Params: { lang: string }; Body: Record<string, string> }>(
    '/:lang/staff/password/forgot',
    { ...hide, ...csrf },
    async (req, reply) => {
      const lang = langOf(req.params);
      const email = String(req.body?.email ?? '')
        .trim()
        .slice(0, 200);
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
        return forgotForm(
          reply,
          lang,
          [
            {
              field: 'email',
              message: tr(lang, 'رایانامه را درست وارد کنید، مانند name@example.ir', 'Enter an email address like name@example.ir'),
            },
          ],
          400,
        );
      const r = await ctx.staff.requestReset(email);
      if (r) {
        const base = ctx.config.PUBLIC_URL;
        const link = `${base}/${lang}/staff/password/reset/${r.token}`;
        await ctx.email.send({
          to: r.staff.email,
          subject: 'بازنشانی گذرواژه پنجره / Reset your Panjereh password',
          text: `برای گذرواژه تازه (تا یک ساعت):\n${link}\n\nTo set a new password (within one hour):\n${link}\n\nاگر شما درخواست نکرده‌اید، این پیام را نادیده بگیرید. / If you did not ask, ignore this message.\n`,
        });
      }
      // The same answer whether or not the account exists.
      return sendPage(reply, <CheckEmailPage lang={lang} />);
    },
  );

  // A reset sets a password only: the authenticator stays and signing in still asks for it.
  const resetForm = (reply: FastifyReply, lang: Lang, url: string, errors: FieldError[], status = 200) =>
    sendPage(reply, <ResetPasswordPage lang={lang} csrf={reply.generateCsrf()} action={url} errors={errors} />, status);

  app.get<{ Params: { lang: string; token: string } }>('/:lang/staff/password/reset/:token', hide, async (req, reply) => {
    const lang = langOf(req.params);
    if (!(await ctx.staff.byToken(req.params.token, 'password-reset'))) throw new AppError('NOT_FOUND');
    return resetForm(reply, lang, req.url, []);
  });

  app.post<{ Params: { lang: string; token: string }; Body: Record<string, string> }>(
    '/:lang/staff/password/reset/:token',
    { ...hide, ...csrf },
    async (req, reply) => {
      const lang = langOf(req.params);
      if (!(await ctx.staff.byToken(req.params.token, 'password-reset'))) throw new AppError('NOT_FOUND');
      const pw = String(req.body?.password ?? '');
      if (pw.length < 12 || pw.length > 200)
        return resetForm(
          reply,
          lang,
          req.url,
          [{ field: 'password', message: tr(lang, 'گذرواژه باید دست‌کم ۱۲ نویسه باشد', 'Password must be at least 12 characters') }],
          400,
        );
      if (pw !== req.body?.confirm)
        return resetForm(
          reply,
          lang,
          req.url,
          [{ field: 'confirm', message: tr(lang, 'دو گذرواژه یکسان نیستند', 'The two passwords do not match') }],
          400,
        );
      if ((await ctx.staff.resetPassword(req.params.token, pw, ipHash(req.ip))) === 'bad-link') throw new AppError('NOT_FOUND');
      return reply.redirect(`/${lang}/staff/sign-in`, 303);
    },
  );

  app.get<{ Params: { lang: string } }>('/:lang/staff', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const staff = await requireStaff(ctx, req, reply, lang, 'staff.home');
    if (!staff) return reply;
    const agency = staff.agency_id ? await ctx.catalog.getAgency(staff.agency_id) : null;
    return sendPage(reply, <StaffHomePage lang={lang} staff={staff} agency={agency} csrf={reply.generateCsrf()} />);
  });

  app.post<{ Params: { lang: string } }>('/:lang/staff/sign-out', { ...hide, ...csrf }, async (req, reply) => {
    const lang = langOf(req.params);
    const token = req.cookies[cookie];
    if (token) await ctx.staff.signOut(token);
    reply.clearCookie(cookie, { path: '/' });
    return reply.redirect(`/${lang}/staff/sign-in`, 303);
  });

  registerStaffAccountPages(app, ctx);
}
