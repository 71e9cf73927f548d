// The staff pages of participation (participation editors and admins of the agency): the agency's
// processes and a form to open one; a process's page to add sections and polls, move its phase, answer
// and hide comments (with a reason shown in place), set each proposal's status and publish the outcome.
import { formatDate, formatNumber, tr, type Lang } from '../../../platform/i18n.ts';
import { Tag } from '../../../web/components.tsx';
import { Layout } from '../../../web/layout.tsx';
import type { CommentRow, ProcessRow, ProposalRow, SectionRow } from '../participation.repository.ts';
import type { PollView } from '../participation.polls.ts';
import { ANSWER_THRESHOLD, PHASES } from '../participation.rules.ts';
import { ErrorBox, STATUS_NAMES, phaseName, pickText, statusName } from './parts.tsx';

const other = (lang: Lang): Lang => (lang === 'fa' ? 'en' : 'fa');

function Field({ id, label, area, type = 'text', hint }: { id: string; label: string; area?: boolean; type?: string; hint?: string }) {
  return (
    <div class="field">
      <label class="label" for={id}>
        {label}
      </label>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {area ? (
        <textarea class="textarea" id={id} name={id} rows={4} aria-describedby={hint ? `${id}-hint` : undefined} />
      ) : (
        <input class="input input-wide" id={id} name={id} type={type} dir="auto" aria-describedby={hint ? `${id}-hint` : undefined} />
      )}
    </div>
  );
}

function Csrf({ csrf }: { csrf: string }) {
  return <input type="hidden" name="_csrf" value={csrf} />;
}

export function StaffListPage(p: { lang: Lang; processes: ProcessRow[]; csrf: string; error?: { code: string; message: string } }) {
  const { lang } = p;
  const title = tr(lang, 'فرایندهای مشارکت دستگاه', "Your agency's participation processes");
  const en = tr(lang, ' (انگلیسی، اختیاری)', ' (English, optional)');
  return (
    <Layout lang={lang} title={title} altPath={`/${other(lang)}/staff/participation`} hasError={!!p.error}>
      <ErrorBox lang={lang} error={p.error} />
      <h1>{title}</h1>
      <ul class="card-list">
        {p.processes.map((pr) => (
          <li>
            <a href={`/${lang}/staff/participation/${pr.slug}`}>{pickText(pr.title, lang)}</a> · {phaseName(lang, pr.phase)} ·{' '}
            {formatDate(lang, pr.closes_at)}
          </li>
        ))}
      </ul>
      <h2>{tr(lang, 'فرایند تازه', 'Open a new process')}</h2>
      <form method="post" action={`/${lang}/staff/participation`}>
        <Csrf csrf={p.csrf} />
        <Field id="titleFa" label={tr(lang, 'عنوان (فارسی)', 'Title (Persian)')} />
        <Field id="titleEn" label={tr(lang, 'عنوان', 'Title') + en} />
        <Field id="summaryFa" label={tr(lang, 'خلاصه (فارسی)', 'Summary (Persian)')} area />
        <Field id="summaryEn" label={tr(lang, 'خلاصه', 'Summary') + en} area />
        <Field id="opens" type="date" label={tr(lang, 'آغاز نظرخواهی', 'Consultation opens')} hint="YYYY-MM-DD" />
        <Field id="closes" type="date" label={tr(lang, 'پایان نظرخواهی', 'Consultation closes')} hint="YYYY-MM-DD" />
        <button class="button" type="submit">
          {tr(lang, 'ایجاد', 'Create')}
        </button>
      </form>
    </Layout>
  );
}

export function StaffProcessPage(p: {
  lang: Lang;
  process: ProcessRow;
  sections: SectionRow[];
  polls: PollView[];
  flagged: CommentRow[];
  recent: CommentRow[];
  proposals: ProposalRow[];
  csrf: string;
  error?: { code: string; message: string };
}) {
  const { lang, process: pr } = p;
  const base = `/${lang}/staff/participation/${pr.slug}`;
  const t = pickText(pr.title, lang);
  const en = tr(lang, ' (انگلیسی، اختیاری)', ' (English, optional)');
  const CommentActions = ({ c }: { c: CommentRow }) => (
    <li class="panel">
      <p class="pre-line">{c.body}</p>
      <p class="card-meta">
        {formatDate(lang, c.created_at)} · {tr(lang, 'گزارش: ', 'Reports: ')}
        {formatNumber(lang, c.flags)} · {tr(lang, 'حمایت: ', 'Supports: ')}
        {formatNumber(lang, c.supports)}
        {c.hidden_at ? <Tag tone="red">{tr(lang, 'پنهان', 'Hidden')}</Tag> : null}
      </p>
      <form method="post" action={`${base}/comments/${c.id}/answer`}>
        <Csrf csrf={p.csrf} />
        <label class="label" for={`answer-${c.id}`}>
          {tr(lang, 'پاسخ دستگاه', 'Agency answer')}
        </label>
        <textarea class="textarea" id={`answer-${c.id}`} name="body" rows={2} />
        <button class="button button-secondary" type="submit">
          {tr(lang, 'پاسخ', 'Answer')}
        </button>
      </form>
      {c.hidden_at ? null : (
        <form method="post" action={`${base}/comments/${c.id}/hide`}>
          <Csrf csrf={p.csrf} />
          <label class="label" for={`hide-${c.id}`}>
            {tr(lang, 'دلیل پنهان کردن (به همه نشان داده می‌شود)', 'Reason for hiding (shown to everyone)')}
          </label>
          <input class="input input-wide" id={`hide-${c.id}`} name="reason" maxLength={200} />
          <button class="button button-warning" type="submit">
            {tr(lang, 'پنهان کردن', 'Hide')}
          </button>
        </form>
      )}
    </li>
  );
  return (
    <Layout lang={lang} title={t} altPath={`/${other(lang)}/staff/participation/${pr.slug}`} hasError={!!p.error}>
      <p>
        <a class="back-link" href={`/${lang}/staff/participation`}>
          {tr(lang, 'همه فرایندها', 'All processes')}
        </a>
      </p>
      <ErrorBox lang={lang} error={p.error} />
      <h1>{t}</h1>
      <p>
        <a href={`/${lang}/participation/${pr.slug}`}>{tr(lang, 'صفحه عمومی', 'Public page')}</a>
      </p>
      <h2>{tr(lang, 'مرحله', 'Phase')}</h2>
      <form method="post" action={`${base}/phase`} class="search-row">
        <Csrf csrf={p.csrf} />
        <div class="field">
          <label class="label" for="phase">
            {tr(lang, 'مرحله کنونی', 'Current phase')}
          </label>
          <select class="input" id="phase" name="phase">
            {PHASES.map((ph) => (
              <option value={ph} selected={ph === pr.phase}>
                {phaseName(lang, ph)}
              </option>
            ))}
          </select>
        </div>
        <button class="button button-secondary" type="submit">
          {tr(lang, 'ذخیره', 'Save')}
        </button>
      </form>
      <h2>{tr(lang, 'بخش‌های متن', 'Sections of the text')}</h2>
      <ol>
        {p.sections.map((s) => (
          <li>{pickText(s.title, lang)}</li>
        ))}
      </ol>
      <form method="post" action={`${base}/sections`} class="panel">
        <Csrf csrf={p.csrf} />
        <Field id="titleFa" label={tr(lang, 'عنوان بخش (فارسی)', 'Section title (Persian)')} />
        <Field id="titleEn" label={tr(lang, 'عنوان بخش', 'Section title') + en} />
        <Field id="bodyFa" label={tr(lang, 'متن (فارسی)', 'Text (Persian)')} area />
        <Field id="bodyEn" label={tr(lang, 'متن', 'Text') + en} area />
        <button class="button" type="submit">
          {tr(lang, 'افزودن بخش', 'Add section')}
        </button>
      </form>
      <p>
        <a href={`/${lang}/staff/participation/${p.process.slug}/budget`}>{tr(lang, 'بودجه مشارکتی', 'Participatory budget')}</a>
      </p>
      <h2>{tr(lang, 'نظرسنجی‌ها', 'Polls')}</h2>
      <ul class="card-list">
        {p.polls.map((v) => (
          <li class="panel">
            {pickText(v.poll.question, lang)} · {formatDate(lang, v.poll.closes_at)} ·{' '}
            {v.state === 'closed'
              ? tr(lang, 'بسته', 'Closed')
              : v.state === 'open'
                ? tr(lang, 'باز', 'Open')
                : tr(lang, 'آینده', 'Upcoming')}
            {v.state !== 'closed' ? (
              <form method="post" action={`${base}/polls/${v.poll.id}/close`} class="inline-form">
                <Csrf csrf={p.csrf} />
                <button class="button button-warning" type="submit">
                  {tr(lang, 'بستن و انتشار نتیجه', 'Close and publish results')}
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
      <form method="post" action={`${base}/polls`} class="panel">
        <Csrf csrf={p.csrf} />
        <Field id="questionFa" label={tr(lang, 'پرسش (فارسی)', 'Question (Persian)')} />
        <Field id="questionEn" label={tr(lang, 'پرسش', 'Question') + en} />
        <Field
          id="options"
          area
          label={tr(lang, 'گزینه‌ها', 'Options')}
          hint={tr(lang, 'هر گزینه در یک خط: فارسی | English', 'One option a line: Persian | English')}
        />
        <Field id="opens" type="date" label={tr(lang, 'آغاز', 'Opens')} hint="YYYY-MM-DD" />
        <Field id="closes" type="date" label={tr(lang, 'پایان', 'Closes')} hint="YYYY-MM-DD" />
        <div class="checkbox">
          <input type="checkbox" id="adultsOnly" name="adultsOnly" value="yes" />
          <label for="adultsOnly">
            {tr(lang, 'فقط افراد ۱۸ سال و بالاتر (از ثبت احوال)', 'Only people aged 18 or over (civil registry)')}
          </label>
        </div>
        <button class="button" type="submit">
          {tr(lang, 'افزودن نظرسنجی', 'Add poll')}
        </button>
      </form>
      <h2>{tr(lang, 'نظرهای گزارش‌شده', 'Reported comments')}</h2>
      {p.flagged.length ? null : <p>{tr(lang, 'نظر گزارش‌شده‌ای نیست.', 'No reported comments.')}</p>}
      <ul class="card-list">
        {p.flagged.map((c) => (
          <CommentActions c={c} />
        ))}
      </ul>
      <h2>{tr(lang, 'تازه‌ترین نظرها', 'Latest comments')}</h2>
      <ul class="card-list">
        {p.recent.map((c) => (
          <CommentActions c={c} />
        ))}
      </ul>
      <h2>{tr(lang, 'پیشنهادها', 'Proposals')}</h2>
      <ul class="card-list">
        {p.proposals.map((x) => (
          <li class="panel">
            <strong>{x.title}</strong> · {statusName(lang, x.status)} · {formatNumber(lang, x.supports)}
            {x.status === 'open' && x.supports >= ANSWER_THRESHOLD ? (
              <Tag tone="orange">{tr(lang, 'پاسخ عمومی لازم است', 'Public answer required')}</Tag>
            ) : null}
            <form method="post" action={`${base}/proposals/${x.id}/status`}>
              <Csrf csrf={p.csrf} />
              <label class="label" for={`status-${x.id}`}>
                {tr(lang, 'وضعیت', 'Status')}
              </label>
              <select class="input" id={`status-${x.id}`} name="status">
                {(Object.keys(STATUS_NAMES) as (keyof typeof STATUS_NAMES)[]).map((s) => (
                  <option value={s} selected={s === x.status}>
                    {statusName(lang, s)}
                  </option>
                ))}
              </select>
              <label class="label" for={`reason-${x.id}`}>
                {tr(lang, 'توضیح (برای «پذیرفته نشد» لازم است)', 'Explanation (required for "rejected")')}
              </label>
              <input class="input input-wide" id={`reason-${x.id}`} name="reason" maxLength={2000} />
              <button class="button button-secondary" type="submit">
                {tr(lang, 'ذخیره', 'Save')}
              </button>
            </form>
          </li>
        ))}
      </ul>
      <h2>{tr(lang, 'گزارش نتیجه: شما گفتید، ما انجام دادیم', 'Outcome report: you said, we did')}</h2>
      <form method="post" action={`${base}/outcome`} class="panel">
        <Csrf csrf={p.csrf} />
        <Field id="receivedFa" area label={tr(lang, 'آنچه دریافت کردیم (فارسی)', 'What we received (Persian)')} />
        <Field id="receivedEn" area label={tr(lang, 'آنچه دریافت کردیم', 'What we received') + en} />
        <Field id="changedFa" area label={tr(lang, 'آنچه تغییر دادیم (فارسی)', 'What we changed (Persian)')} />
        <Field id="changedEn" area label={tr(lang, 'آنچه تغییر دادیم', 'What we changed') + en} />
        <Field id="notChangedFa" area label={tr(lang, 'آنچه تغییر ندادیم و چرا (فارسی)', 'What we did not change, and why (Persian)')} />
        <Field id="notChangedEn" area label={tr(lang, 'آنچه تغییر ندادیم و چرا', 'What we did not change, and why') + en} />
        <button class="button" type="submit">
          {tr(lang, 'انتشار گزارش', 'Publish the report')}
        </button>
      </form>
    </Layout>
  );
}
