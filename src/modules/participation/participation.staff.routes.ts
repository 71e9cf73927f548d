// The staff routes of participation (policy action participation.manage: the agency's participation
// editor or admin; the process's agency is checked in the service). Each POST calls one service method
// and redirects back; a refusal shows the page again with the reason and a 4xx status.
//   GET  /:lang/staff/participation                     the agency's processes; POST opens one
//   GET  /:lang/staff/participation/:slug               manage one process
//   POST /:lang/staff/participation/:slug/(sections|phase|polls|outcome)
//   POST /:lang/staff/participation/:slug/polls/:pollId/close
//   POST /:lang/staff/participation/:slug/comments/:id/(answer|hide)
//   POST /:lang/staff/participation/:slug/proposals/:id/status
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { AppError, messageFor } from '../../platform/errors.ts';
import { langOf, type Lang } from '../../platform/i18n.ts';
import { sendPage } from '../../web/render.ts';
import { makeGuards, staffOf } from '../identity/guards.ts';
import type { ParticipationModule } from './participation.module.ts';
import type { Form, StaffRef } from './participation.service.ts';
import { StaffListPage, StaffProcessPage } from './pages/staff.tsx';

type R = { Params: { lang: string; slug: string; id: string; pollId: string }; Body: Form };
const schema = {
  hide: true,
  params: {
    type: 'object',
    properties: {
      lang: { type: 'string', enum: ['fa', 'en'] },
      slug: { type: 'string', maxLength: 100 },
      id: { type: 'string', maxLength: 64 },
      pollId: { type: 'string', maxLength: 64 },
    },
  },
} as const;

export function registerParticipationStaffRoutes(app: FastifyInstance, ctx: AppContext, m: ParticipationModule): void {
  const guards = makeGuards(ctx);
  const guard = guards.staff('participation.manage');
  const err = (e: AppError | undefined, lang: Lang) => (e ? { code: e.code, message: messageFor(e.code, lang) } : undefined);

  const listPage = async (req: FastifyRequest<R>, reply: FastifyReply, e?: AppError) => {
    const lang = langOf(req.params);
    const staff = staffOf(req);
    const processes = await m.service.repo.processes({ agencyId: staff.agency_id ?? '-' });
    return sendPage(reply, StaffListPage({ lang, processes, csrf: reply.generateCsrf(), error: err(e, lang) }), e?.status ?? 200);
  };
  const processPage = async (req: FastifyRequest<R>, reply: FastifyReply, e?: AppError) => {
    const lang = langOf(req.params);
    const { process, flagged } = await m.service.flagged(staffOf(req), req.params.slug);
    const [sections, polls, recent, proposals] = await Promise.all([
      m.service.repo.sections(process.id),
      m.polls.viewsOf(process.id),
      m.service.repo.topComments(process.id, 'newest', 20),
      m.service.repo.proposals(process.id),
    ]);
    return sendPage(
      reply,
      StaffProcessPage({ lang, process, sections, polls, flagged, recent, proposals, csrf: reply.generateCsrf(), error: err(e, lang) }),
      e?.status ?? 200,
    );
  };

  app.get<R>('/:lang/staff/participation', { schema, preHandler: guard }, (req, reply) => listPage(req, reply));
  app.post<R>('/:lang/staff/participation', { schema, preHandler: [app.csrfProtection, guard] }, async (req, reply) => {
    try {
      const p = await m.service.createProcess(staffOf(req), (req.body ?? {}) as Form);
      return reply.redirect(`/${langOf(req.params)}/staff/participation/${p.slug}`, 303);
    } catch (e) {
      if (e instanceof AppError && e.status < 500 && e.code !== 'FORBIDDEN') return listPage(req, reply, e);
      throw e;
    }
  });
  app.get<R>('/:lang/staff/participation/:slug', { schema, preHandler: guard }, (req, reply) => processPage(req, reply));

  const act = (path: string, fn: (s: StaffRef, req: FastifyRequest<R>, f: Form) => Promise<unknown>) =>
    app.post<R>(path, { schema, preHandler: [app.csrfProtection, guard] }, async (req, reply) => {
      const staff = staffOf(req);
      await m.service.managed(staff, req.params.slug); // another agency's process: 403 before anything else
      try {
        await fn(staff, req, (req.body ?? {}) as Form);
      } catch (e) {
        if (e instanceof AppError && e.status < 500 && e.code !== 'FORBIDDEN' && e.code !== 'PARTICIPATION_NOT_FOUND')
          return processPage(req, reply, e);
        throw e;
      }
      return reply.redirect(`/${langOf(req.params)}/staff/participation/${encodeURIComponent(req.params.slug)}`, 303);
    });

  const base = '/:lang/staff/participation/:slug';
  act(`${base}/sections`, (s, req, f) => m.service.addSection(s, req.params.slug, f));
  act(`${base}/phase`, (s, req, f) => m.service.setPhase(s, req.params.slug, f.phase));
  act(`${base}/outcome`, (s, req, f) => m.service.publishOutcome(s, req.params.slug, f));
  act(`${base}/polls`, (s, req, f) => m.polls.addPoll(s, req.params.slug, f));
  act(`${base}/polls/:pollId/close`, (s, req) => m.polls.close(s, req.params.slug, req.params.pollId));
  act(`${base}/comments/:id/answer`, (s, req, f) => m.service.answer(s, req.params.slug, req.params.id, f.body));
  act(`${base}/comments/:id/hide`, (s, req, f) => m.service.hide(s, req.params.slug, req.params.id, f.reason));
  act(`${base}/proposals/:id/status`, (s, req, f) => m.service.setProposalStatus(s, req.params.slug, req.params.id, f.status, f.reason));
}
