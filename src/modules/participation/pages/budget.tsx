// The participatory budget pages: the public page of a process's budget (/{lang}/participation/{slug}/budget:
// the projects with their cost, one ballot of checkboxes whose total must fit the budget, a form to propose
// a project; once voting closes, the counts and the winners) and the staff page (set the budget, list a
// project, list or reject citizens' projects with a reason, close voting). Plain forms, no JavaScript.
import { formatDate, formatNumber, tr, type Lang } from '../../../platform/i18n.ts';
import { Breadcrumbs, Ltr, Tag } from '../../../web/components.tsx';
import { Layout } from '../../../web/layout.tsx';
import type { BudgetProject, BudgetView } from '../participation.budget.ts';
import type { ProcessRow } from '../participation.repository.ts';
import { ErrorBox, pickText } from './parts.tsx';

const other = (lang: Lang): Lang => (lang === 'fa' ? 'en' : 'fa');
type Err = { code: string; message: string } | undefined;

const rials = (lang: Lang, n: number) => (
  <>
    <Ltr>{formatNumber(lang, n)}</Ltr> {tr(lang, 'ریال', 'rials')}
  </>
);

function Csrf({ csrf }: { csrf: string }) {
  return <input type="hidden" name="_csrf" value={csrf} />;
}

function Input({
  id,
  name,
  label,
  hint,
  area,
  type = 'text',
}: {
  id: string;
  name: string;
  label: string;
  hint?: string;
  area?: boolean;
  type?: string;
}) {
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
        <textarea class="textarea" id={id} name={name} rows={4} aria-describedby={hint ? `${id}-hint` : undefined} />
      ) : (
        <input
          class="input input-wide"
          id={id}
          name={name}
          type={type}
          dir="auto"
          inputMode={type === 'text' && /cost|amount/.test(name) ? 'numeric' : undefined}
          aria-describedby={hint ? `${id}-hint` : undefined}
        />
      )}
    </div>
  );
}

function StateLine({ lang, v }: { lang: Lang; v: BudgetView }) {
  return (
    <p class="card-meta">
      {tr(lang, 'بودجه: ', 'Budget: ')}
      {rials(lang, v.amount)} · {tr(lang, 'رأی‌گیری: ', 'Voting: ')}
      {formatDate(lang, v.budget.opens_at)} – {formatDate(lang, v.budget.closes_at)} ·{' '}
      {v.state === 'open'
        ? tr(lang, 'باز است', 'open')
        : v.state === 'upcoming'
          ? tr(lang, 'هنوز باز نشده', 'not open yet')
          : tr(lang, 'بسته شد', 'closed')}
    </p>
  );
}

function Results({ lang, v }: { lang: Lang; v: BudgetView }) {
  return (
    <>
      <h2>{tr(lang, 'نتیجه', 'Results')}</h2>
      <p>
        {tr(lang, 'رأی‌دهندگان: ', 'Voters: ')}
        {formatNumber(lang, v.voters ?? 0)} · {tr(lang, 'هزینه طرح‌های برگزیده: ', 'Cost of the winning projects: ')}
        {rials(lang, v.spent ?? 0)} {tr(lang, 'از ', 'of ')}
        {rials(lang, v.amount)}
      </p>
      <table>
        <caption class="visually-hidden">{tr(lang, 'طرح‌ها و رأی‌ها', 'Projects and votes')}</caption>
        <thead>
          <tr>
            <th scope="col">{tr(lang, 'طرح', 'Project')}</th>
            <th scope="col">{tr(lang, 'هزینه', 'Cost')}</th>
            <th scope="col">{tr(lang, 'رأی', 'Votes')}</th>
            <th scope="col">{tr(lang, 'نتیجه', 'Result')}</th>
          </tr>
        </thead>
        <tbody>
          {v.projects.map((p) => (
            <tr>
              <td>{p.title}</td>
              <td>{rials(lang, p.cost)}</td>
              <td>{formatNumber(lang, p.votes ?? 0)}</td>
              <td>{p.winner ? <Tag tone="green">{tr(lang, 'برگزیده', 'Funded')}</Tag> : tr(lang, 'برگزیده نشد', 'Not funded')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="hint">
        {tr(
          lang,
          'برگزیدگان: به ترتیب بیشترین رأی، هر طرحی که هزینه‌اش در باقی‌مانده بودجه بگنجد.',
          'Winners: in order of most votes, each project whose cost fits what is left of the budget.',
        )}
      </p>
    </>
  );
}

function ProjectText({ lang, p }: { lang: Lang; p: BudgetProject }) {
  return (
    <>
      <p class="pre-line">{p.body}</p>
      <p class="card-meta">
        {tr(lang, 'هزینه: ', 'Cost: ')}
        {rials(lang, p.cost)} ·{' '}
        {p.byCitizen ? tr(lang, 'پیشنهاد یک شهروند', 'Proposed by a citizen') : tr(lang, 'از سوی دستگاه', 'Listed by the agency')}
      </p>
    </>
  );
}

export function BudgetPage(p: {
  lang: Lang;
  process: ProcessRow;
  view: BudgetView;
  chosen?: string[];
  signedIn: boolean;
  csrf: string;
  error?: Err;
}) {
  const { lang, view: v } = p;
  const path = `/${lang}/participation/${p.process.slug}`;
  const pt = pickText(p.process.title, lang);
  const title = tr(lang, 'بودجه مشارکتی', 'Participatory budget');
  return (
    <Layout lang={lang} title={`${title}: ${pt}`} altPath={`/${other(lang)}/participation/${p.process.slug}/budget`} hasError={!!p.error}>
      <Breadcrumbs
        lang={lang}
        items={[
          { href: `/${lang}/participation`, label: tr(lang, 'مشارکت', 'Have your say') },
          { href: path, label: pt },
          { label: title },
        ]}
      />
      <ErrorBox lang={lang} error={p.error} />
      <h1>{title}</h1>
      <StateLine lang={lang} v={v} />
      {v.state === 'closed' ? (
        <Results lang={lang} v={v} />
      ) : v.voted ? (
        <p>
          <Tag tone="green">{tr(lang, 'رأی شما ثبت شد', 'Your vote is recorded')}</Tag>{' '}
          {tr(lang, 'نتیجه پس از پایان رأی‌گیری منتشر می‌شود.', 'Results are published when voting closes.')}
        </p>
      ) : v.state === 'open' && p.signedIn && v.projects.length ? (
        <form method="post" action={`${path}/budget/vote`}>
          <Csrf csrf={p.csrf} />
          <fieldset class="plain-fieldset">
            <legend>
              <h2>{tr(lang, 'طرح‌هایی را که می‌خواهید انتخاب کنید', 'Choose the projects you want')}</h2>
            </legend>
            <p class="hint" id="budget-hint">
              {tr(lang, 'جمع هزینه طرح‌های انتخابی باید در بودجه ', 'The total cost of your choices must fit the budget of ')}
              {rials(lang, v.amount)}
              {tr(
                lang,
                ' بگنجد. یک بار رأی می‌دهید؛ رأی شما مخفی است: فقط ثبت می‌شود که رأی داده‌اید و جدا از آن یک عدد به شمار هر طرح انتخابی افزوده می‌شود.',
                '. You vote once; your vote is secret: we record that you voted and, apart from that, add one to the count of each project you chose.',
              )}
            </p>
            {v.projects.map((pr) => (
              <div class="checkbox">
                <input
                  type="checkbox"
                  id={`pr-${pr.id}`}
                  name="projects"
                  value={pr.id}
                  checked={p.chosen?.includes(pr.id)}
                  aria-describedby="budget-hint"
                />
                <label for={`pr-${pr.id}`}>
                  {pr.title} ({rials(lang, pr.cost)})
                </label>
              </div>
            ))}
          </fieldset>
          <button class="button" type="submit">
            {tr(lang, 'ثبت رأی', 'Vote')}
          </button>
        </form>
      ) : v.state === 'open' && !p.signedIn ? (
        <p>
          <a href={`/${lang}/sign-in?next=${encodeURIComponent(`${path}/budget`)}`}>
            {tr(lang, 'برای رأی دادن وارد شوید', 'Sign in to vote')}
          </a>
        </p>
      ) : null}
      {v.state !== 'closed' ? (
        <>
          <h2>{tr(lang, 'طرح‌ها', 'Projects')}</h2>
          {v.projects.length ? (
            <ul class="card-list">
              {v.projects.map((pr) => (
                <li class="panel" id={`project-${pr.id}`}>
                  <h3>{pr.title}</h3>
                  <ProjectText lang={lang} p={pr} />
                </li>
              ))}
            </ul>
          ) : (
            <p>{tr(lang, 'هنوز طرحی در فهرست نیست.', 'No projects are listed yet.')}</p>
          )}
          {p.signedIn ? (
            <form method="post" action={`${path}/budget/projects`}>
              <Csrf csrf={p.csrf} />
              <h2>{tr(lang, 'پیشنهاد یک طرح', 'Propose a project')}</h2>
              <p class="hint">
                {tr(lang, 'طرح شما پس از بررسی دستگاه به فهرست افزوده می‌شود.', 'Your project is listed once the agency has checked it.')}
              </p>
              <Input id="new-title" name="title" label={tr(lang, 'عنوان طرح', 'Project title')} />
              <Input id="new-body" name="body" label={tr(lang, 'شرح طرح', 'What it is and why')} area />
              <Input
                id="new-cost"
                name="cost"
                label={tr(lang, 'هزینه برآوردی (ریال)', 'Estimated cost (rials)')}
                hint={tr(lang, 'فقط رقم', 'Digits only')}
              />
              <button class="button button-secondary" type="submit">
                {tr(lang, 'فرستادن طرح', 'Send the project')}
              </button>
            </form>
          ) : null}
        </>
      ) : null}
    </Layout>
  );
}

export function StaffBudgetPage(p: { lang: Lang; process: ProcessRow; view: BudgetView | null; csrf: string; error?: Err }) {
  const { lang, view: v } = p;
  const base = `/${lang}/staff/participation/${p.process.slug}`;
  const title = tr(lang, 'بودجه مشارکتی', 'Participatory budget');
  return (
    <Layout lang={lang} title={title} altPath={`/${other(lang)}/staff/participation/${p.process.slug}/budget`} hasError={!!p.error}>
      <p>
        <a href={base}>{pickText(p.process.title, lang)}</a>
      </p>
      <ErrorBox lang={lang} error={p.error} />
      <h1>{title}</h1>
      {!v ? (
        <form method="post" action={`${base}/budget`}>
          <Csrf csrf={p.csrf} />
          <Input
            id="set-amount"
            name="amount"
            label={tr(lang, 'بودجه (ریال)', 'Budget (rials)')}
            hint={tr(lang, 'فقط رقم', 'Digits only')}
          />
          <Input id="set-opens" name="opens" label={tr(lang, 'آغاز رأی‌گیری', 'Voting opens')} type="date" />
          <Input id="set-closes" name="closes" label={tr(lang, 'پایان رأی‌گیری', 'Voting closes')} type="date" />
          <button class="button" type="submit">
            {tr(lang, 'ثبت بودجه', 'Set the budget')}
          </button>
        </form>
      ) : (
        <>
          <StateLine lang={lang} v={v} />
          {v.state === 'closed' ? <Results lang={lang} v={v} /> : null}
          <h2>{tr(lang, 'طرح‌ها', 'Projects')}</h2>
          <ul class="card-list">
            {v.projects.map((pr) => (
              <li class="panel">
                <h3>{pr.title}</h3>
                <ProjectText lang={lang} p={pr} />
                {pr.status === 'pending' ? (
                  <form method="post" action={`${base}/budget/projects/${pr.id}/moderate`}>
                    <Csrf csrf={p.csrf} />
                    <Input
                      id={`reason-${pr.id}`}
                      name="reason"
                      label={tr(lang, 'دلیل (برای رد کردن لازم است)', 'Reason (needed to reject)')}
                    />
                    <button class="button" type="submit" name="decision" value="listed">
                      {tr(lang, 'افزودن به فهرست', 'List it')}
                    </button>{' '}
                    <button class="button button-secondary" type="submit" name="decision" value="rejected">
                      {tr(lang, 'رد کردن', 'Reject it')}
                    </button>
                  </form>
                ) : (
                  <p>
                    <Tag tone={pr.status === 'listed' ? 'green' : 'grey'}>
                      {pr.status === 'listed' ? tr(lang, 'در فهرست', 'Listed') : tr(lang, 'رد شد', 'Rejected')}
                    </Tag>{' '}
                    {pr.reason}
                  </p>
                )}
              </li>
            ))}
          </ul>
          {v.state !== 'closed' ? (
            <>
              <form method="post" action={`${base}/budget/projects`}>
                <Csrf csrf={p.csrf} />
                <h2>{tr(lang, 'افزودن طرح دستگاه', "List an agency's project")}</h2>
                <Input id="add-title" name="title" label={tr(lang, 'عنوان طرح', 'Project title')} />
                <Input id="add-body" name="body" label={tr(lang, 'شرح طرح', 'Description')} area />
                <Input
                  id="add-cost"
                  name="cost"
                  label={tr(lang, 'هزینه (ریال)', 'Cost (rials)')}
                  hint={tr(lang, 'فقط رقم', 'Digits only')}
                />
                <button class="button" type="submit">
                  {tr(lang, 'افزودن', 'Add')}
                </button>
              </form>
              <form method="post" action={`${base}/budget/close`}>
                <Csrf csrf={p.csrf} />
                <button class="button button-secondary" type="submit">
                  {tr(lang, 'پایان رأی‌گیری و انتشار برگزیدگان', 'Close voting and publish the winners')}
                </button>
              </form>
            </>
          ) : null}
        </>
      )}
    </Layout>
  );
}
