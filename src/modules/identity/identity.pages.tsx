// Citizen sign-in (national ID + mobile, then a one-time code), the account page, sessions and sign
// out. Real forms, POST-redirect-GET, a CSRF token in every form; works without JavaScript.
import { safeNext } from './next.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { digits, formatDate, formatTime, type Lang, langOf } from '../../platform/i18n.ts';
import { deviceName } from './device.ts';
import type { AppContext } from '../../context.ts';
import { Breadcrumbs, ErrorSummary, Ltr, SummaryList, TextInput, type FieldError } from '../../web/components.tsx';
import type { ComponentChildren } from 'preact';
import { Layout } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.ts';
import { readCode, readMobile, readNationalId } from './identity.schema.ts';
import { citizenCookie, requireCitizen as requireCitizenOf } from './citizen.guard.ts';

const T = {
  fa: {
    signIn: 'ورود به پنجره',
    signInIntro: 'با کد ملی و شماره همراهی که به نام خودتان است وارد شوید. یک کد ۶ رقمی برایتان پیامک می‌کنیم.',
    nationalId: 'کد ملی',
    nationalIdHint: '۱۰ رقم، روی کارت ملی',
    mobile: 'شماره همراه',
    mobileHint: 'مانند ۰۹۱۲۳۴۵۶۷۸۹',
    continue: 'ادامه',
    codeTitle: 'کد پیامک‌شده را وارد کنید',
    codeSent: (m: ComponentChildren) => <>کد ۶ رقمی را به {m} پیامک کردیم. این کد ۲ دقیقه اعتبار دارد.</>,
    code: 'کد ورود',
    notReceived: 'کد به دستتان نرسید؟ دوباره درخواست کنید',
    mismatch: 'این شماره همراه به نام این کد ملی ثبت نشده است. شماره‌ای را وارد کنید که به نام خودتان است.',
    unavailable: 'بررسی مالکیت شماره همراه اکنون ممکن نیست. چند دقیقه دیگر دوباره تلاش کنید.',
    wait: (s: number) => `برای دریافت کد تازه ${digits('fa', String(s))} ثانیه صبر کنید.`,
    tooMany: 'درخواست کد بیش از حد بوده است. یک ساعت دیگر دوباره تلاش کنید.',
    wrongCode: (n: number) => `کد درست نیست. ${digits('fa', String(n))} بار دیگر می‌توانید تلاش کنید.`,
    expired: 'این کد منقضی شده است. کد تازه‌ای درخواست کنید.',
    tooManyTries: 'بیش از حد تلاش کرده‌اید. کد تازه‌ای درخواست کنید.',
    used: 'این کد پیش‌تر استفاده شده است. دوباره وارد شوید.',
    noChallenge: 'ابتدا کد ملی و شماره همراه خود را وارد کنید.',
    idleOut: 'چون ۲۰ دقیقه فعالیتی نداشتید، برای امنیت شما از حساب خارج شدید. دوباره وارد شوید.',
    account: 'حساب من',
    accountIntro: 'آنچه پنجره درباره شما می‌داند:',
    firstSeen: 'نخستین ورود',
    lastSignIn: 'آخرین ورود',
    sessions: 'نشست‌های من',
    sessionsIntro: 'دستگاه‌هایی که اکنون با حساب شما وارد شده‌اند. هر نشستی را که نمی‌شناسید پایان دهید.',
    started: 'آغاز',
    lastSeen: 'آخرین فعالیت',
    device: 'دستگاه',
    thisDevice: 'همین دستگاه',
    revoke: 'پایان دادن به این نشست',
    signOut: 'خروج',
    signedOut: 'از حساب خارج شدید.',
  },
  en: {
    signIn: 'Sign in to Panjereh',
    signInIntro: 'Sign in with your national ID and a mobile number registered in your name. We will text you a 6-digit code.',
    nationalId: 'National ID',
    nationalIdHint: '10 digits, on your national ID card',
    mobile: 'Mobile number',
    mobileHint: 'For example, 09123456789',
    continue: 'Continue',
    codeTitle: 'Enter the code we texted you',
    codeSent: (m: ComponentChildren) => <>We sent a 6-digit code to {m}. The code works for 2 minutes.</>,
    code: 'Sign-in code',
    notReceived: 'Not received the code? Ask for a new one',
    mismatch: 'This mobile number is not registered to this national ID. Enter a number registered in your name.',
    unavailable: 'We cannot check who owns the mobile number right now. Try again in a few minutes.',
    wait: (s: number) => `Wait ${s} seconds before asking for a new code.`,
    tooMany: 'Too many codes were requested. Try again in an hour.',
    wrongCode: (n: number) => `The code is not correct. You can try ${n} more time${n === 1 ? '' : 's'}.`,
    expired: 'This code has expired. Ask for a new code.',
    tooManyTries: 'Too many wrong tries. Ask for a new code.',
    used: 'This code has already been used. Sign in again.',
    noChallenge: 'First enter your national ID and mobile number.',
    idleOut: 'You were signed out after 20 minutes without activity, to keep your account safe. Sign in again.',
    account: 'Your account',
    accountIntro: 'What Panjereh knows about you:',
    firstSeen: 'First signed in',
    lastSignIn: 'Last signed in',
    sessions: 'Your sessions',
    sessionsIntro: 'Devices signed in to your account now. End any session you do not recognise.',
    started: 'Started',
    lastSeen: 'Last active',
    device: 'Device',
    thisDevice: 'This device',
    revoke: 'End this session',
    signOut: 'Sign out',
    signedOut: 'You have signed out.',
  },
};

const CHALLENGE_COOKIE = 'signin';

const maskMobile = (m: string) => `${m.slice(0, 4)}***${m.slice(-4)}`;

export function registerIdentityPages(app: FastifyInstance, ctx: AppContext): void {
  const hide = { schema: { hide: true } };
  const prod = ctx.config.NODE_ENV === 'production';
  const sessionCookie = citizenCookie(ctx);
  const csrf = { preHandler: app.csrfProtection };
  const ip = (req: FastifyRequest) => req.ip;

  const requireCitizen = (req: FastifyRequest, reply: FastifyReply, lang: Lang) => requireCitizenOf(ctx, req, reply, lang);

  const signInPage = async (
    reply: FastifyReply,
    lang: Lang,
    v: { nationalId: string; mobile: string; next: string; errors: FieldError[]; notice?: string },
    status = 200,
  ) => {
    const t = T[lang];
    const token = reply.generateCsrf();
    return sendPage(
      reply,
      <Layout lang={lang} title={t.signIn} altPath={`/${lang === 'fa' ? 'en' : 'fa'}/sign-in`} hasError={v.errors.length > 0}>
        <ErrorSummary lang={lang} errors={v.errors} />
        {v.notice ? <p class="notice">{v.notice}</p> : null}
        <h1>{t.signIn}</h1>
        <p class="lead">{t.signInIntro}</p>
        <form method="post" action={`/${lang}/sign-in`} novalidate>
          <input type="hidden" name="_csrf" value={token} />
          <input type="hidden" name="next" value={v.next} />
          <TextInput
            id="nationalId"
            label={t.nationalId}
            hint={t.nationalIdHint}
            value={v.nationalId}
            error={v.errors.find((e) => e.field === 'nationalId')?.message}
            autocomplete="off"
            inputMode="numeric"
          />
          <TextInput
            id="mobile"
            label={t.mobile}
            hint={t.mobileHint}
            value={v.mobile}
            error={v.errors.find((e) => e.field === 'mobile')?.message}
            autocomplete="tel"
            inputMode="tel"
          />
          <button class="button" type="submit">
            {t.continue}
          </button>
        </form>
      </Layout>,
      status,
    );
  };

  app.get<{ Params: { lang: string }; Querystring: { next?: string; expired?: string } }>('/:lang/sign-in', hide, async (req, reply) => {
    const lang = langOf(req.params);
    return signInPage(reply, lang, {
      nationalId: '',
      mobile: '',
      next: safeNext(req.query.next, lang),
      errors: [],
      notice: req.query.expired === 'idle' ? T[lang].idleOut : undefined,
    });
  });

  app.post<{ Params: { lang: string }; Body: Record<string, string> }>('/:lang/sign-in', { ...hide, ...csrf }, async (req, reply) => {
    const lang = langOf(req.params);
    const t = T[lang];
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
          ? t.mismatch
          : r.reason === 'ownership-unavailable'
            ? t.unavailable
            : r.reason === 'wait'
              ? t.wait(r.waitSeconds ?? 60)
              : t.tooMany;
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

  const codePage = async (reply: FastifyReply, lang: Lang, v: { mobile: string; next: string; errors: FieldError[] }, status = 200) => {
    const t = T[lang];
    const token = reply.generateCsrf();
    return sendPage(
      reply,
      <Layout lang={lang} title={t.codeTitle} altPath={`/${lang === 'fa' ? 'en' : 'fa'}/sign-in/code`} hasError={v.errors.length > 0}>
        <p>
          <a href={`/${lang}/sign-in?next=${encodeURIComponent(v.next)}`} class="back-link">
            {lang === 'fa' ? 'بازگشت' : 'Back'}
          </a>
        </p>
        <ErrorSummary lang={lang} errors={v.errors} />
        <h1>{t.codeTitle}</h1>
        {v.mobile ? <p>{t.codeSent(<Ltr>{digits(lang, maskMobile(v.mobile))}</Ltr>)}</p> : null}
        <form method="post" action={`/${lang}/sign-in/code`} novalidate>
          <input type="hidden" name="_csrf" value={token} />
          <input type="hidden" name="next" value={v.next} />
          <TextInput
            id="code"
            label={t.code}
            value=""
            error={v.errors.find((e) => e.field === 'code')?.message}
            autocomplete="one-time-code"
            inputMode="numeric"
          />
          <button class="button" type="submit">
            {t.continue}
          </button>
        </form>
        <p>
          <a href={`/${lang}/sign-in?next=${encodeURIComponent(v.next)}`}>{t.notReceived}</a>
        </p>
      </Layout>,
      status,
    );
  };

  app.get<{ Params: { lang: string }; Querystring: { next?: string } }>('/:lang/sign-in/code', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const id = req.cookies[CHALLENGE_COOKIE];
    const c = id && /^[0-9a-f-]{36}$/.test(id) ? await ctx.identity.repo.findChallenge(id) : undefined;
    if (!c) return reply.redirect(`/${lang}/sign-in`, 303);
    return codePage(reply, lang, { mobile: c.mobile, next: safeNext(req.query.next, lang), errors: [] });
  });

  app.post<{ Params: { lang: string }; Body: Record<string, string> }>('/:lang/sign-in/code', { ...hide, ...csrf }, async (req, reply) => {
    const lang = langOf(req.params);
    const t = T[lang];
    const next = safeNext(req.body?.next, lang);
    const challengeId = req.cookies[CHALLENGE_COOKIE] ?? '';
    const code = readCode(String(req.body?.code ?? '').slice(0, 50), lang);
    const challenge = /^[0-9a-f-]{36}$/.test(challengeId) ? await ctx.identity.repo.findChallenge(challengeId) : undefined;
    if (!challenge)
      return signInPage(reply, lang, { nationalId: '', mobile: '', next, errors: [{ field: 'nationalId', message: t.noChallenge }] }, 400);
    if (!code.ok) return codePage(reply, lang, { mobile: challenge.mobile, next, errors: [{ field: 'code', message: code.message }] }, 400);
    const r = await ctx.identity.verifyCode(challengeId, code.value, ip(req), req.headers['user-agent'] ?? null);
    if (!r.ok) {
      if (r.reason === 'wrong-code')
        return codePage(
          reply,
          lang,
          { mobile: challenge.mobile, next, errors: [{ field: 'code', message: t.wrongCode(r.triesLeft) }] },
          400,
        );
      const message = r.reason === 'expired' ? t.expired : r.reason === 'too-many-tries' ? t.tooManyTries : t.used;
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
    const t = T[lang];
    const token = reply.generateCsrf();
    return sendPage(
      reply,
      <Layout lang={lang} title={t.account} altPath={`/${lang === 'fa' ? 'en' : 'fa'}/account`}>
        <Breadcrumbs lang={lang} items={[{ label: t.account }]} />
        <h1>{t.account}</h1>
        <p>{t.accountIntro}</p>
        <SummaryList
          rows={[
            { key: t.nationalId, value: <bdi>{digits(lang, me.citizen.national_id)}</bdi> },
            { key: t.mobile, value: <bdi>{digits(lang, me.citizen.mobile)}</bdi> },
            { key: t.firstSeen, value: formatDate(lang, me.citizen.created_at) },
            { key: t.lastSignIn, value: me.citizen.last_sign_in_at ? formatDate(lang, me.citizen.last_sign_in_at) : '–' },
          ]}
        />
        <p>
          <a href={`/${lang}/account/sessions`}>{t.sessions}</a>
        </p>
        <p>
          <a href={`/${lang}/account/data-use`}>
            {lang === 'fa' ? 'چه دستگاه‌هایی اطلاعات شما را استعلام کرده‌اند' : 'Which agencies have used your data'}
          </a>
        </p>
        <p>
          <a href={`/${lang}/account/representation`}>
            {lang === 'fa' ? 'برای چه کسانی می‌توانید درخواست بدهید' : 'Who you can apply for'}
          </a>
        </p>
        <form method="post" action={`/${lang}/sign-out`}>
          <input type="hidden" name="_csrf" value={token} />
          <button class="button button-secondary" type="submit">
            {t.signOut}
          </button>
        </form>
      </Layout>,
    );
  });

  app.get<{ Params: { lang: string } }>('/:lang/account/sessions', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const me = await requireCitizen(req, reply, lang);
    if (!me) return reply;
    const t = T[lang];
    const token = reply.generateCsrf();
    const sessions = await ctx.identity.sessions(me.citizen.id);
    return sendPage(
      reply,
      <Layout lang={lang} title={t.sessions} altPath={`/${lang === 'fa' ? 'en' : 'fa'}/account/sessions`}>
        <Breadcrumbs lang={lang} items={[{ href: `/${lang}/account`, label: t.account }, { label: t.sessions }]} />
        <h1>{t.sessions}</h1>
        <p>{t.sessionsIntro}</p>
        <ul class="card-list">
          {sessions.map((s) => (
            <li>
              <h2 class="card-title">
                <bdi>{deviceName(lang, s.user_agent)}</bdi>
                {s.id === me.session.id ? ` (${t.thisDevice})` : ''}
              </h2>
              <p class="card-meta">
                {t.started}: {formatDate(lang, s.created_at)} · {t.lastSeen}: {formatDate(lang, s.last_seen_at)}
                {lang === 'fa' ? '، ' : ', '}
                {formatTime(lang, new Date(s.last_seen_at))}
              </p>
              {s.id === me.session.id ? null : (
                <form method="post" action={`/${lang}/account/sessions/${s.id}/revoke`}>
                  <input type="hidden" name="_csrf" value={token} />
                  <button class="button button-secondary" type="submit">
                    {t.revoke}
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
      </Layout>,
    );
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
    return signInPage(reply, lang, { nationalId: '', mobile: '', next: `/${lang}/account`, errors: [], notice: T[lang].signedOut });
  });
}
