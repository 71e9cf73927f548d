// The UN E-Government Survey API (/api/v1/un-egov/...). Thin: read parameters, call the service.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../platform/errors.ts';
import { indexParam, membersParam, yearParam, type Q } from './benchmark.params.ts';
import type { CountryRow } from './benchmark.repository.ts';

const countryJson = (c: CountryRow) => ({ iso3: c.iso3, name: { fa: c.name_fa, en: c.name_en }, region: c.region });

export function registerBenchmarkApi(app: FastifyInstance, ctx: AppContext): void {
  const tags = ['UN E-Government Survey'];
  const latest = ctx.benchmark.latestEdition();

  app.get(
    '/api/v1/un-egov/editions',
    { schema: { tags, summary: 'Survey editions with the number of countries in each EGDI group' } },
    async () => ({
      items: await Promise.all(ctx.benchmark.editions().map(async (year) => ({ year, groups: await ctx.benchmark.groupCounts(year) }))),
    }),
  );

  app.get<{ Querystring: Q }>(
    '/api/v1/un-egov/countries',
    {
      schema: {
        tags,
        summary: 'All 193 UN member states with their scores in one edition (default: the latest)',
        querystring: { type: 'object', properties: { year: { type: 'string' } } },
      },
    },
    async (req) => {
      const year = yearParam(req.query.year, latest);
      const rows = new Map((await ctx.benchmark.edition(year)).map((r) => [r.iso3, r]));
      return { year, items: (await ctx.benchmark.countries()).map((c) => ({ ...countryJson(c), score: rows.get(c.iso3) ?? null })) };
    },
  );

  app.get<{ Params: { iso3: string } }>(
    '/api/v1/un-egov/countries/:iso3',
    { schema: { tags, summary: 'One country: EGDI, OSI, HCI, TII, EPI and rank in every edition, with the recomputed EGDI and group' } },
    async (req) => {
      const { country, scores } = await ctx.benchmark.country(req.params.iso3);
      return { country: countryJson(country), scores };
    },
  );

  app.get<{ Querystring: Q }>(
    '/api/v1/un-egov/compare',
    {
      schema: {
        tags,
        summary: 'Compare a peer group (group=d8|eco|neighbours) or any countries (countries=IRN,TUR,...) in one edition',
        querystring: { type: 'object', properties: { group: { type: 'string' }, countries: { type: 'string' }, year: { type: 'string' } } },
      },
    },
    async (req) => {
      const { members, group } = membersParam(req.query);
      const r = await ctx.benchmark.compare(members, yearParam(req.query.year, latest));
      return { group, year: r.year, average: r.average, members: r.members.map((m) => ({ ...countryJson(m.country), score: m.score })) };
    },
  );

  app.get<{ Querystring: Q }>(
    '/api/v1/un-egov/what-if',
    {
      schema: {
        tags,
        summary:
          "What a country's EGDI, rank and group would be with other sub-index values (ranked against the other countries' published EGDI)",
        querystring: {
          type: 'object',
          properties: {
            country: { type: 'string' },
            year: { type: 'string' },
            osi: { type: 'string' },
            hci: { type: 'string' },
            tii: { type: 'string' },
          },
        },
      },
    },
    async (req) => {
      const q = req.query;
      if (!q.country)
        throw new AppError('VALIDATION_FAILED', 'country is required (an ISO 3166 alpha-3 code such as IRN).', { field: 'country' });
      const r = await ctx.benchmark.whatIf({
        iso3: q.country,
        year: yearParam(q.year, latest),
        osi: indexParam(q.osi, 'osi'),
        hci: indexParam(q.hci, 'hci'),
        tii: indexParam(q.tii, 'tii'),
      });
      return { ...r, country: countryJson(r.country) };
    },
  );
}
