// Counter applications: an agency's operators and administrators record how many applications came in
// on paper or in person, per service and month. With the online ones these give the monitoring's
// "share of applications made online"; an agency that records none has "no data yet" there.
// Every recorded figure is validated and audited (with the figure it replaced).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { formatDate, formatNumber, tr, type Lang, langOf } from '../../platform/i18n.ts';
import { toAsciiDigits } from '../../platform/persian.ts';
import type { AppContext } from '../../context.ts';
import { ErrorSummary, type FieldError } from '../../web/components.tsx';
import { Layout } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.ts';
import { requireStaff } from '../identity/staff.guard.ts';
import { pick as pickText } from '../catalog/catalog.taxonomy.ts';

type P = { Params: { lang: string; agency: string }; Querystring: { saved?: string } };
export const MAX_OFFLINE_COUNT = 100_000_000;

export interface OfflineInput {
  service: string;
  year: string;
  month: string;
  count: string;
}

/** Checks a posted figure; the Gregorian month as YYYY-MM, and the count. */
export function readOfflineCount(
  b: Partial<Record<keyof OfflineInput, unknown>>,
  services: Set<string>,
  now = new Date(),
):
  | { ok: true; serviceId: string; month: string; count: number }
  | { ok: false; errors: { field: keyof OfflineInput; fa: string; en: string }[] } {
  const s = (v: unknown) => (typeof v === 'string' ? toAsciiDigits(v).replace(/[\s,٬_]/g, '') : '');
  const errors: { field: keyof OfflineInput; fa: string; en: string }[] = [];
  const service = typeof b.service === 'string' ? b.service : '';
  if (!services.has(service)) errors.push({ field: 'service', fa: 'خدمتی از فهرست انتخاب کنید', en: 'Select a service from the list' });
  const year = s(b.year);
  const month = s(b.month);
  const thisYear = now.getUTCFullYear();
  if (!/^\d{4}$/.test(year) || Number(year) < 2000 || Number(year) > thisYear)
    errors.push({
      field: 'year',
      fa: `سال میلادی را با ۴ رقم بنویسید، از ۲۰۰۰ تا ${formatNumber('fa', thisYear).replace(/٬/g, '')}`,
      en: `Enter the year in 4 digits, from 2000 to ${thisYear}`,
    });
  else if (!/^\d{1,2}$/.test(month) || Number(month) < 1 || Number(month) > 12)
    errors.push({ field: 'month', fa: 'ماه میلادی را با عددی از ۱ تا ۱۲ بنویسید', en: 'Enter the month as a number from 1 to 12' });
  else if (`${year}-${month.padStart(2, '0')}` > now.toISOString().slice(0, 7))
    errors.push({ field: 'month', fa: 'ماه نمی‌تواند در آینده باشد', en: 'The month cannot be in the future' });
  const count = s(b.count);
  if (!count)
    errors.push({
      field: 'count',
      fa: 'شمار درخواست‌های حضوری یا کاغذی را وارد کنید',
      en: 'Enter the number of paper or in-person applications',
    });
  else if (!/^\d{1,9}$/.test(count) || Number(count) > MAX_OFFLINE_COUNT)
    errors.push({
      field: 'count',
      fa: 'شمار درخواست‌ها باید عددی درست از ۰ تا ۱۰۰ میلیون باشد',
      en: 'The number of applications must be a whole number from 0 to 100 million',
    });
  if (errors.length) return { ok: false, errors };
  return { ok: true, serviceId: service, month: `${year}-${month.padStart(2, '0')}`, count: Number(count) };
}

export function registerOfflineCounts(app: FastifyInstance, ctx: AppContext): void {
  const hide = { schema: { hide: true } };
  const csrf = { preHandler: app.csrfProtection };
  const repo = () => ctx.applications.repo;

  const page = async (
    reply: FastifyReply,
    lang: Lang,
    agencyId: string,
    input: Partial<OfflineInput>,
    errors: FieldError[],
    saved: boolean,
    status = 200,
  ) => {
    const agency = await ctx.catalog.getAgency(agencyId);
    const cards = await ctx.catalog.agencyCards(agencyId);
    const names = new Map(cards.map((c) => [c.id, pickText(c.name, lang).text]));
    const rows = await repo().offlineCounts(agencyId);
    const path = `/${lang}/staff/agencies/${agencyId}/offline-applications`;
    const title = `${tr(lang, 'درخواست‌های حضوری و کاغذی', 'Counter applications')}: ${pickText(agency.name, lang).text}`;
    const err = (f: string) => errors.find((e) => e.field === f)?.message;
    const num = (name: keyof OfflineInput, label: string, width: string, hint?: string) => (
      <div class={`field${err(name) ? ' field-error' : ''}`}>
        <label class="label" for={name}>
          {label}
        </label>
        {hint ? (
          <p class="hint" id={`${name}-hint`}>
            {hint}
          </p>
        ) : null}
        {err(name) ? (
          <p class="error-message" id={`${name}-error`}>
            <span class="visually-hidden">{tr(lang, 'خطا:', 'Error:')}</span> {err(name)}
          </p>
        ) : null}
        <input
          class={`input ${width}${err(name) ? ' input-error' : ''}`}
          id={name}
          name={name}
          value={input[name] ?? ''}
          inputMode="numeric"
          dir="ltr"
          autocomplete="off"
          aria-describedby={[hint ? `${name}-hint` : '', err(name) ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined}
        />
      </div>
    );
    return sendPage(
      reply,
      <Layout
        lang={lang}
        title={title}
        altPath={`/${lang === 'fa' ? 'en' : 'fa'}/staff/agencies/${agencyId}/offline-applications`}
        hasError={errors.length > 0}
      >
        <p>
          <a href={`/${lang}/staff/applications`}>{tr(lang, 'صف درخواست‌ها', 'Applications queue')}</a>
        </p>
        {saved ? (
          <p class="notice" role="status">
            {tr(lang, 'شمار درخواست‌ها ثبت شد.', 'The number of applications was recorded.')}
          </p>
        ) : null}
        <ErrorSummary lang={lang} errors={errors} />
        <h1>{title}</h1>
        <p>
          {tr(
            lang,
            'شمار درخواست‌هایی را که در هر ماه به‌صورت حضوری یا کاغذی (نه در پنجره) برای هر خدمت رسیده است ثبت کنید. پایش دولت الکترونیک سهم درخواست‌های برخط را از همین شمارها و درخواست‌های پنجره حساب می‌کند. ثبت دوباره برای همان خدمت و ماه، شمار پیشین را جایگزین می‌کند.',
            'Record how many applications for each service came in each month on paper or in person (not through Panjereh). The e-government monitoring computes the share of applications made online from these figures and the applications made here. Recording the same service and month again replaces the earlier figure.',
          )}
        </p>
        <form method="post" action={path} novalidate class="panel">
          <input type="hidden" name="_csrf" value={reply.generateCsrf()} />
          <div class={`field${err('service') ? ' field-error' : ''}`}>
            <label class="label" for="service">
              {tr(lang, 'خدمت', 'Service')}
            </label>
            {err('service') ? (
              <p class="error-message" id="service-error">
                <span class="visually-hidden">{tr(lang, 'خطا:', 'Error:')}</span> {err('service')}
              </p>
            ) : null}
            <select class="input input-wide" id="service" name="service" aria-describedby={err('service') ? 'service-error' : undefined}>
              <option value="">{tr(lang, 'انتخاب کنید', 'Choose')}</option>
              {cards.map((c) => (
                <option value={c.id} selected={input.service === c.id}>
                  {pickText(c.name, lang).text}
                </option>
              ))}
            </select>
          </div>
          {num('year', tr(lang, 'سال (میلادی)', 'Year'), 'input-4', tr(lang, 'ماه‌ها میلادی‌اند، مانند ۲۰۲۶', 'For example, 2026'))}
          {num('month', tr(lang, 'ماه (میلادی، ۱ تا ۱۲)', 'Month (1 to 12)'), 'input-2')}
          {num('count', tr(lang, 'شمار درخواست‌های حضوری یا کاغذی', 'Number of paper or in-person applications'), 'input-narrow')}
          <button class="button" type="submit">
            {tr(lang, 'ثبت', 'Record')}
          </button>
        </form>
        <h2>{tr(lang, 'شمارهای ثبت‌شده', 'Recorded figures')}</h2>
        {rows.length ? (
          <div class="table-wrap">
            <table class="table">
              <caption class="visually-hidden">{tr(lang, 'شمارهای ثبت‌شده', 'Recorded figures')}</caption>
              <thead>
                <tr>
                  <th scope="col">{tr(lang, 'ماه', 'Month')}</th>
                  <th scope="col">{tr(lang, 'خدمت', 'Service')}</th>
                  <th scope="col">{tr(lang, 'شمار', 'Number')}</th>
                  <th scope="col">{tr(lang, 'ثبت یا تغییر', 'Recorded')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr>
                    <td>
                      <bdi dir="ltr">
                        {lang === 'fa'
                          ? formatNumber('fa', Number(r.month.slice(0, 4))).replace(/٬/g, '') +
                            '-' +
                            formatNumber('fa', Number(r.month.slice(5)))
                          : r.month}
                      </bdi>
                    </td>
                    <td>{names.get(r.service_id) ?? r.service_id}</td>
                    <td>{formatNumber(lang, r.count)}</td>
                    <td>
                      {formatDate(lang, r.updated_at)} · <bdi>{r.recorded_by}</bdi>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>
            {tr(
              lang,
              'هنوز شماری ثبت نشده است؛ تا آن زمان سهم درخواست‌های برخط این دستگاه «هنوز داده‌ای نیست» نشان داده می‌شود.',
              'Nothing is recorded yet; until then the share of this agency’s applications made online shows “no data yet”.',
            )}
          </p>
        )}
      </Layout>,
      status,
    );
  };

  app.get<P>('/:lang/staff/agencies/:agency/offline-applications', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const agency = await ctx.catalog.getAgency(req.params.agency);
    const staff = await requireStaff(ctx, req, reply, lang, 'applications.work', { agencyId: agency.id });
    if (!staff) return reply;
    return page(reply, lang, agency.id, {}, [], req.query.saved === '1');
  });

  app.post<P & { Body: Record<string, unknown> }>(
    '/:lang/staff/agencies/:agency/offline-applications',
    { ...hide, ...csrf },
    async (req, reply) => {
      const lang = langOf(req.params);
      const agency = await ctx.catalog.getAgency(req.params.agency);
      const staff = await requireStaff(ctx, req, reply, lang, 'applications.work', { agencyId: agency.id });
      if (!staff) return reply;
      const body = req.body ?? {};
      const services = new Set((await ctx.catalog.agencyCards(agency.id)).map((c) => c.id));
      const r = readOfflineCount(body, services);
      const shown = Object.fromEntries(
        (['service', 'year', 'month', 'count'] as const).map((k) => [k, typeof body[k] === 'string' ? String(body[k]).slice(0, 40) : '']),
      ) as Partial<OfflineInput>;
      if (!r.ok)
        return page(
          reply,
          lang,
          agency.id,
          shown,
          r.errors.map((e) => ({ field: e.field, message: e[lang] })),
          false,
          400,
        );
      const before = await repo().offlineCount(r.serviceId, r.month);
      await repo().upsertOfflineCount({
        agency_id: agency.id,
        service_id: r.serviceId,
        month: r.month,
        count: r.count,
        recorded_by: staff.email,
      });
      await ctx.audit.record({
        actor: `staff:${staff.id}`,
        action: 'applications.offline-count-recorded',
        subject: r.serviceId,
        ipHash: ctx.identity.keyed('ip', req.ip),
        detail: { agency: agency.id, month: r.month, before: before?.count ?? null, after: r.count },
      });
      return reply.redirect(`/${lang}/staff/agencies/${agency.id}/offline-applications?saved=1`, 303);
    },
  );
}
