// The citizen's payment routes and the gateway callback. Each declares method, path, schema and guards,
// calls one service method and renders one view (pages/pay.tsx).
//   GET  /:lang/applications/:id/pay                     what is due; pay by card or by bill
//   POST /:lang/applications/:id/pay                     start a card payment -> the hand-over page to the bank
//   POST /payments/ipg/callback/:paymentId               the bank's callback (cross-site POST: no session, no CSRF;
//                                                        nothing in it is trusted until the gateway verifies it)
//   GET  /:lang/applications/:id/payments/:paymentId     the outcome, for the application's owner only
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError, messageFor } from '../../platform/errors.ts';
import { langOf, type Lang } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { sendPage } from '../../web/render.ts';
import { citizenOf, makeGuards } from '../identity/guards.ts';
import { pick as pickText } from '../catalog/catalog.taxonomy.ts';
import { PayPage, RedirectPage, ReturnPage } from './pages/pay.tsx';
import type { PaymentsService } from './payments.service.ts';
import type { BillsService } from './bills.service.ts';

type P = { Params: { lang: string; id: string; paymentId: string } };
const hide = { hide: true };
const uuidParams = {
  type: 'object',
  properties: {
    lang: { type: 'string', enum: ['fa', 'en'] },
    id: { type: 'string', maxLength: 64 },
    paymentId: { type: 'string', maxLength: 64 },
  },
} as const;

export function registerPaymentRoutes(app: FastifyInstance, ctx: AppContext, payments: PaymentsService, bills: BillsService): void {
  const guards = makeGuards(ctx);
  const payPage = async (reply: FastifyReply, lang: Lang, citizenId: string, id: string, error?: string, status = 200) => {
    const a = await ctx.applications.own(citizenId, id);
    const state = await payments.stateOf(a);
    if (!state) throw new AppError('PAYMENT_NOT_DUE');
    const service = await ctx.catalog.getService(a.service_id);
    const appPath = `/${lang}/applications/${a.id}`;
    return sendPage(
      reply,
      PayPage({
        lang,
        path: `${appPath}/pay`,
        appPath,
        serviceName: pickText(service.name, lang).text,
        reference: a.reference ?? '',
        state,
        cardOn: !!payments.gateway,
        csrf: reply.generateCsrf(),
        bill: state.payable ? await bills.billFor(a) : null,
        error,
      }),
      status,
    );
  };

  app.get<P>('/:lang/applications/:id/pay', { schema: { ...hide, params: uuidParams }, preHandler: guards.citizen }, async (req, reply) =>
    payPage(reply, langOf(req.params), citizenOf(req).citizen.id, req.params.id),
  );

  app.post<P>(
    '/:lang/applications/:id/pay',
    { schema: { ...hide, params: uuidParams }, preHandler: [app.csrfProtection, guards.citizen] },
    async (req, reply) => {
      const lang = langOf(req.params);
      const who = citizenOf(req);
      let started;
      try {
        started = await payments.startCard(who.citizen.id, req.params.id);
      } catch (e) {
        // the gateway is down: the application stays as it was; say so on the same page and let them retry
        if (e instanceof AppError && e.code === 'PAYMENT_GATEWAY_UNAVAILABLE')
          return payPage(reply, lang, who.citizen.id, req.params.id, messageFor(e.code, lang), 503);
        if (e instanceof AppError && (e.code === 'PAYMENT_ALREADY_PAID' || e.code === 'PAYMENT_NOT_DUE'))
          return reply.redirect(`/${lang}/applications/${req.params.id}/pay`, 303);
        throw e;
      }
      // the bank's page is another origin: this one page may post there
      const csp = String(reply.getHeader('content-security-policy') ?? '');
      if (csp)
        reply.header(
          'content-security-policy',
          csp.replace("form-action 'self'", `form-action 'self' ${new URL(started.redirect.url).origin}`),
        );
      return sendPage(reply, RedirectPage({ lang, path: `/${lang}/applications/${req.params.id}/pay`, redirect: started.redirect }));
    },
  );

  app.post<{ Params: { paymentId: string }; Body: Record<string, unknown> }>(
    '/payments/ipg/callback/:paymentId',
    { schema: { ...hide, params: { type: 'object', properties: { paymentId: { type: 'string', maxLength: 64 } } } } },
    async (req, reply) => {
      const p = await payments.callback(req.params.paymentId, (req.body ?? {}) as Record<string, unknown>);
      const a = await payments.applicationOf(p);
      return reply.redirect(`/${a.lang}/applications/${a.id}/payments/${p.id}`, 303);
    },
  );

  app.get<P>(
    '/:lang/applications/:id/payments/:paymentId',
    { schema: { ...hide, params: uuidParams }, preHandler: guards.citizen },
    async (req, reply) => {
      const lang = langOf(req.params);
      const { app: a, payment } = await payments.forCitizen(citizenOf(req).citizen.id, req.params.id, req.params.paymentId);
      const appPath = `/${lang}/applications/${a.id}`;
      const receiptHref = payment.status === 'success' && !payment.duplicate ? `${appPath}/payments/${payment.id}/receipt` : null;
      return sendPage(reply, ReturnPage({ lang, path: `${appPath}/payments/${payment.id}`, appPath, payment, receiptHref }));
    },
  );
}
