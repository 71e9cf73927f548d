// The UN E-Government Survey API (/api/v1/un-egov/...). Thin: read parameters, call the service.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import type { AppContext } from '../../context.ts';
import { PEER_GROUPS } from './benchmark.service.ts';
import type { CountryRow } from './benchmark.repository.ts';

type Q = Record<string, string | undefined>;

export function yearParam(raw: string | undefined, def: number): number {
  if (raw === undefined || raw === '') return def;
  if (!/^\d{4}$/.test(raw)) throw new AppError('VALIDATION_FAILED', 'year must be a four-digit year such as 2024.', { field: 'year' });
  return Number(raw);
}

export function indexParam(raw: string | undefined, field: string): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const v = Number(
    raw
      .trim()
      .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
      .replace('٫', '.'),
  );
  if (!Number.isFinite(v) || v < 0 || v > 1)
    throw new AppError('VALUE_OUT_OF_RANGE', `${field.toUpperCase()} must be a number from 0 to 1, like 0.72.`, { field });
  return v;
}

/** Members from ?group=d8 or ?countries=IRN,TUR (codes, any case, separated by commas or spaces). */
export function membersParam(q: Q): { members: string[]; group: string | null } {
  if (q.countries && q.countries.trim()) {
    const members = [
      ...new Set(
        q.countries
          .toUpperCase()
          .split(/[\s,،]+/)
          .filter(Boolean),
      ),
    ];
    if (members.length > 50) throw new AppError('VALIDATION_FAILED', 'Compare at most 50 countries.', { field: 'countries' });
    if (members.some((m) => !/^[A-Z]{3}$/.test(m)))
      throw new AppError('VALIDATION_FAILED', 'countries must be ISO 3166 alpha-3 codes such as IRN, TUR.', { field: 'countries' });
    return { members, group: null };
  }
  const group = q.group || 'd8';
  const g = PEER_GROUPS[group];
  if (!g) throw new AppError('VALIDATION_FAILED', `group must be one of ${Object.keys(PEER_GROUPS).join(', ')}.`, { field: 'group' });
  return { members: g.members, group };
}

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
