// "Where is my application?": the list of my applications, and each one with its status, the office
// handling it, the expected decision date, the timeline, requests for more information (answer and
// resubmit), the answers and files, and the rating after a decision.
import { Type, type Static } from '@sinclair/typebox';
import type { StagedFile } from './applications.types.ts';
import { MessageThread } from './pages/thread.tsx';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { formatDate, formatNumber, t, tr, type Lang, langOf } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { ErrorSummary, SummaryList, type FieldError } from '../../web/components.tsx';
import { Layout } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.ts';
import { pick as pickText } from '../catalog/catalog.taxonomy.ts';
import { pick, visiblePages } from './forms.ts';
import { showAnswer } from './pages/fields.tsx';
import { EVENT_NAME, eventDetail } from './applications.text.ts';
import { other, StatusTag } from './pages/common.tsx';
import { taskListPage } from './pages/tasklist.tsx';
import { RESPONSE_FILE } from './applications.types.ts';
import { sendFile } from './files.http.ts';
import { cleanText, fileProblem } from './validate.ts';
import { csrfUnlessMultipart, readMultipart } from './multipart.ts';
import type { TrackedView } from './tracking.views.ts';
import { PaymentPanel } from '../payments/pages/pay.tsx';
import { ActingForPanel } from '../representation/pages/panel.tsx';
import { ComplainLink } from './pages/complain.tsx';
import { citizenOf, makeGuards } from '../identity/guards.ts';
import { assuranceGate } from '../identity/assurance.gate.ts';

type P = { Params: { lang: string; id: string; file: string } };
const CITIZEN_EVENTS = new Set([
  'submitted',
  'in-review',
  'info-requested',
  'resubmitted',
  'approved',
  'rejected',
  'document.requested',
  'document.issued',
  'message',
  'citizen-message',
  'payment.succeeded',
  'payment.refunded',
  'acting-for.checked',
  'acting-for.company',
  'acting-for.attorney',
  'counter.submitted',
]);
/** The rating form (the score is checked by the handler, so a wrong one gets the page's own message). */
const RatingBody = Type.Object({
  score: Type.Optional(Type.String()),
  comment: Type.Optional(Type.String()),
  _csrf: Type.Optional(Type.String()),
});

export function registerTracking(app: FastifyInstance, ctx: AppContext): void {
  const guards = makeGuards(ctx);
  const gated = assuranceGate(ctx);
  const hide = { schema: { hide: true } };
  const csrf = { preHandler: app.csrfProtection };
  const A = () => ctx.applications;
  const V = () => ctx.trackingViews;

  app.get<P>('/:lang/applications', { ...hide, preHandler: guards.citizen }, async (req, reply) => {
    const lang = langOf(req.params);
    const who = citizenOf(req);
    const { apps, unread, services } = await V().listView(who.citizen.id);
    const serviceName = (id: string) => {
      const service = services.get(id);
      return service ? pickText(service.name, lang).text : '';
    };
    const title = tr(lang, 'درخواست‌های من', 'Your applications');
    return sendPage(
      reply,
      <Layout lang={lang} title={title} altPath={other(lang, `/${lang}/applications`)}>
        <h1>{title}</h1>
        <p>
          <a href={`/${lang}/ebox`}>
            {tr(lang, 'صندوق پیام', 'Your e-box')}
            {unread ? ` (${tr(lang, `${formatNumber(lang, unread)} پیام خوانده‌نشده`, `${unread} unread`)})` : ''}
          </a>
        </p>
        <p>
          <a href={`/${lang}/account/representation/made-for-me`}>
            {tr(lang, 'درخواست‌هایی که دیگران به نام شما ثبت کرده‌اند', 'Applications others made in your name')}
          </a>
        </p>
        {apps.length ? (
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{t(lang, 'service')}</th>
                  <th scope="col">{tr(lang, 'شماره پیگیری', 'Reference')}</th>
                  <th scope="col">{tr(lang, 'وضعیت', 'Status')}</th>
                  <th scope="col">{tr(lang, 'موعد اعلام نتیجه', 'Decision expected by')}</th>
                </tr>
              </thead>
              <tbody>
                {apps.map((a) => (
                  <tr>
                    <td>
                      <a href={`/${lang}/applications/${a.id}`}>{serviceName(a.service_id)}</a>
                    </td>
                    <td>
                      <bdi>{a.reference ?? '–'}</bdi>
                    </td>
                    <td>
                      <StatusTag status={a.status} lang={lang} />
                    </td>
                    <td>{a.due_at && a.status !== 'approved' && a.status !== 'rejected' ? formatDate(lang, a.due_at) : '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>
            {tr(
              lang,
              'هنوز درخواستی نفرستاده‌اید. خدمتی را پیدا کنید و «درخواست برخط» را بزنید.',
              'You have not applied for anything yet. Find a service and choose "Apply online".',
            )}
          </p>
        )}
      </Layout>,
    );
  });

  const detailPage = async (reply: FastifyReply, lang: Lang, view: TrackedView, errors: FieldError[] = [], status = 200) => {
    const { a, service, agency, events, files, messages, rating, def, payment, bill, actingFor, decided, overdue, request } = view;
    const path = `/${lang}/applications/${a.id}`;
    const name = pickText(service.name, lang).text;
    const fileHref = (id: string) => `/${lang}/applications/${a.id}/files/${id}`;
    const csrfToken = reply.generateCsrf();
    return sendPage(
      reply,
      <Layout lang={lang} title={`${name} – ${a.reference}`} altPath={other(lang, path)} hasError={errors.length > 0}>
        <p>
          <a class="back-link" href={`/${lang}/applications`}>
            {tr(lang, 'همه درخواست‌های من', 'All your applications')}
          </a>
        </p>
        <ErrorSummary lang={lang} errors={errors} />
        <h1>{name}</h1>
        <SummaryList
          rows={[
            { key: tr(lang, 'شماره پیگیری', 'Reference'), value: <bdi>{a.reference}</bdi> },
            { key: tr(lang, 'وضعیت', 'Status'), value: <StatusTag status={a.status} lang={lang} /> },
            {
              key: tr(lang, 'رسیدگی‌کننده', 'Handled by'),
              value: <a href={`/${lang}/agencies/${agency.id}`}>{pickText(agency.name, lang).text}</a>,
            },
            { key: tr(lang, 'تاریخ ثبت', 'Submitted'), value: a.submitted_at ? formatDate(lang, a.submitted_at) : '–' },
            decided
              ? { key: tr(lang, 'تاریخ تصمیم', 'Decided'), value: a.decided_at ? formatDate(lang, a.decided_at) : '–' }
              : {
                  key: tr(lang, 'موعد اعلام نتیجه', 'Decision expected by'),
                  value: (
                    <span class={overdue ? 'overdue' : undefined}>
                      {a.due_at ? formatDate(lang, a.due_at) : '–'}
                      {overdue ? tr(lang, ' (از موعد گذشته)', ' (overdue)') : ''}
                    </span>
                  ),
                },
            ...(a.decision_reason
              ? [{ key: tr(lang, 'توضیح تصمیم', 'Reason given'), value: <span class="pre-line">{a.decision_reason}</span> }]
              : []),
          ]}
        />
        {a.status === 'info-requested' && request ? (
          <section aria-labelledby="respond-title" class="panel">
            <h2 id="respond-title">{tr(lang, 'دستگاه اطلاعات بیشتری خواسته است', 'The agency needs more information')}</h2>
            <p class="pre-line">{request.body[lang] ?? request.body.fa}</p>
            <form method="post" action={`${path}/respond`} enctype="multipart/form-data" novalidate>
              <input type="hidden" name="_csrf" value={csrfToken} />
              <div class="field">
                <label class="label" for="response">
                  {tr(lang, 'پاسخ شما', 'Your answer')}
                </label>
                {errors.find((e) => e.field === 'response') ? (
                  <p class="error-message" id="response-error">
                    {errors.find((e) => e.field === 'response')?.message}
                  </p>
                ) : null}
                <textarea
                  class="input textarea input-wide"
                  id="response"
                  name="response"
                  rows={5}
                  maxLength={2000}
                  aria-describedby={errors.find((e) => e.field === 'response') ? 'response-error' : undefined}
                ></textarea>
              </div>
              <div class="field">
                <label class="label" for="attachment">
                  {tr(lang, 'پیوست (اختیاری)', 'Attachment (optional)')}
                </label>
                <p class="hint" id="attachment-hint">
                  {tr(lang, 'PDF، PNG یا JPEG؛ حداکثر ۵ مگابایت.', 'PDF, PNG or JPEG; up to 5 MB.')}
                </p>
                {errors.find((e) => e.field === 'attachment') ? (
                  <p class="error-message" id="attachment-error">
                    {errors.find((e) => e.field === 'attachment')?.message}
                  </p>
                ) : null}
                <input
                  class="input-file"
                  type="file"
                  id="attachment"
                  name="attachment"
                  accept=".pdf,.png,.jpg,.jpeg"
                  aria-describedby="attachment-hint"
                />
              </div>
              <button class="button" type="submit">
                {tr(lang, 'فرستادن پاسخ', 'Send your answer')}
              </button>
            </form>
          </section>
        ) : null}
        {decided && !rating ? (
          <section aria-labelledby="rate-title">
            <h2 id="rate-title">{tr(lang, 'از این خدمت چقدر راضی بودید؟', 'How satisfied were you with this service?')}</h2>
            <form method="post" action={`${path}/rating`} novalidate>
              <input type="hidden" name="_csrf" value={csrfToken} />
              <fieldset class="plain-fieldset" aria-describedby={errors.find((e) => e.field === 'score-5') ? 'score-error' : undefined}>
                <legend class="label">
                  {tr(lang, 'امتیاز از ۱ (بسیار ناراضی) تا ۵ (بسیار راضی)', 'Score from 1 (very dissatisfied) to 5 (very satisfied)')}
                </legend>
                {errors.find((e) => e.field === 'score-5') ? (
                  <p class="error-message" id="score-error">
                    {errors.find((e) => e.field === 'score-5')?.message}
                  </p>
                ) : null}
                <div class="stars">
                  {[5, 4, 3, 2, 1].map((n) => (
                    <div class="checkbox">
                      <input type="radio" id={`score-${n}`} name="score" value={String(n)} />
                      <label for={`score-${n}`}>{formatNumber(lang, n)}</label>
                    </div>
                  ))}
                </div>
              </fieldset>
              <div class="field">
                <label class="label" for="comment">
                  {tr(lang, 'توضیح (اختیاری)', 'Comments (optional)')}
                </label>
                <textarea class="input textarea input-wide" id="comment" name="comment" rows={3} maxLength={2000}></textarea>
              </div>
              <button class="button" type="submit">
                {tr(lang, 'فرستادن امتیاز', 'Send your rating')}
              </button>
            </form>
          </section>
        ) : rating ? (
          <p class="inset">
            {tr(
              lang,
              `از امتیاز شما (${formatNumber(lang, rating.score)} از ۵) سپاسگزاریم.`,
              `Thank you for your rating (${rating.score} out of 5).`,
            )}
          </p>
        ) : null}
        {actingFor ? <ActingForPanel lang={lang} row={actingFor} audience="citizen" /> : null}
        {payment ? (
          <PaymentPanel
            lang={lang}
            appPath={path}
            state={payment}
            bill={bill}
            receiptHref={payment.paid && !payment.paid.duplicate ? `${path}/payments/${payment.paid.id}/receipt` : null}
          />
        ) : null}
        <h2>{tr(lang, 'روند درخواست', 'Timeline')}</h2>
        <ol class="timeline">
          {events
            .filter((e) => CITIZEN_EVENTS.has(e.type))
            .map((e) => (
              <li>
                <strong>{EVENT_NAME[e.type]?.[lang] ?? e.type}</strong>
                <time dateTime={new Date(e.at).toISOString()}>{formatDate(lang, e.at)}</time>
                {eventDetail(e.data, lang) ? <span class="hint"> {eventDetail(e.data, lang)}</span> : null}
                {e.type === 'payment.succeeded' && typeof e.data.reference === 'string' ? (
                  <span class="hint">
                    {' '}
                    {tr(lang, 'شماره مرجع', 'Reference')} <bdi>{e.data.reference}</bdi>
                  </span>
                ) : null}
                {typeof e.data.url === 'string' ? <a href={e.data.url}>{tr(lang, 'دریافت سند', 'Download the document')}</a> : null}
              </li>
            ))}
        </ol>
        <h2>{tr(lang, 'پیام‌ها', 'Messages')}</h2>
        <MessageThread lang={lang} messages={messages} files={files} agency={pickText(agency.name, lang).text} fileHref={fileHref} link />
        <h2>{tr(lang, 'پاسخ‌های شما', 'Your answers')}</h2>
        <SummaryList
          rows={visiblePages(def, a.answers).flatMap((p) =>
            p.fields.map((f) => ({ key: pick(f.label, lang), value: showAnswer(f, a.answers[f.name], lang, fileHref) })),
          )}
        />
        {files.some((f) => f.field === 'attachment') ? (
          <>
            <h2>{tr(lang, 'پیوست‌های پاسخ‌ها', 'Attachments to your answers')}</h2>
            <ul>
              {files
                .filter((f) => f.field === 'attachment')
                .map((f) => (
                  <li>
                    <a href={fileHref(f.id)}>
                      <bdi>{f.original_name}</bdi>
                    </a>
                  </li>
                ))}
            </ul>
          </>
        ) : null}
        {a.reference ? <ComplainLink lang={lang} applicationId={a.id} /> : null}
      </Layout>,
      status,
    );
  };

  app.get<P>('/:lang/applications/:id', { ...hide, preHandler: guards.citizen }, async (req, reply) => {
    const lang = langOf(req.params);
    const who = citizenOf(req);
    const v = await V().detailView(who.citizen.id, req.params.id);
    if (v.kind === 'draft') return taskListPage(reply, lang, v.a, v.def, pickText(v.service.name, lang).text, v.service.slug);
    return detailPage(reply, lang, v);
  });

  app.post<P & { Body: Record<string, unknown> }>(
    '/:lang/applications/:id/respond',
    { ...hide, preHandler: [csrfUnlessMultipart(app), guards.citizen] },
    async (req, reply) => {
      const lang = langOf(req.params);
      const who = citizenOf(req);
      const a = await A().own(who.citizen.id, req.params.id);
      if (a.status !== 'info-requested') return reply.redirect(`/${lang}/applications/${a.id}`, 303);
      const errors: FieldError[] = [];
      let staged: StagedFile | undefined;
      let body: Record<string, unknown> = (req.body ?? {}) as Record<string, unknown>;
      if (req.isMultipart()) {
        body = await readMultipart(app, req, reply, async (part) => {
          if (part.fieldname !== 'attachment' || staged || errors.length) return;
          const r = await A().stageFile(RESPONSE_FILE, part.file, part.filename);
          if (!r.ok) return void errors.push({ field: 'attachment', message: fileProblem(RESPONSE_FILE as never, r.reason)[lang] });
          staged = r.staged;
          return () => A().discardStaged(r.staged);
        });
      }
      const text = cleanText(typeof body.response === 'string' ? body.response : '', true);
      if (!text) errors.push({ field: 'response', message: tr(lang, 'پاسخ خود را بنویسید', 'Enter your answer') });
      else if (text.length > 2000)
        errors.push({
          field: 'response',
          message: tr(lang, 'پاسخ باید حداکثر ۲۰۰۰ نویسه باشد', 'Your answer must be 2000 characters or fewer'),
        });
      // a refused answer keeps nothing of what it carried
      if (errors.length) {
        if (staged) await A().discardStaged(staged);
        return detailPage(reply, lang, await V().tracked(a), errors, 400);
      }
      // the same assurance gate as submitting: a sign-in below the service's level gets the page saying how to reach it
      const done = await gated(req, reply, lang, `/${lang}/applications/${encodeURIComponent(a.id)}`, async (_me, reached) => {
        const fileIds = staged ? [(await A().commitFile(a, staged, 'citizen')).fileId] : [];
        try {
          return await A().respond(who.citizen, a.id, text, fileIds, reached);
        } catch (e) {
          for (const id of fileIds) await A().dropFile(a.id, id);
          throw e;
        }
      });
      if (!done) return reply;
      return reply.redirect(`/${lang}/applications/${a.id}`, 303);
    },
  );

  app.post<P & { Body: Static<typeof RatingBody> }>(
    '/:lang/applications/:id/rating',
    { schema: { hide: true, body: RatingBody }, preHandler: [app.csrfProtection, guards.citizen] },
    async (req, reply) => {
      const lang = langOf(req.params);
      const who = citizenOf(req);
      const a = await A().own(who.citizen.id, req.params.id);
      const score = Number(typeof req.body?.score === 'string' ? req.body.score : NaN);
      const comment = cleanText(typeof req.body?.comment === 'string' ? req.body.comment : '', true);
      const errors: FieldError[] = [];
      if (!Number.isInteger(score) || score < 1 || score > 5)
        errors.push({ field: 'score-5', message: tr(lang, 'امتیازی از ۱ تا ۵ انتخاب کنید', 'Select a score from 1 to 5') });
      if (comment.length > 2000)
        errors.push({
          field: 'comment',
          message: tr(lang, 'توضیح باید حداکثر ۲۰۰۰ نویسه باشد', 'Comments must be 2000 characters or fewer'),
        });
      if (errors.length) return detailPage(reply, lang, await V().tracked(a), errors, 400);
      await A().rate(who.citizen, a.id, score, comment);
      return reply.redirect(`/${lang}/applications/${a.id}`, 303);
    },
  );

  app.post<P>(
    '/:lang/applications/:id/discard',
    { ...hide, ...csrf, preHandler: [app.csrfProtection, guards.citizen] },
    async (req, reply) => {
      const lang = langOf(req.params);
      const who = citizenOf(req);
      await A().discard(who.citizen.id, req.params.id);
      return reply.redirect(`/${lang}/applications`, 303);
    },
  );

  app.get<P>('/:lang/applications/:id/files/:file', { ...hide, preHandler: guards.citizen }, async (req, reply) => {
    const who = citizenOf(req);
    const a = await A().own(who.citizen.id, req.params.id);
    return sendFile(reply, await A().file(a, req.params.file));
  });
}
