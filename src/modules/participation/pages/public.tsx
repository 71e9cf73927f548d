// The public participation pages: /{lang}/participation (open processes, filter by agency) and the process
// page (phases, the text in sections, polls, comments paged and sorted, proposals, the outcome report).
// Plain links and forms: everything works without JavaScript; one column, readable on a phone.
import { formatDate, formatNumber, tr, type Lang } from '../../../platform/i18n.ts';
import type { LocalText } from '../../../db/schema.ts';
import { Breadcrumbs, SummaryList, Tag } from '../../../web/components.tsx';
import { Layout } from '../../../web/layout.tsx';
import type { ProcessRow, ProposalRow, SectionRow } from '../participation.repository.ts';
import type { CommentView } from '../participation.service.ts';
import type { PollView } from '../participation.polls.ts';
import { Comment, ErrorBox, Poll, phaseName, pickText, statusName, type Viewer } from './parts.tsx';

const other = (lang: Lang): Lang => (lang === 'fa' ? 'en' : 'fa');
const title = (lang: Lang) => tr(lang, 'مشارکت: نظر شما پیش از تصمیم', 'Have your say');

export function ListPage(p: {
  lang: Lang;
  processes: ProcessRow[];
  agencies: { id: string; name: LocalText }[];
  agency?: string;
  now: Date;
}) {
  const { lang } = p;
  const q = p.agency ? `?agency=${encodeURIComponent(p.agency)}` : '';
  const agencyName = (id: string) => pickText(p.agencies.find((a) => a.id === id)?.name, lang) || id;
  return (
    <Layout lang={lang} title={title(lang)} altPath={`/${other(lang)}/participation${q}`}>
      <h1>{title(lang)}</h1>
      <p class="lead">
        {tr(
          lang,
          'دستگاه‌ها پیش از تصمیم درباره پیش‌نویس مقررات و خدمات نظر شما را می‌پرسند. نظر بدهید، از نظر دیگران حمایت کنید و در نظرسنجی‌ها رأی دهید.',
          'Agencies ask you before they decide on draft rules and services. Comment, support what others said and vote in polls.',
        )}
      </p>
      <form method="get" action={`/${lang}/participation`} class="search-row">
        <div class="field">
          <label class="label" for="agency">
            {tr(lang, 'دستگاه', 'Agency')}
          </label>
          <select class="input" id="agency" name="agency">
            <option value="">{tr(lang, 'همه دستگاه‌ها', 'All agencies')}</option>
            {p.agencies.map((a) => (
              <option value={a.id} selected={a.id === p.agency}>
                {pickText(a.name, lang)}
              </option>
            ))}
          </select>
        </div>
        <button class="button button-secondary" type="submit">
          {tr(lang, 'نمایش', 'Show')}
        </button>
      </form>
      {p.processes.length === 0 ? (
        <p>{tr(lang, 'اکنون فرایند بازی نیست.', 'There are no open processes now.')}</p>
      ) : (
        <ul class="card-list">
          {p.processes.map((pr) => (
            <li>
              <h2>
                <a href={`/${lang}/participation/${pr.slug}`}>{pickText(pr.title, lang)}</a>
              </h2>
              <p class="card-meta">
                {agencyName(pr.agency_id)} · <Tag tone="blue">{phaseName(lang, pr.phase)}</Tag> · {tr(lang, 'تا ', 'Until ')}
                {formatDate(lang, pr.closes_at)}
              </p>
              <p>{pickText(pr.summary, lang)}</p>
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href="/open-data/participation/">{tr(lang, 'داده باز مشارکت', 'Participation open data')}</a>
      </p>
    </Layout>
  );
}

export interface ProcessPageProps {
  lang: Lang;
  process: ProcessRow;
  agencyName: string;
  sections: SectionRow[];
  comments: CommentView[];
  total: number;
  /** The comment this page starts after (null: the first page); the one the next page starts after. */
  after: string | null;
  next: string | null;
  sort: 'newest' | 'supported';
  proposals: ProposalRow[];
  polls: PollView[];
  /** The process has a participatory budget (its page: {path}/budget). */
  hasBudget?: boolean;
  viewer: Viewer;
  error?: { code: string; message: string };
}

export function ProcessPage(p: ProcessPageProps) {
  const { lang, process: pr, viewer: v } = p;
  const path = `/${lang}/participation/${pr.slug}`;
  const t = pickText(pr.title, lang);
  const sectionTitle = (id: string | null) => pickText(p.sections.find((s) => s.id === id)?.title, lang) || undefined;
  const pageLink = (sort = p.sort, after?: string) => `${path}?sort=${sort}${after ? `&after=${after}` : ''}#comments`;
  return (
    <Layout lang={lang} title={t} altPath={`/${other(lang)}/participation/${pr.slug}`} hasError={!!p.error}>
      <Breadcrumbs lang={lang} items={[{ href: `/${lang}/participation`, label: title(lang) }, { label: t }]} />
      <ErrorBox lang={lang} error={p.error} />
      <h1>{t}</h1>
      <p class="lead">{pickText(pr.summary, lang)}</p>
      <SummaryList
        rows={[
          { key: tr(lang, 'دستگاه', 'Agency'), value: p.agencyName },
          { key: tr(lang, 'مرحله کنونی', 'Current phase'), value: phaseName(lang, pr.phase) },
          { key: tr(lang, 'نظرخواهی', 'Consultation'), value: `${formatDate(lang, pr.opens_at)} – ${formatDate(lang, pr.closes_at)}` },
        ]}
      />
      <h2>{tr(lang, 'مراحل', 'Phases')}</h2>
      <ol class="timeline">
        {pr.phases.map((ph) => (
          <li aria-current={ph.phase === pr.phase ? 'step' : undefined}>
            <strong>{phaseName(lang, ph.phase)}</strong> {ph.from ? formatDate(lang, ph.from) : ''}
            {ph.to ? ` – ${formatDate(lang, ph.to)}` : ''}
            {ph.phase === pr.phase ? <> {tr(lang, '(اکنون)', '(now)')}</> : null}
          </li>
        ))}
      </ol>
      {pr.outcome && pr.outcome_published_at ? (
        <section class="panel" aria-labelledby="outcome">
          <h2 id="outcome">{tr(lang, 'شما گفتید، ما انجام دادیم', 'You said, we did')}</h2>
          <p class="card-meta">{formatDate(lang, pr.outcome_published_at)}</p>
          <h3>{tr(lang, 'آنچه دریافت کردیم', 'What we received')}</h3>
          <p class="pre-line">{pickText(pr.outcome.received, lang)}</p>
          <h3>{tr(lang, 'آنچه تغییر دادیم', 'What we changed')}</h3>
          <p class="pre-line">{pickText(pr.outcome.changed, lang)}</p>
          <h3>{tr(lang, 'آنچه تغییر ندادیم و چرا', 'What we did not change, and why')}</h3>
          <p class="pre-line">{pickText(pr.outcome.notChanged, lang)}</p>
        </section>
      ) : null}
      {p.sections.length ? <h2>{tr(lang, 'متن پیش‌نویس', 'The draft text')}</h2> : null}
      {p.sections.map((s) => (
        <section id={`s-${s.id}`} aria-labelledby={`s-${s.id}-t`}>
          <h3 id={`s-${s.id}-t`}>
            {formatNumber(lang, s.position)}. {pickText(s.title, lang)}
          </h3>
          <p class="pre-line">{pickText(s.body, lang)}</p>
        </section>
      ))}
      {p.polls.length ? <h2>{tr(lang, 'نظرسنجی', 'Polls')}</h2> : null}
      {p.polls.map((view) => (
        <Poll lang={lang} view={view} v={v} />
      ))}
      {p.hasBudget ? (
        <>
          <h2>{tr(lang, 'بودجه مشارکتی', 'Participatory budget')}</h2>
          <p>
            <a href={`${path}/budget`}>
              {tr(lang, 'طرح‌ها و رأی‌گیری بودجه مشارکتی', 'The projects and the vote on the participatory budget')}
            </a>
          </p>
        </>
      ) : null}
      <h2 id="comments">
        {tr(lang, 'نظرها', 'Comments')} ({formatNumber(lang, p.total)})
      </h2>
      {v.open && v.signedIn ? (
        <form method="post" action={`${path}/comments`} class="panel">
          <input type="hidden" name="_csrf" value={v.csrf} />
          <div class="field">
            <label class="label" for="sectionId">
              {tr(lang, 'درباره کدام بخش', 'Which section')}
            </label>
            <select class="input" id="sectionId" name="sectionId">
              <option value="">{tr(lang, 'کل متن', 'The whole text')}</option>
              {p.sections.map((s) => (
                <option value={s.id}>{pickText(s.title, lang)}</option>
              ))}
            </select>
          </div>
          <div class="field">
            <label class="label" for="body">
              {tr(lang, 'نظر شما', 'Your comment')}
            </label>
            <p class="hint" id="body-hint">
              {tr(
                lang,
                'نظرتان بی‌نام و بی‌درنگ منتشر می‌شود. اطلاعات شخصی ننویسید.',
                'Your comment is published at once, without your name. Do not write personal details.',
              )}
            </p>
            <textarea class="textarea" id="body" name="body" rows={5} maxLength={4000} required aria-describedby="body-hint" />
          </div>
          <button class="button" type="submit">
            {tr(lang, 'فرستادن نظر', 'Send comment')}
          </button>
        </form>
      ) : !v.signedIn && v.open ? (
        <p>
          <a href={`/${lang}/sign-in?next=${encodeURIComponent(path)}`}>{tr(lang, 'برای نظر دادن وارد شوید', 'Sign in to comment')}</a>
        </p>
      ) : !v.open ? (
        <p>{tr(lang, 'دوره نظرخواهی باز نیست.', 'The consultation is not open.')}</p>
      ) : null}
      <nav aria-label={tr(lang, 'ترتیب نظرها', 'Order of comments')}>
        <ul class="inline-list">
          <li>
            {p.sort === 'newest' ? (
              <strong>{tr(lang, 'تازه‌ترین', 'Newest')}</strong>
            ) : (
              <a href={pageLink('newest')}>{tr(lang, 'تازه‌ترین', 'Newest')}</a>
            )}
          </li>
          <li>
            {p.sort === 'supported' ? (
              <strong>{tr(lang, 'پرحمایت‌ترین', 'Most supported')}</strong>
            ) : (
              <a href={pageLink('supported')}>{tr(lang, 'پرحمایت‌ترین', 'Most supported')}</a>
            )}
          </li>
        </ul>
      </nav>
      <ul class="card-list">
        {p.comments.map((c) => (
          <Comment lang={lang} c={c} v={v} sectionTitle={sectionTitle(c.section_id)} />
        ))}
      </ul>
      {p.after || p.next ? (
        <nav class="pagination" aria-label={tr(lang, 'صفحه‌های نظرها', 'Comment pages')}>
          {p.after ? <a href={pageLink()}>{tr(lang, 'صفحه اول', 'First page')}</a> : null}{' '}
          {p.next ? <a href={pageLink(p.sort, p.next)}>{tr(lang, 'نظرهای بعدی', 'Next comments')}</a> : null}
        </nav>
      ) : null}
      <Proposals lang={lang} path={path} proposals={p.proposals} v={v} />
    </Layout>
  );
}

function Proposals({ lang, path, proposals, v }: { lang: Lang; path: string; proposals: ProposalRow[]; v: Viewer }) {
  return (
    <>
      <h2 id="proposals">{tr(lang, 'پیشنهادها', 'Proposals')}</h2>
      {proposals.length === 0 ? <p>{tr(lang, 'هنوز پیشنهادی نیست.', 'No proposals yet.')}</p> : null}
      <ul class="card-list">
        {proposals.map((pr) => (
          <li class="panel" id={`p-${pr.id}`}>
            <h3>{pr.title}</h3>
            <p class="pre-line">{pr.body}</p>
            <p class="card-meta">
              <Tag tone={pr.status === 'rejected' ? 'red' : pr.status === 'open' ? 'grey' : 'green'}>{statusName(lang, pr.status)}</Tag> ·{' '}
              {tr(lang, 'حمایت: ', 'Supports: ')}
              {formatNumber(lang, pr.supports)}
            </p>
            {pr.status_reason ? <p class="pre-line">{pr.status_reason}</p> : null}
            {v.signedIn ? (
              <form method="post" action={`${path}/proposals/${pr.id}/support`} class="inline-form">
                <input type="hidden" name="_csrf" value={v.csrf} />
                <button class="button button-secondary" type="submit">
                  {tr(lang, 'حمایت از پیشنهاد', 'Support this proposal')}
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
      {v.open && v.signedIn ? (
        <form method="post" action={`${path}/proposals`} class="panel">
          <h3>{tr(lang, 'پیشنهاد تازه', 'A new proposal')}</h3>
          <input type="hidden" name="_csrf" value={v.csrf} />
          <div class="field">
            <label class="label" for="proposal-title">
              {tr(lang, 'عنوان', 'Title')}
            </label>
            <input class="input input-wide" id="proposal-title" name="title" maxLength={200} required />
          </div>
          <div class="field">
            <label class="label" for="proposal-body">
              {tr(lang, 'پیشنهاد شما', 'Your proposal')}
            </label>
            <textarea class="textarea" id="proposal-body" name="body" rows={4} maxLength={4000} required />
          </div>
          <button class="button" type="submit">
            {tr(lang, 'فرستادن پیشنهاد', 'Send proposal')}
          </button>
        </form>
      ) : null}
    </>
  );
}
