// The citizen's journey: start page -> question pages (one thing per page; drafts saved on the server
// after every page) -> check your answers -> submit (exactly once) -> confirmation. Works without
// JavaScript: real forms, POST-redirect-GET, CSRF in every form (first part of multipart forms).
import { Type, type Static } from '@sinclair/typebox';
import type { StagedFile } from './applications.types.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { formatDate, t, tr, type Lang, langOf } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { ErrorSummary, SummaryList, type FieldError } from '../../web/components.tsx';
import { Layout } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.ts';
import { requireCitizen } from '../identity/citizen.guard.ts';
import { assuranceGate } from '../identity/assurance.gate.ts';
import { pick as pickText } from '../catalog/catalog.taxonomy.ts';
import { pick, visiblePages, type FormDefinition, type FormPage } from './forms.ts';
import { anchorOf, validatePage, type FieldProblem } from './validate.ts';
import { Field, rawOf, showAnswer, type Raw } from './pages/fields.tsx';
import { csrfUnlessMultipart, readMultipart } from './multipart.ts';
import type { ApplicationRow } from './applications.repository.ts';
import type { PrefillService } from './prefill.ts';
import { prefilledNow } from './prefill.counts.ts';
import { LockedField, markPrefilled, PrefillNotice } from './pages/prefill.tsx';
import { isRegistryPrefill, REGISTRY_SOURCES } from './forms.ts';
import { other } from './pages/common.tsx';
import { complete, TASK_LIST_FROM } from './pages/tasklist.tsx';

type P = { Params: { lang: string; id: string; page: string; slug: string }; Querystring: { return?: string } };

/** The check-your-answers form: the one-time submission token. */
const SubmitBody = Type.Object({ submissionToken: Type.Optional(Type.String()), _csrf: Type.Optional(Type.String()) });

export function registerJourney(app: FastifyInstance, ctx: AppContext, prefill: PrefillService): void {
  const hide = { schema: { hide: true } };
  const csrf = { preHandler: app.csrfProtection };
  const A = () => ctx.applications;
  /** Fields on the page whose value came from a registry and that the form does not let the citizen change. */
  const lockedOn = async (a: ApplicationRow, page: FormPage) => {
    const now = prefilledNow(await prefill.decisions(a), a.answers);
    return page.fields.filter((f) => isRegistryPrefill(f.prefill) && f.prefill.editable === false && now.has(f.name));
  };

  const citizenOr = async (req: FastifyRequest, reply: FastifyReply, lang: Lang) =>
    (await requireCitizen(ctx, req, reply, lang))?.citizen ?? null;
  const gated = assuranceGate(ctx);

  // ------------------------------------------------------------ start page
  app.get<P>('/:lang/services/:slug/apply', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const service = await ctx.catalog.getService(req.params.slug);
    const form = await A().currentForm(service.id);
    if (!form || service.status !== 'published') throw new AppError('NOT_FOUND');
    const agency = await ctx.catalog.getAgency(service.agency_id);
    const name = pickText(service.name, lang).text;
    const path = `/${lang}/services/${service.slug}/apply`;
    return sendPage(
      reply,
      <Layout lang={lang} title={name} altPath={other(lang, path)}>
        <p>
          <a class="back-link" href={`/${lang}/services/${service.slug}`}>
            {t(lang, 'back')}
          </a>
        </p>
        <h1>{name}</h1>
        <p class="lead">{pickText(service.summary, lang).text}</p>
        <SummaryList
          rows={[
            { key: t(lang, 'providedBy'), value: pickText(agency.name, lang).text },
            {
              key: t(lang, 'howLong'),
              value: service.processing_days ? t(lang, 'upToDays', { n: service.processing_days }) : t(lang, 'immediate'),
            },
            {
              key: tr(lang, 'شمار پرسش‌ها', 'Questions'),
              value: tr(lang, `${new Intl.NumberFormat('fa-IR').format(form.def.pages.length)} صفحه`, `${form.def.pages.length} pages`),
            },
          ]}
        />
        <h2>{t(lang, 'whatYouNeed')}</h2>
        {service.documents.length ? (
          <ul>
            {service.documents.map((d) => (
              <li>{pickText(d, lang).text}</li>
            ))}
          </ul>
        ) : (
          <p>{t(lang, 'noDocuments')}</p>
        )}
        <p>
          {tr(
            lang,
            'پاسخ‌هایتان پس از هر صفحه ذخیره می‌شود و می‌توانید بعداً، حتی از دستگاهی دیگر، ادامه دهید. برای شروع باید وارد پنجره شوید.',
            'Your answers are saved after every page, so you can come back later, even on another device. You need to sign in to start.',
          )}
        </p>
        <form method="post" action={path}>
          <input type="hidden" name="_csrf" value={reply.generateCsrf()} />
          <button class="button button-start" type="submit">
            {t(lang, 'startNow')}
          </button>
        </form>
        <h2>{tr(lang, 'راه‌های دیگر', 'Other ways to apply')}</h2>
        <p>
          <a href={`/${lang}/services/${service.slug}`}>{tr(lang, 'راه‌های دریافت این خدمت', 'Ways to get this service')}</a>
        </p>
      </Layout>,
    );
  });

  app.post<P>('/:lang/services/:slug/apply', { ...hide, ...csrf }, async (req, reply) => {
    const lang = langOf(req.params);
    const draft = await gated(req, reply, lang, `/${lang}/services/${encodeURIComponent(req.params.slug)}/apply`, (citizen, reached) =>
      A().startDraft(citizen, req.params.slug, lang, reached),
    );
    if (!draft) return reply;
    return reply.redirect(`/${lang}/applications/${draft.id}`, 303);
  });

  // ------------------------------------------------------------ question pages
  const draftOf = async (req: FastifyRequest<P>, reply: FastifyReply, lang: Lang) => {
    const citizen = await citizenOr(req, reply, lang);
    if (!citizen) return null;
    const application = await A().own(citizen.id, req.params.id);
    if (application.status !== 'draft') {
      reply.redirect(`/${lang}/applications/${application.id}`, 303);
      return null;
    }
    const def = await A().formOf(application);
    return { citizen, application, def };
  };

  const questionPage = async (
    reply: FastifyReply,
    lang: Lang,
    a: ApplicationRow,
    def: FormDefinition,
    page: FormPage,
    raw: Raw,
    errors: FieldProblem[],
    back: string,
    returnTo: string | undefined,
    status = 200,
  ) => {
    const path = `/${lang}/applications/${a.id}/questions/${page.id}`;
    const single = page.fields.length === 1 && !['date', 'address', 'radio', 'checkboxes'].includes(page.fields[0].type);
    const singleGroup = page.fields.length === 1 && !single;
    const hasFile = page.fields.some((f) => f.type === 'file');
    const title = page.fields.length === 1 ? pick(page.fields[0].label, lang) : pick(page.title, lang);
    const errs: FieldError[] = errors.map((e) => ({ field: e.anchor, message: e.message[lang] }));
    const action = `${path}${returnTo ? '?return=check' : ''}`;
    const decisions = await prefill.decisions(a);
    const prefilled = prefilledNow(decisions, a.answers);
    const pageSources = new Set(page.fields.flatMap((f) => (isRegistryPrefill(f.prefill) ? [f.prefill.from] : [])));
    const retry = (source: string) => `${path}/prefill?${new URLSearchParams({ ...(returnTo ? { return: 'check' } : {}), source })}`;
    return sendPage(
      reply,
      <Layout lang={lang} title={title} altPath={other(lang, path)} hasError={errors.length > 0}>
        <p>
          <a class="back-link" href={back}>
            {t(lang, 'back')}
          </a>
        </p>
        <ErrorSummary lang={lang} errors={errs} />
        {def.title ? <p class="muted">{pick(def.title, lang)}</p> : null}
        <PrefillNotice
          lang={lang}
          rows={[...decisions.values()].filter((r) => pageSources.has(r.source as never))}
          filledHere={page.fields.filter((f) => prefilled.has(f.name))}
          retry={retry}
        />
        <form method="post" action={action} enctype={hasFile ? 'multipart/form-data' : undefined} novalidate>
          <input type="hidden" name="_csrf" value={reply.generateCsrf()} />
          {single || singleGroup ? null : <h1>{pick(page.title, lang)}</h1>}
          {page.fields.map((f) => {
            const source = prefilled.get(f.name);
            if (source && isRegistryPrefill(f.prefill) && f.prefill.editable === false)
              return <LockedField f={f} value={a.answers[f.name]} lang={lang} heading={single || singleGroup} source={source} />;
            return (
              <Field
                f={source ? markPrefilled(f, source) : f}
                lang={lang}
                heading={single || singleGroup}
                raw={{ ...raw, ...(f.type === 'file' ? { __file: a.answers[f.name] } : {}) }}
                error={errors.find((e) => e.name === f.name)?.message[lang]}
              />
            );
          })}
          <button class="button" type="submit">
            {tr(lang, 'ادامه', 'Continue')}
          </button>
        </form>
      </Layout>,
      status,
    );
  };

  const navigation = async (
    a: ApplicationRow,
    def: FormDefinition,
    pageId: string,
    answers: Record<string, unknown>,
    lang: Lang,
    returnTo?: string,
  ) => {
    const pages = visiblePages(def, answers);
    const i = pages.findIndex((p) => p.id === pageId);
    const long = pages.length >= TASK_LIST_FROM;
    let back = long
      ? `/${lang}/applications/${a.id}`
      : i > 0
        ? `/${lang}/applications/${a.id}/questions/${pages[i - 1].id}`
        : `/${lang}/services/${(await ctx.catalog.getService(a.service_id)).slug}/apply`;
    if (returnTo === 'check') back = `/${lang}/applications/${a.id}/check`;
    return { pages, i, back, next: pages[i + 1] };
  };

  app.get<P>('/:lang/applications/:id/questions/:page', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const d = await draftOf(req, reply, lang);
    if (!d) return reply;
    const page = visiblePages(d.def, d.application.answers).find((p) => p.id === req.params.page);
    if (!page) throw new AppError('NOT_FOUND');
    const pending = await prefill.pending(d.application, page);
    if (pending)
      return reply.redirect(
        `/${lang}/applications/${d.application.id}/questions/${page.id}/prefill?${new URLSearchParams({ ...(req.query.return === 'check' ? { return: 'check' } : {}), source: pending })}`,
        303,
      );
    const raw: Raw = Object.assign({}, ...page.fields.map((f) => rawOf(f, d.application.answers[f.name], lang)));
    const nav = await navigation(d.application, d.def, page.id, d.application.answers, lang, req.query.return);
    return questionPage(reply, lang, d.application, d.def, page, raw, [], nav.back, req.query.return);
  });

  app.post<P & { Body: Record<string, unknown> }>(
    '/:lang/applications/:id/questions/:page',
    { ...hide, preHandler: csrfUnlessMultipart(app) },
    async (req, reply) => {
      const lang = langOf(req.params);
      const d = await draftOf(req, reply, lang);
      if (!d) return reply;
      const page = visiblePages(d.def, d.application.answers).find((p) => p.id === req.params.page);
      if (!page) throw new AppError('NOT_FOUND');
      const fileErrors: FieldProblem[] = [];
      const uploaded: Record<string, unknown> = {};
      let body: Record<string, unknown>;
      if (req.isMultipart()) {
        // files are staged while the body is read and get their rows only once all of it was accepted
        const staged: StagedFile[] = [];
        body = await readMultipart(app, req, reply, async (part) => {
          const f = page.fields.find((x) => x.name === part.fieldname && x.type === 'file');
          if (!f || staged.some((s) => s.field === f.name) || fileErrors.some((e) => e.name === f.name)) return; // not a file on this page: drained unread
          const r = await A().stageFile(f as never, part.file, part.filename);
          if (!r.ok) return void fileErrors.push({ name: f.name, anchor: anchorOf(f), message: A().fileProblem(f, r.reason) });
          staged.push(r.staged);
          return () => A().discardStaged(r.staged);
        });
        for (const s of staged) uploaded[s.field] = await A().commitFile(d.application, s, 'citizen');
      } else body = (req.body ?? {}) as Record<string, unknown>;
      const input: Record<string, unknown> = { ...body };
      for (const f of page.fields) if (f.type === 'file') input[f.name] = uploaded[f.name] ?? d.application.answers[f.name];
      const validated = validatePage(page, input);
      // a registry value the form does not let the citizen change stays what the registry gave
      const locked = await lockedOn(d.application, page);
      const values = { ...validated.values, ...Object.fromEntries(locked.map((f) => [f.name, d.application.answers[f.name] as never])) };
      const errors = validated.errors.filter((e) => !locked.some((f) => f.name === e.name));
      // the person the application is for (a form's "actingFor"): may this citizen apply for them? (representation)
      const actingFor = await A().actingForOnPage(d.application, d.def, page, values, d.citizen);
      if (actingFor && !errors.some((e) => e.name === actingFor.name)) errors.push(actingFor);
      const allErrors = [...fileErrors, ...errors.filter((e) => !fileErrors.some((x) => x.name === e.name))];
      // what was right is kept (files included), even when something else on the page is wrong
      const good = Object.fromEntries(Object.entries(values).filter(([k]) => !allErrors.some((e) => e.name === k)));
      const answers = await A().saveAnswers(
        d.application,
        allErrors.length ? Object.fromEntries(Object.entries(good).filter(([, v]) => v !== undefined)) : good,
      );
      if (allErrors.length) {
        const nav = await navigation(d.application, d.def, page.id, answers, lang, req.query.return);
        return questionPage(
          reply,
          lang,
          { ...d.application, answers },
          d.def,
          page,
          body as Raw,
          allErrors,
          nav.back,
          req.query.return,
          400,
        );
      }
      const nav = await navigation(d.application, d.def, page.id, answers, lang);
      const pages = nav.pages;
      if (req.query.return === 'check') {
        // a changed answer may open a page that was not asked before: ask it before checking again
        const firstIncomplete = pages.find((p) => !complete(p, answers));
        return reply.redirect(
          firstIncomplete
            ? `/${lang}/applications/${d.application.id}/questions/${firstIncomplete.id}?return=check`
            : `/${lang}/applications/${d.application.id}/check`,
          303,
        );
      }
      if (pages.length >= TASK_LIST_FROM) return reply.redirect(`/${lang}/applications/${d.application.id}`, 303);
      return reply.redirect(
        nav.next ? `/${lang}/applications/${d.application.id}/questions/${nav.next.id}` : `/${lang}/applications/${d.application.id}/check`,
        303,
      );
    },
  );

  // ------------------------------------------------------------ check your answers, submit, confirmation
  app.get<P>('/:lang/applications/:id/check', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const d = await draftOf(req, reply, lang);
    if (!d) return reply;
    return checkPage(reply, lang, d.application, d.def, []);
  });

  const checkPage = async (
    reply: FastifyReply,
    lang: Lang,
    a: ApplicationRow,
    def: FormDefinition,
    missing: string[],
    status = 200,
    refused?: { fa: string; en: string },
  ) => {
    const path = `/${lang}/applications/${a.id}/check`;
    const pages = visiblePages(def, a.answers);
    const incomplete = pages.find((p) => !complete(p, a.answers));
    const title = tr(lang, 'پاسخ‌هایتان را پیش از فرستادن بررسی کنید', 'Check your answers before sending your application');
    const prefilled = prefilledNow(await prefill.decisions(a), a.answers);
    const prefilledFrom = (name: string) => {
      const source = prefilled.get(name);
      return source ? REGISTRY_SOURCES[source] : undefined;
    };
    const errors: FieldError[] = refused
      ? [{ field: 'answers', message: refused[lang] }]
      : missing.length || incomplete
        ? [{ field: 'answers', message: tr(lang, 'به همه پرسش‌های لازم پاسخ دهید', 'Answer all the questions that need an answer') }]
        : [];
    return sendPage(
      reply,
      <Layout lang={lang} title={title} altPath={other(lang, path)} hasError={status !== 200}>
        <p>
          <a
            class="back-link"
            href={
              pages.length >= TASK_LIST_FROM || !pages.length
                ? `/${lang}/applications/${a.id}`
                : `/${lang}/applications/${a.id}/questions/${pages[pages.length - 1].id}`
            }
          >
            {t(lang, 'back')}
          </a>
        </p>
        {status !== 200 ? <ErrorSummary lang={lang} errors={errors} /> : null}
        <h1 id="answers">{title}</h1>
        {pages.map((p) => (
          <>
            <h2>{pick(p.title, lang)}</h2>
            <dl class="summary-list">
              {p.fields.map((f) => (
                <div class="summary-row summary-row-actions">
                  <dt>{pick(f.label, lang)}</dt>
                  <dd>
                    {showAnswer(f, a.answers[f.name], lang, (id) => `/${lang}/applications/${a.id}/files/${id}`)}
                    {prefilledFrom(f.name) ? (
                      <span class="hint prefilled-from">
                        {' '}
                        ({tr(lang, `از ${prefilledFrom(f.name)?.provider.fa}`, `from the ${prefilledFrom(f.name)?.provider.en}`)})
                      </span>
                    ) : null}
                  </dd>
                  <dd>
                    <a href={`/${lang}/applications/${a.id}/questions/${p.id}?return=check#${anchorOf(f)}`}>
                      {tr(lang, 'تغییر', 'Change')}
                      <span class="visually-hidden"> {pick(f.label, lang)}</span>
                    </a>
                  </dd>
                </div>
              ))}
            </dl>
          </>
        ))}
        {incomplete ? (
          <p>
            <a class="button" href={`/${lang}/applications/${a.id}/questions/${incomplete.id}?return=check`}>
              {tr(lang, 'پاسخ به پرسش‌های باقی‌مانده', 'Answer the remaining questions')}
            </a>
          </p>
        ) : (
          <>
            <h2>{tr(lang, 'اکنون درخواست خود را بفرستید', 'Now send your application')}</h2>
            <p>
              {tr(
                lang,
                'با فرستادن این درخواست تأیید می‌کنید که پاسخ‌هایتان تا جایی که می‌دانید درست است.',
                'By sending this application you confirm that, to the best of your knowledge, your answers are correct.',
              )}
            </p>
            <form method="post" action={`/${lang}/applications/${a.id}/submit`}>
              <input type="hidden" name="_csrf" value={reply.generateCsrf()} />
              <input type="hidden" name="submissionToken" value={a.submission_token} />
              <button class="button" type="submit">
                {tr(lang, 'پذیرش و فرستادن درخواست', 'Accept and send application')}
              </button>
            </form>
          </>
        )}
      </Layout>,
      status,
    );
  };

  app.post<P & { Body: Static<typeof SubmitBody> }>(
    '/:lang/applications/:id/submit',
    { schema: { hide: true, body: SubmitBody }, ...csrf },
    async (req, reply) => {
      const lang = langOf(req.params);
      const citizen = await citizenOr(req, reply, lang);
      if (!citizen) return reply;
      const token = String(req.body?.submissionToken ?? '').slice(0, 100);
      const r = await gated(req, reply, lang, `/${lang}/applications/${encodeURIComponent(req.params.id)}/check`, (me, reached) =>
        A().submit(me, req.params.id, token, reached),
      );
      if (!r) return reply;
      if ('missing' in r) {
        const a = await A().own(citizen.id, req.params.id);
        return checkPage(reply, lang, a, await A().formOf(a), r.missing, 400, r.refused?.message);
      }
      // a fee due at submission: the pay step comes before the confirmation
      if (!r.already && (await ctx.payments.payments.stateOf(r.app))?.payable)
        return reply.redirect(`/${lang}/applications/${r.app.id}/pay`, 303);
      return reply.redirect(`/${lang}/applications/${r.app.id}/confirmation`, 303);
    },
  );

  app.get<P>('/:lang/applications/:id/confirmation', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const citizen = await citizenOr(req, reply, lang);
    if (!citizen) return reply;
    const a = await A().own(citizen.id, req.params.id);
    if (a.status === 'draft') return reply.redirect(`/${lang}/applications/${a.id}`, 303);
    const service = await ctx.catalog.getService(a.service_id);
    const agency = await ctx.catalog.getAgency(a.agency_id);
    const path = `/${lang}/applications/${a.id}/confirmation`;
    const title = tr(lang, 'درخواست شما ثبت شد', 'Application complete');
    return sendPage(
      reply,
      <Layout lang={lang} title={title} altPath={other(lang, path)}>
        <div class="confirmation-panel">
          <h1>{title}</h1>
          <p>{tr(lang, 'شماره پیگیری شما', 'Your reference number')}</p>
          <p class="reference">{a.reference}</p>
        </div>
        <p>
          {tr(lang, 'درخواست', 'Your application for')} <strong>{pickText(service.name, lang).text}</strong>{' '}
          {tr(lang, 'برای', 'was sent to')} {pickText(agency.name, lang).text}
          {tr(lang, ' فرستاده شد.', '.')}
        </p>
        <h2>{tr(lang, 'پس از این چه می‌شود', 'What happens next')}</h2>
        <p>
          {tr(
            lang,
            'هر تغییری در وضعیت درخواست را با پیامک و در صندوق پیام پنجره به شما خبر می‌دهیم. نتیجه تا این تاریخ اعلام می‌شود:',
            'We will text you and put a message in your Panjereh e-box whenever the status changes. You should get a decision by',
          )}{' '}
          <strong>{a.due_at ? formatDate(lang, a.due_at) : ''}</strong>
          {lang === 'en' ? '.' : ''}
        </p>
        <ul>
          <li>
            <a href={`/${lang}/applications/${a.id}`}>{tr(lang, 'پیگیری همین درخواست', 'Track this application')}</a>
          </li>
          <li>
            <a href={`/${lang}/applications`}>{tr(lang, 'همه درخواست‌های من', 'All your applications')}</a>
          </li>
          <li>
            <a href={`/${lang}/ebox`}>{tr(lang, 'صندوق پیام', 'Your e-box')}</a>
          </li>
        </ul>
        <h2>{tr(lang, 'راهنمایی', 'Get help')}</h2>
        <p>
          {tr(
            lang,
            'اگر پرسشی دارید، با شماره پیگیری بالا با دستگاه تماس بگیرید:',
            'If you have a question, contact the agency and give the reference number above:',
          )}{' '}
          <a href={`/${lang}/agencies/${agency.id}`}>{pickText(agency.name, lang).text}</a>
        </p>
      </Layout>,
    );
  });
}
