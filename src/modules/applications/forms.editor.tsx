// The form editor for service editors: the definition as JSON (a textarea, with help), "Preview" showing
// the pages as citizens will see them (the journey's own field components, server-rendered, no JavaScript
// needed), problems by line and JSON path from the same checker `panjereh forms import` uses, and
// "Publish", which makes a new version (applications already started keep theirs). A small script
// (form-editor.js) refreshes the preview as the editor types; without it the Preview button does.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { render } from 'preact-render-to-string';
import { AppError } from '../../platform/errors.ts';
import { formatDate, formatNumber, tr, type Lang, langOf } from '../../platform/i18n.ts';
import { canonicalJson } from '../../platform/json.ts';
import type { AppContext } from '../../context.ts';
import { assetUrl } from '../../web/assets.ts';
import { ErrorSummary } from '../../web/components.tsx';
import { Layout } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.ts';
import { requireStaff } from '../identity/staff.guard.ts';
import { pick as pickText } from '../catalog/catalog.taxonomy.ts';
import { checkDefinition, FIELD_TYPES, FILE_KINDS, pick, REGISTRY_SOURCES, type FormDefinition } from './forms.ts';
import { parseFormFile, type ImportProblem } from './forms.import.ts';
import { Field } from './pages/fields.tsx';

type P = { Params: { lang: string; agency: string; slug: string }; Querystring: { published?: string } };
/** The editor's form: the definition's JSON text. */
const EditorBody = Type.Object({ definition: Type.Optional(Type.String()), _csrf: Type.Optional(Type.String()) });
type Body = { Body: Static<typeof EditorBody> };
const MAX_DEFINITION_CHARS = 200_000;

/** Parses and checks posted definition text; problems carry line numbers and JSON paths. */
export function readDefinition(text: string, slug: string): { ok: true; def: FormDefinition } | { ok: false; problems: ImportProblem[] } {
  if (!text.trim()) return { ok: false, problems: [{ line: 1, path: '', message: 'enter the form definition (JSON)' }] };
  if (text.length > MAX_DEFINITION_CHARS)
    return { ok: false, problems: [{ line: 1, path: '', message: `must be at most ${MAX_DEFINITION_CHARS} characters` }] };
  const parsed = parseFormFile(text);
  if (!parsed.ok) return parsed;
  const problems = checkDefinition(parsed.value).map((p) => ({ ...p, line: parsed.lineOf(p.path) }));
  const v = parsed.value as { service?: unknown };
  if (!problems.some((p) => p.path === '/service') && v && typeof v === 'object' && v.service !== slug)
    problems.push({ line: parsed.lineOf('/service'), path: '/service', message: `must be "${slug}", the service this form belongs to` });
  if (problems.length) return { ok: false, problems };
  const { version: _v, $schema: _s, ...clean } = parsed.value as Record<string, unknown>;
  return { ok: true, def: clean as unknown as FormDefinition };
}

const problemText = (lang: Lang, p: ImportProblem) =>
  `${tr(lang, 'سطر', 'Line')} ${formatNumber(lang, p.line)}${p.path ? `${lang === 'fa' ? '، ' : ', '}${p.path}` : ''}: ${p.message}`;

/** The pages as the citizen will see them (the inputs do nothing here). */
export function FormPreview({ lang, def, problems }: { lang: Lang; def: FormDefinition | null; problems: ImportProblem[] }) {
  if (problems.length)
    return (
      <div class="preview-problems">
        <p>
          <strong>
            {tr(
              lang,
              `پیش‌نمایش ممکن نیست: ${formatNumber(lang, problems.length)} ایراد در تعریف فرم`,
              `No preview: ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'} in the definition`,
            )}
          </strong>
        </p>
        <ul>
          {problems.slice(0, 50).map((p) => (
            <li dir="ltr" lang="en">
              {problemText('en', p)}
            </li>
          ))}
        </ul>
      </div>
    );
  if (!def) return <p>{tr(lang, 'هنوز چیزی برای پیش‌نمایش نیست.', 'Nothing to preview yet.')}</p>;
  return (
    <ol class="preview-pages">
      {def.pages.map((page) => (
        <li class="preview-page">
          <h3>{pick(page.title, lang)}</h3>
          {page.showIf ? (
            <p class="hint">
              {tr(
                lang,
                `فقط وقتی نشان داده می‌شود که پاسخ «${page.showIf.field}» برابر «${page.showIf.equals}» باشد.`,
                `Shown only when the answer to “${page.showIf.field}” is “${page.showIf.equals}”.`,
              )}
            </p>
          ) : null}
          {page.fields.map((f) => (
            <>
              {f.prefill && typeof f.prefill === 'object' ? (
                <p class="tag">
                  {tr(
                    lang,
                    `پیش‌پرشده از ${REGISTRY_SOURCES[f.prefill.from].provider.fa} با رضایت شهروند${f.prefill.editable === false ? '، تغییرناپذیر' : ''}`,
                    `Prefilled from the ${REGISTRY_SOURCES[f.prefill.from].provider.en} with the citizen's consent${f.prefill.editable === false ? ', cannot be changed' : ''}`,
                  )}
                </p>
              ) : f.prefill ? (
                <p class="tag">{tr(lang, 'پیش‌پرشده از حساب شهروند', "Prefilled from the citizen's account")}</p>
              ) : null}
              <Field f={{ ...f, name: `preview-${f.name}` }} lang={lang} heading={false} raw={{}} />
            </>
          ))}
          <p>
            <span class="button button-secondary preview-button" aria-hidden="true">
              {tr(lang, 'ادامه', 'Continue')}
            </span>
          </p>
        </li>
      ))}
    </ol>
  );
}

function Help({ lang }: { lang: Lang }) {
  return (
    <details class="details">
      <summary>{tr(lang, 'راهنمای تعریف فرم', 'Help with the form definition')}</summary>
      <div dir="ltr" lang="en" class="details-body">
        <p>
          An object with <code>service</code> (this service's slug), an optional <code>title</code> {'{'}"fa", "en"{'}'} and{' '}
          <code>pages</code> (1 to 50). Each page has an <code>id</code> (lowercase, dashes), a <code>title</code>, <code>fields</code> (1
          to 10; one thing per page) and optionally <code>showIf</code> {'{'}"field", "equals"{'}'} naming an option of a field on an
          earlier page.
        </p>
        <p>
          Each field: <code>name</code> (camelCase, unique), <code>type</code> (one of {FIELD_TYPES.join(', ')}), <code>label</code> and
          optional <code>hint</code> in fa and en, <code>optional</code>, <code>minLength</code>/<code>maxLength</code> (text),{' '}
          <code>min</code>/<code>max</code> (number), <code>when</code> "past" or "future" (date), <code>options</code> [{'{'}"value",
          "label"{'}'}] (select, radio, checkboxes), <code>accept</code> ({FILE_KINDS.join(', ')}) and <code>maxBytes</code> (file).
        </p>
        <p>
          Prefill: <code>"prefill": "nationalId"</code> or <code>"mobile"</code> from the citizen's account; or from a registry through the
          exchange, asked on the page first:{' '}
          {Object.entries(REGISTRY_SOURCES).map(([k, s]) => (
            <>
              <code>{`{"from": "${k}", "field": "birthDate", "editable": false}`}</code> (fields: {Object.keys(s.fields).join(', ')};{' '}
              {s.provider.en})
            </>
          ))}
          .
        </p>
        <p>Publishing makes a new version. Applications already started keep the version they were started on.</p>
      </div>
    </details>
  );
}

export function registerFormEditor(app: FastifyInstance, ctx: AppContext): void {
  const hide = { schema: { hide: true } };
  const bodyOf = { schema: { hide: true, body: EditorBody } };
  const csrf = { preHandler: app.csrfProtection };

  const load = async (req: FastifyRequest<P>, reply: FastifyReply, lang: Lang) => {
    const agency = await ctx.catalog.getAgency(req.params.agency);
    const staff = await requireStaff(ctx, req, reply, lang, 'catalog.edit', { agencyId: agency.id });
    if (!staff) return null;
    const card = await ctx.catalog.cardForEditing(req.params.slug);
    if (card.agency_id !== agency.id) throw new AppError('NOT_FOUND');
    const current = await ctx.applications.latestFormRecord(card.id);
    return { staff, agency, card, current };
  };

  const editorPage = async (
    reply: FastifyReply,
    lang: Lang,
    d: NonNullable<Awaited<ReturnType<typeof load>>>,
    text: string,
    preview: { def: FormDefinition | null; problems: ImportProblem[] },
    opts: { published?: number; status?: number; showErrors?: boolean } = {},
  ) => {
    const base = `/${lang}/staff/agencies/${d.agency.id}/services/${d.card.slug}/form`;
    const name = pickText(d.card.name, lang).text;
    const title = `${tr(lang, 'فرم درخواست برخط', 'Online application form')}: ${name}`;
    const errors = opts.showErrors
      ? preview.problems.slice(0, 20).map((p) => ({ field: 'definition', message: problemText(lang, p) }))
      : [];
    const next = (d.current?.version ?? 0) + 1;
    return sendPage(
      reply,
      <Layout
        lang={lang}
        title={title}
        altPath={`/${lang === 'fa' ? 'en' : 'fa'}/staff/agencies/${d.agency.id}/services/${d.card.slug}/form`}
        hasError={errors.length > 0}
      >
        <p>
          <a class="back-link" href={`/${lang}/staff/agencies/${d.agency.id}/services`}>
            {tr(lang, 'بازگشت به شناسنامه‌ها', 'Back to service cards')}
          </a>
        </p>
        {opts.published ? (
          <p class="notice" role="status">
            {tr(
              lang,
              `نسخه ${formatNumber(lang, opts.published)} فرم منتشر شد. درخواست‌های تازه با این نسخه ساخته می‌شوند.`,
              `Version ${opts.published} of the form is published. New applications use it.`,
            )}
          </p>
        ) : null}
        <ErrorSummary lang={lang} errors={errors} />
        <h1>{title}</h1>
        <p>
          {d.current
            ? tr(
                lang,
                `نسخه کنونی: ${formatNumber(lang, d.current.version)}، منتشرشده در ${formatDate(lang, d.current.published_at)} به دست ${d.current.author}.`,
                `Current version: ${d.current.version}, published on ${formatDate(lang, d.current.published_at)} by ${d.current.author}.`,
              )
            : tr(lang, 'این خدمت هنوز فرم برخط ندارد.', 'This service has no online form yet.')}
        </p>
        <Help lang={lang} />
        <form method="post" action={base} novalidate data-preview-url={`${base}/preview`}>
          <input type="hidden" name="_csrf" value={reply.generateCsrf()} />
          <div class={`field${errors.length ? ' field-error' : ''}`}>
            <label class="label" for="definition">
              {tr(lang, 'تعریف فرم (JSON)', 'Form definition (JSON)')}
            </label>
            <p class="hint" id="definition-hint">
              {tr(
                lang,
                'با زدن «پیش‌نمایش» صفحه‌ها را همان‌گونه که شهروند می‌بیند ببینید. با جاوااسکریپت، پیش‌نمایش هنگام نوشتن به‌روز می‌شود.',
                'Press “Preview” to see the pages as citizens will. With JavaScript on, the preview updates as you type.',
              )}
            </p>
            <textarea
              class={`input textarea input-wide code-input${errors.length ? ' input-error' : ''}`}
              id="definition"
              name="definition"
              rows={24}
              dir="ltr"
              lang="en"
              spellcheck={false}
              aria-describedby="definition-hint"
            >
              {text}
            </textarea>
          </div>
          <div class="button-group">
            <button class="button button-secondary" type="submit" formaction={`${base}/preview`}>
              {tr(lang, 'پیش‌نمایش', 'Preview')}
            </button>
            <button class="button" type="submit">
              {tr(lang, `انتشار به‌عنوان نسخه ${formatNumber(lang, next)}`, `Publish as version ${next}`)}
            </button>
          </div>
        </form>
        <section aria-labelledby="preview-title" class="form-preview">
          <h2 id="preview-title">{tr(lang, 'پیش‌نمایش', 'Preview')}</h2>
          <p
            id="preview-status"
            class="visually-hidden"
            role="status"
            data-updated={tr(lang, 'پیش‌نمایش به‌روز شد', 'Preview updated')}
            data-failed={tr(lang, 'پیش‌نمایش به‌روز نشد؛ دکمه «پیش‌نمایش» را بزنید', 'The preview could not be updated; press Preview')}
          ></p>
          <div id="preview-body">
            <FormPreview lang={lang} def={preview.def} problems={preview.problems} />
          </div>
        </section>
        <script src={assetUrl('form-editor.js')} defer />
      </Layout>,
      opts.status ?? 200,
    );
  };

  app.get<P>('/:lang/staff/agencies/:agency/services/:slug/form', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const d = await load(req, reply, lang);
    if (!d) return reply;
    const def: FormDefinition = d.current?.definition ?? {
      service: d.card.slug,
      title: { fa: d.card.name.fa ?? '', en: d.card.name.en ?? '' },
      pages: [
        {
          id: 'name',
          title: { fa: 'نام', en: 'Name' },
          fields: [{ name: 'fullName', type: 'text', label: { fa: 'نام و نام خانوادگی', en: 'Full name' } }],
        },
      ],
    };
    const published = Number(req.query.published);
    return editorPage(
      reply,
      lang,
      d,
      JSON.stringify(def, null, 2),
      { def, problems: [] },
      { published: Number.isInteger(published) && published > 0 ? published : undefined },
    );
  });

  app.post<P & Body>('/:lang/staff/agencies/:agency/services/:slug/form/preview', { ...bodyOf, ...csrf }, async (req, reply) => {
    const lang = langOf(req.params);
    const d = await load(req, reply, lang);
    if (!d) return reply;
    const text = typeof req.body?.definition === 'string' ? req.body.definition : '';
    const r = readDefinition(text, d.card.slug);
    const preview = r.ok ? { def: r.def, problems: [] } : { def: null, problems: r.problems };
    // the live preview asks for the preview alone
    if (req.headers['x-preview'] === 'fragment')
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(render(<FormPreview lang={lang} def={preview.def} problems={preview.problems} />));
    return editorPage(reply, lang, d, text, preview, { showErrors: true, status: r.ok ? 200 : 400 });
  });

  app.post<P & Body>('/:lang/staff/agencies/:agency/services/:slug/form', { ...bodyOf, ...csrf }, async (req, reply) => {
    const lang = langOf(req.params);
    const d = await load(req, reply, lang);
    if (!d) return reply;
    const text = typeof req.body?.definition === 'string' ? req.body.definition : '';
    const r = readDefinition(text, d.card.slug);
    if (!r.ok) return editorPage(reply, lang, d, text, { def: null, problems: r.problems }, { showErrors: true, status: 400 });
    if (d.current && canonicalJson(d.current.definition) === canonicalJson(r.def)) {
      return editorPage(
        reply,
        lang,
        d,
        text,
        {
          def: r.def,
          problems: [
            { line: 1, path: '', message: `this is the same as version ${d.current.version}; change something before publishing` },
          ],
        },
        { showErrors: true, status: 400 },
      );
    }
    const published = await ctx.applications.publishForm(r.def, `staff:${d.staff.email}`);
    if (!published.ok)
      return editorPage(
        reply,
        lang,
        d,
        text,
        { def: null, problems: published.problems.map((p) => ({ ...p, line: 1 })) },
        { showErrors: true, status: 400 },
      );
    await ctx.audit.record({
      actor: `staff:${d.staff.id}`,
      action: 'applications.form-published',
      subject: d.card.id,
      ipHash: ctx.identity.keyed('ip', req.ip),
      detail: {
        slug: d.card.slug,
        version: published.version,
        previousVersion: d.current?.version ?? null,
        pages: r.def.pages.length,
        fields: r.def.pages.reduce((n, p) => n + p.fields.length, 0),
      },
    });
    return reply.redirect(`/${lang}/staff/agencies/${d.agency.id}/services/${d.card.slug}/form?published=${published.version}`, 303);
  });
}
