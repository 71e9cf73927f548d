// Monitoring's HTTP surface: open data (CSV and JSON with a dictionary), a small read API, the PDF of
// a round's report, and the page modules. Thin: parameters in, service out.
import type { FastifyInstance, FastifyReply } from 'fastify';
import multipart from '@fastify/multipart';
import { AppError } from '../../platform/errors.ts';
import type { AppContext } from '../../context.ts';
import { indicatorCsv } from './monitoring.indicators.ts';
import { DICTIONARY, overviewTable, resultsTable, toCsv, trendsTable } from './monitoring.results.ts';
import { registerMonitoringPages } from './monitoring.pages.tsx';
import { registerMonitoringStaffPages } from './monitoring.staff.tsx';
import { renderPdf } from './monitoring.pdf.ts';
import { PortalCheckWorker } from './monitoring.jobs.ts';
import { PortalChecker } from './monitoring.checks.ts';

const RESULT_COLUMNS = [
  'round',
  'cutoff',
  'indicator_set',
  'subject',
  'name_fa',
  'name_en',
  'criterion',
  'score',
  'assessed',
  'no_data',
  'indicators',
  'rank',
  'change',
];
const ANSWER_COLUMNS = ['round', 'subject', 'code', 'criterion', 'value', 'state', 'origin', 'note', 'link'];
const TREND_COLUMNS = ['chart', 'figure', 'label_fa', 'label_en', 'month', 'as_of', 'value', 'unit', 'status'];
const OVERVIEW_COLUMNS = ['figure', 'label_fa', 'label_en', 'value', 'numerator', 'denominator', 'status', 'as_of'];

const csv = (reply: FastifyReply, name: string, body: string) =>
  reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}"`)
    .header('cache-control', 'public, max-age=60')
    .send(body);

export async function registerMonitoring(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const tags = ['Monitoring and evaluation'];
  registerMonitoringPages(app, ctx);

  // Portal checks a round asks for run in this worker, not in the request.
  if (ctx.config.MONITORING_CHECK_WORKER) {
    const timeoutMs = ctx.config.PORTAL_CHECK_TIMEOUT_MS;
    const worker = new PortalCheckWorker(
      ctx.monitoring,
      () => new PortalChecker({ chromiumPath: ctx.config.CHROMIUM_PATH, timeoutMs }),
      Math.max(120, Math.ceil((3 * timeoutMs) / 1000)),
      ctx.config.MONITORING_CHECK_POLL_MS,
      (msg, detail) => app.log.warn(detail ?? {}, msg),
    );
    app.addHook('onReady', async () => worker.start());
    app.addHook('onClose', async () => worker.stop());
  }

  app.get(
    '/open-data/monitoring/dictionary.json',
    { schema: { tags, summary: 'Data dictionary of the monitoring open data' } },
    async () => DICTIONARY,
  );

  app.get<{ Params: { ext: string } }>(
    '/open-data/monitoring/overview.:ext',
    { schema: { tags, summary: 'National overview figures (CSV or JSON)' } },
    async (req, reply) => {
      const ext = req.params.ext;
      const o = await ctx.monitoringResults.overview();
      if (ext === 'csv') return csv(reply, 'monitoring-overview.csv', toCsv(overviewTable(o), OVERVIEW_COLUMNS));
      if (ext !== 'json') throw new AppError('NOT_FOUND');
      return {
        asOf: o.asOf,
        agencies: o.agencies,
        connected: o.connected,
        connectedTrend: o.connectedTrend,
        servicesByStage: Object.fromEntries(o.stages.map((n, i) => [String(i + 1), n])),
        figures: overviewTable(o),
        dictionary: '/open-data/monitoring/dictionary.json',
      };
    },
  );

  app.get<{ Params: { ext: string } }>(
    '/open-data/monitoring/trends.:ext',
    { schema: { tags, summary: 'Monthly trend of the national figures, last 12 months (CSV or JSON)' } },
    async (req, reply) => {
      const o = await ctx.monitoringResults.overview();
      const rows = trendsTable(o);
      if (req.params.ext === 'csv') return csv(reply, 'monitoring-trends.csv', toCsv(rows, TREND_COLUMNS));
      if (req.params.ext !== 'json') throw new AppError('NOT_FOUND');
      return { asOf: o.asOf, items: rows, dictionary: '/open-data/monitoring/dictionary.json' };
    },
  );

  app.get<{ Params: { round: string; ext: string } }>(
    '/open-data/monitoring/rounds/:round.:ext',
    { schema: { tags, summary: "A published round's scores per agency and criterion, with ranks and change (CSV or JSON)" } },
    async (req, reply) => {
      const r = await ctx.monitoringResults.publicResults(req.params.round);
      const rows = resultsTable(r);
      if (req.params.ext === 'csv') return csv(reply, `monitoring-${r.round.slug}.csv`, toCsv(rows, RESULT_COLUMNS));
      if (req.params.ext !== 'json') throw new AppError('NOT_FOUND');
      return {
        round: {
          slug: r.round.slug,
          title: r.round.title,
          cutoff: r.round.cutoff,
          status: r.round.status,
          publishedAt: r.round.published_at,
          supersedes: r.round.supersedes,
          correctionNote: r.round.correction_note,
        },
        indicatorSet: { key: r.set.key, version: r.set.version, criteria: r.set.criteria },
        rows,
        dictionary: '/open-data/monitoring/dictionary.json',
      };
    },
  );

  app.get<{ Params: { round: string; ext: string } }>(
    '/open-data/monitoring/rounds/:round/answers.:ext',
    { schema: { tags, summary: 'Every answer of a published round with its evidence note and link (CSV or JSON)' } },
    async (req, reply) => {
      const r = await ctx.monitoringResults.publicResults(req.params.round);
      const crit = new Map(r.set.indicators.map((i) => [i.code, i.criterion]));
      const rows = (await ctx.monitoring.repo.answers(r.round.id)).map((a) => ({
        round: r.round.slug,
        subject: a.subject,
        code: a.code,
        criterion: crit.get(a.code) ?? '',
        value: a.value,
        state: a.state,
        origin: a.origin,
        note: a.note ?? '',
        link: a.link ?? '',
      }));
      rows.sort((a, b) => a.subject.localeCompare(b.subject) || a.code.localeCompare(b.code));
      if (req.params.ext === 'csv') return csv(reply, `monitoring-${r.round.slug}-answers.csv`, toCsv(rows, ANSWER_COLUMNS));
      if (req.params.ext !== 'json') throw new AppError('NOT_FOUND');
      return { round: r.round.slug, items: rows };
    },
  );

  app.get<{ Params: { key: string; ext: string }; Querystring: { version?: string } }>(
    '/open-data/monitoring/indicator-sets/:key.:ext',
    { schema: { tags, summary: 'An indicator set (latest or ?version=N) as CSV or JSON, in the import format' } },
    async (req, reply) => {
      const v = req.query.version && /^\d{1,6}$/.test(req.query.version) ? Number(req.query.version) : undefined;
      const s = await ctx.monitoring.set(req.params.key, v);
      const body = {
        key: s.key,
        version: s.version,
        name: s.name,
        scope: s.scope,
        rollup: s.rollup,
        criteria: s.criteria,
        indicators: s.indicators,
      };
      if (req.params.ext === 'csv') return csv(reply, `${s.key}-v${s.version}.csv`, indicatorCsv(body));
      if (req.params.ext !== 'json') throw new AppError('NOT_FOUND');
      return body;
    },
  );

  app.get<{ Params: { lang: string; round: string } }>(
    '/:lang/monitoring/rounds/:round/report.pdf',
    { schema: { hide: true } },
    async (req, reply) => {
      if (req.params.lang !== 'fa' && req.params.lang !== 'en') throw new AppError('NOT_FOUND');
      const r = await ctx.monitoringResults.publicResults(req.params.round);
      const pdf = await renderPdf(ctx.config.CHROMIUM_PATH, `/${req.params.lang}/monitoring/rounds/${r.round.slug}/report`, async (url) => {
        const res = await app.inject({ method: 'GET', url });
        return {
          status: res.statusCode,
          contentType: String(res.headers['content-type'] ?? 'application/octet-stream'),
          body: res.rawPayload,
        };
      });
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="${r.round.slug}-${req.params.lang}.pdf"`)
        .send(pdf);
    },
  );

  // Evidence uploads: multipart only inside this scope, fields attached to the body so CSRF checks work.
  await app.register(async (scope) => {
    await scope.register(multipart, {
      attachFieldsToBody: 'keyValues',
      throwFileSizeLimit: false,
      limits: { fileSize: ctx.config.MONITORING_EVIDENCE_MAX_BYTES + 1, files: 1, fields: 20 },
      // A file field becomes { filename, data }; one byte past the limit is kept so the size check can say so.
      async onFile(part) {
        const chunks: Buffer[] = [];
        for await (const c of part.file) chunks.push(c as Buffer);
        (part as unknown as { value: unknown }).value = { filename: part.filename, data: Buffer.concat(chunks) };
      },
    });
    registerMonitoringStaffPages(scope, ctx);
  });
}
