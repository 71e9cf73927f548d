// Staff pages: account setup from the invitation link (password, authenticator, recovery codes),
// sign-in with password then second factor, the staff home page, sign out.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { authenticator } from 'otplib';
import { AppError } from '../../platform/errors.ts';
import { isLang, type Lang, langOf, tr } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { ErrorSummary, SummaryList, TextInput, type FieldError } from '../../web/components.tsx';
import { Layout } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.ts';
import { principal, requireStaff, staffCookie } from './staff.guard.ts';
import { can } from './identity.policy.ts';
import { recoveryCodesPage, registerStaffAccountPages } from './staff.account.tsx';

const ROLE_NAMES: Record<string, { fa: string; en: string }> = {
  'platform-admin': { fa: 'مدیر سامانه', en: 'Platform administrator' },
  'oversight-analyst': { fa: 'کارشناس نظارت', en: 'Oversight analyst' },
  'agency-admin': { fa: 'مدیر دستگاه', en: 'Agency administrator' },
  'service-editor': { fa: 'ویراستار خدمات', en: 'Service editor' },
  operator: { fa: 'کارشناس پاسخگو', en: 'Operator' },
};

export function registerStaffPages(app: FastifyInstance, ctx: AppContext): void {
  const hide = { schema: { hide: true } };
  const csrf = { preHandler: app.csrfProtection };
  const prod = ctx.config.NODE_ENV === 'production';
  const cookie = staffCookie(ctx);
  const ipHash = (ip: string) => ctx.identity.keyed('ip', ip);

  const form = async (
    reply: FastifyReply,
    lang: Lang,
    title: string,
    action: string,
    fields: preact.ComponentChildren,
    errors: FieldError[],
    status = 200,
    intro?: preact.ComponentChildren,
  ) =>
    sendPage(
      reply,
      <Layout lang={lang} title={title} altPath={`/${lang === 'fa' ? 'en' : 'fa'}/staff`} hasError={errors.length > 0}>
        <ErrorSummary lang={lang} errors={errors} />
        <h1>{title}</h1>
        {intro}
        <form method="post" action={action} novalidate>
          <input type="hidden" name="_csrf" value={await reply.generateCsrf()} />
          {fields}
          <button class="button" type="submit">
            {tr(lang, 'ادامه', 'Continue')}
          </button>
        </form>
      </Layout>,
      status,
    );

  // --- setup from the invitation link
  app.get<{ Params: { lang: string; token: string } }>('/:lang/staff/setup/:token', hide, async (req, reply) => {
    const lang = langOf(req.params);
    if (!(await ctx.staff.byToken(req.params.token, 'invitation'))) throw new AppError('NOT_FOUND');
    return form(
      reply,
      lang,
      tr(lang, 'گذرواژه خود را بسازید', 'Create your password'),
      req.url,
      <>
        <TextInput
          width="wide"
          id="password"
          type="password"
          label={tr(lang, 'گذرواژه', 'Password')}
          hint={tr(lang, 'دست‌کم ۱۲ نویسه', 'At least 12 characters')}
          autocomplete="new-password"
        />
        <TextInput
          width="wide"
          id="confirm"
          type="password"
          label={tr(lang, 'تکرار گذرواژه', 'Type it again')}
          autocomplete="new-password"
        />
      </>,
      [],
    );
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
      if (errors.length) {
        return form(
          reply,
          lang,
          tr(lang, 'گذرواژه خود را بسازید', 'Create your password'),
          req.url,
          <>
            <TextInput
              width="wide"
              id="password"
              type="password"
              label={tr(lang, 'گذرواژه', 'Password')}
              hint={tr(lang, 'دست‌کم ۱۲ نویسه', 'At least 12 characters')}
              error={errors.find((e) => e.field === 'password')?.message}
              autocomplete="new-password"
            />
            <TextInput
              width="wide"
              id="confirm"
              type="password"
              label={tr(lang, 'تکرار گذرواژه', 'Type it again')}
              error={errors.find((e) => e.field === 'confirm')?.message}
              autocomplete="new-password"
            />
          </>,
          errors,
          400,
        );
      }
      await ctx.staff.setPassword(staff, pw);
      return reply.redirect(`/${lang}/staff/setup/${req.params.token}/authenticator`, 303);
    },
  );

  const authenticatorPage = async (
    reply: FastifyReply,
    lang: Lang,
    url: string,
    secret: string,
    email: string,
    errors: FieldError[],
    status = 200,
  ) =>
    form(
      reply,
      lang,
      tr(lang, 'برنامه تأیید هویت را تنظیم کنید', 'Set up your authenticator app'),
      url,
      <TextInput
        width="wide"
        id="code"
        label={tr(lang, 'کد ۶ رقمی برنامه', 'The 6-digit code from the app')}
        error={errors[0]?.message}
        autocomplete="one-time-code"
      />,
      errors,
      status,
      <>
        <p>
          {tr(
            lang,
            'در برنامه تأیید هویت (مانند Google Authenticator یا FreeOTP) یک حساب تازه با این کلید بسازید:',
            'In your authenticator app (such as Google Authenticator or FreeOTP) add an account with this key:',
          )}
        </p>
        <p class="panel">
          <code>{secret.replace(/(.{4})/g, '$1 ').trim()}</code>
        </p>
        <p class="muted">
          <code>{authenticator.keyuri(email, 'Panjereh', secret)}</code>
        </p>
      </>,
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
    form(
      reply,
      lang,
      tr(lang, 'ورود کارکنان', 'Staff sign in'),
      `/${lang}/staff/sign-in?next=${encodeURIComponent(next)}`,
      <>
        <TextInput
          width="wide"
          id="email"
          type="email"
          label={tr(lang, 'رایانامه', 'Email')}
          error={errors.find((e) => e.field === 'email')?.message}
          autocomplete="username"
        />
        <TextInput width="wide" id="password" type="password" label={tr(lang, 'گذرواژه', 'Password')} autocomplete="current-password" />
      </>,
      errors,
      status,
      <p>
        <a href={`/${lang}/staff/password/forgot`}>{tr(lang, 'گذرواژه را فراموش کرده‌اید؟', 'Forgotten your password?')}</a>
      </p>,
    );

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
    form(
      reply,
      lang,
      tr(lang, 'کد برنامه تأیید هویت', 'Code from your authenticator app'),
      `/${lang}/staff/sign-in/second-factor?next=${encodeURIComponent(next)}`,
      <TextInput
        width="wide"
        id="code"
        label={tr(lang, 'کد ۶ رقمی، یا یک کد بازیابی', 'The 6-digit code, or a recovery code')}
        error={errors[0]?.message}
        autocomplete="one-time-code"
      />,
      errors,
      status,
    );

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
    form(
      reply,
      lang,
      tr(lang, 'گذرواژه را فراموش کرده‌اید؟', 'Forgotten your password?'),
      `/${lang}/staff/password/forgot`,
      <TextInput
        width="wide"
        id="email"
        type="email"
        label={tr(lang, 'رایانامه', 'Email')}
        error={errors[0]?.message}
        autocomplete="username"
      />,
      errors,
      status,
    );

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
      return sendPage(
        reply,
        <Layout
          lang={lang}
          title={tr(lang, 'رایانامه‌تان را ببینید', 'Check your email')}
          altPath={`/${lang === 'fa' ? 'en' : 'fa'}/staff/sign-in`}
        >
          <h1>{tr(lang, 'رایانامه‌تان را ببینید', 'Check your email')}</h1>
          <p>
            {tr(
              lang,
              'اگر حسابی با این رایانامه باشد، پیوند بازنشانی گذرواژه برایش فرستاده شد. پیوند یک ساعت کار می‌کند.',
              'If there is an account with this email, we have sent it a link to reset the password. The link works for one hour.',
            )}
          </p>
        </Layout>,
      );
    },
  );

  // A reset sets a password only: the authenticator stays and signing in still asks for it.
  const resetForm = (reply: FastifyReply, lang: Lang, url: string, errors: FieldError[], status = 200) =>
    form(
      reply,
      lang,
      tr(lang, 'گذرواژه تازه', 'Choose a new password'),
      url,
      <>
        <TextInput
          width="wide"
          id="password"
          type="password"
          label={tr(lang, 'گذرواژه تازه', 'New password')}
          hint={tr(lang, 'دست‌کم ۱۲ نویسه', 'At least 12 characters')}
          error={errors.find((e) => e.field === 'password')?.message}
          autocomplete="new-password"
        />
        <TextInput
          width="wide"
          id="confirm"
          type="password"
          label={tr(lang, 'تکرار گذرواژه تازه', 'Type it again')}
          error={errors.find((e) => e.field === 'confirm')?.message}
          autocomplete="new-password"
        />
      </>,
      errors,
      status,
      <p>
        {tr(
          lang,
          'برنامه تأیید هویت شما تغییر نمی‌کند: برای ورود همچنان کد آن (یا یک کد بازیابی) لازم است.',
          'Your authenticator app stays the same: signing in still needs its code (or a recovery code).',
        )}
      </p>,
    );

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
    return sendPage(
      reply,
      <Layout lang={lang} title={tr(lang, 'میز کار کارکنان', 'Staff home')} altPath={`/${lang === 'fa' ? 'en' : 'fa'}/staff`}>
        <h1>{tr(lang, 'میز کار کارکنان', 'Staff home')}</h1>
        <SummaryList
          rows={[
            { key: tr(lang, 'رایانامه', 'Email'), value: <bdi>{staff.email}</bdi> },
            { key: tr(lang, 'نقش', 'Role'), value: ROLE_NAMES[staff.role][lang] },
            ...(agency
              ? [{ key: tr(lang, 'دستگاه', 'Agency'), value: (lang === 'fa' ? agency.name.fa : agency.name.en) ?? agency.id }]
              : []),
          ]}
        />
        <ul>
          {staff.agency_id && can(principal(staff), 'applications.work', { agencyId: staff.agency_id }) ? (
            <>
              <li>
                <a href={`/${lang}/staff/applications`}>{tr(lang, 'صف درخواست‌ها', 'Applications queue')}</a>
              </li>
              <li>
                <a href={`/${lang}/staff/applications/stats`}>{tr(lang, 'آمار درخواست‌ها', 'Application statistics')}</a>
              </li>
            </>
          ) : null}
          {can(principal(staff), 'payments.report', { agencyId: staff.agency_id ?? undefined }) ? (
            <li>
              <a href={`/${lang}/staff/payments`}>{tr(lang, 'پرداخت‌ها و تطبیق', 'Payments and reconciliation')}</a>
            </li>
          ) : null}
          {can(principal(staff), 'payments.accounts', { agencyId: staff.agency_id ?? undefined }) ? (
            <li>
              <a href={`/${lang}/staff/payments/accounts`}>{tr(lang, 'حساب‌های خزانه (شبا)', 'Treasury accounts (IBAN)')}</a>
            </li>
          ) : null}
          {staff.agency_id ? (
            <li>
              <a href={`/${lang}/staff/agencies/${staff.agency_id}/services`}>
                {tr(lang, 'شناسنامه خدمات دستگاه', "Your agency's service cards")}
              </a>
            </li>
          ) : null}
          {staff.agency_id && can(principal(staff), 'staff.manage', { agencyId: staff.agency_id }) ? (
            <li>
              <a href={`/${lang}/staff/agencies/${staff.agency_id}/people`}>{tr(lang, 'کارکنان دستگاه', "Your agency's people")}</a>
            </li>
          ) : null}
          {can(principal(staff), 'documents.list', { agencyId: staff.agency_id ?? undefined }) ? (
            <li>
              <a href={`/${lang}/staff/documents`}>{tr(lang, 'سندهای صادرشده', 'Issued documents')}</a>
            </li>
          ) : null}
          {can(principal(staff), 'integrations.manage', { agencyId: staff.agency_id ?? undefined }) ? (
            <li>
              <a href={staff.agency_id ? `/${lang}/staff/agencies/${staff.agency_id}/integrations` : `/${lang}/staff/integrations`}>
                {tr(lang, 'اتصال سامانه‌های دستگاه (کلید API و وب‌هوک)', 'Agency systems: API keys and webhooks')}
              </a>
            </li>
          ) : null}
          {can(principal(staff), 'oversight.view') ? (
            <li>
              <a href={`/${lang}/staff/oversight`}>{tr(lang, 'دستگاه‌ها از نگاه نظارت', 'Agencies: oversight view')}</a>
            </li>
          ) : null}
          {can(principal(staff), 'oversight.view') ? (
            <li>
              <a href={`/${lang}/staff/exchange/statistics`}>{tr(lang, 'آمار تبادل داده میان دستگاه‌ها', 'Data exchange statistics')}</a>
            </li>
          ) : null}
          {can(principal(staff), 'exchange.manage') ? (
            <li>
              <a href={`/${lang}/staff/exchange`}>
                {tr(lang, 'تبادل داده: اعضا، خدمات و مجوزها', 'Data exchange: members, services and rights')}
              </a>
            </li>
          ) : null}
          <li>
            <a href={`/${lang}/staff/monitoring`}>{tr(lang, 'پایش و ارزیابی', 'Monitoring and evaluation')}</a>
          </li>
          {can(principal(staff), 'sso.manage') ? (
            <li>
              <a href={`/${lang}/staff/sso/clients`}>{tr(lang, 'سامانه‌های متصل با ورود یکپارچه', 'Single sign-on portals')}</a>
            </li>
          ) : null}
          {can(principal(staff), 'calendar.manage') ? (
            <li>
              <a href={`/${lang}/staff/calendar`}>{tr(lang, 'تقویم روزهای کاری و تعطیلات', 'Working-day calendar and holidays')}</a>
            </li>
          ) : null}
          {can(principal(staff), 'audit.view') ? (
            <li>
              <a href={`/${lang}/staff/audit`}>{tr(lang, 'گزارش رخدادها', 'Audit log')}</a>
            </li>
          ) : null}
          <li>
            <a href={`/${lang}/staff/account`}>
              {tr(lang, 'امنیت حساب شما: برنامه تأیید هویت و کدهای بازیابی', 'Your account security: authenticator and recovery codes')}
            </a>
          </li>
        </ul>
        <form method="post" action={`/${lang}/staff/sign-out`}>
          <input type="hidden" name="_csrf" value={await reply.generateCsrf()} />
          <button class="button button-secondary" type="submit">
            {tr(lang, 'خروج', 'Sign out')}
          </button>
        </form>
      </Layout>,
    );
  });

  app.post<{ Params: { lang: string } }>('/:lang/staff/sign-out', { ...hide, ...csrf }, async (req, reply) => {
    const lang = langOf(req.params);
    if (req.cookies[cookie]) await ctx.staff.signOut(req.cookies[cookie]!);
    reply.clearCookie(cookie, { path: '/' });
    return reply.redirect(`/${lang}/staff/sign-in`, 303);
  });

  registerStaffAccountPages(app, ctx);
}
