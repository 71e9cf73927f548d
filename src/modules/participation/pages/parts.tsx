// Pieces of the participation pages: names of phases and statuses, a comment with its replies and its
// forms (support, reply, add to it, flag: plain forms, no JavaScript), a poll, the error box.
import { formatDate, formatNumber, tr, type Lang } from '../../../platform/i18n.ts';
import type { LocalText, ParticipationPhase, ProposalStatus } from '../../../db/schema.ts';
import { Tag } from '../../../web/components.tsx';
import type { CommentRow } from '../participation.repository.ts';
import type { CommentView } from '../participation.service.ts';
import type { PollView } from '../participation.polls.ts';

export const pickText = (t: LocalText | null | undefined, lang: Lang) => t?.[lang] ?? t?.fa ?? t?.en ?? '';

export const PHASE_NAMES: Record<ParticipationPhase, [string, string]> = {
  information: ['اطلاع‌رسانی', 'Information'],
  consultation: ['نظرخواهی', 'Consultation'],
  decision: ['تصمیم‌گیری', 'Decision'],
  'follow-up': ['پیگیری', 'Follow-up'],
};
export const phaseName = (lang: Lang, p: ParticipationPhase) => tr(lang, ...PHASE_NAMES[p]);

export const STATUS_NAMES: Record<ProposalStatus, [string, string]> = {
  open: ['در انتظار بررسی', 'Awaiting answer'],
  accepted: ['پذیرفته شد', 'Accepted'],
  'in-progress': ['در حال انجام', 'In progress'],
  done: ['انجام شد', 'Done'],
  rejected: ['پذیرفته نشد', 'Rejected'],
};
export const statusName = (lang: Lang, s: ProposalStatus) => tr(lang, ...STATUS_NAMES[s]);

export function ErrorBox({ lang, error }: { lang: Lang; error?: { code: string; message: string } }) {
  if (!error) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1} data-error-code={error.code}>
      <h2 class="error-summary-title">{tr(lang, 'مشکلی پیش آمد', 'There is a problem')}</h2>
      <p>{error.message}</p>
    </div>
  );
}

export interface Viewer {
  signedIn: boolean;
  citizenId: string | null;
  csrf: string;
  open: boolean;
  base: string;
}

function Hidden({ csrf }: { csrf: string }) {
  return <input type="hidden" name="_csrf" value={csrf} />;
}

function Body({ lang, c }: { lang: Lang; c: CommentRow }) {
  if (c.hidden_at)
    return (
      <p class="muted">
        <em>
          {tr(lang, 'پنهان شد: ', 'Hidden: ')}
          {c.hidden_reason}
        </em>
      </p>
    );
  return (
    <>
      <p class="pre-line">{c.body}</p>
      {c.addenda.map((a) => (
        <p class="pre-line">
          <strong>
            {tr(lang, 'افزوده در ', 'Added on ')}
            {formatDate(lang, a.at)}:
          </strong>{' '}
          {a.text}
        </p>
      ))}
    </>
  );
}

function Author({ lang, c }: { lang: Lang; c: CommentRow }) {
  return (
    <p class="card-meta">
      {c.author_kind === 'agency' ? <Tag tone="blue">{tr(lang, 'پاسخ دستگاه', 'Agency answer')}</Tag> : tr(lang, 'شهروند', 'A citizen')}
      {' · '}
      {formatDate(lang, c.created_at)}
    </p>
  );
}

export function Comment({ lang, c, v, sectionTitle }: { lang: Lang; c: CommentView; v: Viewer; sectionTitle?: string }) {
  const base = `${v.base}/comments/${c.id}`;
  return (
    <li class="panel" id={`c-${c.id}`}>
      <Author lang={lang} c={c} />
      {sectionTitle ? (
        <p class="hint">
          {tr(lang, 'درباره: ', 'On: ')}
          {sectionTitle}
        </p>
      ) : null}
      <Body lang={lang} c={c} />
      <p class="card-meta">
        {tr(lang, 'حمایت: ', 'Supports: ')}
        {formatNumber(lang, c.supports)}
      </p>
      {v.signedIn && !c.hidden_at ? (
        <div class="button-group">
          <form method="post" action={`${base}/support`} class="inline-form">
            <Hidden csrf={v.csrf} />
            <button class="button button-secondary" type="submit">
              {tr(lang, 'حمایت می‌کنم', 'Support')}
            </button>
          </form>
          {v.open ? (
            <details class="details">
              <summary>{tr(lang, 'پاسخ', 'Reply')}</summary>
              <form method="post" action={`${v.base}/comments`} class="details-body">
                <Hidden csrf={v.csrf} />
                <input type="hidden" name="parentId" value={c.id} />
                <label class="label" for={`reply-${c.id}`}>
                  {tr(lang, 'پاسخ شما', 'Your reply')}
                </label>
                <textarea class="textarea" id={`reply-${c.id}`} name="body" rows={3} maxLength={4000} required />
                <button class="button" type="submit">
                  {tr(lang, 'فرستادن پاسخ', 'Send reply')}
                </button>
              </form>
            </details>
          ) : null}
          {v.citizenId === c.citizen_id ? (
            <details class="details">
              <summary>{tr(lang, 'افزودن به نظرم', 'Add to my comment')}</summary>
              <form method="post" action={`${base}/append`} class="details-body">
                <Hidden csrf={v.csrf} />
                <p class="hint">
                  {tr(
                    lang,
                    'نظر فرستاده‌شده ویرایش نمی‌شود تا پاسخ‌ها معنا داشته باشند؛ می‌توانید با تاریخ چیزی بیفزایید.',
                    'A comment is not edited once posted, so replies keep their meaning; you can add to it, dated.',
                  )}
                </p>
                <label class="label" for={`append-${c.id}`}>
                  {tr(lang, 'افزوده', 'Addition')}
                </label>
                <textarea class="textarea" id={`append-${c.id}`} name="text" rows={2} maxLength={2000} required />
                <button class="button" type="submit">
                  {tr(lang, 'افزودن', 'Add')}
                </button>
              </form>
            </details>
          ) : (
            <details class="details">
              <summary>{tr(lang, 'گزارش نظر نامناسب', 'Report this comment')}</summary>
              <form method="post" action={`${base}/flag`} class="details-body">
                <Hidden csrf={v.csrf} />
                <label class="label" for={`flag-${c.id}`}>
                  {tr(lang, 'چرا نامناسب است؟', 'Why is it unsuitable?')}
                </label>
                <input class="input input-wide" id={`flag-${c.id}`} name="reason" maxLength={200} />
                <button class="button button-warning" type="submit">
                  {tr(lang, 'گزارش', 'Report')}
                </button>
              </form>
            </details>
          )}
        </div>
      ) : null}
      {c.replyRows.length ? (
        <ul class="card-list">
          {c.replyRows.map((r) => (
            <li class="inset" id={`c-${r.id}`}>
              <Author lang={lang} c={r} />
              <Body lang={lang} c={r} />
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

export function Poll({ lang, view, v }: { lang: Lang; view: PollView; v: Viewer }) {
  const { poll, state, results } = view;
  const q = pickText(poll.question, lang);
  return (
    <section class="panel" id={`poll-${poll.id}`} aria-labelledby={`poll-${poll.id}-q`}>
      <h3 id={`poll-${poll.id}-q`}>{q}</h3>
      <p class="card-meta">
        {formatDate(lang, poll.opens_at)} – {formatDate(lang, poll.closes_at)}
        {poll.adults_only ? <> · {tr(lang, 'ویژه افراد ۱۸ سال و بالاتر', 'For people aged 18 or over')}</> : null}
      </p>
      {state === 'closed' && results ? (
        <>
          <table>
            <caption class="visually-hidden">{tr(lang, 'نتیجه', 'Results')}</caption>
            <thead>
              <tr>
                <th scope="col">{tr(lang, 'گزینه', 'Option')}</th>
                <th scope="col">{tr(lang, 'رأی', 'Votes')}</th>
              </tr>
            </thead>
            <tbody>
              {results.options.map((o) => (
                <tr>
                  <td>{pickText(o.label, lang)}</td>
                  <td>{formatNumber(lang, o.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            {tr(lang, 'برگه‌های رأی: ', 'Ballots: ')}
            {formatNumber(lang, results.ballots)} · {tr(lang, 'رأی‌دهندگان: ', 'Voters: ')}
            {formatNumber(lang, results.voters)} ·{' '}
            {results.consistent
              ? tr(lang, 'شمارش با هم می‌خواند', 'The counts match')
              : tr(lang, 'شمارش نمی‌خواند', 'The counts do not match')}
          </p>
          {view.voted ? (
            <p>
              <Tag tone="green">{tr(lang, 'شرکت شما ثبت شده است', 'Your participation is recorded')}</Tag>{' '}
              {tr(
                lang,
                'رأی شما در این شمارش هست؛ آنچه انتخاب کردید جایی با نام شما نگه داشته نشده است.',
                'Your vote is in these counts; what you chose is not kept anywhere with your name.',
              )}
            </p>
          ) : null}
        </>
      ) : state === 'upcoming' ? (
        <p>{tr(lang, 'این نظرسنجی هنوز باز نشده است.', 'This poll has not opened yet.')}</p>
      ) : view.voted ? (
        <p>
          <Tag tone="green">{tr(lang, 'رأی شما ثبت شد', 'Your vote is recorded')}</Tag>{' '}
          {tr(lang, 'نتیجه پس از بسته شدن نظرسنجی منتشر می‌شود.', 'Results are published when the poll closes.')}
        </p>
      ) : v.signedIn ? (
        <form method="post" action={`${v.base}/polls/${poll.id}/vote`}>
          <Hidden csrf={v.csrf} />
          <fieldset class="plain-fieldset">
            <legend class="visually-hidden">{q}</legend>
            {poll.options.map((o) => (
              <div class="checkbox">
                <input type="radio" id={`opt-${poll.id}-${o.key}`} name="option" value={o.key} required />
                <label for={`opt-${poll.id}-${o.key}`}>{pickText(o.label, lang)}</label>
              </div>
            ))}
          </fieldset>
          <p class="hint">
            {tr(
              lang,
              'رأی شما مخفی است: فقط ثبت می‌شود که رأی داده‌اید، و جدا از آن یک عدد به شمار گزینه انتخابی افزوده می‌شود؛ هیچ برگه رأیی با نام شما نگه داشته نمی‌شود. نتیجه پس از بسته شدن منتشر می‌شود.',
              'Your vote is secret: we record that you voted and, apart from that, add one to the count of the option you chose; no ballot with your name is kept. Results are published when the poll closes.',
            )}
          </p>
          <button class="button" type="submit">
            {tr(lang, 'ثبت رأی', 'Vote')}
          </button>
        </form>
      ) : (
        <p>{tr(lang, 'برای رأی دادن وارد شوید.', 'Sign in to vote.')}</p>
      )}
    </section>
  );
}
