// Staff routes of the requests module: the queue and one request for agency officers (their agency's
// requests) and the oversight office (escalations, appeals, publication, vexatious reviews), and one POST
// per action. Guard: `requests.work`; which request and action a staff member may touch is the desk's rule.
//   GET  /:lang/staff/requests            the queue (?kind=&status=&overdue=1&mine=1)
//   GET  /:lang/staff/requests/:id        one request, its timeline and the actions open to the caller
//   POST /:lang/staff/requests/:id/<action>   claim, assign, clarify, transfer, answer, partial, refuse,
//        close, vexatious, split; publish, unpublish, appeal-upheld, appeal-dismissed, vexatious-confirm|reject
//        (urlencoded, or multipart with up to three attachments)
//   GET  /:lang/staff/requests/:id/files/:file   an attachment of a request the caller may see
//   GET|POST /:lang/staff/requests/deadlines      the agency's own deadlines per kind (its admin)
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
import { DeadlinesPage } from './pages/deadlines.tsx';
import multipart from '@fastify/multipart';
import { sendFile } from '../applications/files.http.ts';
import { MAX_FILE_BYTES } from '../applications/forms.ts';
import { csrfUnlessMultipart } from '../applications/multipart.ts';
import { MAX_FILES } from './requests.files.ts';
import { readForm } from './requests.http.ts';

const lang = { type: 'string', enum: ['fa', 'en'] } as const;
const P = { hide: true, params: { type: 'object', properties: { lang } } } as const;
const idParam = { type: 'string', maxLength: 100 } as const;
const PI = { hide: true, params: { type: 'object', properties: { lang, id: idParam } } } as const;
const body = { type: 'object', additionalProperties: { anyOf: [{ type: 'string', maxLength: 12000 }, { type: 'array' }] } } as const;
type Form = Record<string, string | undefined>;

export function registerRequestDeskRoutes(app: FastifyInstance, ctx: AppContext, m: RequestsModule): void {
  const guard = makeGuards(ctx).staff('requests.work');
  const configure = makeGuards(ctx).staff('requests.configure');
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
          configure: staff.role === 'agency-admin',
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
    const files = await m.service.files.files(request.id);
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
        files,
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

  // an attachment of a request the staff member may see (their agency's; any for the oversight office)
  app.get<{ Params: { lang: string; id: string; file: string } }>(
    '/:lang/staff/requests/:id/files/:file',
    { schema: { hide: true, params: { type: 'object', properties: { lang, id: idParam, file: idParam } } }, preHandler: guard },
    async (req, reply) => sendFile(reply, await m.desk.file(staffOf(req), req.params.id, req.params.file)),
  );

  // the agency's own deadlines per kind (its admin); empty: the platform's default
  const deadlinesPage = async (reply: FastifyReply, l: Lang, staff: StaffRow, errors: Record<string, string> = {}, saved = false) =>
    sendPage(
      reply,
      DeadlinesPage({
        lang: l,
        csrf: reply.generateCsrf(),
        agency: (await agencyOptions(l)).find((a) => a.value === staff.agency_id)?.label ?? '',
        deadlines: await m.desk.deadlines(staff),
        errors,
        saved,
      }),
      Object.keys(errors).length ? 400 : 200,
    );
  app.get<{ Params: { lang: string }; Querystring: Form }>(
    '/:lang/staff/requests/deadlines',
    { schema: P, preHandler: configure },
    async (req, reply) => deadlinesPage(reply, langOf(req.params), staffOf(req), {}, req.query.saved === '1'),
  );
  app.post<{ Params: { lang: string }; Body: Form }>(
    '/:lang/staff/requests/deadlines',
    { schema: { ...P, body }, preHandler: [app.csrfProtection, configure] },
    async (req, reply) => {
      const l = langOf(req.params);
      const f = req.body ?? {};
      try {
        await m.desk.setDeadlines(staffOf(req), { complaint: f['days-complaint'], foi: f['days-foi'], demand: f['days-demand'] });
        return reply.redirect(`/${l}/staff/requests/deadlines?saved=1`, 303);
      } catch (e) {
        return deadlinesPage(reply, l, staffOf(req), problemsOf(e, l));
      }
    },
  );

  // each action; the answer, the partial refusal, the refusal and the clarification may carry files
  app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize: MAX_FILE_BYTES, files: MAX_FILES + 1, fields: 30, fieldSize: 12_000, parts: 40, headerPairs: 50 },
    });
    for (const action of DESK_ACTIONS)
      scope.post<{ Params: { lang: string; id: string } }>(
        `/:lang/staff/requests/:id/${action}`,
        { schema: PI, preHandler: [csrfUnlessMultipart(scope), guard] },
        async (req, reply) => {
          const l = langOf(req.params);
          const staff = staffOf(req);
          const { fields: f, staged, problem } = await readForm(scope, req, reply, m.service.files);
          if (problem) return deskPage(reply, l, staff, req.params.id, { [problem.field]: problem[l] }, action);
          const field = (k: string) => f[`${action}-${k}`] ?? f[k];
          try {
            await m.desk.act(
              staff,
              req.params.id,
              action,
              {
                text: field('text'),
                outcome: field('outcome'),
                exemption: field('exemption'),
                publicText: field('publicText'),
                publicSubject: field('publicSubject'),
                publishFiles: (field('publishFiles') ?? '').split(',').filter(Boolean),
                partSubject: field('partSubject'),
                partBody: field('partBody'),
                agencyId: field('agencyId'),
                officer: field('officer'),
              },
              staged,
            );
            return reply.redirect(`/${l}/staff/requests/${req.params.id}`, 303);
          } catch (e) {
            await m.service.files.discard(staged);
            return deskPage(reply, l, staff, req.params.id, problemsOf(e, l), action);
          }
        },
      );
  });
}
