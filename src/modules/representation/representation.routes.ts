// The citizen's page of whom they may apply for. Each route declares method, path, schema and guards,
// calls one service method and renders one view (pages/account.tsx).
//   GET  /:lang/account/representation   what the page will ask the civil registry, and a button to ask
//   POST /:lang/account/representation   asks (through the exchange) and shows the minor children and wards
import type { FastifyInstance } from 'fastify';
import { langOf } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { sendPage } from '../../web/render.ts';
import { citizenOf, makeGuards } from '../identity/guards.ts';
import { RepresentationPage } from './pages/account.tsx';
import type { RepresentationService } from './representation.service.ts';

type P = { Params: { lang: string } };
const schema = { hide: true, params: { type: 'object', properties: { lang: { type: 'string', enum: ['fa', 'en'] } } } } as const;

export function registerRepresentationRoutes(app: FastifyInstance, ctx: AppContext, representation: RepresentationService): void {
  const guards = makeGuards(ctx);

  app.get<P>('/:lang/account/representation', { schema, preHandler: guards.citizen }, async (req, reply) =>
    sendPage(reply, RepresentationPage({ lang: langOf(req.params), csrf: reply.generateCsrf() })),
  );

  app.post<P>('/:lang/account/representation', { schema, preHandler: [app.csrfProtection, guards.citizen] }, async (req, reply) => {
    const { citizen } = citizenOf(req);
    const result = await representation.dependantsOf({ id: citizen.id, national_id: citizen.national_id, mobile: citizen.mobile });
    return sendPage(reply, RepresentationPage({ lang: langOf(req.params), csrf: reply.generateCsrf(), result }));
  });
}
