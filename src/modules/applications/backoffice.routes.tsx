// The agency back office: the queue, the statistics, one application and its files, and the actions on it
// (claim or assign, request more information, message, approve or reject with a reason). Each route
// guards (a staff session with the action), has its body's schema, calls ONE method of BackofficeViews
// (backoffice.views.ts: the rules, policy-checked and scoped to the operator's agency, audited by the
// services) and renders one page.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { langOf } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { sendPage } from '../../web/render.ts';
import { requireStaff } from '../identity/staff.guard.ts';
import { sendFile } from './files.http.ts';
import type { BackofficeAction, QueueQuery } from './backoffice.views.ts';
import { QueuePage } from './pages/queue.tsx';
import { StatsPage } from './pages/stats.tsx';
import { StaffApplicationPage } from './pages/staff-application.tsx';
import { ConfirmDecisionPage } from './pages/confirm-decision.tsx';

type P = { Params: { lang: string; id: string; file: string } };
/** Every action's form: the text (request, reason, message), the officer to assign, and the confirmation. */
const ActionBody = Type.Object({
  text: Type.Optional(Type.String()),
  assignee: Type.Optional(Type.String()),
  confirm: Type.Optional(Type.String()),
  _csrf: Type.Optional(Type.String()),
});
const ACTIONS: BackofficeAction[] = ['claim', 'assign', 'request-info', 'approve', 'reject', 'message'];

export function registerBackOffice(app: FastifyInstance, ctx: AppContext): void {
  const hide = { hide: true };
  const V = () => ctx.backofficeViews;

  app.get<P & { Querystring: QueueQuery }>('/:lang/staff/applications', { schema: hide }, async (req, reply) => {
    const lang = langOf(req.params);
    const staff = await requireStaff(ctx, req, reply, lang, 'applications.work');
    if (!staff) return reply;
    return sendPage(reply, <QueuePage lang={lang} url={req.url} {...await V().queueView(staff, req.query, lang)} />);
  });

  app.get<P & { Querystring: { agency?: string } }>('/:lang/staff/applications/stats', { schema: hide }, async (req, reply) => {
    const lang = langOf(req.params);
    const requested = typeof req.query.agency === 'string' ? req.query.agency : undefined;
    const staff = await requireStaff(ctx, req, reply, lang, 'applications.stats', requested ? { agencyId: requested } : {});
    if (!staff) return reply;
    return sendPage(reply, <StatsPage lang={lang} url={req.url} {...await V().statsView(staff, requested, lang)} />);
  });

  app.get<P & { Querystring: { done?: string } }>('/:lang/staff/applications/:id', { schema: hide }, async (req, reply) => {
    const lang = langOf(req.params);
    const staff = await requireStaff(ctx, req, reply, lang, 'applications.work');
    if (!staff) return reply;
    const view = await V().detailView(staff, req.params.id);
    const done = typeof req.query.done === 'string' ? req.query.done : undefined;
    return sendPage(
      reply,
      <StaffApplicationPage lang={lang} staff={staff} errors={[]} token={reply.generateCsrf()} done={done} {...view} />,
    );
  });

  app.get<P>('/:lang/staff/applications/:id/files/:file', { schema: hide }, async (req, reply) => {
    const lang = langOf(req.params);
    const staff = await requireStaff(ctx, req, reply, lang, 'applications.work');
    if (!staff) return reply;
    return sendFile(reply, await V().download(staff, req.params.id, req.params.file));
  });

  for (const name of ACTIONS)
    app.post<P & { Body: Static<typeof ActionBody> }>(
      `/:lang/staff/applications/:id/${name}`,
      { schema: { ...hide, body: ActionBody }, preHandler: app.csrfProtection },
      async (req, reply) => {
        const lang = langOf(req.params);
        const staff = await requireStaff(ctx, req, reply, lang, 'applications.work');
        if (!staff) return reply;
        const r = await V().act(staff, req.params.id, name, req.body ?? {}, lang);
        if (r.kind === 'confirm')
          // approve and reject change the application for good: first a page that asks "are you sure?"
          return sendPage(
            reply,
            <ConfirmDecisionPage
              lang={lang}
              a={r.a}
              decision={name === 'approve' ? 'approve' : 'reject'}
              text={r.text}
              token={reply.generateCsrf()}
              serviceName={r.serviceName}
            />,
          );
        if (r.kind === 'problem') {
          const errors = [{ field: r.field, message: r.message[lang] }];
          return sendPage(
            reply,
            <StaffApplicationPage lang={lang} staff={staff} errors={errors} token={reply.generateCsrf()} {...r.view} />,
            400,
          );
        }
        return reply.redirect(`/${lang}/staff/applications/${req.params.id}?done=${name}#done`, 303);
      },
    );
}
