// The payments module's routes: the citizen's pay pages, the P2G bank API, the finance pages and the
// agency API's payment state. server.ts calls registerPayments once the module is built (payments.module.ts).
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { agencyOf, apiKeyRouteConfig, requireApiKey } from '../agencyapi/agencyapi.guard.ts';
import { registerPaymentRoutes } from './payments.routes.ts';
import { registerP2gApi } from './p2g.routes.ts';
import { registerFinanceRoutes } from './finance.routes.ts';
import { registerTreasuryRoutes } from './treasury.routes.ts';

export function registerPayments(app: FastifyInstance, ctx: AppContext): void {
  const m = ctx.payments;
  registerPaymentRoutes(app, ctx, m.payments, m.bills);
  registerP2gApi(app, ctx, m.bills);
  registerFinanceRoutes(app, ctx, m.finance);
  registerTreasuryRoutes(app, ctx, m.treasury);
  // the agency API: an application's payment state (scope applications:read; another agency's is 404)
  app.get<{ Params: { id: string } }>(
    '/api/agency/v1/applications/:id/payment',
    {
      config: apiKeyRouteConfig(ctx),
      preValidation: requireApiKey(ctx, 'applications:read'),
      schema: {
        tags: ['Agency API'],
        summary: "An application's fee and payment state (scope applications:read)",
        params: { type: 'object', properties: { id: { type: 'string', maxLength: 64 } }, required: ['id'] },
      },
    },
    async (req) => m.payments.apiState(await ctx.applications.backoffice.forAgency(req.params.id, agencyOf(req).agencyId)),
  );
  if (ctx.config.PAYMENTS_JOBS) {
    app.addHook('onReady', async () => m.jobs.start());
    app.addHook('onClose', async () => m.jobs.stop());
  }
}
