// The counter office pages. Each route declares method, path, schema and guards, calls the counter
// service and renders one view; a refusal (CounterError) renders the refusal page with its stable code.
//   GET  /:lang/staff/counter                       the office desk: start an assisted application, recent ones
//   POST /:lang/staff/counter/sessions              text the walk-in citizen the consent code
//   GET  /:lang/staff/counter/sessions/:id          one session: the code form, continue/end, or what was submitted
//   POST /:lang/staff/counter/sessions/:id/code     the operator types the citizen's code: the limited session starts
//   POST /:lang/staff/counter/sessions/:id/end      close the session without submitting
//   GET  /:lang/staff/counter/offices               (platform admin) the offices, counts per office, share at offices
//   POST /:lang/staff/counter/offices               (platform admin) register an office
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { langOf, tr, type Lang } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { sendPage } from '../../web/render.ts';
import { makeGuards, staffOf } from '../identity/guards.ts';
import { citizenCookie } from '../identity/citizen.guard.ts';
import { readCode } from '../identity/identity.schema.ts';
import { CounterError } from './counter.errors.ts';
import { assistedOf } from './counter.scope.ts';
import type { CounterService } from './counter.service.ts';
import { DeskPage, SessionPage } from './pages/operator.tsx';
import { OfficesPage } from './pages/offices.tsx';
import { refusalPage } from './pages/refusal.tsx';

type P = { Params: { lang: string; id: string }; Body: Record<string, unknown> };
const lang = { type: 'string', enum: ['fa', 'en'] } as const;
const schema = { hide: true, params: { type: 'object', properties: { lang } } } as const;
const withId = { hide: true, params: { type: 'object', properties: { lang, id: { type: 'string', maxLength: 40 } } } } as const;
const formBody = { type: 'object', additionalProperties: { type: 'string', maxLength: 400 } } as const;

export function registerCounterRoutes(app: FastifyInstance, ctx: AppContext, counter: CounterService): void {
  const guards = makeGuards(ctx);
  const work = guards.staff('counter.work');
  const manage = guards.staff('counter.manage');
  const csrf = app.csrfProtection;
  /** Runs a handler; a CounterError becomes the refusal page with its code. */
  const refusing =
    <R extends FastifyRequest>(fn: (req: R, reply: FastifyReply, l: Lang) => Promise<FastifyReply>) =>
    async (req: R, reply: FastifyReply) => {
      const l = langOf(req.params as { lang: string });
      try {
        return await fn(req, reply, l);
      } catch (e) {
        if (e instanceof CounterError) return refusalPage(reply, l, e);
        throw e;
      }
    };

  const desk = async (
    req: FastifyRequest,
    reply: FastifyReply,
    l: Lang,
    over: Partial<Parameters<typeof DeskPage>[0]> = {},
    status = 200,
  ) => {
    const office = await counter.officeOf(staffOf(req));
    const [services, recent] = await Promise.all([counter.servicesWithForms(l), counter.repo.recent(office.id)]);
    return sendPage(
      reply,
      DeskPage({ lang: l, csrf: reply.generateCsrf(), office, services, recent, input: {}, errors: [], ...over }),
      status,
    );
  };

  app.get<P>('/:lang/staff/counter', { schema, preHandler: work }, refusing(desk));

  app.post<P>(
    '/:lang/staff/counter/sessions',
    { schema: { ...schema, body: formBody }, preHandler: [csrf, work] },
    refusing(async (req, reply, l) => {
      const input = { nationalId: req.body?.nationalId, mobile: req.body?.mobile, service: req.body?.service };
      const r = await counter.start(staffOf(req), input, l, assistedOf(req));
      if (r.ok) return reply.redirect(`/${l}/staff/counter/sessions/${r.session.id}`, 303);
      const typed = {
        nationalId: String(input.nationalId ?? ''),
        mobile: String(input.mobile ?? ''),
        service: String(input.service ?? ''),
      };
      if ('wait' in r)
        return desk(
          req,
          reply,
          l,
          {
            input: typed,
            errors: [
              {
                field: 'nationalId',
                message: tr(
                  l,
                  `برای این شهروند تازه کدی فرستاده شد؛ ${r.wait} ثانیه دیگر دوباره بفرستید`,
                  `A code was just sent for this citizen; send again in ${r.wait} seconds`,
                ),
              },
            ],
          },
          429,
        );
      return desk(req, reply, l, { input: typed, errors: r.errors }, 400);
    }),
  );

  const sessionPage = async (req: FastifyRequest<P>, reply: FastifyReply, l: Lang, error?: string, status = 200) => {
    const { session, office } = await counter.sessionFor(staffOf(req), req.params.id, l);
    const service = await ctx.catalog.getService(session.service_id);
    const application = session.application_id ? await ctx.applications.repo.byId(session.application_id) : undefined;
    const fee = application && session.status === 'submitted' ? await ctx.payments.payments.feeOf(application) : null;
    return sendPage(
      reply,
      SessionPage({
        lang: l,
        csrf: reply.generateCsrf(),
        office,
        session,
        serviceName: service.name[l] ?? service.name.fa ?? '',
        reference: session.status === 'submitted' ? (application?.reference ?? null) : null,
        governmentFee: fee?.amount ?? null,
        error,
      }),
      status,
    );
  };

  app.get<P>(
    '/:lang/staff/counter/sessions/:id',
    { schema: withId, preHandler: work },
    refusing((req, reply, l) => sessionPage(req, reply, l)),
  );

  app.post<P>(
    '/:lang/staff/counter/sessions/:id/code',
    { schema: { ...withId, body: formBody }, preHandler: [csrf, work] },
    refusing(async (req, reply, l) => {
      const code = readCode(String(req.body?.code ?? ''), l);
      if (!code.ok) return sessionPage(req, reply, l, code.message, 400);
      const r = await counter.verify(staffOf(req), req.params.id, code.value, l, req.headers['user-agent'] ?? null);
      if (!r.ok)
        return sessionPage(
          req,
          reply,
          l,
          tr(
            l,
            `کد درست نیست. ${r.triesLeft} بار دیگر می‌توانید امتحان کنید.`,
            `The code is not right. You can try ${r.triesLeft} more times.`,
          ),
          422,
        );
      reply.setCookie(citizenCookie(ctx), r.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: ctx.config.NODE_ENV === 'production',
        maxAge: r.maxAgeSeconds,
      });
      return reply.redirect(`/${l}/applications/${r.applicationId}`, 303);
    }),
  );

  app.post<P>(
    '/:lang/staff/counter/sessions/:id/end',
    { schema: withId, preHandler: [csrf, work] },
    refusing(async (req, reply, l) => {
      await counter.end(staffOf(req), req.params.id, l);
      reply.clearCookie(citizenCookie(ctx), { path: '/' });
      return reply.redirect(`/${l}/staff/counter/sessions/${req.params.id}`, 303);
    }),
  );

  const offices = async (reply: FastifyReply, l: Lang, over: Partial<Parameters<typeof OfficesPage>[0]> = {}, status = 200) => {
    const counts = await counter.officesOverview(l);
    return sendPage(reply, OfficesPage({ lang: l, csrf: reply.generateCsrf(), ...counts, input: {}, errors: [], ...over }), status);
  };

  app.get<P>('/:lang/staff/counter/offices', { schema, preHandler: manage }, async (req, reply) =>
    offices(
      reply,
      langOf(req.params),
      (req.query as { added?: string }).added ? { notice: tr(langOf(req.params), 'دفتر ثبت شد.', 'The office is registered.') } : {},
    ),
  );

  app.post<P>('/:lang/staff/counter/offices', { schema: { ...schema, body: formBody }, preHandler: [csrf, manage] }, async (req, reply) => {
    const l = langOf(req.params);
    const r = await counter.addOffice(req.body ?? {}, staffOf(req), l);
    if (r.ok) return reply.redirect(`/${l}/staff/counter/offices?added=1`, 303);
    const input = Object.fromEntries(Object.entries(req.body ?? {}).map(([k, v]) => [k, String(v)]));
    return offices(reply, l, { input, errors: r.errors }, 400);
  });
}
