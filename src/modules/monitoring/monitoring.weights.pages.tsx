// The weights form: the oversight office changes an indicator set's criterion and indicator weights
// in the browser (no JavaScript); saving makes a new version of the set, rounds keep theirs.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { formatNumber, type Lang, langOf, tr } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { Breadcrumbs, ErrorSummary, TextInput, type FieldError } from '../../web/components.tsx';
import { Layout } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.ts';
import { principal } from '../identity/staff.guard.ts';
import { AppError } from '../../platform/errors.ts';
import type { SetRow } from './monitoring.repository.ts';
import { canEditSets } from './monitoring.policy.ts';
import { criterionField, indicatorField } from './monitoring.weights.ts';
import { num, other, plain } from './monitoring.view.tsx';
import { staffOf, makeGuards } from '../identity/guards.ts';

const errOf = (errors: FieldError[], f: string) => errors.find((e) => e.field === f)?.message;

function WeightsPage({
  lang,
  csrf,
  set,
  values,
  errors,
  saved,
}: {
  lang: Lang;
  csrf: string;
  set: SetRow;
  values: Record<string, string>;
  errors: FieldError[];
  saved?: { version: number; changed: number };
}) {
  const title = tr(lang, `وزن‌های ${plain(set.name, lang)}`, `Weights: ${plain(set.name, lang)}`);
  const base = `/${lang}/staff/monitoring/indicator-sets/${set.key}/weights`;
  const v = (field: string, current: number) => values[field] ?? num(lang, current, 4);
  const versionError = errOf(errors, 'version');
  return (
    <Layout
      lang={lang}
      title={title}
      altPath={`/${other(lang)}/staff/monitoring/indicator-sets/${set.key}/weights`}
      hasError={errors.length > 0}
    >
      <Breadcrumbs
        lang={lang}
        items={[{ href: `/${lang}/staff/monitoring`, label: tr(lang, 'پایش و ارزیابی', 'Monitoring and evaluation') }, { label: title }]}
      />
      <ErrorSummary lang={lang} errors={errors} />
      {saved ? (
        <div class="notice" role="status">
          {saved.changed
            ? tr(
                lang,
                `وزن‌ها به‌عنوان نسخه ${formatNumber(lang, saved.version)} ذخیره شد. دوره‌های پیشین نسخه خود را نگه می‌دارند؛ دوره‌های تازه این نسخه را به کار می‌برند.`,
                `The weights were saved as version ${saved.version}. Earlier rounds keep their version; new rounds use this one.`,
              )
            : tr(lang, 'وزنی تغییر نکرده بود؛ نسخه تازه‌ای ساخته نشد.', 'No weight had changed; no new version was made.')}{' '}
          <a href={`/${lang}/monitoring/indicator-sets/${set.key}?version=${set.version}`}>
            {tr(lang, `دیدن نسخه ${formatNumber(lang, set.version)}`, `See version ${set.version}`)}
          </a>
        </div>
      ) : null}
      <h1>{title}</h1>
      <p>
        {tr(lang, `اکنون نسخه ${formatNumber(lang, set.version)}. `, `Now version ${set.version}. `)}
        {set.rollup === 'pooled'
          ? tr(
              lang,
              'امتیاز این مجموعه میانگین وزنی همه شاخص‌های ارزیابی‌شده است.',
              "This set's score is the weighted mean of all assessed indicators.",
            )
          : tr(
              lang,
              'امتیاز هر معیار میانگین وزنی شاخص‌های آن است و امتیاز کل میانگین وزنی معیارها.',
              "Each criterion's score is the weighted mean of its indicators, the total the weighted mean of the criteria.",
            )}{' '}
        {tr(
          lang,
          'وزن صفر یعنی در امتیاز به حساب نمی‌آید. ذخیره کردن نسخه تازه‌ای می‌سازد و دوره‌های پیشین نسخه خود را نگه می‌دارند.',
          'A weight of 0 means it does not count. Saving makes a new version; earlier rounds keep theirs.',
        )}
      </p>
      {versionError ? (
        <p class="error-message" id="version" tabIndex={-1}>
          {versionError}
        </p>
      ) : null}
      <form method="post" action={base} novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        <input type="hidden" name="version" value={String(set.version)} />
        {set.criteria.map((c) => (
          <fieldset class="plain-fieldset">
            <legend class="label">{plain(c.name, lang)}</legend>
            {set.rollup === 'criteria' ? (
              <TextInput
                id={criterionField(c.code)}
                label={tr(lang, `وزن معیار «${plain(c.name, lang)}»`, `Weight of the criterion "${plain(c.name, lang)}"`)}
                hint={tr(lang, 'عددی از ۰ تا ۱۰۰۰', 'A number from 0 to 1,000')}
                value={v(criterionField(c.code), c.weight)}
                error={errOf(errors, criterionField(c.code))}
                inputMode="decimal"
              />
            ) : null}
            {set.indicators
              .filter((i) => i.criterion === c.code)
              .map((i) => (
                <TextInput
                  id={indicatorField(i.code)}
                  label={`${i.code}: ${plain(i.description, lang)}`}
                  hint={tr(lang, 'وزن شاخص، عددی از ۰ تا ۱۰۰', 'Indicator weight, a number from 0 to 100')}
                  value={v(indicatorField(i.code), i.weight)}
                  error={errOf(errors, indicatorField(i.code))}
                  inputMode="decimal"
                />
              ))}
          </fieldset>
        ))}
        <button class="button" type="submit">
          {tr(lang, 'ذخیره به‌عنوان نسخه تازه', 'Save as a new version')}
        </button>
      </form>
    </Layout>
  );
}

export function registerWeightPages(app: FastifyInstance, ctx: AppContext): void {
  const guards = makeGuards(ctx);
  const hide = { schema: { hide: true } };
  const csrf = { ...hide, preHandler: app.csrfProtection };
  const path = '/:lang/staff/monitoring/indicator-sets/:key/weights';
  const show = async (
    reply: FastifyReply,
    lang: Lang,
    set: SetRow,
    values: Record<string, string>,
    errors: FieldError[],
    saved?: { version: number; changed: number },
  ) =>
    sendPage(
      reply,
      <WeightsPage lang={lang} csrf={reply.generateCsrf()} set={set} values={values} errors={errors} saved={saved} />,
      errors.length ? 400 : 200,
    );

  app.get<{ Params: { lang: string; key: string }; Querystring: { saved?: string; changed?: string } }>(
    path,
    { ...hide, preHandler: guards.staff('monitoring.manage') },
    async (req, reply) => {
      const lang = langOf(req.params);
      const staff = staffOf(req);
      if (!canEditSets(principal(staff))) throw new AppError('FORBIDDEN');
      const set = await ctx.monitoring.set(req.params.key);
      const saved =
        req.query.saved && /^\d{1,6}$/.test(req.query.saved)
          ? { version: Number(req.query.saved), changed: req.query.changed === '0' ? 0 : 1 }
          : undefined;
      return show(reply, lang, set, {}, [], saved);
    },
  );

  app.post<{ Params: { lang: string; key: string }; Body: Record<string, unknown> }>(
    path,
    { ...csrf, preHandler: [app.csrfProtection, guards.staff('monitoring.manage')] },
    async (req, reply) => {
      const lang = langOf(req.params);
      const staff = staffOf(req);
      const form = Object.fromEntries(Object.entries(req.body ?? {}).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
      const basedOn = /^\d{1,6}$/.test(form.version ?? '') ? Number(form.version) : -1;
      const r = await ctx.monitoring.reweightSet(req.params.key, basedOn, form, principal(staff), lang);
      if (!r.ok) {
        // A stale form shows the current weights; otherwise what was typed is kept.
        const stale = r.errors.some((e) => e.field === 'version');
        return show(reply, lang, r.latest, stale ? {} : form, r.errors);
      }
      return reply.redirect(
        `/${lang}/staff/monitoring/indicator-sets/${r.set.key}/weights?saved=${r.set.version}&changed=${r.changed ? 1 : 0}`,
        303,
      );
    },
  );
}
