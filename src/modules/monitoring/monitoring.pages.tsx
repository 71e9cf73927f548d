// Public monitoring pages: the national overview, published rounds with rankings, an agency's
// scorecard, a printable report, and the open data index. Server-rendered, no JavaScript.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';
import { AppError } from '../../platform/errors.ts';
import { langOf } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { sendPage } from '../../web/render.ts';
import { RESULTS_PAGE_SIZE } from './monitoring.results.ts';
import { toAsciiDigits } from '../../platform/persian.ts';
import { OverviewPage, RoundsPage } from './pages/overview.tsx';
import { ReportPage, RoundPage, SubjectPage } from './pages/round.tsx';
import { IndicatorSetPage, OpenDataPage } from './pages/open-data.tsx';

/**
 * Pages that depend only on cached data (the overview, a round's results) are rendered once per
 * cached object, language and page, and the HTML reused until the cache moves on.
 */
const rendered = new WeakMap<object, Map<string, string>>();
function sendRendered(reply: FastifyReply, owner: object, key: string, page: () => VNode): FastifyReply {
  let m = rendered.get(owner);
  if (!m) rendered.set(owner, (m = new Map()));
  let html = m.get(key);
  if (html === undefined) m.set(key, (html = `<!doctype html>${render(page())}`));
  return reply.code(200).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
}

export function registerMonitoringPages(app: FastifyInstance, ctx: AppContext): void {
  const hide = { schema: { hide: true } };

  app.get<{ Params: { lang: string } }>('/:lang/monitoring', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const o = await ctx.monitoringResults.overview();
    return sendRendered(reply, o, lang, () => <OverviewPage lang={lang} o={o} />);
  });

  app.get<{ Params: { lang: string } }>('/:lang/monitoring/rounds', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const rounds = await ctx.monitoringResults.publicRounds();
    return sendPage(reply, <RoundsPage lang={lang} rounds={rounds} />);
  });

  app.get<{ Params: { lang: string; round: string }; Querystring: { page?: string } }>(
    '/:lang/monitoring/rounds/:round',
    hide,
    async (req, reply) => {
      const lang = langOf(req.params);
      const r = await ctx.monitoringResults.publicResults(req.params.round);
      const pages = Math.max(1, Math.ceil(r.rows.length / RESULTS_PAGE_SIZE));
      const rawPage = toAsciiDigits(req.query.page ?? '1').trim();
      if (!/^\d{1,5}$/.test(rawPage) || Number(rawPage) < 1) throw new AppError('PAGE_OUT_OF_RANGE');
      const page = Number(rawPage);
      if (page > pages) throw new AppError('PAGE_OUT_OF_RANGE', `This round's results have ${pages} page(s); page ${page} does not exist.`);
      return sendRendered(reply, r, `${lang}:${page}`, () => <RoundPage lang={lang} r={r} page={page} pages={pages} />);
    },
  );

  app.get<{ Params: { lang: string; round: string; subject: string } }>(
    '/:lang/monitoring/rounds/:round/subjects/:subject',
    hide,
    async (req, reply) => {
      const lang = langOf(req.params);
      const r = await ctx.monitoringResults.publicResults(req.params.round);
      const row = r.rows.find((x) => x.subject.subject === req.params.subject);
      if (!row) throw new AppError('ROUND_SUBJECT_NOT_FOUND');
      const answers = new Map((await ctx.monitoring.repo.answers(r.round.id, row.subject.subject)).map((a) => [a.code, a]));
      return sendPage(reply, <SubjectPage lang={lang} r={r} row={row} answers={answers} />);
    },
  );

  app.get<{ Params: { lang: string; round: string } }>('/:lang/monitoring/rounds/:round/report', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const r = await ctx.monitoringResults.publicResults(req.params.round);
    return sendPage(reply, <ReportPage lang={lang} r={r} />);
  });

  app.get<{ Params: { lang: string; key: string }; Querystring: { version?: string } }>(
    '/:lang/monitoring/indicator-sets/:key',
    hide,
    async (req, reply) => {
      const lang = langOf(req.params);
      const v = req.query.version && /^\d{1,6}$/.test(req.query.version) ? Number(req.query.version) : undefined;
      const set = await ctx.monitoring.set(req.params.key, v);
      return sendPage(reply, <IndicatorSetPage lang={lang} set={set} />);
    },
  );

  app.get<{ Params: { lang: string } }>('/:lang/monitoring/open-data', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const rounds = await ctx.monitoringResults.publicRounds();
    return sendPage(reply, <OpenDataPage lang={lang} rounds={rounds} />);
  });
}
