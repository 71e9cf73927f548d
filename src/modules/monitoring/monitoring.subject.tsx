// Staff monitoring pages for one agency or portal in a round: the assessor's work page and answer
// forms (with evidence uploads), portal checks, submission, review, and evidence downloads.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { formatNumber, type Lang, langOf, tr } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { ErrorSummary, SummaryList, Tag, type FieldError } from '../../web/components.tsx';
import { DataTable } from '../../web/charts.tsx';
import { Layout } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.ts';
import { principal } from '../identity/staff.guard.ts';
import type { StaffRow } from '../identity/staff.service.ts';
import { canAnswer, canManageRounds, canReview } from './monitoring.policy.ts';
import { AnswerPage } from './monitoring.forms.tsx';
import { SubjectCheck } from './pages/check.tsx';
import { cutoffText, L, NoData, num, other, pct, plain, score } from './monitoring.view.tsx';
import type { RoundRow, SubjectRow } from './monitoring.repository.ts';
import { staffOf, makeGuards } from '../identity/guards.ts';

type P = { lang: string; round: string; subject: string; code: string };
type Body = Record<string, unknown>;
const str = (b: Body | undefined, k: string) => (typeof b?.[k] === 'string' ? (b[k] as string) : '');
const STATUS: Record<SubjectRow['status'], [string, string]> = {
  open: ['در حال ارزیابی', 'Being assessed'],
  submitted: ['آماده بازبینی', 'Ready for review'],
  approved: ['تأییدشده', 'Approved'],
};

export function registerSubjectPages(
  app: FastifyInstance,
  ctx: AppContext,
  h: {
    roundFor: (s: StaffRow, id: string) => Promise<{ round: RoundRow; subjects: SubjectRow[] }>;
    subjectUrl: (lang: Lang, r: RoundRow, s: string) => string;
    csrf: object;
    hide: object;
  },
): void {
  const { roundFor, subjectUrl, csrf, hide } = h;
  const guards = makeGuards(ctx);
  const load = async (staff: StaffRow, params: P) => {
    const { round, subjects } = await roundFor(staff, params.round);
    const subject = subjects.find((s) => s.subject === params.subject);
    if (!subject) throw new AppError('ROUND_SUBJECT_NOT_FOUND');
    const me = principal(staff);
    if (!canManageRounds(me) && !canAnswer(me, subject)) throw new AppError('FORBIDDEN');
    return { round, subject, set: await ctx.monitoring.setOf(round) };
  };
  const maxMb = Math.round(ctx.config.MONITORING_EVIDENCE_MAX_BYTES / 1024 / 1024) || 1;

  app.get<{ Params: P; Querystring: { missing?: string } }>(
    '/:lang/staff/monitoring/rounds/:round/subjects/:subject',
    { ...hide, preHandler: guards.staff('monitoring.work') },
    async (req, reply) => {
      const lang = langOf(req.params);
      const staff = staffOf(req);
      const { round, subject, set } = await load(staff, req.params);
      const me = principal(staff);
      const answers = new Map((await ctx.monitoring.repo.answers(round.id, subject.subject)).map((a) => [a.code, a]));
      const files = await ctx.monitoring.repo.evidence(round.id, subject.subject);
      const scores = await ctx.monitoring.scoresOf(round, set, subject);
      const editable = round.status === 'open' && subject.status === 'open' && canAnswer(me, subject);
      const base = subjectUrl(lang, round, subject.subject);
      const token = reply.generateCsrf();
      const name = plain(subject.name, lang);
      const missing = req.query.missing
        ? [
            {
              field: 'indicators',
              message: tr(
                lang,
                `پیش از فرستادن به همه شاخص‌ها پاسخ دهید یا پیشنهادها را تأیید کنید: ${req.query.missing}`,
                `Answer every indicator or confirm the proposals before submitting: ${req.query.missing}`,
              ),
            },
          ]
        : [];
      const hasChecks = set.indicators.some((i) => i.check) && !!subject.url;
      const checkJob = hasChecks
        ? (await ctx.monitoring.repo.latestChecks(round.id)).find((j) => j.subject === subject.subject)
        : undefined;
      return sendPage(
        reply,
        <Layout
          lang={lang}
          title={`${name} – ${plain(round.title, lang)}`}
          altPath={`/${other(lang)}${base.slice(3)}`}
          hasError={missing.length > 0}
        >
          <a class="back-link" href={`/${lang}/staff/monitoring/rounds/${round.slug}`}>
            {tr(lang, 'بازگشت', 'Back')}
          </a>
          <ErrorSummary lang={lang} errors={missing} />
          <h1>{name}</h1>
          {subject.review_note ? (
            <p class="notice">{tr(lang, `یادداشت بازبین: ${subject.review_note}`, `Reviewer's note: ${subject.review_note}`)}</p>
          ) : null}
          <SummaryList
            rows={[
              { key: tr(lang, 'دوره', 'Round'), value: `${plain(round.title, lang)} · ${cutoffText(lang, round)}` },
              { key: tr(lang, 'وضعیت', 'Status'), value: tr(lang, ...STATUS[subject.status]) },
              { key: tr(lang, 'امتیاز کل تا اینجا', 'Total score so far'), value: score(lang, scores.total) },
              ...(subject.url ? [{ key: tr(lang, 'درگاه', 'Portal'), value: <bdi>{subject.url}</bdi> }] : []),
            ]}
          />
          {set.criteria.map((c) => (
            <DataTable
              caption={`${plain(c.name, lang)}: ${score(lang, scores.criteria[c.code]?.score)}`}
              head={[tr(lang, 'کد', 'Code'), tr(lang, 'شاخص', 'Indicator'), tr(lang, 'پاسخ', 'Answer'), tr(lang, 'منبع', 'Source'), '']}
              rows={set.indicators
                .filter((i) => i.criterion === c.code)
                .map((i) => {
                  const a = answers.get(i.code);
                  const value = !a ? (
                    tr(lang, 'بی‌پاسخ', 'Not answered')
                  ) : a.state === 'no-data' ? (
                    <NoData lang={lang} />
                  ) : i.type === 'yesno' ? (
                    a.value ? (
                      tr(lang, 'بله', 'Yes')
                    ) : (
                      tr(lang, 'خیر', 'No')
                    )
                  ) : i.type === 'percentage' ? (
                    pct(lang, (a.value ?? 0) / 100)
                  ) : (
                    num(lang, a.value ?? 0, 2)
                  );
                  const origin = !a ? (
                    ''
                  ) : a.origin === 'auto' ? (
                    tr(lang, 'خودکار', 'Automatic')
                  ) : a.state === 'proposed' ? (
                    <Tag tone="blue">{tr(lang, 'پیشنهاد بررسی خودکار', 'Proposed by portal check')}</Tag>
                  ) : (
                    tr(lang, 'ارزیاب', 'Assessor')
                  );
                  const fileCount = files.filter((f) => f.code === i.code).length;
                  return [
                    <bdi>{i.code}</bdi>,
                    <L text={i.description} lang={lang} />,
                    value,
                    <>
                      {origin}
                      {fileCount ? ` · ${tr(lang, `${formatNumber(lang, fileCount)} پرونده`, `${fileCount} file(s)`)}` : ''}
                    </>,
                    editable && i.answeredBy === 'assessor' ? (
                      <a href={`${base}/indicators/${encodeURIComponent(i.code)}`}>
                        {a?.state === 'answered' ? tr(lang, 'تغییر', 'Change') : tr(lang, 'پاسخ', 'Answer')}
                        <span class="visually-hidden"> {i.code}</span>
                      </a>
                    ) : (
                      ''
                    ),
                  ];
                })}
            />
          ))}
          {hasChecks ? (
            <SubjectCheck lang={lang} job={checkJob} action={`${base}/check`} self={base} csrf={token} canRun={editable} />
          ) : null}
          {editable ? (
            <form method="post" action={`${base}/submit`} id="indicators">
              <input type="hidden" name="_csrf" value={token} />
              <button class="button" type="submit">
                {tr(lang, 'فرستادن برای بازبینی', 'Submit for review')}
              </button>
            </form>
          ) : null}
          {round.status === 'open' && subject.status === 'submitted' && canReview(me, subject) ? (
            <form method="post" action={`${base}/review`}>
              <input type="hidden" name="_csrf" value={token} />
              <h2>{tr(lang, 'بازبینی', 'Review')}</h2>
              <fieldset class="plain-fieldset">
                <legend class="label">{tr(lang, 'تصمیم', 'Decision')}</legend>
                <div class="checkbox">
                  <input type="radio" id="decision" name="decision" value="approve" checked />
                  <label for="decision">{tr(lang, 'تأیید', 'Approve')}</label>
                </div>
                <div class="checkbox">
                  <input type="radio" id="decision-return" name="decision" value="return" />
                  <label for="decision-return">{tr(lang, 'بازگرداندن به ارزیاب', 'Return to the assessor')}</label>
                </div>
              </fieldset>
              <label class="label" for="reviewNote">
                {tr(lang, 'یادداشت (برای بازگرداندن لازم است)', 'Note (needed to return)')}
              </label>
              <textarea class="input input-wide textarea" id="reviewNote" name="reviewNote" dir="auto"></textarea>
              <button class="button" type="submit">
                {tr(lang, 'ثبت بازبینی', 'Record the review')}
              </button>
            </form>
          ) : null}
          {round.status === 'open' && subject.status === 'approved' && canManageRounds(me) ? (
            <form method="post" action={`${base}/reopen`}>
              <input type="hidden" name="_csrf" value={token} />
              <button class="button button-secondary" type="submit">
                {tr(lang, 'بازگشایی برای ارزیاب', 'Reopen for the assessor')}
              </button>
            </form>
          ) : null}
        </Layout>,
        missing.length ? 409 : 200,
      );
    },
  );

  const subjectAction = (
    path: string,
    act: (round: RoundRow, subject: SubjectRow, staff: StaffRow, body: Body, lang: Lang) => Promise<string | void>,
  ) =>
    app.post<{ Params: P; Body: Body }>(
      `/:lang/staff/monitoring/rounds/:round/subjects/:subject/${path}`,
      { ...csrf, preHandler: [app.csrfProtection, guards.staff('monitoring.work')] },
      async (req, reply) => {
        const lang = langOf(req.params);
        const staff = staffOf(req);
        const { round, subject } = await load(staff, req.params);
        const query = await act(round, subject, staff, req.body ?? {}, lang);
        return reply.redirect(`${subjectUrl(lang, round, subject.subject)}${query ?? ''}`, 303);
      },
    );

  subjectAction('submit', async (round, subject, staff) => {
    const missing = await ctx.monitoring.submit(round.id, subject.subject, principal(staff));
    if (missing.length) return `?missing=${encodeURIComponent(missing.join(', '))}`;
  });
  subjectAction('review', async (round, subject, staff, b) => {
    const decision = str(b, 'decision') === 'return' ? 'return' : 'approve';
    const errors = await ctx.monitoring.review(round.id, subject.subject, decision, str(b, 'reviewNote'), principal(staff));
    if (errors.length) throw new AppError('VALIDATION_FAILED', errors[0].message);
  });
  subjectAction('reopen', async (round, subject, staff) => {
    await ctx.monitoring.reopen(round.id, subject.subject, principal(staff));
  });
  // Queues the check (the worker in monitoring.jobs.ts runs it); the page shows its state.
  subjectAction('check', async (round, subject, staff) => {
    await ctx.monitoring.requestPortalCheck(round.id, subject.subject, principal(staff));
    return '#portal-check-title';
  });

  const answerPage = async (
    lang: Lang,
    reply: FastifyReply,
    staff: StaffRow,
    params: P,
    values: Record<string, string> | undefined,
    errors: FieldError[],
  ) => {
    const { round, subject, set } = await load(staff, params);
    if (!canAnswer(principal(staff), subject)) throw new AppError('FORBIDDEN');
    if (round.status !== 'open') throw new AppError('ROUND_LOCKED');
    const ind = ctx.monitoring.indicator(set, params.code);
    const answer = (await ctx.monitoring.repo.answers(round.id, subject.subject)).find((a) => a.code === ind.code);
    const files = (await ctx.monitoring.repo.evidence(round.id, subject.subject)).filter((f) => f.code === ind.code);
    return sendPage(
      reply,
      <AnswerPage
        lang={lang}
        csrf={reply.generateCsrf()}
        round={round}
        subjectName={plain(subject.name, lang)}
        base={subjectUrl(lang, round, subject.subject)}
        ind={ind}
        answer={answer}
        files={files}
        values={values}
        errors={errors}
        maxMb={maxMb}
      />,
      errors.length ? 400 : 200,
    );
  };

  app.get<{ Params: P }>(
    '/:lang/staff/monitoring/rounds/:round/subjects/:subject/indicators/:code',
    { ...hide, preHandler: guards.staff('monitoring.work') },
    async (req, reply) => {
      const lang = langOf(req.params);
      const staff = staffOf(req);
      return answerPage(lang, reply, staff, req.params, undefined, []);
    },
  );

  app.post<{ Params: P; Body: Body }>(
    '/:lang/staff/monitoring/rounds/:round/subjects/:subject/indicators/:code',
    { ...csrf, preHandler: [app.csrfProtection, guards.staff('monitoring.work')] },
    async (req, reply) => {
      const lang = langOf(req.params);
      const staff = staffOf(req);
      const b = req.body ?? {};
      const f = b.file as { filename?: string; data?: Buffer } | undefined;
      const file = f && Buffer.isBuffer(f.data) && (f.data.length || f.filename) ? { data: f.data, filename: f.filename ?? '' } : null;
      const { round, subject } = await load(staff, req.params);
      const errors = await ctx.monitoring.answer(
        round.id,
        subject.subject,
        req.params.code,
        { value: str(b, 'value'), note: str(b, 'note'), link: str(b, 'link'), file },
        principal(staff),
        lang,
      );
      if (errors.length)
        return answerPage(lang, reply, staff, req.params, { value: str(b, 'value'), note: str(b, 'note'), link: str(b, 'link') }, errors);
      return reply.redirect(subjectUrl(lang, round, subject.subject), 303);
    },
  );

  app.get<{ Params: { lang: string; id: string } }>(
    '/:lang/staff/monitoring/evidence/:id',
    { ...hide, preHandler: guards.staff('monitoring.work') },
    async (req, reply) => {
      const lang = langOf(req.params);
      const staff = staffOf(req);
      const file = await ctx.monitoring.repo.evidenceFile(req.params.id);
      if (!file) throw new AppError('NOT_FOUND');
      await load(staff, { lang, round: file.round_id, subject: file.subject, code: file.code });
      return reply
        .header('content-type', file.media_type)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(file.content));
    },
  );
}
