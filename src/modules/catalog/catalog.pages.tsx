// The catalogue's pages under /fa and /en. Thin: read parameters, call the service, render.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError, messageFor } from '../../platform/errors.ts';
import { type Lang, langOf } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { sendPage } from '../../web/render.ts';
import type { FieldError } from '../../web/components.tsx';
import { parseSearchParams } from './catalog.params.ts';
import { labeller } from './catalog.presenter.ts';
import type { Facet, SearchResult } from './catalog.search.ts';
import { categoryByCode, lifeEventByCode } from './catalog.taxonomy.ts';
import { HomePage } from './pages/HomePage.tsx';
import { SearchPage } from './pages/SearchPage.tsx';
import { ServicePage } from './pages/ServicePage.tsx';
import { AgencyListPage, AgencyPage } from './pages/AgencyPages.tsx';
import { JourneyPage } from './pages/JourneyPage.tsx';
import { journeyFor } from './journey.view.ts';
import { currentCitizen } from '../identity/citizen.guard.ts';
import { STATUS_NAME } from '../applications/applications.text.ts';

const PAGE_SIZE = 20;
type LangParams = { Params: { lang: string }; Querystring: Record<string, unknown> };

/** Which field a search error belongs to, and its message in the page's language. */
function fieldError(err: AppError, lang: Lang): FieldError {
  const field = err.code === 'QUERY_TOO_LONG' ? 'q' : 'results-count';
  return { field, message: messageFor(err.code, lang) };
}

export function registerCatalogPages(app: FastifyInstance, ctx: AppContext): void {
  const hide = { schema: { hide: true } };

  app.get<LangParams>('/:lang', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const index = await ctx.catalog.index();
    const all = index.search({ q: '', lang, filters: {}, page: 1, pageSize: 0 });
    return sendPage(
      reply,
      <HomePage
        lang={lang}
        featured={index.featured(lang)}
        categoryCounts={all.facets.category}
        lifeEventCounts={all.facets.lifeEvent}
        total={all.total}
      />,
    );
  });

  /** Renders search results, or the same page with an error summary when a parameter is bad. */
  const searchPage = async (
    reply: FastifyReply,
    lang: Lang,
    raw: Record<string, unknown>,
    listing?: { title: string; path: string; fixed: Facet; value: string },
  ) => {
    const index = await ctx.catalog.index();
    const label = labeller(lang, index.agencyNames);
    const q = typeof raw.q === 'string' ? raw.q : '';
    let result: SearchResult | null = null;
    let errors: FieldError[] = [];
    let filters = {};
    try {
      const query = parseSearchParams(
        { ...raw, lang, pageSize: undefined, ...(listing ? { [listing.fixed]: listing.value } : {}) },
        { lang, pageSize: PAGE_SIZE },
      );
      filters = query.filters;
      result = await ctx.catalog.search(query);
    } catch (e) {
      if (!(e instanceof AppError) || e.status !== 400) throw e;
      errors = [fieldError(e, lang)];
    }
    return sendPage(
      reply,
      <SearchPage lang={lang} q={q} filters={filters} result={result} errors={errors} label={label} listing={listing} />,
      errors.length ? 400 : 200,
    );
  };

  app.get<LangParams>('/:lang/search', hide, async (req, reply) => searchPage(reply, langOf(req.params), req.query));

  app.get<{ Params: { lang: string; code: string }; Querystring: Record<string, unknown> }>(
    '/:lang/categories/:code',
    hide,
    async (req, reply) => {
      const lang = langOf(req.params);
      const term = categoryByCode.get(req.params.code);
      if (!term) throw new AppError('CATEGORY_NOT_FOUND');
      return searchPage(reply, lang, req.query, {
        title: term.name[lang],
        path: `/${lang}/categories/${term.code}`,
        fixed: 'category',
        value: term.code,
      });
    },
  );

  app.get<{ Params: { lang: string; code: string }; Querystring: Record<string, unknown> }>(
    '/:lang/life-events/:code',
    hide,
    async (req, reply) => {
      const lang = langOf(req.params);
      const term = lifeEventByCode.get(req.params.code);
      if (!term) throw new AppError('CATEGORY_NOT_FOUND');
      // a life event editors have written steps for is a step-by-step journey; otherwise a filtered list
      const journey = await journeyFor(ctx, term.code, await currentCitizen(ctx, req));
      if (journey) return sendPage(reply, <JourneyPage lang={lang} statusNames={STATUS_NAME} {...journey} />);
      return searchPage(reply, lang, req.query, {
        title: term.name[lang],
        path: `/${lang}/life-events/${term.code}`,
        fixed: 'lifeEvent',
        value: term.code,
      });
    },
  );

  app.get<{ Params: { lang: string; slug: string } }>('/:lang/services/:slug', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const service = await ctx.catalog.getService(req.params.slug);
    const agency = await ctx.catalog.getAgency(service.agency_id);
    const online = {
      applyUrl: (await ctx.applications.hasForm(service.id)) ? `/${lang}/services/${service.slug}/apply` : undefined,
      rating: await ctx.applications.ratingSummary({ serviceId: service.id }),
      complaints: await ctx.requests.service.files.serviceComplaints(service.id),
    };
    return sendPage(reply, <ServicePage lang={lang} service={service} agency={agency} online={online} />);
  });

  app.get<LangParams>('/:lang/agencies', hide, async (req, reply) => {
    const lang = langOf(req.params);
    return sendPage(reply, <AgencyListPage lang={lang} agencies={await ctx.catalog.agencies()} />);
  });

  app.get<{ Params: { lang: string; id: string }; Querystring: { page?: string } }>('/:lang/agencies/:id', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const agency = await ctx.catalog.getAgency(req.params.id);
    const page = /^\d{1,5}$/.test(req.query.page ?? '') ? Math.max(1, Number(req.query.page)) : 1;
    const result = await ctx.catalog.search({ q: '', lang, filters: { agency: [agency.id] }, page, pageSize: 50 });
    return sendPage(
      reply,
      <AgencyPage lang={lang} agency={agency} services={result.items} total={result.total} page={page} pageSize={50} />,
    );
  });
}
