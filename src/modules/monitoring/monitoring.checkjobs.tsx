// Pages of the portal check queue: the status of a subject's latest check (queued, running, done,
// failed) on its work page, and the round's checks page where the oversight office queues a check of
// every portal and follows them. No JavaScript and no automatic refresh: a "Refresh" link reloads.
import type { FastifyInstance } from 'fastify';
import { formatDate, formatNumber, formatTime, type Lang, langOf, tr } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { Breadcrumbs, Tag } from '../../web/components.tsx';
import { DataTable } from '../../web/charts.tsx';
import { Layout } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.ts';
import { principal } from '../identity/staff.guard.ts';
import { AppError } from '../../platform/errors.ts';
import type { CheckJobRow } from './monitoring.repository.ts';
import { canManageRounds } from './monitoring.policy.ts';
import { other, plain } from './monitoring.view.tsx';
import { staffOf, makeGuards } from '../identity/guards.ts';

const when = (lang: Lang, d: Date | null) =>
  d ? `${formatDate(lang, d)}${lang === 'fa' ? '، ' : ', '}${formatTime(lang, new Date(d))}` : '';

export function CheckStatusTag({ lang, job }: { lang: Lang; job: CheckJobRow | undefined }) {
  if (!job) return <Tag tone="grey">{tr(lang, 'اجرا نشده', 'Not run')}</Tag>;
  const t = {
    queued: ['در صف', 'Queued', 'blue'],
    running: ['در حال اجرا', 'Running', 'orange'],
    done: ['انجام شد', 'Done', 'green'],
    failed: ['ناموفق', 'Failed', 'red'],
  } as const;
  const [fa, en, tone] = t[job.status];
  return <Tag tone={tone}>{tr(lang, fa, en)}</Tag>;
}

/** What happened to the latest check, in words. */
export function checkStatusText(lang: Lang, job: CheckJobRow | undefined): string {
  if (!job) return tr(lang, 'بررسی خودکار هنوز اجرا نشده است.', 'The automated check has not run yet.');
  switch (job.status) {
    case 'queued':
      return job.last_error
        ? tr(
            lang,
            `تلاش ${formatNumber(lang, job.attempts)} ناموفق بود (${job.last_error})؛ دوباره در صف است.`,
            `Attempt ${job.attempts} failed (${job.last_error}); it is queued to try again.`,
          )
        : tr(
            lang,
            `در صف از ${when(lang, job.requested_at)}. بررسی در پس‌زمینه اجرا می‌شود و چند ثانیه تا یک دقیقه طول می‌کشد.`,
            `Queued since ${when(lang, job.requested_at)}. The check runs in the background and takes a few seconds to a minute.`,
          );
    case 'running':
      return tr(lang, `در حال اجرا از ${when(lang, job.started_at)}.`, `Running since ${when(lang, job.started_at)}.`);
    case 'done':
      return tr(
        lang,
        `انجام شد در ${when(lang, job.finished_at)} و ${formatNumber(lang, job.proposed ?? 0)} پاسخ پیشنهاد کرد؛ پیشنهادها را پایین‌تر تأیید کنید.`,
        `Done at ${when(lang, job.finished_at)}; it proposed ${job.proposed ?? 0} answers. Confirm the proposals below.`,
      );
    case 'failed':
      return tr(
        lang,
        `ناموفق در ${when(lang, job.finished_at)}: ${job.last_error ?? ''}. می‌توانید دوباره اجرا کنید.`,
        `Failed at ${when(lang, job.finished_at)}: ${job.last_error ?? ''}. You can run it again.`,
      );
  }
}

const waiting = (job: CheckJobRow | undefined) => job?.status === 'queued' || job?.status === 'running';

/** The check block of a subject's work page: status (a live region), a Refresh link while waiting, and the button. */
export function SubjectCheck({
  lang,
  job,
  action,
  self,
  csrf,
  canRun,
}: {
  lang: Lang;
  job: CheckJobRow | undefined;
  action: string;
  self: string;
  csrf: string;
  canRun: boolean;
}) {
  return (
    <section aria-labelledby="portal-check-title">
      <h2 id="portal-check-title">{tr(lang, 'بررسی خودکار درگاه', 'Automated portal check')}</h2>
      <div role="status" aria-live="polite" id="portal-check-status">
        <p>
          <CheckStatusTag lang={lang} job={job} /> {checkStatusText(lang, job)}
        </p>
      </div>
      {waiting(job) ? (
        <p>
          <a href={`${self}#portal-check-title`}>{tr(lang, 'تازه کردن صفحه', 'Refresh')}</a>{' '}
          {tr(lang, 'برای دیدن اینکه بررسی تمام شده یا نه.', 'to see whether the check has finished.')}
        </p>
      ) : canRun ? (
        <form method="post" action={action}>
          <input type="hidden" name="_csrf" value={csrf} />
          <button class="button button-secondary" type="submit">
            {job
              ? tr(lang, 'اجرای دوباره بررسی خودکار درگاه', 'Run the automated portal check again')
              : tr(lang, 'اجرای بررسی خودکار درگاه', 'Run the automated portal check')}
          </button>
        </form>
      ) : null}
    </section>
  );
}

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
