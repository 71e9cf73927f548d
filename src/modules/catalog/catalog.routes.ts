// The catalogue's JSON API (/api/v1/...) and open data (/open-data/...). Thin: read parameters,
// call the service, present the result.
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toSafeCsv as stringify } from '../../platform/csv.ts';
import type { AppContext } from '../../context.ts';
import { parseSearchParams } from './catalog.params.ts';
import { agencyItem, fullCard, labeller, listItem } from './catalog.presenter.ts';
import { agencyToJson, serviceToJson, toPanjerehCsv } from './importers/panjereh.ts';
import { rowToInput } from './catalog.service.ts';
import { AUDIENCES, CATEGORIES, CHANNELS, LIFE_EVENTS, MATURITY } from './catalog.taxonomy.ts';
import { FACETS } from './catalog.search.ts';

export const LICENCE =
  'Licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Source: Panjereh national service catalogue. Imported records keep their own licences: Kenya eCitizen list CC BY 4.0; Government of Canada Service Inventory, Open Government Licence - Canada.';

const problem = { $ref: 'Problem#' };
const facetParam = (desc: string) => ({
  type: 'array',
  items: { type: 'string' },
  description: `${desc} Repeat the parameter or separate values with commas; a card matches any of them.`,
});

const searchSchema = {
  tags: ['catalogue'],
  summary: 'Search the service catalogue',
  description:
    'Persian-aware search (letter variants, diacritics, ZWNJ, Persian digits), prefix matching and typo tolerance; name matches rank above description matches. Without q, lists services by name.',
  querystring: {
    type: 'object',
    properties: {
      q: { type: 'string', description: 'Search text, at most 200 characters.' },
      lang: { type: 'string', description: 'fa (default) or en: the language of summaries, agency names and sorting.' },
      agency: facetParam('Agency id(s).'),
      category: facetParam('Category code(s).'),
      lifeEvent: facetParam('Life event code(s).'),
      audience: facetParam('citizens, businesses, government.'),
      channel: facetParam('window, online, mobile-app, in-person, phone.'),
      maturity: facetParam('Stage(s) 1-5.'),
      page: { type: 'string', description: 'Page number from 1 (default 1).' },
      pageSize: { type: 'string', description: 'Results per page, 1-100 (default 20).' },
    },
  },
  response: {
    200: {
      type: 'object',
      properties: {
        total: { type: 'integer' },
        page: { type: 'integer' },
        pageSize: { type: 'integer' },
        match: {
          type: 'string',
          enum: ['all', 'any', 'browse'],
          description: 'all: every word matched; any: no card had every word, cards with some are shown; browse: no search text.',
        },
        items: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: { type: 'string', format: 'uuid' },
              slug: { type: 'string' },
              name: { type: 'object', properties: { fa: { type: ['string', 'null'] }, en: { type: ['string', 'null'] } } },
              summary: { type: ['string', 'null'] },
              agency: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
              maturity: { type: 'integer', minimum: 1, maximum: 5 },
              channels: { type: 'array', items: { type: 'string' } },
              url: { type: 'string' },
            },
          },
        },
        facets: {
          type: 'object',
          properties: Object.fromEntries(
            FACETS.map((f) => [
              f,
              {
                type: 'array',
                items: { type: 'object', properties: { value: { type: 'string' }, label: { type: 'string' }, count: { type: 'integer' } } },
              },
            ]),
          ),
        },
      },
    },
    400: problem,
  },
};

/** Absolute links come from PUBLIC_URL only, never from the request's Host or X-Forwarded-* headers. */
function baseUrl(ctx: AppContext, _req?: FastifyRequest): string {
  return ctx.config.PUBLIC_URL;
}

/** Open data bodies are rebuilt only when the catalogue's revision changes. */
function makeCache() {
  const cache = new Map<string, { revision: number; etag: string; body: string }>();
  return async (ctx: AppContext, req: FastifyRequest, reply: FastifyReply, key: string, type: string, build: () => Promise<string>) => {
    const revision = (await ctx.catalog.index()).revision;
    let entry = cache.get(key);
    if (!entry || entry.revision !== revision) {
      const body = await build();
      entry = { revision, body, etag: `"${crypto.createHash('sha1').update(body).digest('base64url').slice(0, 20)}"` };
      cache.set(key, entry);
    }
    reply
      .header('etag', entry.etag)
      .header('cache-control', 'public, max-age=60')
      .header('link', '<https://creativecommons.org/licenses/by/4.0/>; rel="license"');
    if (req.headers['if-none-match'] === entry.etag) return reply.code(304).send();
    return reply.type(type).send(entry.body);
  };
}

export function registerCatalogApi(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/services', { schema: searchSchema }, async (req) => {
    const query = parseSearchParams(req.query as Record<string, unknown>, { lang: 'fa', pageSize: 20 });
    const result = await ctx.catalog.search(query);
    const index = await ctx.catalog.index();
    const base = baseUrl(ctx, req);
    const label = labeller(query.lang, index.agencyNames);
    return {
      total: result.total,
      page: result.page,
      pageSize: result.pageSize,
      match: result.match,
      items: result.items.map((c) => listItem(c, query.lang, base)),
      facets: Object.fromEntries(FACETS.map((f) => [f, result.facets[f].map((x) => ({ ...x, label: label(f, x.value) }))])),
      revision: index.revision,
    };
  });

  app.get<{ Params: { id: string }; Querystring: { lang?: string } }>(
    '/api/v1/services/:id',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'A whole service card, by id or slug',
        params: { type: 'object', properties: { id: { type: 'string', description: 'The service id (uuid) or its slug.' } } },
        querystring: {
          type: 'object',
          properties: { lang: { type: 'string', description: 'fa or en: the language of the card page url.' } },
        },
        response: { 404: problem },
      },
    },
    async (req) => {
      const lang = req.query.lang === 'en' ? 'en' : 'fa';
      const service = await ctx.catalog.getService(req.params.id);
      const [agency, history] = await Promise.all([ctx.catalog.getAgency(service.agency_id), ctx.catalog.versions(service.id)]);
      return fullCard(service, agency, history, lang, baseUrl(ctx, req));
    },
  );

  app.get(
    '/api/v1/agencies',
    { schema: { tags: ['catalogue'], summary: 'All agencies with their number of published services and connection status' } },
    async (req) => {
      const base = baseUrl(ctx, req);
      const agencies = await ctx.catalog.agencies();
      return { total: agencies.length, items: agencies.map((a) => agencyItem(a, base)) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/agencies/:id',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'One agency with its published services',
        params: { type: 'object', properties: { id: { type: 'string' } } },
        response: { 404: problem },
      },
    },
    async (req) => {
      const base = baseUrl(ctx, req);
      const agency = await ctx.catalog.getAgency(req.params.id);
      const result = await ctx.catalog.search({ q: '', lang: 'fa', filters: { agency: [agency.id] }, page: 1, pageSize: 100_000 });
      return {
        ...agencyItem({ ...agency, service_count: result.total }, base),
        services: result.items.map((c) => listItem(c, 'fa', base)),
      };
    },
  );

  // One row by primary key, never cached: systems that mirror the catalogue poll it to know when to sync.
  app.get(
    '/api/v1/catalog/state',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'The catalogue revision: it grows with every change to any agency or service card',
        response: { 200: { type: 'object', properties: { revision: { type: 'integer' } } } },
      },
    },
    async (_req, reply) => reply.header('cache-control', 'no-store').send({ revision: await ctx.catalog.revision() }),
  );

  app.get(
    '/api/v1/taxonomy',
    {
      schema: { tags: ['catalogue'], summary: 'The codes used by filters: categories, life events, audiences, channels, maturity stages' },
    },
    async () => ({
      categories: CATEGORIES,
      lifeEvents: LIFE_EVENTS,
      audiences: AUDIENCES,
      channels: CHANNELS,
      maturity: MATURITY,
    }),
  );

  const cached = makeCache();
  app.get(
    '/open-data/services.csv',
    { schema: { tags: ['open data'], summary: 'Published service cards as CSV (first line: licence, as a # comment)' } },
    (req, reply) =>
      cached(ctx, req, reply, 'services.csv', 'text/csv; charset=utf-8', async () => {
        const { agencies, services } = await ctx.catalog.openData();
        return toPanjerehCsv(services.map(rowToInput), agencies, LICENCE);
      }),
  );
  app.get(
    '/open-data/services.json',
    { schema: { tags: ['open data'], summary: 'Published service cards and agencies as JSON, with the licence' } },
    (req, reply) =>
      cached(ctx, req, reply, 'services.json', 'application/json; charset=utf-8', async () => {
        const { agencies, services } = await ctx.catalog.openData();
        return JSON.stringify({
          licence: LICENCE,
          generatedAt: new Date().toISOString(),
          count: services.length,
          agencies: agencies.map(agencyToJson),
          services: services.map((s) => ({ id: s.id, ...serviceToJson(rowToInput(s)), updatedAt: s.updated_at })),
        });
      }),
  );
  app.get(
    '/open-data/agencies.csv',
    { schema: { tags: ['open data'], summary: 'Agencies as CSV (first line: licence, as a # comment)' } },
    (req, reply) =>
      cached(ctx, req, reply, 'agencies.csv', 'text/csv; charset=utf-8', async () => {
        const agencies = await ctx.catalog.agencies();
        const rows = agencies.map((a) => [
          a.id,
          a.name.fa ?? '',
          a.name.en ?? '',
          a.parent_ministry?.fa ?? '',
          a.parent_ministry?.en ?? '',
          a.website ?? '',
          a.contact.phone ?? '',
          a.contact.email ?? '',
          a.connected ? 'yes' : 'no',
          a.connected_since ?? '',
          Number(a.service_count),
        ]);
        const header = [
          'id',
          'name_fa',
          'name_en',
          'parent_ministry_fa',
          'parent_ministry_en',
          'website',
          'phone',
          'email',
          'connected',
          'connected_since',
          'published_services',
        ];
        return `# ${LICENCE}\n${stringify([header, ...rows])}`;
      }),
  );
}
