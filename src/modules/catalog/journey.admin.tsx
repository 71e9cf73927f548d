// Editors maintain the life-event journeys: /{lang}/staff/life-events and /{lang}/staff/life-events/{code}.
// Who may: the identity policy's 'catalog.journeys' (national content: platform administrators only, so no
// agency's editor rewrites another's or the nation's journeys). A change is audited with before and after in its transaction.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { formatNumber, langOf, tr, type Lang } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import type { FieldError } from '../../web/components.tsx';
import { sendPage } from '../../web/render.ts';
import { makeGuards, staffOf } from '../identity/guards.ts';
import { lifeEventByCode } from './catalog.taxonomy.ts';
import type { StepInput } from './journey.repository.ts';
import { STEP_LIMITS, type StepProblem } from './journey.service.ts';
import { JourneyEditPage, JourneyIndexPage } from './pages/JourneyEditPage.tsx';

type CodeParams = { Params: { lang: string; code: string }; Querystring: { done?: string } };

/** The steps as the form sent them: step1-..., step2-..., up to the limit (and two more, to say "too many"). */
export function stepsFromForm(body: unknown): StepInput[] {
  const o = (body ?? {}) as Record<string, unknown>;
  const s = (k: string) => (typeof o[k] === 'string' ? (o[k] as string).slice(0, 2000) : '');
  const steps: StepInput[] = [];
  for (let i = 1; i <= STEP_LIMITS.steps + 2; i++) {
    const p = `step${i}`;
    if (!(`${p}-title-fa` in o) && !(`${p}-title-en` in o) && !(`${p}-services` in o)) continue;
    const c = s(`${p}-connector`);
    steps.push({
      connector: c === 'and' || c === 'or' ? c : 'then',
      title: { fa: s(`${p}-title-fa`), en: s(`${p}-title-en`) },
      note: { fa: s(`${p}-note-fa`), en: s(`${p}-note-en`) },
      serviceSlugs: s(`${p}-services`)
        .split(/[\s,،]+/)
        .map((x) => x.trim().toLowerCase())
        .filter(Boolean),
    });
  }
  return steps;
}

function problemMessage(lang: Lang, p: StepProblem): FieldError {
  const n = formatNumber(lang, p.step);
  const m: Record<string, [string, string]> = {
    'title-fa:empty': [`عنوان فارسی گام ${n} را بنویسید`, `Enter the Persian title of step ${p.step}`],
    'title-en:empty': [`عنوان انگلیسی گام ${n} را بنویسید`, `Enter the English title of step ${p.step}`],
    'title-fa:too-long': [
      `عنوان گام ${n} باید حداکثر ${formatNumber(lang, STEP_LIMITS.title)} نویسه باشد`,
      `The title of step ${p.step} must be ${STEP_LIMITS.title} characters or fewer`,
    ],
    'title-fa:too-many': [`حداکثر ${formatNumber(lang, STEP_LIMITS.steps)} گام بنویسید`, `Enter ${STEP_LIMITS.steps} steps or fewer`],
    'note:too-long': [
      `توضیح گام ${n} باید حداکثر ${formatNumber(lang, STEP_LIMITS.note)} نویسه باشد`,
      `The note of step ${p.step} must be ${STEP_LIMITS.note} characters or fewer`,
    ],
    'services:too-many': [
      `گام ${n} حداکثر ${formatNumber(lang, STEP_LIMITS.services)} خدمت دارد`,
      `Step ${p.step} can name ${STEP_LIMITS.services} services or fewer`,
    ],
    'services:unknown': [
      `گام ${n} خدمتی را نام برده که در کاتالوگ نیست؛ نشانی خدمت را از صفحهٔ آن بردارید`,
      `Step ${p.step} names a service that is not in the catalogue; copy the address from the service's page`,
    ],
  };
  const [fa, en] = m[`${p.field}:${p.code}`] ?? ['مقدار درست نیست', 'Check this value'];
  const field = p.field === 'note' ? `step${p.step}-note-fa` : `step${p.step}-${p.field}`;
  return { field, message: tr(lang, fa, en) };
}

export function registerJourneyAdminPages(app: FastifyInstance, ctx: AppContext): void {
  const guards = makeGuards(ctx);
  const hide = { schema: { hide: true } };
  const read = { ...hide, preHandler: guards.staff('catalog.journeys') };
  const write = { ...hide, preHandler: [app.csrfProtection, guards.staff('catalog.journeys')] };
  const termOf = (code: string) => {
    const term = lifeEventByCode.get(code);
    if (!term) throw new AppError('CATEGORY_NOT_FOUND');
    return term;
  };

  app.get<{ Params: { lang: string } }>('/:lang/staff/life-events', read, async (req, reply) =>
    sendPage(reply, <JourneyIndexPage lang={langOf(req.params)} />),
  );

  app.get<CodeParams>('/:lang/staff/life-events/:code', read, async (req, reply) => {
    const lang = langOf(req.params);
    const term = termOf(req.params.code);
    const steps = await ctx.catalog.journeys.stepsForEditing(term.code);
    return sendPage(
      reply,
      <JourneyEditPage
        lang={lang}
        code={term.code}
        name={term.name[lang]}
        steps={steps}
        csrf={reply.generateCsrf()}
        done={req.query.done === 'saved'}
      />,
    );
  });

  app.post<CodeParams>('/:lang/staff/life-events/:code', write, async (req, reply) => {
    const lang = langOf(req.params);
    const term = termOf(req.params.code);
    const staff = staffOf(req);
    const steps = stepsFromForm(req.body);
    const r = await ctx.catalog.journeys.save(term.code, steps, `staff:${staff.id}`, (tx, c) =>
      ctx.audit.record(
        { actor: `staff:${staff.id}`, action: 'catalog.journey-changed', subject: term.code, detail: { before: c.before, after: c.after } },
        tx,
      ),
    );
    if (!r.ok) {
      const errors = r.problems.map((p) => problemMessage(lang, p));
      return sendPage(
        reply,
        <JourneyEditPage lang={lang} code={term.code} name={term.name[lang]} steps={steps} csrf={reply.generateCsrf()} errors={errors} />,
        400,
      );
    }
    return reply.redirect(`/${lang}/staff/life-events/${term.code}?done=saved`, 303);
  });
}
