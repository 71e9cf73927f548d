// The citizen's page of whom they may apply for and who may apply for them. Each route declares method,
// path, schema and guards, calls one service method and renders one view (pages/account.tsx).
//   GET  /:lang/account/representation                 what the page will ask, the grants made and received
//   POST /:lang/account/representation                 asks the civil registry: the minor children and wards
//   POST /:lang/account/representation/others          asks the company and notary registries
//   POST /:lang/account/representation/grants          a signatory gives a colleague access to named services
//   POST /:lang/account/representation/grants/:id/end  ends a grant the citizen made
//   GET  /:lang/account/representation/made-for-me     applications an attorney made in the citizen's name
//   GET  /:lang/account/representation/made-for-me/:id/object  the objection page (reason)
//   POST /:lang/account/representation/made-for-me/:id/object  records the objection (timeline, audit)
import type { FastifyInstance, FastifyReply } from 'fastify';
import { langOf, tr, type Lang } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { sendPage } from '../../web/render.ts';
import { citizenOf, makeGuards } from '../identity/guards.ts';
import type { CitizenRef } from '../applications/applications.types.ts';
import { RepresentationPage } from './pages/account.tsx';
import { MadeForMePage, ObjectPage } from './pages/made-for-me.tsx';
import type { RepresentationService } from './representation.service.ts';

type P = { Params: { lang: string } };
const langParam = { lang: { type: 'string', enum: ['fa', 'en'] } } as const;
const schema = { hide: true, params: { type: 'object', properties: langParam } } as const;
const grantSchema = {
  hide: true,
  params: { type: 'object', properties: langParam },
  body: {
    type: 'object',
    properties: {
      legalId: { type: 'string', maxLength: 40 },
      granteeNationalId: { type: 'string', maxLength: 40 },
      services: {
        anyOf: [
          { type: 'string', maxLength: 120 },
          { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 120 } },
        ],
      },
    },
  },
} as const;
const endSchema = {
  hide: true,
  params: { type: 'object', properties: { ...langParam, id: { type: 'string', maxLength: 64 } } },
} as const;

const DONE = {
  granted: {
    fa: 'دسترسی ثبت شد. همکارتان اکنون می‌تواند برای خدمات نام‌برده از طرف شرکت درخواست بدهد.',
    en: 'Access given. Your colleague can now apply for the company for the services you named.',
  },
  ended: {
    fa: 'دسترسی پایان یافت. آن همکار دیگر نمی‌تواند از طرف شرکت درخواست بدهد.',
    en: 'Access ended. That colleague can no longer apply for the company.',
  },
} as const;

export function registerRepresentationRoutes(app: FastifyInstance, ctx: AppContext, representation: RepresentationService): void {
  const guards = makeGuards(ctx);
  const me = (req: Parameters<typeof citizenOf>[0]): CitizenRef => {
    const { citizen } = citizenOf(req);
    return { id: citizen.id, national_id: citizen.national_id, mobile: citizen.mobile };
  };
  const rateLimit = { max: 20, timeWindow: ctx.config.RATE_LIMIT_WINDOW_SECONDS * 1000 };
  const page = async (
    reply: FastifyReply,
    lang: Lang,
    citizen: CitizenRef,
    extra: Partial<Parameters<typeof RepresentationPage>[0]> = {},
    status = 200,
  ) =>
    sendPage(
      reply,
      RepresentationPage({ lang, csrf: reply.generateCsrf(), grants: await representation.grantsView(citizen), ...extra }),
      status,
    );

  app.get<P & { Querystring: { done?: string } }>(
    '/:lang/account/representation',
    {
      schema: { ...schema, querystring: { type: 'object', properties: { done: { type: 'string', enum: ['granted', 'ended'] } } } },
      preHandler: guards.citizen,
    },
    async (req, reply) => {
      const lang = langOf(req.params);
      const done = req.query.done as keyof typeof DONE | undefined;
      return page(reply, lang, me(req), { notice: done ? tr(lang, DONE[done].fa, DONE[done].en) : undefined });
    },
  );

  app.post<P>('/:lang/account/representation', { schema, preHandler: [app.csrfProtection, guards.citizen] }, async (req, reply) => {
    const citizen = me(req);
    return page(reply, langOf(req.params), citizen, { result: await representation.dependantsOf(citizen) });
  });

  app.post<P>(
    '/:lang/account/representation/others',
    { schema, config: { rateLimit }, preHandler: [app.csrfProtection, guards.citizen] },
    async (req, reply) => {
      const citizen = me(req);
      return page(reply, langOf(req.params), citizen, { others: await representation.othersOf(citizen) });
    },
  );

  app.post<P & { Body: { legalId?: string; granteeNationalId?: string; services?: string | string[] } }>(
    '/:lang/account/representation/grants',
    { schema: grantSchema, config: { rateLimit }, preHandler: [app.csrfProtection, guards.citizen] },
    async (req, reply) => {
      const lang = langOf(req.params);
      const citizen = me(req);
      const b = req.body ?? {};
      const values = {
        legalId: (b.legalId ?? '').trim(),
        granteeNationalId: (b.granteeNationalId ?? '').trim(),
        services: b.services === undefined ? [] : Array.isArray(b.services) ? b.services : [b.services],
      };
      const r = await representation.grant(citizen, values);
      if (r.ok) return reply.redirect(`/${lang}/account/representation?done=granted#companies`, 303);
      return page(reply, lang, citizen, { form: { values, problems: r.problems } }, 400);
    },
  );

  app.post<{ Params: { lang: string; id: string } }>(
    '/:lang/account/representation/grants/:id/end',
    { schema: endSchema, config: { rateLimit }, preHandler: [app.csrfProtection, guards.citizen] },
    async (req, reply) => {
      const lang = langOf(req.params);
      const citizen = me(req);
      const r = await representation.endGrant(citizen, req.params.id);
      if (r === 'ended') return reply.redirect(`/${lang}/account/representation?done=ended#companies`, 303);
      const notice =
        r === 'unavailable'
          ? tr(
              lang,
              'اکنون نتوانستیم از اداره ثبت شرکت‌ها بپرسیم که شما صاحب امضای این شرکت هستید، پس دسترسی پایان نیافت. چند دقیقه دیگر دوباره امتحان کنید.',
              'We could not check with the Companies Registration Office just now that you sign for this company, so the access has not ended. Try again in a few minutes.',
            )
          : tr(lang, 'این دسترسی پیدا نشد یا پیش‌تر پایان یافته است.', 'This access was not found, or has already ended.');
      return page(reply, lang, citizen, { notice }, r === 'unavailable' ? 503 : 404);
    },
  );

  app.get<P & { Querystring: { done?: string } }>(
    '/:lang/account/representation/made-for-me',
    {
      schema: { ...schema, querystring: { type: 'object', properties: { done: { type: 'string', enum: ['objected'] } } } },
      preHandler: guards.citizen,
    },
    async (req, reply) => {
      const lang = langOf(req.params);
      const notice = req.query.done
        ? tr(lang, 'اعتراض شما ثبت شد و به دستگاه رسیدگی‌کننده رسید.', 'Your objection is recorded and the agency has it.')
        : undefined;
      return sendPage(reply, MadeForMePage({ lang, items: await representation.madeForMe(me(req)), notice }));
    },
  );

  app.get<{ Params: { lang: string; id: string } }>(
    '/:lang/account/representation/made-for-me/:id/object',
    { schema: endSchema, preHandler: guards.citizen },
    async (req, reply) => {
      const lang = langOf(req.params);
      const made = await representation.madeForMeOne(me(req), req.params.id);
      return sendPage(reply, ObjectPage({ lang, csrf: reply.generateCsrf(), made }));
    },
  );

  app.post<{ Params: { lang: string; id: string }; Body: { reason?: string } }>(
    '/:lang/account/representation/made-for-me/:id/object',
    {
      schema: { ...endSchema, body: { type: 'object', properties: { reason: { type: 'string', maxLength: 8000 } } } },
      config: { rateLimit },
      preHandler: [app.csrfProtection, guards.citizen],
    },
    async (req, reply) => {
      const lang = langOf(req.params);
      const reason = req.body?.reason ?? '';
      const r = await representation.object(me(req), req.params.id, reason);
      if (r.ok) return reply.redirect(`/${lang}/account/representation/made-for-me?done=objected`, 303);
      const problem = r.problem[lang];
      return sendPage(reply, ObjectPage({ lang, csrf: reply.generateCsrf(), made: r.made, reason, problem }), 400);
    },
  );
}
