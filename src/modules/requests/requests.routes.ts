// Citizens' and public routes of the requests module. Each declares method, path, schema and guards,
// calls one service method and renders one view.
//   GET  /:lang/requests                 the citizen's requests
//   GET  /:lang/requests/new             make a request (?kind=&application=&agency= preselect)
//   POST /:lang/requests                 file it (errors: the form again, 400, with what to fix)
//   GET  /:lang/requests/:id             one request, its timeline and answer
//   POST /:lang/requests/:id/reply|appeal|rate
//   GET  /:lang/foi                      the public FOI register
//   GET  /:lang/agencies/:id/requests    an agency's response statistics
//   GET  /open-data/requests.csv|json    the same, every agency, per month
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../context.ts';
import { langOf, type Lang } from '../../platform/i18n.ts';
import { toSafeCsv } from '../../platform/csv.ts';
import multipart from '@fastify/multipart';
import { sendFile } from '../applications/files.http.ts';
import { MAX_FILE_BYTES } from '../applications/forms.ts';
import { csrfUnlessMultipart } from '../applications/multipart.ts';
import { MAX_FILES } from './requests.files.ts';
import { readForm } from './requests.http.ts';
import { sendPage } from '../../web/render.ts';
import { citizenOf, makeGuards } from '../identity/guards.ts';
import type { RequestsModule } from './requests.module.ts';
import { localText, problemsOf } from './requests.text.ts';
import { MyRequestsPage, NewRequestPage, RequestPage } from './pages/citizen.tsx';
import { AgencyStatsPage, RegisterPage } from './pages/public.tsx';

const lang = { type: 'string', enum: ['fa', 'en'] } as const;
const id = { type: 'string', maxLength: 100 } as const;
const body = { type: 'object', additionalProperties: { anyOf: [{ type: 'string', maxLength: 12000 }, { type: 'array' }] } } as const;
const P = { hide: true, params: { type: 'object', properties: { lang } } } as const;
const PI = { hide: true, params: { type: 'object', properties: { lang, id } } } as const;
type L = { Params: { lang: string } };
type LI = { Params: { lang: string; id: string } };
type Form = Record<string, string | undefined>;

export function registerRequestRoutes(app: FastifyInstance, ctx: AppContext, m: RequestsModule): void {
  const guards = makeGuards(ctx);
  const names = async (l: Lang) => new Map((await m.agencies()).map((a) => [a.id, localText(a.name, l)]));
  const agencyOptions = async (l: Lang) =>
    [...(await names(l))].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label, l));

  app.get<L>('/:lang/requests', { schema: P, preHandler: guards.citizen }, async (req, reply) => {
    const l = langOf(req.params);
    const items = await m.service.mine(citizenOf(req).citizen.id);
    return sendPage(reply, MyRequestsPage({ lang: l, items, agencies: await names(l), now: m.clock.now() }));
  });

  // the citizen's submitted applications, to complain about one (named by service and reference)
  const applicationOptions = async (l: Lang, citizenId: string) => {
    const apps = (await ctx.applications.mine(citizenId)).filter((a) => a.reference);
    const services = await Promise.all(apps.map((a) => ctx.catalog.getService(a.service_id).catch(() => null)));
    return apps.map((a, i) => ({ value: a.id, label: `${services[i] ? localText(services[i].name, l) : ''} (${a.reference})` }));
  };
  const newForm = async (reply: FastifyReply, l: Lang, citizenId: string, values: Form, errors: Record<string, string>, status = 200) =>
    sendPage(
      reply,
      NewRequestPage({
        lang: l,
        csrf: reply.generateCsrf(),
        agencies: await agencyOptions(l),
        applications: await applicationOptions(l, citizenId),
        serviceName: values.service
          ? await ctx.catalog
              .getService(values.service)
              .then((s) => localText(s.name, l))
              .catch(() => undefined)
          : undefined,
        values,
        errors,
      }),
      status,
    );

  app.get<L & { Querystring: Form }>('/:lang/requests/new', { schema: P, preHandler: guards.citizen }, async (req, reply) =>
    newForm(
      reply,
      langOf(req.params),
      citizenOf(req).citizen.id,
      { kind: req.query.kind, agencyId: req.query.agency, applicationId: req.query.application, service: req.query.service },
      {},
    ),
  );

  // forms that may carry files: multipart in this scope only, with the limits of the applications' uploads
  app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize: MAX_FILE_BYTES, files: MAX_FILES + 1, fields: 30, fieldSize: 12_000, parts: 40, headerPairs: 50 },
    });
    scope.post<L>('/:lang/requests', { schema: P, preHandler: [csrfUnlessMultipart(scope), guards.citizen] }, async (req, reply) => {
      const l = langOf(req.params);
      const { citizen } = citizenOf(req);
      const { fields: f, staged, problem } = await readForm(scope, req, reply, m.service.files);
      if (problem) return newForm(reply, l, citizen.id, f, { [problem.field]: problem[l] }, 400);
      try {
        const r = await m.service.file(
          citizen,
          {
            kind: f.kind,
            agencyId: f.agencyId,
            applicationId: f.applicationId,
            service: f.service,
            category: f.category,
            subject: f.subject,
            body: f.body,
            withhold: f.withhold === 'yes',
            keepPrivate: f.keepPrivate === 'yes',
          },
          staged,
        );
        return reply.redirect(`/${l}/requests/${r.id}`, 303);
      } catch (e) {
        await m.service.files.discard(staged);
        return newForm(reply, l, citizen.id, f, problemsOf(e, l), 400);
      }
    });
  });

  // an attachment of one of the citizen's own requests (anyone else's: not found)
  app.get<{ Params: { lang: string; id: string; file: string } }>(
    '/:lang/requests/:id/files/:file',
    { schema: { hide: true, params: { type: 'object', properties: { lang, id, file: id } } }, preHandler: guards.citizen },
    async (req, reply) => sendFile(reply, await m.service.ownFile(citizenOf(req).citizen.id, req.params.id, req.params.file)),
  );

  const requestPage = async (
    reply: FastifyReply,
    l: Lang,
    citizenId: string,
    id: string,
    errors: Record<string, string> = {},
    values?: Form,
  ) => {
    const { request, events } = await m.service.own(citizenId, id);
    const files = await m.service.files.files(request.id);
    const agency = (await names(l)).get(request.agency_id) ?? request.agency_id;
    return sendPage(
      reply,
      RequestPage({ lang: l, csrf: reply.generateCsrf(), r: request, events, files, agency, now: m.clock.now(), errors, values }),
      Object.keys(errors).length ? 400 : 200,
    );
  };

  app.get<LI>('/:lang/requests/:id', { schema: PI, preHandler: guards.citizen }, async (req, reply) =>
    requestPage(reply, langOf(req.params), citizenOf(req).citizen.id, req.params.id),
  );

  const citizenAction = (path: string, field: string, run: (citizenId: string, id: string, value: string) => Promise<void>) =>
    app.post<LI & { Body: Form }>(
      `/:lang/requests/:id/${path}`,
      { schema: { ...PI, body }, preHandler: [app.csrfProtection, guards.citizen] },
      async (req, reply) => {
        const l = langOf(req.params);
        const citizenId = citizenOf(req).citizen.id;
        const value = typeof req.body?.[field] === 'string' ? req.body[field] : '';
        try {
          await run(citizenId, req.params.id, value);
          return reply.redirect(`/${l}/requests/${req.params.id}`, 303);
        } catch (e) {
          const errors = problemsOf(e, l);
          return requestPage(reply, l, citizenId, req.params.id, Object.fromEntries(Object.values(errors).map((msg) => [field, msg])), {
            [field]: value,
          });
        }
      },
    );
  citizenAction('reply', 'text', (c, id, v) => m.service.reply(c, id, v));
  citizenAction('appeal', 'appeal', (c, id, v) => m.service.appeal(c, id, v));
  citizenAction('rate', 'score', (c, id, v) => m.service.rate(c, id, /^[1-5]$/.test(v) ? Number(v) : 0));

  app.get<L & { Querystring: { page?: string } }>('/:lang/foi', { schema: P }, async (req, reply) => {
    const l = langOf(req.params);
    const page = /^\d{1,4}$/.test(req.query.page ?? '') ? Math.max(1, Number(req.query.page)) : 1;
    const items = await m.stats.register(page);
    const files = await m.service.files.publishedFiles(items.map((r) => r.id));
    return sendPage(reply, RegisterPage({ lang: l, items, files, agencies: await names(l) }));
  });

  app.get<{ Params: { lang: string; id: string; file: string } }>(
    '/:lang/foi/:id/files/:file',
    { schema: { hide: true, params: { type: 'object', properties: { lang, id, file: id } } } },
    async (req, reply) => sendFile(reply, await m.service.files.openPublic(req.params.id, req.params.file)),
  );

  app.get<LI>('/:lang/agencies/:id/requests', { schema: PI }, async (req, reply) => {
    const l = langOf(req.params);
    const agency = await ctx.catalog.getAgency(req.params.id);
    const { months, totals } = await m.stats.agency(agency.id);
    return sendPage(reply, AgencyStatsPage({ lang: l, agencyId: agency.id, agency: localText(agency.name, l), months, totals }));
  });

  const COLUMNS = [
    'agency_id',
    'month',
    'received',
    'answered',
    'on_time',
    'median_days',
    'overdue',
    'appeals',
    'appeals_upheld',
    'rating',
  ] as const;
  app.get('/open-data/requests.csv', { schema: { hide: true } }, async (_req, reply) => {
    const rows = await m.stats.openData();
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'inline; filename="requests.csv"')
      .send(
        toSafeCsv(
          rows.map((r) => COLUMNS.map((c) => r[c] ?? '')),
          { header: true, columns: [...COLUMNS] },
        ),
      );
  });
  app.get('/open-data/requests.json', { schema: { hide: true } }, async (_req, reply) =>
    reply.header('content-type', 'application/json; charset=utf-8').send({ columns: COLUMNS, rows: await m.stats.openData() }),
  );
}
