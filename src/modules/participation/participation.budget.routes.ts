// The routes of participatory budgeting. Public and citizens (a refused ballot or project shows the page
// again with the reason, its code in data-error-code and the 4xx status; a done action redirects back):
//   GET  /:lang/participation/:slug/budget                 the budget, its projects, results once closed
//   POST /:lang/participation/:slug/budget/vote            one ballot (projects=<id>...), within the budget
//   POST /:lang/participation/:slug/budget/projects        a citizen proposes a project (pending)
// Staff (participation.manage; the process's agency checked in the service):
//   GET  /:lang/staff/participation/:slug/budget           manage the budget
//   POST /:lang/staff/participation/:slug/budget           set it (amount, voting dates)
//   POST /:lang/staff/participation/:slug/budget/projects  list an agency's project
//   POST /:lang/staff/participation/:slug/budget/projects/:id/moderate   list or reject (reason) a citizen's
//   POST /:lang/staff/participation/:slug/budget/close     close voting: the winners publish
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { AppError, messageFor } from '../../platform/errors.ts';
import { langOf, type Lang } from '../../platform/i18n.ts';
import { sendPage } from '../../web/render.ts';
import { currentCitizen } from '../identity/citizen.guard.ts';
import { citizenOf, makeGuards, staffOf } from '../identity/guards.ts';
import type { ParticipationModule } from './participation.module.ts';
import type { Form } from './participation.service.ts';
import { BudgetPage, StaffBudgetPage } from './pages/budget.tsx';

type R = { Params: { lang: string; slug: string; id: string }; Body: Form };
const schema = {
  hide: true,
  params: {
    type: 'object',
    properties: {
      lang: { type: 'string', enum: ['fa', 'en'] },
      slug: { type: 'string', maxLength: 100 },
      id: { type: 'string', maxLength: 64 },
    },
  },
} as const;
const err = (e: AppError | undefined, lang: Lang) => (e ? { code: e.code, message: messageFor(e.code, lang) } : undefined);
const shown = (e: unknown): e is AppError =>
  e instanceof AppError && e.status < 500 && e.code !== 'FORBIDDEN' && e.code !== 'PARTICIPATION_NOT_FOUND';

export function registerParticipationBudgetRoutes(app: FastifyInstance, ctx: AppContext, m: ParticipationModule): void {
  const guards = makeGuards(ctx);
  const staffGuard = guards.staff('participation.manage');

  const page = async (req: FastifyRequest<R>, reply: FastifyReply, e?: AppError) => {
    const lang = langOf(req.params);
    const who = await currentCitizen(ctx, req);
    const { process, view } = await m.budget.page(req.params.slug, who?.citizen.id);
    if (!view) throw new AppError('PARTICIPATION_NOT_FOUND');
    const sent = e ? (req.body as Form | undefined)?.projects : undefined; // a refused ballot keeps what was ticked
    const chosen = (Array.isArray(sent) ? sent : [sent]).filter((x): x is string => typeof x === 'string');
    return sendPage(
      reply,
      BudgetPage({ lang, process, view, chosen, signedIn: !!who, csrf: who ? reply.generateCsrf() : '', error: err(e, lang) }),
      e?.status ?? 200,
    );
  };
  app.get<R>('/:lang/participation/:slug/budget', { schema }, (req, reply) => page(req, reply));

  const act = (path: string, fn: (req: FastifyRequest<R>, f: Form) => Promise<unknown>) =>
    app.post<R>(path, { schema, preHandler: [app.csrfProtection, guards.citizen] }, async (req, reply) => {
      try {
        await fn(req, (req.body ?? {}) as Form);
      } catch (e) {
        if (shown(e)) return page(req, reply, e);
        throw e;
      }
      return reply.redirect(`/${langOf(req.params)}/participation/${encodeURIComponent(req.params.slug)}/budget`, 303);
    });
  const citizen = (req: FastifyRequest<R>) => {
    const { citizen: c } = citizenOf(req);
    return { id: c.id, national_id: c.national_id };
  };
  act('/:lang/participation/:slug/budget/vote', (req, f) => m.budget.vote(citizen(req), req.params.slug, f.projects));
  act('/:lang/participation/:slug/budget/projects', (req, f) => m.budget.propose(citizen(req), req.params.slug, f));

  // staff
  const staffPage = async (req: FastifyRequest<R>, reply: FastifyReply, e?: AppError) => {
    const lang = langOf(req.params);
    const process = await m.service.managed(staffOf(req), req.params.slug);
    const view = await m.budget.view(process.id, { staff: true });
    return sendPage(reply, StaffBudgetPage({ lang, process, view, csrf: reply.generateCsrf(), error: err(e, lang) }), e?.status ?? 200);
  };
  const base = '/:lang/staff/participation/:slug/budget';
  app.get<R>(base, { schema, preHandler: staffGuard }, (req, reply) => staffPage(req, reply));
  const staffAct = (path: string, fn: (req: FastifyRequest<R>, f: Form) => Promise<unknown>) =>
    app.post<R>(path, { schema, preHandler: [app.csrfProtection, staffGuard] }, async (req, reply) => {
      await m.service.managed(staffOf(req), req.params.slug); // another agency's process: 403 before anything else
      try {
        await fn(req, (req.body ?? {}) as Form);
      } catch (e) {
        if (shown(e)) return staffPage(req, reply, e);
        throw e;
      }
      return reply.redirect(`/${langOf(req.params)}/staff/participation/${encodeURIComponent(req.params.slug)}/budget`, 303);
    });
  staffAct(base, (req, f) => m.budget.create(staffOf(req), req.params.slug, f));
  staffAct(`${base}/projects`, (req, f) => m.budget.addProject(staffOf(req), req.params.slug, f));
  staffAct(`${base}/projects/:id/moderate`, (req, f) =>
    m.budget.moderate(staffOf(req), req.params.slug, req.params.id, f.decision, f.reason),
  );
  staffAct(`${base}/close`, (req) => m.budget.close(staffOf(req), req.params.slug));
}
