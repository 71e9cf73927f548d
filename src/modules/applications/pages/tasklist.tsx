// The task list of a long form (TASK_LIST_FROM pages or more), and what "complete" means for a page.
import type { FastifyReply } from 'fastify';
import { t, tr, type Lang } from '../../../platform/i18n.ts';
import { Layout } from '../../../web/layout.tsx';
import { sendPage } from '../../../web/render.ts';
import { pick, visiblePages, type FormDefinition, type FormPage } from '../forms.ts';
import type { ApplicationRow } from '../applications.repository.ts';
import { other } from './common.tsx';

/** From this many pages on, a form gets a task list. */
export const TASK_LIST_FROM = 6;

/** A page is complete when every required field on it has an answer. */
export const complete = (p: FormPage, answers: Record<string, unknown>) =>
  p.fields.every((f) => f.optional || answers[f.name] !== undefined);

/** /:lang/applications/:id for a draft: the task list of a long form, or the next unanswered page. */
export async function taskListPage(
  reply: FastifyReply,
  lang: Lang,
  a: ApplicationRow,
  def: FormDefinition,
  serviceName: string,
  serviceSlug: string,
) {
  const pages = visiblePages(def, a.answers);
  if (pages.length < TASK_LIST_FROM) {
    const next = pages.find((p) => !complete(p, a.answers));
    return reply.redirect(next ? `/${lang}/applications/${a.id}/questions/${next.id}` : `/${lang}/applications/${a.id}/check`, 303);
  }
  const path = `/${lang}/applications/${a.id}`;
  const done = pages.filter((p) => complete(p, a.answers)).length;
  return sendPage(
    reply,
    <Layout lang={lang} title={serviceName} altPath={other(lang, path)}>
      <p>
        <a class="back-link" href={`/${lang}/services/${serviceSlug}/apply`}>
          {t(lang, 'back')}
        </a>
      </p>
      <h1>{serviceName}</h1>
      <p>
        {tr(
          lang,
          `${new Intl.NumberFormat('fa-IR').format(done)} بخش از ${new Intl.NumberFormat('fa-IR').format(pages.length)} بخش کامل شده است.`,
          `You have completed ${done} of ${pages.length} sections.`,
        )}
      </p>
      <ol class="task-list">
        {pages.map((p) => (
          <li>
            <a href={`/${lang}/applications/${a.id}/questions/${p.id}`} aria-describedby={`status-${p.id}`}>
              {pick(p.title, lang)}
            </a>
            <strong class={`tag${complete(p, a.answers) ? '' : ' tag-grey'}`} id={`status-${p.id}`}>
              {complete(p, a.answers) ? tr(lang, 'کامل', 'Completed') : tr(lang, 'شروع نشده', 'Not started')}
            </strong>
          </li>
        ))}
        <li>
          {done === pages.length ? (
            <a href={`/${lang}/applications/${a.id}/check`}>{tr(lang, 'بررسی پاسخ‌ها و فرستادن', 'Check answers and send')}</a>
          ) : (
            <span>{tr(lang, 'بررسی پاسخ‌ها و فرستادن', 'Check answers and send')}</span>
          )}
          <strong class="tag tag-grey">
            {done === pages.length ? tr(lang, 'آماده', 'Ready') : tr(lang, 'هنوز ممکن نیست', 'Cannot start yet')}
          </strong>
        </li>
      </ol>
    </Layout>,
  );
}
