// Pages of the portal check queue: the status of a subject's latest check (queued, running, done,
// failed) on its work page, and the round's checks page where the oversight office queues a check of
// every portal and follows them. No JavaScript and no automatic refresh: a "Refresh" link reloads.
import type { FastifyInstance } from 'fastify';
import { formatNumber, type Lang, langOf, tr } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { Breadcrumbs } from '../../web/components.tsx';
import { DataTable } from '../../web/charts.tsx';
import { Layout } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.ts';
import { principal } from '../identity/staff.guard.ts';
import { AppError } from '../../platform/errors.ts';
import type { CheckJobRow } from './monitoring.repository.ts';
import { CheckStatusTag, checkStatusText } from './pages/check.tsx';
import { canManageRounds } from './monitoring.policy.ts';
import { other, plain } from './monitoring.view.tsx';
import { staffOf, makeGuards } from '../identity/guards.ts';

export function registerCheckPages(app: FastifyInstance, ctx: AppContext, roundUrl: (lang: Lang, slug: string) => string): void {
  const guards = makeGuards(ctx);
  const hide = { schema: { hide: true } };
  const csrf = { ...hide, preHandler: app.csrfProtection };

  app.get<{ Params: { lang: string; round: string } }>(
    '/:lang/staff/monitoring/rounds/:round/checks',
    { ...hide, preHandler: guards.staff('monitoring.manage') },
    async (req, reply) => {
      const lang = langOf(req.params);
      const staff = staffOf(req);
      if (!canManageRounds(principal(staff))) throw new AppError('FORBIDDEN');
      const round = await ctx.monitoring.round(req.params.round);
      const [subjects, jobs] = await Promise.all([ctx.monitoring.repo.subjects(round.id), ctx.monitoring.repo.latestChecks(round.id)]);
      const byS = new Map(jobs.map((j) => [j.subject, j]));
      const withUrl = subjects.filter((s) => s.url);
      const count = (st: CheckJobRow['status']) => jobs.filter((j) => j.status === st).length;
      const title = tr(lang, `بررسی خودکار درگاه‌ها: ${plain(round.title, lang)}`, `Automated portal checks: ${plain(round.title, lang)}`);
      const self = `${roundUrl(lang, round.slug)}/checks`;
      return sendPage(
        reply,
        <Layout lang={lang} title={title} altPath={`/${other(lang)}${self.slice(3)}`}>
          <Breadcrumbs
            lang={lang}
            items={[
              { href: `/${lang}/staff/monitoring`, label: tr(lang, 'پایش و ارزیابی', 'Monitoring and evaluation') },
              { href: roundUrl(lang, round.slug), label: plain(round.title, lang) },
              { label: tr(lang, 'بررسی خودکار درگاه‌ها', 'Automated portal checks') },
            ]}
          />
          <h1>{title}</h1>
          <div role="status" aria-live="polite" id="checks-status">
            <p>
              {tr(
                lang,
                `در صف: ${formatNumber(lang, count('queued'))}، در حال اجرا: ${formatNumber(lang, count('running'))}، انجام‌شده: ${formatNumber(lang, count('done'))}، ناموفق: ${formatNumber(lang, count('failed'))}؛ از ${formatNumber(lang, withUrl.length)} درگاه.`,
                `Queued: ${count('queued')}, running: ${count('running')}, done: ${count('done')}, failed: ${count('failed')}; of ${withUrl.length} portals.`,
              )}
            </p>
          </div>
          <p>
            <a href={self}>{tr(lang, 'تازه کردن صفحه', 'Refresh')}</a>{' '}
            {tr(
              lang,
              'برای دیدن آخرین وضعیت. بررسی‌ها در پس‌زمینه یکی‌یکی اجرا می‌شوند.',
              'to see the latest state. Checks run in the background, one at a time.',
            )}
          </p>
          {round.status === 'open' ? (
            <form method="post" action={self}>
              <input type="hidden" name="_csrf" value={reply.generateCsrf()} />
              <button class="button" type="submit">
                {tr(lang, 'بررسی همه درگاه‌های در حال ارزیابی', 'Check every portal still being assessed')}
              </button>
            </form>
          ) : null}
          <DataTable
            caption={tr(lang, 'آخرین بررسی هر درگاه', 'The latest check of each portal')}
            head={[tr(lang, 'دستگاه یا درگاه', 'Agency or portal'), tr(lang, 'وضعیت', 'Status'), tr(lang, 'جزئیات', 'Details')]}
            rows={withUrl.map((s) => [
              <a href={`${roundUrl(lang, round.slug)}/subjects/${s.subject}`}>{plain(s.name, lang)}</a>,
              <CheckStatusTag lang={lang} job={byS.get(s.subject)} />,
              checkStatusText(lang, byS.get(s.subject)),
            ])}
          />
        </Layout>,
      );
    },
  );

  app.post<{ Params: { lang: string; round: string } }>(
    '/:lang/staff/monitoring/rounds/:round/checks',
    { ...csrf, preHandler: [app.csrfProtection, guards.staff('monitoring.manage')] },
    async (req, reply) => {
      const lang = langOf(req.params);
      const staff = staffOf(req);
      const round = await ctx.monitoring.round(req.params.round);
      await ctx.monitoring.requestRoundChecks(round.id, principal(staff));
      return reply.redirect(`${roundUrl(lang, round.slug)}/checks`, 303);
    },
  );
}
