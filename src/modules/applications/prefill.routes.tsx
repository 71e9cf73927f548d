// The consent page before a question page that a registry can fill: what will be fetched, from which
// agency, for what purpose; "Yes, fetch it" or "No, I'll type it". No JavaScript, CSRF-protected.
// Plus the pieces question pages show afterwards: the outcome, and prefilled values that cannot be changed.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { tr, type Lang, langOf } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { ErrorSummary, SummaryList } from '../../web/components.tsx';
import { Layout } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.ts';
import { assuranceGate } from '../identity/assurance.gate.ts';
import { pick as pickText } from '../catalog/catalog.taxonomy.ts';
import { pick, registryFields, REGISTRY_SOURCES, visiblePages, type RegistrySource } from './forms.ts';
import type { PrefillService } from './prefill.ts';

type P = { Params: { lang: string; id: string; page: string }; Querystring: { return?: string; source?: string } };
const other = (lang: Lang, path: string) => path.replace(/^\/(fa|en)/, `/${lang === 'fa' ? 'en' : 'fa'}`);

const TASK_LIST_FROM = 6;
/** Where "Back" goes from the consent page: the page before the question (never the question itself, which asks again). */
function backFrom(
  lang: Lang,
  d: {
    application: { id: string; answers: Record<string, unknown> };
    def: Parameters<typeof visiblePages>[0];
    page: { id: string };
    service: { slug: string };
  },
  returnTo: string | undefined,
): string {
  const app = `/${lang}/applications/${d.application.id}`;
  if (returnTo === 'check') return `${app}/check`;
  const pages = visiblePages(d.def, d.application.answers);
  if (pages.length >= TASK_LIST_FROM) return app;
  const i = pages.findIndex((p) => p.id === d.page.id);
  return i > 0 ? `${app}/questions/${pages[i - 1].id}` : `/${lang}/services/${d.service.slug}/apply`;
}

/** The consent form: yes or no (anything else asks again). */
const ConsentBody = Type.Object({ consent: Type.Optional(Type.String()), _csrf: Type.Optional(Type.String()) });

export function registerPrefill(app: FastifyInstance, ctx: AppContext, prefill: PrefillService): void {
  const hide = { schema: { hide: true } };
  const gated = assuranceGate(ctx);

  const load = async (req: FastifyRequest<P>, reply: FastifyReply, lang: Lang) => {
    // the same assurance gate as starting and submitting: no registry is asked for a draft of a service
    // above the sign-in's level (the page says how to reach it)
    const gate = await gated(req, reply, lang, req.url, async (citizen, reached) => {
      const application = await ctx.applications.own(citizen.id, req.params.id);
      if (application.status !== 'draft') return { citizen, application };
      await ctx.applications.assertAssurance(application.service_id, reached);
      return { citizen, application };
    });
    if (!gate) return null;
    const { citizen, application } = gate;
    if (application.status !== 'draft') {
      reply.redirect(`/${lang}/applications/${application.id}`, 303);
      return null;
    }
    const def = await ctx.applications.formOf(application);
    const page = visiblePages(def, application.answers).find((p) => p.id === req.params.page);
    const sources = [...registryFields(def).keys()];
    const onPage = new Set(page?.fields.flatMap((f) => (f.prefill && typeof f.prefill === 'object' ? [f.prefill.from] : [])) ?? []);
    // the registry asked about: the one named (a "try again"), else the first one not yet decided
    const decisions = await prefill.decisions(application);
    const source = (sources.find((s) => s === req.query.source && onPage.has(s)) ??
      sources.find((s) => onPage.has(s) && !decisions.has(s))) as RegistrySource | undefined;
    if (!page || !source) throw new AppError('NOT_FOUND');
    const service = await ctx.catalog.getService(application.service_id);
    return { citizen, application, def, page, source, fields: registryFields(def).get(source) ?? [], service };
  };

  const consentPage = async (
    reply: FastifyReply,
    lang: Lang,
    d: NonNullable<Awaited<ReturnType<typeof load>>>,
    returnTo: string | undefined,
    error: boolean,
  ) => {
    const spec = REGISTRY_SOURCES[d.source];
    const base = `/${lang}/applications/${d.application.id}/questions/${d.page.id}`;
    const query = new URLSearchParams({ ...(returnTo === 'check' ? { return: 'check' } : {}), source: d.source }).toString();
    const path = `${base}/prefill?${query}`;
    const title = tr(lang, `مشخصاتتان را از ${spec.provider.fa} بگیریم؟`, `Get your details from the ${spec.provider.en}?`);
    const serviceName = pickText(d.service.name, lang).text;
    return sendPage(
      reply,
      <Layout lang={lang} title={title} altPath={other(lang, path)} hasError={error}>
        <p>
          <a class="back-link" href={backFrom(lang, d, returnTo)}>
            {tr(lang, 'بازگشت', 'Back')}
          </a>
        </p>
        <ErrorSummary
          lang={lang}
          errors={
            error
              ? [
                  {
                    field: 'consent-yes',
                    message: tr(
                      lang,
                      'بگویید که مشخصاتتان را بگیریم یا خودتان آن‌ها را می‌نویسید',
                      'Select whether we should fetch your details or you will type them',
                    ),
                  },
                ]
              : []
          }
        />
        <form method="post" action={path} novalidate>
          <input type="hidden" name="_csrf" value={reply.generateCsrf()} />
          <div class={`field${error ? ' field-error' : ''}`}>
            <fieldset class="plain-fieldset" aria-describedby="consent-what">
              <legend class="legend-heading">
                <h1>{title}</h1>
              </legend>
              <div id="consent-what">
                <p>
                  {tr(
                    lang,
                    `پنجره می‌تواند ${spec.record.fa} را از راه سامانه تبادل داده دولت بپرسد تا لازم نباشد خودتان آن‌ها را بنویسید. این کار فقط اگر شما بخواهید انجام می‌شود.`,
                    `Panjereh can ask for ${spec.record.en} through the government data exchange, so you do not have to type them. It does so only if you agree.`,
                  )}
                </p>
                <SummaryList
                  rows={[
                    {
                      key: tr(lang, 'چه چیزی گرفته می‌شود', 'What will be fetched'),
                      value: d.fields.map((f) => pick(f.label, lang)).join(lang === 'fa' ? '، ' : ', '),
                    },
                    { key: tr(lang, 'از کدام دستگاه', 'From which agency'), value: spec.provider[lang] },
                    {
                      key: tr(lang, 'برای چه', 'What for'),
                      value: tr(lang, `پر کردن درخواست «${serviceName}»`, `Filling in your application for “${serviceName}”`),
                    },
                    {
                      key: tr(lang, 'ثبت استعلام', 'Record of the request'),
                      value: tr(
                        lang,
                        'این استعلام با همین هدف ثبت می‌شود و در صفحه «چه دستگاه‌هایی اطلاعات شما را استعلام کرده‌اند» آن را می‌بینید.',
                        'The request is recorded with this purpose, and you will see it on the page “Which agencies have used your data”.',
                      ),
                    },
                  ]}
                />
                <p>
                  {tr(
                    lang,
                    'پس از گرفتن، پاسخ‌ها را پیش از فرستادن درخواست می‌بینید.',
                    'You will see the answers before you send your application.',
                  )}
                </p>
              </div>
              {error ? (
                <p class="error-message" id="consent-error">
                  <span class="visually-hidden">{tr(lang, 'خطا:', 'Error:')}</span>{' '}
                  {tr(
                    lang,
                    'بگویید که مشخصاتتان را بگیریم یا خودتان آن‌ها را می‌نویسید',
                    'Select whether we should fetch your details or you will type them',
                  )}
                </p>
              ) : null}
              <div class="checkbox">
                <input type="radio" id="consent-yes" name="consent" value="yes" />
                <label for="consent-yes">{tr(lang, 'بله، بگیرید', 'Yes, fetch it')}</label>
              </div>
              <div class="checkbox">
                <input type="radio" id="consent-no" name="consent" value="no" />
                <label for="consent-no">{tr(lang, 'نه، خودم می‌نویسم', 'No, I’ll type it')}</label>
              </div>
            </fieldset>
          </div>
          <button class="button" type="submit">
            {tr(lang, 'ادامه', 'Continue')}
          </button>
        </form>
      </Layout>,
      error ? 400 : 200,
    );
  };

  app.get<P>('/:lang/applications/:id/questions/:page/prefill', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const d = await load(req, reply, lang);
    if (!d) return reply;
    return consentPage(reply, lang, d, req.query.return, false);
  });

  app.post<P & { Body: Static<typeof ConsentBody> }>(
    '/:lang/applications/:id/questions/:page/prefill',
    { schema: { hide: true, body: ConsentBody }, preHandler: app.csrfProtection },
    async (req, reply) => {
      const lang = langOf(req.params);
      const d = await load(req, reply, lang);
      if (!d) return reply;
      const consent = req.body?.consent;
      if (consent !== 'yes' && consent !== 'no') return consentPage(reply, lang, d, req.query.return, true);
      await prefill.decide(
        d.application,
        { id: d.citizen.id, national_id: d.citizen.national_id, mobile: d.citizen.mobile },
        d.def,
        d.source,
        consent === 'yes',
        d.service.slug,
      );
      return reply.redirect(
        `/${lang}/applications/${d.application.id}/questions/${d.page.id}${req.query.return === 'check' ? '?return=check' : ''}`,
        303,
      );
    },
  );
}
