// Staff monitoring pages: the oversight office creates rounds, assigns assessors, reviews and
// publishes; assessors answer with evidence and run portal checks. Every route declares guards.staff(action) and
// then monitoring.policy; forms are POST-redirect-GET with CSRF.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { formatDate, formatNumber, type Lang, langOf, tr } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { ErrorSummary, SummaryList, Tag, type FieldError } from '../../web/components.tsx';
import { DataTable } from '../../web/charts.tsx';
import { Layout } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.ts';
import { principal } from '../identity/staff.guard.ts';
import type { StaffRow } from '../identity/staff.service.ts';
import { canManageRounds, canSeeRound } from './monitoring.policy.ts';
import { NewRoundPage } from './monitoring.forms.tsx';
import { registerSubjectPages } from './monitoring.subject.tsx';
import { registerWeightPages } from './monitoring.weights.pages.tsx';
import { registerCheckPages } from './monitoring.checkjobs.tsx';
import { other, plain, roundStatus } from './monitoring.view.tsx';
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

export function registerMonitoringStaffPages(app: FastifyInstance, ctx: AppContext): void {
  const guards = makeGuards(ctx);
  registerWeightPages(app, ctx);
  registerCheckPages(app, ctx, (lang, slug) => `/${lang}/staff/monitoring/rounds/${slug}`);
  const hide = { schema: { hide: true } };
  const csrf = { ...hide, preHandler: app.csrfProtection };
  const roundUrl = (lang: Lang, r: RoundRow) => `/${lang}/staff/monitoring/rounds/${r.slug}`;
  const subjectUrl = (lang: Lang, r: RoundRow, s: string) => `${roundUrl(lang, r)}/subjects/${s}`;

  async function roundFor(staff: StaffRow, id: string) {
    const round = await ctx.monitoring.round(id);
    const subjects = await ctx.monitoring.repo.subjects(round.id);
    if (!canSeeRound(principal(staff), subjects)) throw new AppError('FORBIDDEN');
    return { round, subjects };
  }

  app.get<{ Params: { lang: string } }>(
    '/:lang/staff/monitoring',
    { ...hide, preHandler: guards.staff('monitoring.work') },
    async (req, reply) => {
      const lang = langOf(req.params);
      const staff = staffOf(req);
      const manage = canManageRounds(principal(staff));
      const [mine, rounds, sets] = await Promise.all([
        ctx.monitoring.assignments(staff.id),
        manage ? ctx.monitoring.rounds() : [],
        ctx.monitoring.sets(),
      ]);
      const title = tr(lang, 'پایش و ارزیابی', 'Monitoring and evaluation');
      return sendPage(
        reply,
        <Layout lang={lang} title={title} altPath={`/${other(lang)}/staff/monitoring`}>
          <p>
            <a href={`/${lang}/staff`}>{tr(lang, 'میز کار کارکنان', 'Staff home')}</a>
          </p>
          <h1>{title}</h1>
          <h2>{tr(lang, 'ارزیابی‌های من', 'My assessments')}</h2>
          {mine.length ? (
            <DataTable
              caption={tr(lang, 'دستگاه‌هایی که ارزیابی آن‌ها با شماست', 'Agencies you assess')}
              head={[tr(lang, 'دستگاه', 'Agency'), tr(lang, 'دوره', 'Round'), tr(lang, 'وضعیت', 'Status')]}
              rows={mine.map((m) => [
                <a href={`/${lang}/staff/monitoring/rounds/${m.slug}/subjects/${m.subject}`}>{plain(m.name, lang)}</a>,
                plain(m.title, lang),
                tr(lang, ...STATUS[m.status]),
              ])}
            />
          ) : (
            <p>{tr(lang, 'ارزیابی‌ای به شما سپرده نشده است.', 'No assessments are assigned to you.')}</p>
          )}
          {manage ? (
            <>
              <h2>{tr(lang, 'دوره‌ها', 'Rounds')}</h2>
              <p>
                <a class="button" href={`/${lang}/staff/monitoring/rounds/new`}>
                  {tr(lang, 'دوره ارزیابی تازه', 'New evaluation round')}
                </a>
              </p>
              <DataTable
                caption={tr(lang, 'همه دوره‌ها', 'All rounds')}
                head={[tr(lang, 'دوره', 'Round'), tr(lang, 'تاریخ برش', 'Cut-off date'), tr(lang, 'وضعیت', 'Status')]}
                rows={rounds.map((r) => [
                  <a href={roundUrl(lang, r)}>{plain(r.title, lang)}</a>,
                  formatDate(lang, r.cutoff),
                  roundStatus(lang, r),
                ])}
              />
            </>
          ) : null}
          <h2>{tr(lang, 'مجموعه‌های شاخص', 'Indicator sets')}</h2>
          <ul>
            {sets.map((s) => (
              <li>
                <a href={`/${lang}/monitoring/indicator-sets/${s.key}?version=${s.version}`}>{plain(s.name, lang)}</a> (
                {tr(lang, 'نسخه', 'version')} {formatNumber(lang, s.version)})
                {manage && sets.findIndex((x) => x.key === s.key) === sets.indexOf(s) ? (
                  <>
                    {' · '}
                    <a href={`/${lang}/staff/monitoring/indicator-sets/${s.key}/weights`}>
                      {tr(lang, `تغییر وزن‌های ${plain(s.name, lang)}`, `Change the weights of ${plain(s.name, lang)}`)}
                    </a>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </Layout>,
      );
    },
  );

  const newRoundPage = async (lang: Lang, reply: FastifyReply, values: Record<string, string | string[]>, errors: FieldError[]) => {
    const [sets, agencies] = await Promise.all([ctx.monitoring.sets(), ctx.catalog.agencies()]);
    const latest = sets.filter((s, i) => sets.findIndex((x) => x.key === s.key) === i);
    return sendPage(
      reply,
      <NewRoundPage lang={lang} csrf={reply.generateCsrf()} sets={latest} agencies={agencies} values={values} errors={errors} />,
      errors.length ? 400 : 200,
    );
  };

  app.get<{ Params: { lang: string } }>(
    '/:lang/staff/monitoring/rounds/new',
    { ...hide, preHandler: guards.staff('monitoring.manage') },
    async (req, reply) => {
      const lang = langOf(req.params);
      return newRoundPage(lang, reply, { cutoff: new Date().toISOString().slice(0, 10) }, []);
    },
  );

  app.post<{ Params: { lang: string }; Body: Body }>(
    '/:lang/staff/monitoring/rounds/new',
    { ...csrf, preHandler: [app.csrfProtection, guards.staff('monitoring.manage')] },
    async (req, reply) => {
      const lang = langOf(req.params);
      const staff = staffOf(req);
      const b = req.body ?? {};
      const agencyIds = [b.agencies ?? []].flat().map(String);
      const portalsText = str(b, 'portals');
      const portals = portalsText
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean)
        .map((l) => {
          const [name, url] = l.split('|').map((x) => x.trim());
          return { name: name ?? '', url: url ?? '' };
        });
      const r = await ctx.monitoring.createRound(
        {
          slug: str(b, 'slug').trim().toLowerCase(),
          title: { fa: str(b, 'titleFa'), en: str(b, 'titleEn') },
          setKey: str(b, 'setKey'),
          cutoff: str(b, 'cutoff').trim(),
          agencyIds,
          portals,
        },
        principal(staff),
      );
      if (!r.ok)
        return newRoundPage(
          lang,
          reply,
          {
            ...Object.fromEntries(Object.entries(b).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)])),
            agencies: agencyIds,
          },
          r.errors,
        );
      return reply.redirect(roundUrl(lang, r.round), 303);
    },
  );

  app.get<{ Params: P; Querystring: { error?: string } }>(
    '/:lang/staff/monitoring/rounds/:round',
    { ...hide, preHandler: guards.staff('monitoring.work') },
    async (req, reply) => {
      const lang = langOf(req.params);
      const staff = staffOf(req);
      const { round, subjects } = await roundFor(staff, req.params.round);
      const set = await ctx.monitoring.setOf(round);
      const manage = canManageRounds(principal(staff));
      const everyone = manage ? await ctx.staff.listAll() : [];
      const assessors = everyone.filter((s) => s.totp_enabled);
      const byId = new Map(everyone.map((s) => [s.id, s]));
      const csrfToken = reply.generateCsrf();
      const approved = subjects.filter((s) => s.status === 'approved').length;
      const errors: FieldError[] = req.query.error ? [{ field: 'actions', message: req.query.error.slice(0, 300) }] : [];
      const title = plain(round.title, lang);
      return sendPage(
        reply,
        <Layout lang={lang} title={title} altPath={`/${other(lang)}/staff/monitoring/rounds/${round.slug}`} hasError={errors.length > 0}>
          <a class="back-link" href={`/${lang}/staff/monitoring`}>
            {tr(lang, 'بازگشت', 'Back')}
          </a>
          <ErrorSummary lang={lang} errors={errors} />
          <h1>{title}</h1>
          {round.supersedes ? (
            <p class="notice">{tr(lang, `اصلاحیه: ${round.correction_note ?? ''}`, `Correction: ${round.correction_note ?? ''}`)}</p>
          ) : null}
          <SummaryList
            rows={[
              { key: tr(lang, 'وضعیت', 'Status'), value: roundStatus(lang, round) },
              { key: tr(lang, 'تاریخ برش', 'Cut-off date'), value: formatDate(lang, round.cutoff) },
              {
                key: tr(lang, 'مجموعه شاخص', 'Indicator set'),
                value: `${plain(set.name, lang)} (${tr(lang, 'نسخه', 'version')} ${formatNumber(lang, set.version)})`,
              },
              {
                key: tr(lang, 'تأییدشده', 'Approved'),
                value: tr(
                  lang,
                  `${formatNumber(lang, approved)} از ${formatNumber(lang, subjects.length)}`,
                  `${approved} of ${subjects.length}`,
                ),
              },
            ]}
          />
          <DataTable
            caption={tr(lang, 'دستگاه‌ها و درگاه‌های این دوره', 'Agencies and portals in this round')}
            head={[tr(lang, 'دستگاه یا درگاه', 'Agency or portal'), tr(lang, 'وضعیت', 'Status'), tr(lang, 'ارزیاب', 'Assessor')]}
            rows={subjects
              .filter((s) => manage || s.assessor_id === staff.id)
              .map((s) => [
                <a href={subjectUrl(lang, round, s.subject)}>{plain(s.name, lang)}</a>,
                <Tag tone={s.status === 'approved' ? 'green' : s.status === 'submitted' ? 'blue' : 'grey'}>
                  {tr(lang, ...STATUS[s.status])}
                </Tag>,
                manage && round.status === 'open' && s.status === 'open' ? (
                  <form method="post" action={`${roundUrl(lang, round)}/assign`} class="inline-form">
                    <input type="hidden" name="_csrf" value={csrfToken} />
                    <input type="hidden" name="subject" value={s.subject} />
                    <label class="visually-hidden" for={`assessor-${s.subject}`}>
                      {tr(lang, `ارزیاب ${plain(s.name, lang)}`, `Assessor for ${plain(s.name, lang)}`)}
                    </label>
                    <select class="input" id={`assessor-${s.subject}`} name="assessor">
                      <option value="">{tr(lang, 'انتخاب کنید', 'Choose')}</option>
                      {assessors.map((a) => (
                        <option value={a.id} selected={a.id === s.assessor_id}>
                          {a.email}
                        </option>
                      ))}
                    </select>
                    <button class="button button-secondary" type="submit">
                      {tr(lang, 'سپردن', 'Assign')}
                    </button>
                  </form>
                ) : s.assessor_id ? (
                  <bdi>{byId.get(s.assessor_id)?.email ?? (s.assessor_id === staff.id ? staff.email : '')}</bdi>
                ) : (
                  '–'
                ),
              ])}
          />
          {manage && subjects.some((s) => s.url) && set.indicators.some((i) => i.check) ? (
            <p>
              <a href={`${roundUrl(lang, round)}/checks`}>
                {tr(lang, 'بررسی خودکار درگاه‌ها و وضعیت آن‌ها', 'Automated portal checks and their state')}
              </a>
            </p>
          ) : null}
          {manage && round.status === 'open' ? (
            <div id="actions">
              <form method="post" action={`${roundUrl(lang, round)}/automatic`}>
                <input type="hidden" name="_csrf" value={csrfToken} />
                <button class="button button-secondary" type="submit">
                  {tr(lang, 'محاسبه دوباره شاخص‌های خودکار', 'Recompute the automatic indicators')}
                </button>
              </form>
              <form method="post" action={`${roundUrl(lang, round)}/publish`}>
                <input type="hidden" name="_csrf" value={csrfToken} />
                <button class="button" type="submit">
                  {tr(lang, 'انتشار نتایج', 'Publish the results')}
                </button>
              </form>
            </div>
          ) : null}
          {round.status !== 'open' ? (
            <p>
              <a href={`/${lang}/monitoring/rounds/${round.slug}`}>{tr(lang, 'نتایج منتشرشده', 'Published results')}</a>
            </p>
          ) : null}
          {manage && round.status === 'published' ? (
            <form method="post" action={`${roundUrl(lang, round)}/correction`} id="actions">
              <input type="hidden" name="_csrf" value={csrfToken} />
              <h2>{tr(lang, 'اصلاحیه', 'Correction')}</h2>
              <p>
                {tr(
                  lang,
                  'دوره منتشرشده تغییر نمی‌کند. اصلاحیه نسخه تازه‌ای با همان پاسخ‌هاست که پس از انتشار جای این نسخه را می‌گیرد و این نسخه برای سابقه می‌ماند.',
                  'A published round does not change. A correction is a new version with the same answers; once published it supersedes this one, which is kept for the record.',
                )}
              </p>
              <label class="label" for="correctionNote">
                {tr(lang, 'دلیل اصلاح', 'What the correction is for')}
              </label>
              <textarea class="input input-wide textarea" id="correctionNote" name="correctionNote" dir="auto"></textarea>
              <button class="button" type="submit">
                {tr(lang, 'آغاز اصلاحیه', 'Start a correction')}
              </button>
            </form>
          ) : null}
        </Layout>,
        errors.length ? 409 : 200,
      );
    },
  );

  const managerAction = (path: string, act: (round: RoundRow, staff: StaffRow, body: Body) => Promise<string | void>) =>
    app.post<{ Params: P; Body: Body }>(
      `/:lang/staff/monitoring/rounds/:round/${path}`,
      { ...csrf, preHandler: [app.csrfProtection, guards.staff('monitoring.manage')] },
      async (req, reply) => {
        const lang = langOf(req.params);
        const staff = staffOf(req);
        const round = await ctx.monitoring.round(req.params.round);
        try {
          const to = await act(round, staff, req.body ?? {});
          return reply.redirect(to ?? roundUrl(lang, round), 303);
        } catch (e) {
          if (e instanceof AppError && e.code === 'ROUND_NOT_READY')
            return reply.redirect(`${roundUrl(lang, round)}?error=${encodeURIComponent(e.message)}`, 303);
          throw e;
        }
      },
    );

  managerAction('assign', async (round, staff, b) => {
    const assessor = await ctx.staff.byId(
      /^[0-9a-f-]{36}$/.test(str(b, 'assessor')) ? str(b, 'assessor') : '00000000-0000-0000-0000-000000000000',
    );
    const errors = await ctx.monitoring.assign(
      round.id,
      str(b, 'subject'),
      assessor?.id ?? '',
      assessor?.totp_enabled ? principal(assessor) : undefined,
      principal(staff),
    );
    if (errors.length) throw new AppError('ROUND_NOT_READY', errors[0].message);
  });
  managerAction('automatic', async (round, staff) => {
    await ctx.monitoring.fillAutomatic(round.id, principal(staff));
  });
  managerAction('publish', async (round, staff) => {
    await ctx.monitoring.publish(round.id, principal(staff));
  });
  app.post<{ Params: P; Body: Body }>(
    '/:lang/staff/monitoring/rounds/:round/correction',
    { ...csrf, preHandler: [app.csrfProtection, guards.staff('monitoring.manage')] },
    async (req, reply) => {
      const lang = langOf(req.params);
      const staff = staffOf(req);
      const round = await ctx.monitoring.round(req.params.round);
      const r = await ctx.monitoring.startCorrection(round.id, str(req.body, 'correctionNote'), principal(staff));
      if (!r.ok) return reply.redirect(`${roundUrl(lang, round)}?error=${encodeURIComponent(r.errors[0].message)}`, 303);
      return reply.redirect(roundUrl(lang, r.round), 303);
    },
  );

  registerSubjectPages(app, ctx, { roundFor, subjectUrl, csrf, hide });
}
