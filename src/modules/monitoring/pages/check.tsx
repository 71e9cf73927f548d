// The status of a portal check (queued, running, done, failed) as a tag and in words, and the check block
// of a subject's work page. No JavaScript and no automatic refresh: a "Refresh" link reloads.
import { formatDate, formatNumber, formatTime, type Lang, tr } from '../../../platform/i18n.ts';
import { Tag } from '../../../web/components.tsx';
import type { CheckJobRow } from '../monitoring.repository.ts';

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
