// The public and citizen routes of participation. Each declares method, path, schema and guards, calls
// one service method and renders one view (pages/public.tsx). A refused action (already voted, under 18,
// closed, too many comments...) shows the process page again with what went wrong (its stable code in
// data-error-code) and the matching 4xx status; a done action redirects back (POST-redirect-GET).
//   GET  /:lang/participation                                        open processes (?agency=)
//   GET  /:lang/participation/:slug                                  the process page (?sort=newest|supported&after=<comment id>)
//   POST /:lang/participation/:slug/comments                         comment on a section, or reply (parentId)
//   POST /:lang/participation/:slug/comments/:id/(support|append|flag)
//   POST /:lang/participation/:slug/proposals                        a proposal
//   POST /:lang/participation/:slug/proposals/:id/support
//   POST /:lang/participation/:slug/polls/:pollId/vote
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { AppError, messageFor } from '../../platform/errors.ts';
import { langOf, type Lang } from '../../platform/i18n.ts';
import { sendPage } from '../../web/render.ts';
import { currentCitizen } from '../identity/citizen.guard.ts';
import { citizenOf, makeGuards } from '../identity/guards.ts';
import type { ParticipationModule } from './participation.module.ts';
import type { CitizenRef, Form } from './participation.service.ts';
import { ListPage, ProcessPage } from './pages/public.tsx';
import { pickText } from './pages/parts.tsx';

type Params = { lang: string; slug: string; id: string; pollId: string };
type R = { Params: Params; Querystring: { sort?: string; after?: string; agency?: string }; Body: Form };
const params = {
  type: 'object',
  properties: {
    lang: { type: 'string', enum: ['fa', 'en'] },
    slug: { type: 'string', maxLength: 100 },
    id: { type: 'string', maxLength: 64 },
    pollId: { type: 'string', maxLength: 64 },
  },
} as const;
const querystring = {
  type: 'object',
  properties: {
    sort: { type: 'string', maxLength: 20 },
    after: { type: 'string', maxLength: 64 },
    agency: { type: 'string', maxLength: 64 },
  },
} as const;
const schema = { hide: true, params, querystring };

export function registerParticipationRoutes(app: FastifyInstance, ctx: AppContext, m: ParticipationModule): void {
  const guards = makeGuards(ctx);
  const agencyName = async (id: string) => {
    try {
      return (await ctx.catalog.getAgency(id)).name;
    } catch {
      return { fa: id, en: id };
    }
  };

  const processPage = async (req: FastifyRequest<R>, reply: FastifyReply, lang: Lang, error?: AppError) => {
    const who = await currentCitizen(ctx, req);
    const data = await m.service.page(req.params.slug, { sort: req.query?.sort, after: req.query?.after });
    const polls = await m.polls.viewsOf(data.process.id, who?.citizen.id);
    const hasBudget = await m.budget.exists(data.process.id);
    return sendPage(
      reply,
      ProcessPage({
        lang,
        ...data,
        agencyName: pickText(await agencyName(data.process.agency_id), lang),
        polls,
        hasBudget,
        viewer: {
          signedIn: !!who,
          citizenId: who?.citizen.id ?? null,
          csrf: who ? reply.generateCsrf() : '',
          open: data.open,
          base: `/${lang}/participation/${data.process.slug}`,
        },
        error: error ? { code: error.code, message: messageFor(error.code, lang) } : undefined,
      }),
      error?.status ?? 200,
    );
  };

  app.get<R>('/:lang/participation', { schema }, async (req, reply) => {
    const lang = langOf(req.params);
    const agency = req.query.agency || undefined;
    const all = await m.service.list({});
    const ids = [...new Set(all.map((p) => p.agency_id))];
    const agencies = await Promise.all(ids.map(async (id) => ({ id, name: await agencyName(id) })));
    const processes = agency ? all.filter((p) => p.agency_id === agency) : all;
    return sendPage(reply, ListPage({ lang, processes, agencies, agency, now: new Date() }));
  });

  app.get<R>('/:lang/participation/:slug', { schema }, async (req, reply) => processPage(req, reply, langOf(req.params)));

  /** A citizen's action: done -> back to the page (at `anchor`); refused -> the page with the reason. */
  const act = (path: string, fn: (c: CitizenRef, req: FastifyRequest<R>) => Promise<unknown>, anchor: (req: FastifyRequest<R>) => string) =>
    app.post<R>(path, { schema, preHandler: [app.csrfProtection, guards.citizen] }, async (req, reply) => {
      const lang = langOf(req.params);
      const { citizen } = citizenOf(req);
      try {
        await fn({ id: citizen.id, national_id: citizen.national_id }, req);
      } catch (e) {
        if (
          e instanceof AppError &&
          e.code !== 'PARTICIPATION_NOT_FOUND' &&
          (e.status < 500 || e.code === 'PARTICIPATION_REGISTRY_UNAVAILABLE')
        )
          return processPage(req, reply, lang, e);
        throw e;
      }
      return reply.redirect(`/${lang}/participation/${encodeURIComponent(req.params.slug)}${anchor(req)}`, 303);
    });

  const body = (req: FastifyRequest<R>) => (req.body ?? {}) as Form;
  act(
    '/:lang/participation/:slug/comments',
    (c, req) => m.service.comment(c, req.params.slug, body(req)),
    () => '?sort=newest#comments',
  );
  act(
    '/:lang/participation/:slug/comments/:id/support',
    (c, req) => m.service.support(c, req.params.slug, req.params.id),
    (req) => `#c-${req.params.id}`,
  );
  act(
    '/:lang/participation/:slug/comments/:id/append',
    (c, req) => m.service.append(c, req.params.slug, req.params.id, body(req).text),
    (req) => `#c-${req.params.id}`,
  );
  act(
    '/:lang/participation/:slug/comments/:id/flag',
    (c, req) => m.service.flag(c, req.params.slug, req.params.id, body(req).reason),
    (req) => `#c-${req.params.id}`,
  );
  act(
    '/:lang/participation/:slug/proposals',
    (c, req) => m.service.propose(c, req.params.slug, body(req)),
    () => '#proposals',
  );
  act(
    '/:lang/participation/:slug/proposals/:id/support',
    (c, req) => m.service.supportProposal(c, req.params.slug, req.params.id),
    (req) => `#p-${req.params.id}`,
  );
  act(
    '/:lang/participation/:slug/polls/:pollId/vote',
    (c, req) => m.polls.vote(c, req.params.slug, req.params.pollId, body(req).option),
    (req) => `#poll-${req.params.pollId}`,
  );
}
