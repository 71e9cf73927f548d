// Identity assurance: the citizen's step-up page. Each route declares method, path, schema and guards,
// calls one service method and renders one view (pages/step-up.tsx).
//   GET  /:lang/account/assurance?next=   the level of this sign-in, and the step-up form when it is low
//   POST /:lang/account/assurance?next=   checks the particulars with the civil registry; a match rotates
//                                          the session (a new cookie) at substantial
import type { FastifyInstance, FastifyReply } from 'fastify';
import { langOf, type Lang } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { sendPage } from '../../web/render.ts';
import { citizenCookie } from './citizen.guard.ts';
import { citizenOf, makeGuards } from './guards.ts';
import { safeNext } from './next.ts';
import { StepUpPage, type StepUpView } from './pages/step-up.tsx';

type P = { Params: { lang: string }; Querystring: { next?: string; done?: string } };
const schema = {
  hide: true,
  params: { type: 'object', properties: { lang: { type: 'string', enum: ['fa', 'en'] } } },
  querystring: { type: 'object', properties: { next: { type: 'string', maxLength: 600 }, done: { type: 'string', maxLength: 10 } } },
} as const;
const bodySchema = {
  ...schema,
  body: {
    type: 'object',
    properties: {
      birthDay: { type: 'string', maxLength: 20 },
      birthMonth: { type: 'string', maxLength: 20 },
      birthYear: { type: 'string', maxLength: 20 },
      fatherName: { type: 'string', maxLength: 200 },
      cardSerial: { type: 'string', maxLength: 40 },
      consent: { type: 'string', maxLength: 10 },
    },
  },
} as const;

export function registerAssuranceRoutes(app: FastifyInstance, ctx: AppContext): void {
  const guards = makeGuards(ctx);
  const prod = ctx.config.NODE_ENV === 'production';
  // a step-up asks the civil registry: a few an address per window on top of the per-citizen limit on failed matches
  // (a tenth of RATE_LIMIT_MAX, at least 10)
  const rateLimit = {
    max: Math.max(10, Math.floor(ctx.config.RATE_LIMIT_MAX / 10)),
    timeWindow: ctx.config.RATE_LIMIT_WINDOW_SECONDS * 1000,
  };
  const page = (reply: FastifyReply, view: Omit<StepUpView, 'csrf'>, status = 200) =>
    sendPage(reply.header('cache-control', 'no-store'), StepUpPage({ ...view, csrf: reply.generateCsrf() }), status);
  const nextOf = (next: string | undefined, lang: Lang) => safeNext(next ?? `/${lang}/account`, lang);

  app.get<P>('/:lang/account/assurance', { schema, preHandler: guards.citizen }, async (req, reply) => {
    const lang = langOf(req.params);
    const { level, triesLeft } = await ctx.identity.assurance.status(citizenOf(req).session);
    return page(reply, {
      lang,
      next: nextOf(req.query.next, lang),
      level,
      triesLeft,
      outcome: req.query.done === '1' ? 'done' : undefined,
    });
  });

  app.post<P & { Body: Record<string, string | undefined> }>(
    '/:lang/account/assurance',
    { schema: bodySchema, config: { rateLimit }, preHandler: [app.csrfProtection, guards.citizen] },
    async (req, reply) => {
      const lang = langOf(req.params);
      const next = nextOf(req.query.next, lang);
      const me = citizenOf(req);
      const r = await ctx.identity.assurance.stepUp(me, req.body ?? {}, req.ip, lang);
      if (r.ok) {
        reply.setCookie(citizenCookie(ctx), r.token, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: prod,
          maxAge: Math.max(0, Math.floor((new Date(r.session.expires_at).getTime() - Date.now()) / 1000)),
        });
        return reply.redirect(`/${lang}/account/assurance?next=${encodeURIComponent(next)}&done=1`, 303);
      }
      if (r.reason === 'already') return reply.redirect(`/${lang}/account/assurance?next=${encodeURIComponent(next)}`, 303);
      const base = { lang, next, level: me.session.assurance };
      const values = Object.fromEntries(
        (['birthDay', 'birthMonth', 'birthYear', 'fatherName'] as const).map((k) => [k, String(req.body?.[k] ?? '').slice(0, 100)]),
      );
      const triesLeft = await ctx.identity.assurance.triesLeft(me.citizen.id);
      if (r.reason === 'invalid') return page(reply, { ...base, triesLeft, values, errors: r.errors }, 400);
      if (r.reason === 'mismatch') {
        const message =
          lang === 'fa'
            ? `تاریخ تولد، نام پدر یا سریال کارت ملی با سابقه ثبت احوال جور نیست. تاریخ و نام پدر را دقیقاً از روی شناسنامه و سریال را از پشت کارت ملی هوشمند وارد کنید. امروز ${r.triesLeft.toLocaleString('fa-IR')} بار دیگر می‌توانید تلاش کنید.`
            : `The date of birth, the father’s name or the national card’s serial does not match the civil registry’s record. Copy the date and name exactly from your birth certificate and the serial from the back of your national smart card. You can try ${r.triesLeft} more time${r.triesLeft === 1 ? '' : 's'} today.`;
        return page(reply, { ...base, triesLeft, values, errors: [{ field: 'birthDay', message }] }, 400);
      }
      const status = r.reason === 'unavailable' ? 503 : r.reason === 'too-many' ? 429 : r.reason === 'replayed' ? 409 : 422;
      return page(reply, { ...base, triesLeft, values, outcome: r.reason }, status);
    },
  );
}
