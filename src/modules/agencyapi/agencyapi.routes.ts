// The REST API for agencies' back-end systems (/api/agency/v1), authenticated by API key.
// The applications module adds its routes (/api/agency/v1/applications, applications.api.ts) with the same guard.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../platform/errors.ts';
import { issueProblems, type IssueDocumentInput } from '../documents/documents.service.ts';
import { readReference } from '../applications/reference.ts';
import { agencyOf, apiKeyRouteConfig, assertOwnAgency, requireApiKey } from './agencyapi.guard.ts';

type Body = Record<string, unknown>;
const asObject = (b: unknown): Body => {
  if (!b || typeof b !== 'object' || Array.isArray(b)) throw new AppError('VALIDATION_FAILED', 'Send a JSON object.');
  return b as Body;
};

export function registerAgencyApi(app: FastifyInstance, ctx: AppContext): void {
  const config = apiKeyRouteConfig(ctx);
  const tags = ['Agency API'];

  app.get(
    '/api/agency/v1/me',
    { config, preHandler: requireApiKey(ctx, null), schema: { tags, summary: 'The agency and scopes of this key' } },
    async (req) => {
      const p = agencyOf(req);
      return { agencyId: p.agencyId, scopes: p.scopes };
    },
  );

  app.post(
    '/api/agency/v1/documents',
    {
      config,
      preHandler: requireApiKey(ctx, 'documents:issue'),
      schema: {
        tags,
        summary: 'Issue a signed result document (scope documents:issue)',
        description:
          "With applicationId (or applicationRef set to one of your applications' reference numbers) the document is linked to that approved application: it appears on its timeline and in the citizen's e-box. 404 APPLICATION_NOT_FOUND for another agency's application, 409 APPLICATION_NOT_APPROVED before approval.",
      },
    },
    async (req, reply) => {
      const p = agencyOf(req);
      const b = asObject(req.body);
      if (b.agencyId !== undefined) assertOwnAgency(p, String(b.agencyId));
      let issuedAt: Date | undefined;
      if (b.issuedAt !== undefined) {
        issuedAt = typeof b.issuedAt === 'string' && /^\d{4}-\d{2}-\d{2}/.test(b.issuedAt) ? new Date(b.issuedAt) : new Date(NaN);
      }
      // A document for one of the agency's applications (applicationId, or an applicationRef that is a
      // reference of this platform) is linked to it: the application must be approved, and the citizen
      // finds the document on its timeline and in the e-box. Another agency's application is 404.
      if (b.applicationId !== undefined && typeof b.applicationId !== 'string')
        throw new AppError('VALIDATION_FAILED', 'applicationId must be an application id.');
      const platformRef = typeof b.applicationRef === 'string' && b.applicationRef.length <= 100 ? readReference(b.applicationRef) : null;
      const application =
        b.applicationId !== undefined
          ? await ctx.applications.backoffice.forAgency(b.applicationId as string, p.agencyId)
          : platformRef
            ? await ctx.applications.byReference(platformRef)
            : undefined;
      if (platformRef && (!application || application.agency_id !== p.agencyId || application.status === 'draft'))
        throw new AppError('APPLICATION_NOT_FOUND');
      if (application && application.status !== 'approved') throw new AppError('APPLICATION_NOT_APPROVED');
      const input = {
        agencyId: p.agencyId,
        serviceId: (b.serviceId as string) ?? application?.service_id ?? null,
        applicationRef: application?.reference ?? (b.applicationRef as string) ?? null,
        kind: b.kind,
        lang: b.lang,
        title: b.title,
        holderName: b.holderName,
        fields: b.fields ?? [],
        issuedAt,
      } as IssueDocumentInput;
      const problems = issueProblems(input);
      if (problems.length) throw new AppError('VALIDATION_FAILED', problems.join('; '), { problems });
      const d = await ctx.documents.issue(input);
      await ctx.audit.record({
        actor: `apikey:${p.keyId}`,
        action: 'documents.issued',
        subject: d.code,
        detail: { agencyId: p.agencyId, kind: input.kind, ...(application ? { application: application.id } : {}) },
      });
      if (application)
        await ctx.applications.backoffice.documentIssued(application.id, { code: d.code, url: d.downloadUrl }, `apikey:${p.keyId}`);
      return reply
        .code(201)
        .header('location', d.verifyUrl)
        .send({
          id: d.id,
          code: d.code,
          sha256: d.sha256,
          verifyUrl: d.verifyUrl,
          downloadUrl: d.downloadUrl,
          applicationId: application?.id ?? null,
        });
    },
  );

  app.get(
    '/api/agency/v1/webhooks',
    { config, preHandler: requireApiKey(ctx, 'webhooks:manage'), schema: { tags, summary: 'Webhook endpoints of this agency' } },
    async (req) => {
      return { endpoints: await ctx.webhooks.endpoints(agencyOf(req).agencyId) };
    },
  );

  app.post(
    '/api/agency/v1/webhooks',
    {
      config,
      preHandler: requireApiKey(ctx, 'webhooks:manage'),
      schema: { tags, summary: 'Register a webhook endpoint; the signing secret is returned once' },
    },
    async (req, reply) => {
      const p = agencyOf(req);
      const b = asObject(req.body);
      if (!Array.isArray(b.events)) throw new AppError('WEBHOOK_EVENT_UNKNOWN', 'events must be a list of event names.');
      const r = await ctx.webhooks.register(p.agencyId, String(b.url ?? ''), b.events.map(String), `apikey:${p.keyId}`);
      return reply.code(201).send(r);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/agency/v1/webhooks/:id',
    { config, preHandler: requireApiKey(ctx, 'webhooks:manage'), schema: { tags, summary: 'Stop deliveries to an endpoint' } },
    async (req, reply) => {
      const p = agencyOf(req);
      await ctx.webhooks.disable(req.params.id, p.agencyId, `apikey:${p.keyId}`);
      return reply.code(204).send();
    },
  );

  app.get<{ Querystring: { status?: string } }>(
    '/api/agency/v1/webhooks/deliveries',
    {
      config,
      preHandler: requireApiKey(ctx, 'webhooks:manage'),
      schema: { tags, summary: 'Recent deliveries (status=pending|delivered|dead)' },
    },
    async (req) => {
      const s = req.query.status;
      if (s !== undefined && s !== 'pending' && s !== 'delivered' && s !== 'dead')
        throw new AppError('VALIDATION_FAILED', 'status must be pending, delivered or dead.');
      return { deliveries: await ctx.webhooks.deliveries(agencyOf(req).agencyId, s ?? null, 100) };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/agency/v1/webhooks/deliveries/:id/replay',
    { config, preHandler: requireApiKey(ctx, 'webhooks:manage'), schema: { tags, summary: 'Send a delivery again' } },
    async (req, reply) => {
      const p = agencyOf(req);
      await ctx.webhooks.replay(req.params.id, p.agencyId, `apikey:${p.keyId}`);
      return reply.code(202).send({ replayed: req.params.id });
    },
  );
}
