// A staff member's own account security: recovery codes left and new ones, a new authenticator app
// (signed in, for example with a recovery code after losing the phone), and the link an administrator's
// "reset authenticator" sends. Every change asks for the password; a new authenticator ends every session.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { formatNumber, type Lang, langOf, tr } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { ErrorSummary, TextInput, type FieldError } from '../../web/components.tsx';
import { Layout } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.ts';
import { recoveryCodesPage } from './pages/recovery-codes.tsx';
import { AuthenticatorKey } from './pages/authenticator-key.tsx';
import { requireStaff, staffCookie } from './staff.guard.ts';
import type { StaffRow } from './staff.service.ts';

const other = (lang: Lang) => (lang === 'fa' ? 'en' : 'fa');
const LOCKED = (lang: Lang) =>
  tr(lang, 'به دلیل تلاش‌های ناموفق پیاپی، حساب ۱۵ دقیقه قفل است', 'After repeated failures the account is locked for 15 minutes');
const BAD_PASSWORD = (lang: Lang) => tr(lang, 'گذرواژه درست نیست', 'The password is not right');

export function registerStaffAccountPages(app: FastifyInstance, ctx: AppContext): void {
  const hide = { schema: { hide: true } };
  const csrf = { preHandler: app.csrfProtection };
  const ipHash = (ip: string) => ctx.identity.keyed('ip', ip);

  const accountPage = async (reply: FastifyReply, lang: Lang, staff: StaffRow, errors: FieldError[], status = 200) => {
    const title = tr(lang, 'امنیت حساب شما', 'Your account security');
    const left = ctx.staff.recoveryCodesLeft(staff);
    return sendPage(
      reply,
      <Layout lang={lang} title={title} altPath={`/${other(lang)}/staff/account`} hasError={errors.length > 0}>
        <p>
          <a class="back-link" href={`/${lang}/staff`}>
            {tr(lang, 'میز کار کارکنان', 'Staff home')}
          </a>
        </p>
        <ErrorSummary lang={lang} errors={errors} />
        <h1>{title}</h1>
        <h2>{tr(lang, 'برنامه تأیید هویت', 'Authenticator app')}</h2>
        <p>
          {tr(
            lang,
            'گوشی تازه دارید یا برنامه را از دست داده‌اید؟ یک برنامه تازه تنظیم کنید؛ کد برنامه قبلی دیگر کار نمی‌کند و همه نشست‌های شما بسته می‌شود.',
            'New phone, or lost the app? Set up a new one: codes from the old app stop working and all your sessions end.',
          )}
        </p>
        <p>
          <a href={`/${lang}/staff/account/authenticator`}>{tr(lang, 'تنظیم برنامه تأیید هویت تازه', 'Set up a new authenticator app')}</a>
        </p>
        <h2>{tr(lang, 'کدهای بازیابی', 'Recovery codes')}</h2>
        <p>{tr(lang, `${formatNumber(lang, left)} کد بازیابی برای شما مانده است.`, `You have ${left} recovery codes left.`)}</p>
        <form method="post" action={`/${lang}/staff/account/recovery-codes`} novalidate>
          <input type="hidden" name="_csrf" value={reply.generateCsrf()} />
          <TextInput
            width="wide"
            id="password"
            type="password"
            label={tr(lang, 'گذرواژه شما', 'Your password')}
            hint={tr(lang, 'کدهای قبلی دیگر کار نمی‌کنند.', 'Your old codes will stop working.')}
            error={errors.find((e) => e.field === 'password')?.message}
            autocomplete="current-password"
          />
          <button class="button" type="submit">
            {tr(lang, 'ساختن ۱۰ کد بازیابی تازه', 'Make 10 new recovery codes')}
          </button>
        </form>
      </Layout>,
      status,
    );
  };

  /** The new key, its otpauth URI, and a form with the password and a code from the app (the key travels sealed). */
  const authenticatorForm = async (
    reply: FastifyReply,
    lang: Lang,
    action: string,
    staff: StaffRow,
    errors: FieldError[],
    status = 200,
    carried?: { secret: string; pending: string },
  ) => {
    const { secret, pending } = carried ?? ctx.staff.newAuthenticator(staff);
    const title = tr(lang, 'برنامه تأیید هویت تازه', 'Set up a new authenticator app');
    return sendPage(
      reply,
      <Layout lang={lang} title={title} altPath={`/${other(lang)}/staff`} hasError={errors.length > 0}>
        <ErrorSummary lang={lang} errors={errors} />
        <h1>{title}</h1>
        <p>
          {tr(
            lang,
            'در برنامه تأیید هویت (مانند Google Authenticator یا FreeOTP) یک حساب تازه با این کلید بسازید:',
            'In your authenticator app (such as Google Authenticator or FreeOTP) add an account with this key:',
          )}
        </p>
        <AuthenticatorKey lang={lang} secret={secret} account={staff.email} />
        <form method="post" action={action} novalidate>
          <input type="hidden" name="_csrf" value={reply.generateCsrf()} />
          <input type="hidden" name="pending" value={pending} />
          <TextInput
            width="wide"
            id="code"
            label={tr(lang, 'کد ۶ رقمی برنامه تازه', 'The 6-digit code from the new app')}
            error={errors.find((e) => e.field === 'code')?.message}
            autocomplete="one-time-code"
            inputMode="numeric"
          />
          <TextInput
            width="wide"
            id="password"
            type="password"
            label={tr(lang, 'گذرواژه شما', 'Your password')}
            error={errors.find((e) => e.field === 'password')?.message}
            autocomplete="current-password"
          />
          <button class="button" type="submit">
            {tr(lang, 'ادامه', 'Continue')}
          </button>
        </form>
      </Layout>,
      status,
    );
  };

  /** Confirms a new authenticator (with a token: the administrator's reset link). */
  const confirm = async (
    reply: FastifyReply,
    lang: Lang,
    action: string,
    staff: StaffRow,
    body: Record<string, string> | undefined,
    ip: string,
    token?: string,
  ) => {
    const pending = String(body?.pending ?? '').slice(0, 500);
    const r = await ctx.staff.replaceAuthenticator(staff, {
      token,
      pending,
      password: String(body?.password ?? '').slice(0, 200),
      code: String(body?.code ?? '').slice(0, 20),
      ipHash: ipHash(ip),
    });
    if (Array.isArray(r)) {
      reply.clearCookie(staffCookie(ctx), { path: '/' });
      return recoveryCodesPage(reply, lang, r);
    }
    if (r === 'bad-link' && token !== undefined && !(await ctx.staff.byToken(token, 'authenticator'))) throw new AppError('NOT_FOUND');
    const secret = ctx.staff.pendingSecret(staff, pending);
    const carried = secret && r !== 'bad-link' ? { secret, pending } : undefined;
    const error: FieldError =
      r === 'bad-link'
        ? {
            field: 'code',
            message: tr(
              lang,
              'این صفحه کهنه شده است؛ کلید تازه بالا را در برنامه بگذارید و کد آن را وارد کنید',
              'This page has expired. Add the new key above to your app and enter its code',
            ),
          }
        : r === 'bad-code'
          ? {
              field: 'code',
              message: tr(
                lang,
                'این کد درست نیست؛ کد کنونی برنامه تازه را وارد کنید',
                'That code is not right. Enter the current code from the new app',
              ),
            }
          : { field: 'password', message: r === 'locked' ? LOCKED(lang) : BAD_PASSWORD(lang) };
    return authenticatorForm(reply, lang, action, staff, [error], r === 'locked' ? 429 : 400, carried);
  };

  app.get<{ Params: { lang: string } }>('/:lang/staff/account', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const staff = await requireStaff(ctx, req, reply, lang, 'staff.home');
    if (!staff) return reply;
    return accountPage(reply, lang, staff, []);
  });

  app.post<{ Params: { lang: string }; Body: Record<string, string> }>(
    '/:lang/staff/account/recovery-codes',
    { ...hide, ...csrf },
    async (req, reply) => {
      const lang = langOf(req.params);
      const staff = await requireStaff(ctx, req, reply, lang, 'staff.home');
      if (!staff) return reply;
      const r = await ctx.staff.regenerateRecoveryCodes(staff, String(req.body?.password ?? '').slice(0, 200), ipHash(req.ip));
      if (Array.isArray(r)) return recoveryCodesPage(reply, lang, r, 'home');
      return accountPage(
        reply,
        lang,
        staff,
        [{ field: 'password', message: r === 'locked' ? LOCKED(lang) : BAD_PASSWORD(lang) }],
        r === 'locked' ? 429 : 400,
      );
    },
  );

  app.get<{ Params: { lang: string } }>('/:lang/staff/account/authenticator', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const staff = await requireStaff(ctx, req, reply, lang, 'staff.home');
    if (!staff) return reply;
    return authenticatorForm(reply, lang, `/${lang}/staff/account/authenticator`, staff, []);
  });

  app.post<{ Params: { lang: string }; Body: Record<string, string> }>(
    '/:lang/staff/account/authenticator',
    { ...hide, ...csrf },
    async (req, reply) => {
      const lang = langOf(req.params);
      const staff = await requireStaff(ctx, req, reply, lang, 'staff.home');
      if (!staff) return reply;
      return confirm(reply, lang, `/${lang}/staff/account/authenticator`, staff, req.body, req.ip);
    },
  );

  // --- the link an administrator's "reset authenticator" sends (not a sign-in: the password is asked here)
  app.get<{ Params: { lang: string; token: string } }>('/:lang/staff/authenticator/:token', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const staff = await ctx.staff.byToken(req.params.token, 'authenticator');
    if (!staff) throw new AppError('NOT_FOUND');
    return authenticatorForm(reply, lang, req.url, staff, []);
  });

  app.post<{ Params: { lang: string; token: string }; Body: Record<string, string> }>(
    '/:lang/staff/authenticator/:token',
    { ...hide, ...csrf },
    async (req, reply) => {
      const lang = langOf(req.params);
      const staff = await ctx.staff.byToken(req.params.token, 'authenticator');
      if (!staff) throw new AppError('NOT_FOUND');
      return confirm(reply, lang, req.url, staff, req.body, req.ip, req.params.token);
    },
  );
}
