// Staff editing of service cards: an agency's cards, and the edit form. Who may is decided by the
// identity policy (service editors and agency admins of that agency, platform admins); every saved
// change is a new version with its author and an audit entry with what changed.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { formatNumber, type Lang, langOf, tr } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { ErrorSummary, Tag, type FieldError } from '../../web/components.tsx';
import { Layout } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.ts';
import { principal, requireStaff } from '../identity/staff.guard.ts';
import { can } from '../identity/identity.policy.ts';
import { blankService, type ServiceInput } from './catalog.schema.ts';
import type { ServiceRow } from './catalog.repository.ts';
import { rowToInput } from './catalog.service.ts';
import { ServicePage } from './pages/ServicePage.tsx';
import { MATURITY, pick } from './catalog.taxonomy.ts';
import { ASSURANCE_LEVELS, ASSURANCE_TEXT, type Assurance } from '../identity/assurance.ts';

const TEXT_FIELDS = [
  ['name', 'نام خدمت', 'Service name'],
  ['summary', 'خلاصه', 'Summary'],
  ['description', 'شرح', 'Description'],
] as const;

/** The card fields an editor's form posts, as changes to a card (numbers left NaN when not numbers). */
function formChanges(b: Record<string, string>): Partial<ServiceInput> {
  const text = (f: string) =>
    Object.fromEntries(
      (['fa', 'en'] as const)
        .map((l) => [
          l,
          String(b[`${f}_${l}`] ?? '')
            .trim()
            .slice(0, 20_000),
        ])
        .filter(([, v]) => v),
    );
  const days = String(b.processingDays ?? '').trim();
  return {
    name: text('name'),
    summary: text('summary'),
    description: text('description'),
    processingDays: days === '' ? null : /^\d{1,4}$/.test(days) ? Number(days) : NaN,
    maturity: Number(b.maturity),
    status: b.status as ServiceInput['status'],
    // checked by serviceProblems; a form without the field leaves the card's level as it is
    ...(b.assurance !== undefined ? { assurance: String(b.assurance) as Assurance } : {}),
  };
}

const problemField = (p: string) =>
  p.startsWith('assurance')
    ? 'assurance-low'
    : p.startsWith('processingDays')
      ? 'processingDays'
      : p.startsWith('status')
        ? 'status-draft'
        : p.startsWith('maturity')
          ? 'maturity'
          : 'name_fa';

function EditForm({
  lang,
  s,
  token,
  errors,
  action,
  submit,
}: {
  lang: Lang;
  s: ServiceInput;
  token: string;
  errors: FieldError[];
  action: string;
  submit: string;
}) {
  const daysError = errors.find((e) => e.field === 'processingDays');
  return (
    <form method="post" action={action} novalidate>
      <input type="hidden" name="_csrf" value={token} />
      {TEXT_FIELDS.flatMap(([f, fa, en]) =>
        (['fa', 'en'] as const).map((l) => {
          const id = `${f}_${l}`;
          const label = `${tr(lang, fa, en)} (${l === 'fa' ? tr(lang, 'فارسی', 'Persian') : tr(lang, 'انگلیسی', 'English')})`;
          const value = (s[f] as Record<string, string | undefined>)[l] ?? '';
          return (
            <div class="field">
              <label class="label" for={id}>
                {label}
              </label>
              {f === 'description' ? (
                <textarea class="input input-wide textarea" id={id} name={id} rows={5} dir={l === 'fa' ? 'rtl' : 'ltr'} lang={l}>
                  {value}
                </textarea>
              ) : (
                <input class="input input-wide" id={id} name={id} value={value} dir={l === 'fa' ? 'rtl' : 'ltr'} lang={l} />
              )}
            </div>
          );
        }),
      )}
      <div class="field">
        <label class="label" for="processingDays">
          {tr(lang, 'حداکثر روز کاری تا نتیجه (اختیاری)', 'Working days to a decision (optional)')}
        </label>
        {daysError ? <p class="error-message">{daysError.message}</p> : null}
        <input
          class="input input-narrow"
          id="processingDays"
          name="processingDays"
          inputMode="numeric"
          value={s.processingDays === null ? '' : String(s.processingDays)}
          dir="ltr"
        />
      </div>
      <label class="label" for="maturity">
        {tr(lang, 'مرحله الکترونیکی', 'Online stage')}
      </label>
      <select class="input" id="maturity" name="maturity">
        {MATURITY.map((m) => (
          <option value={m.code} selected={String(s.maturity) === m.code}>
            {m.code} – {m.name[lang]}
          </option>
        ))}
      </select>
      <fieldset class="plain-fieldset">
        <legend class="label">{tr(lang, 'سطح اطمینان هویتی لازم برای درخواست برخط', 'Identity assurance needed to apply online')}</legend>
        {ASSURANCE_LEVELS.map((level) => (
          <div class="checkbox">
            <input
              type="radio"
              id={`assurance-${level}`}
              name="assurance"
              value={level}
              checked={(s.assurance ?? 'low') === level}
              aria-describedby={`assurance-${level}-hint`}
            />
            <label for={`assurance-${level}`}>{ASSURANCE_TEXT[level][lang].name}</label>
            <p class="hint" id={`assurance-${level}-hint`}>
              {ASSURANCE_TEXT[level][lang].means}
            </p>
          </div>
        ))}
      </fieldset>
      <fieldset class="plain-fieldset">
        <legend class="label">{tr(lang, 'وضعیت', 'Status')}</legend>
        {(['draft', 'published', 'retired'] as const).map((st) => (
          <div class="checkbox">
            <input type="radio" id={`status-${st}`} name="status" value={st} checked={s.status === st} />
            <label for={`status-${st}`}>
              {
                {
                  draft: tr(lang, 'پیش‌نویس', 'Draft'),
                  published: tr(lang, 'منتشرشده', 'Published'),
                  retired: tr(lang, 'بازنشسته', 'Retired'),
                }[st]
              }
            </label>
          </div>
        ))}
      </fieldset>
      <button class="button" type="submit">
        {submit}
      </button>
    </form>
  );
}

export function registerCatalogEditPages(app: FastifyInstance, ctx: AppContext): void {
  const hide = { schema: { hide: true } };
  const csrf = { preHandler: app.csrfProtection };

  app.get<{ Params: { lang: string; agency: string }; Querystring: { saved?: string } }>(
    '/:lang/staff/agencies/:agency/services',
    hide,
    async (req, reply) => {
      const lang = langOf(req.params);
      const agency = await ctx.catalog.getAgency(req.params.agency);
      const staff = await requireStaff(ctx, req, reply, lang, 'catalog.list', { agencyId: agency.id });
      if (!staff) return reply;
      const cards = await ctx.catalog.agencyCards(agency.id);
      const title = `${tr(lang, 'شناسنامه خدمات', 'Service cards')}: ${pick(agency.name, lang).text}`;
      return sendPage(
        reply,
        <Layout lang={lang} title={title} altPath={`/${lang === 'fa' ? 'en' : 'fa'}/staff/agencies/${agency.id}/services`}>
          <p>
            <a href={`/${lang}/staff`}>{tr(lang, 'میز کار کارکنان', 'Staff home')}</a>
          </p>
          {req.query.saved ? (
            <p class="notice">{tr(lang, `تغییرات «${req.query.saved}» ذخیره شد.`, `Your changes to “${req.query.saved}” were saved.`)}</p>
          ) : null}
          <h1>{title}</h1>
          {can(principal(staff), 'catalog.edit', { agencyId: agency.id }) ? (
            <p>
              <a class="button button-secondary" href={`/${lang}/staff/agencies/${agency.id}/services/new`}>
                {tr(lang, 'ساختن شناسنامهٔ تازه', 'Create a new card')}
              </a>
            </p>
          ) : null}
          <ul class="card-list">
            {cards.map((c: ServiceRow) => (
              <li>
                <h2 class="card-title">{pick(c.name, lang).text}</h2>
                <p class="card-meta">
                  <Tag tone={c.status === 'published' ? 'green' : 'grey'}>{c.status}</Tag> · {tr(lang, 'نسخه', 'Version')}{' '}
                  {formatNumber(lang, c.version)} ·{' '}
                  <a href={`/${lang}/staff/services/${c.slug}/edit`}>
                    {tr(lang, 'ویرایش', 'Edit')}
                    <span class="visually-hidden"> {pick(c.name, lang).text}</span>
                  </a>
                  {can(principal(staff), 'catalog.edit', { agencyId: agency.id }) ? (
                    <>
                      {' '}
                      ·{' '}
                      <a href={`/${lang}/staff/agencies/${agency.id}/services/${c.slug}/form`}>
                        {tr(lang, 'فرم درخواست برخط', 'Online application form')}
                        <span class="visually-hidden"> {pick(c.name, lang).text}</span>
                      </a>
                    </>
                  ) : null}
                </p>
              </li>
            ))}
          </ul>
        </Layout>,
      );
    },
  );

  const newCardPage = async (reply: FastifyReply, lang: Lang, agencyId: string, s: ServiceInput, errors: FieldError[], status = 200) => {
    const title = tr(lang, 'شناسنامهٔ خدمت تازه', 'A new service card');
    return sendPage(
      reply,
      <Layout
        lang={lang}
        title={title}
        altPath={`/${lang === 'fa' ? 'en' : 'fa'}/staff/agencies/${agencyId}/services/new`}
        hasError={errors.length > 0}
      >
        <p>
          <a class="back-link" href={`/${lang}/staff/agencies/${agencyId}/services`}>
            {tr(lang, 'بازگشت به شناسنامه‌ها', 'Back to service cards')}
          </a>
        </p>
        <ErrorSummary lang={lang} errors={errors} />
        <h1>{title}</h1>
        <p>
          {tr(
            lang,
            'کارت تازه به‌صورت پیش‌نویس ساخته می‌شود تا وقتی که منتشرش کنید. نام دست‌کم به یک زبان لازم است.',
            'The card starts as a draft until you publish it. A name in at least one language is needed.',
          )}
        </p>
        <EditForm
          lang={lang}
          s={s}
          token={reply.generateCsrf()}
          errors={errors}
          action={`/${lang}/staff/agencies/${agencyId}/services/new`}
          submit={tr(lang, 'ساختن شناسنامه', 'Create the card')}
        />
      </Layout>,
      status,
    );
  };

  app.get<{ Params: { lang: string; agency: string } }>('/:lang/staff/agencies/:agency/services/new', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const agency = await ctx.catalog.getAgency(req.params.agency);
    const staff = await requireStaff(ctx, req, reply, lang, 'catalog.edit', { agencyId: agency.id });
    if (!staff) return reply;
    return newCardPage(reply, lang, agency.id, blankService(agency.id), []);
  });

  app.post<{ Params: { lang: string; agency: string }; Body: Record<string, string> }>(
    '/:lang/staff/agencies/:agency/services/new',
    { ...hide, ...csrf },
    async (req, reply) => {
      const lang = langOf(req.params);
      const agency = await ctx.catalog.getAgency(req.params.agency);
      const staff = await requireStaff(ctx, req, reply, lang, 'catalog.edit', { agencyId: agency.id });
      if (!staff) return reply;
      const fields = formChanges(req.body ?? {});
      const r = await ctx.catalog.createCard(agency.id, fields, `staff:${staff.email}`, (tx, card) =>
        ctx.audit.record(
          {
            actor: `staff:${staff.id}`,
            action: 'catalog.card-created',
            subject: card.slug,
            ipHash: ctx.identity.keyed('ip', req.ip),
            detail: { after: card },
          },
          tx,
        ),
      );
      if (!r.ok) {
        const shown = {
          ...blankService(agency.id),
          ...fields,
          processingDays: Number.isNaN(fields.processingDays) ? null : (fields.processingDays ?? null),
        };
        return newCardPage(
          reply,
          lang,
          agency.id,
          shown,
          r.problems.map((p) => ({ field: problemField(p), message: p })),
          400,
        );
      }
      return reply.redirect(`/${lang}/staff/agencies/${agency.id}/services?saved=${encodeURIComponent(r.card.slug)}`, 303);
    },
  );

  const editPage = async (reply: FastifyReply, lang: Lang, s: ServiceInput, errors: FieldError[], status = 200) =>
    sendPage(
      reply,
      <Layout
        lang={lang}
        title={`${tr(lang, 'ویرایش', 'Edit')}: ${pick(s.name, lang).text}`}
        altPath={`/${lang === 'fa' ? 'en' : 'fa'}/staff/services/${s.slug}/edit`}
        hasError={errors.length > 0}
      >
        <ErrorSummary lang={lang} errors={errors} />
        <h1>
          {tr(lang, 'ویرایش', 'Edit')}: {pick(s.name, lang).text}
        </h1>
        <p>
          <a href={`/${lang}/staff/services/${s.slug}/preview`}>{tr(lang, 'پیش‌نمایش صفحه عمومی', 'Preview the public page')}</a>
        </p>
        <EditForm
          lang={lang}
          s={s}
          token={reply.generateCsrf()}
          errors={errors}
          action={`/${lang}/staff/services/${s.slug}/edit`}
          submit={tr(lang, 'ذخیره نسخه تازه', 'Save a new version')}
        />
      </Layout>,
      status,
    );

  // The card as citizens will see it, whatever its status (drafts included), for its agency's staff.
  app.get<{ Params: { lang: string; slug: string } }>('/:lang/staff/services/:slug/preview', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const card = await ctx.catalog.cardForEditing(req.params.slug);
    const staff = await requireStaff(ctx, req, reply, lang, 'catalog.list', { agencyId: card.agency_id });
    if (!staff) return reply;
    const agency = await ctx.catalog.getAgency(card.agency_id);
    return sendPage(reply.header('x-robots-tag', 'noindex'), <ServicePage lang={lang} service={card} agency={agency} />);
  });

  app.get<{ Params: { lang: string; slug: string } }>('/:lang/staff/services/:slug/edit', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const card = await ctx.catalog.cardForEditing(req.params.slug);
    const staff = await requireStaff(ctx, req, reply, lang, 'catalog.edit', { agencyId: card.agency_id });
    if (!staff) return reply;
    return editPage(reply, lang, rowToInput(card), []);
  });

  app.post<{ Params: { lang: string; slug: string }; Body: Record<string, string> }>(
    '/:lang/staff/services/:slug/edit',
    { ...hide, ...csrf },
    async (req, reply) => {
      const lang = langOf(req.params);
      const card = await ctx.catalog.cardForEditing(req.params.slug);
      const staff = await requireStaff(ctx, req, reply, lang, 'catalog.edit', { agencyId: card.agency_id });
      if (!staff) return reply;
      const changes = formChanges(req.body ?? {});
      const r = await ctx.catalog.editCard(card.slug, changes, `staff:${staff.email}`, (tx, { before, after }) => {
        const changed = (Object.keys(changes) as (keyof ServiceInput)[]).filter(
          (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
        );
        if (!changed.length) return Promise.resolve();
        return ctx.audit.record(
          {
            actor: `staff:${staff.id}`,
            action: 'catalog.card-edited',
            subject: card.id,
            ipHash: ctx.identity.keyed('ip', req.ip),
            detail: {
              slug: card.slug,
              before: Object.fromEntries(changed.map((k) => [k, before[k]])),
              after: Object.fromEntries(changed.map((k) => [k, after[k]])),
            },
          },
          tx,
        );
      });
      if (!r.ok) {
        const errors = r.problems.map((p) => ({ field: problemField(p), message: p }));
        return editPage(
          reply,
          lang,
          {
            ...rowToInput(card),
            ...changes,
            processingDays: Number.isNaN(changes.processingDays) ? null : (changes.processingDays ?? null),
          },
          errors,
          400,
        );
      }
      return reply.redirect(`/${lang}/staff/agencies/${card.agency_id}/services?saved=${encodeURIComponent(card.slug)}`, 303);
    },
  );
}
