// Staff routes of the requests module: the queue and one request for agency officers (their agency's
// requests) and the oversight office (escalations, appeals, publication, vexatious reviews), and one POST
// per action. Guard: `requests.work`; which request and action a staff member may touch is the desk's rule.
//   GET  /:lang/staff/requests            the queue (?kind=&status=&overdue=1&mine=1)
//   GET  /:lang/staff/requests/:id        one request, its timeline and the actions open to the caller
//   POST /:lang/staff/requests/:id/<action>   claim, assign, clarify, transfer, answer, partial, refuse,
//        close, vexatious; publish, unpublish, appeal-upheld, appeal-dismissed, vexatious-confirm|reject
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.ts';
import { langOf, type Lang } from '../../platform/i18n.ts';
import { sendPage } from '../../web/render.ts';
import { makeGuards, staffOf } from '../identity/guards.ts';
import type { StaffRow } from '../identity/staff.service.ts';
import type { CitizenRequestKind } from '../../db/schema.ts';
import { DESK_ACTIONS, type DeskAction } from './requests.desk.ts';
import type { RequestsModule } from './requests.module.ts';
import { localText, problemsOf } from './requests.text.ts';
import { DeskQueuePage, DeskRequestPage } from './pages/staff.tsx';

const lang = { type: 'string', enum: ['fa', 'en'] } as const;
const P = { hide: true, params: { type: 'object', properties: { lang } } } as const;
const PI = { hide: true, params: { type: 'object', properties: { lang, id: { type: 'string', maxLength: 100 } } } } as const;
const body = { type: 'object', additionalProperties: { anyOf: [{ type: 'string', maxLength: 12000 }, { type: 'array' }] } } as const;
type Form = Record<string, string | undefined>;

export function registerRequestDeskRoutes(app: FastifyInstance, ctx: AppContext, m: RequestsModule): void {
  const guard = makeGuards(ctx).staff('requests.work');
  const agencyOptions = async (l: Lang) =>
    (await m.agencies()).map((a) => ({ value: a.id, label: localText(a.name, l) })).sort((a, b) => a.label.localeCompare(b.label, l));

  app.get<{ Params: { lang: string }; Querystring: Form }>(
    '/:lang/staff/requests',
    { schema: P, preHandler: guard },
    async (req, reply) => {
      const l = langOf(req.params);
      const staff = staffOf(req);
      const q = req.query;
      const status = q.status === 'closed' || q.status === 'all' ? q.status : 'open';
      const page = /^\d{1,5}$/.test(q.page ?? '') ? Math.max(1, Number(q.page)) : 1;
      const { items, total } = await m.desk.queue(staff, {
        status,
        kind: q.kind ? (q.kind as CitizenRequestKind) : undefined,
        overdue: q.overdue === '1',
        mine: q.mine === '1',
        page,
        size: 50,
      });
      const agencies = new Map((await agencyOptions(l)).map((a) => [a.value, a.label]));
      return sendPage(
        reply,
        DeskQueuePage({
          lang: l,
          url: req.url,
          oversight: staff.role === 'oversight-analyst',
          q,
          items,
          total,
          agencies,
          now: m.clock.now(),
        }),
      );
    },
  );

  const deskPage = async (
    reply: FastifyReply,
    l: Lang,
    staff: StaffRow,
    id: string,
    errors: Record<string, string> = {},
    failed?: DeskAction,
  ) => {
    const { request, events, identityShown } = await m.desk.view(staff, id);
    const officers = staff.agency_id
      ? (await m.desk.officers(staff.agency_id)).map((o) => ({ value: o.id, label: o.name || o.email }))
      : [];
    return sendPage(
      reply,
      DeskRequestPage({
        lang: l,
        csrf: reply.generateCsrf(),
        r: request,
        events,
        identityShown,
        oversight: staff.role === 'oversight-analyst',
        agencies: await agencyOptions(l),
        officers,
        now: m.clock.now(),
        errors,
        failed,
      }),
      Object.keys(errors).length ? 400 : 200,
    );
  };

  app.get<{ Params: { lang: string; id: string } }>('/:lang/staff/requests/:id', { schema: PI, preHandler: guard }, async (req, reply) =>
    deskPage(reply, langOf(req.params), staffOf(req), req.params.id),
  );

  for (const action of DESK_ACTIONS)
    app.post<{ Params: { lang: string; id: string }; Body: Form }>(
      `/:lang/staff/requests/:id/${action}`,
      { schema: { ...PI, body }, preHandler: [app.csrfProtection, guard] },
      async (req, reply) => {
        const l = langOf(req.params);
        const staff = staffOf(req);
        const f = req.body ?? {};
        const field = (k: string) => {
          const v = f[`${action}-${k}`] ?? f[k];
          return typeof v === 'string' ? v : undefined;
        };
        try {
          await m.desk.act(staff, req.params.id, action, {
            text: field('text'),
            outcome: field('outcome'),
            exemption: field('exemption'),
            publicText: field('publicText'),
            agencyId: field('agencyId'),
            officer: field('officer'),
          });
          return reply.redirect(`/${l}/staff/requests/${req.params.id}`, 303);
        } catch (e) {
          return deskPage(reply, l, staff, req.params.id, problemsOf(e, l), action);
        }
      },
    );
}
