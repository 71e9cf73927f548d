// Platform administrators keep the working-day calendar: the year's holidays (fixed ones shown, announced
// ones added and withdrawn). Dates are typed as on the application forms: Solar Hijri on fa, Gregorian on en.
import type { FastifyInstance } from 'fastify';
import { AppError, messageFor } from '../../platform/errors.ts';
import { formatDate, formatNumber, langOf, tr, type Lang } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { ErrorSummary, Tag, type FieldError } from '../../web/components.tsx';
import { DataTable } from '../../web/charts.tsx';
import { Layout } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.ts';
import { requireStaff } from '../identity/staff.guard.ts';
import type { FormPage } from '../applications/forms.ts';
import { Field, type Raw } from '../applications/pages/fields.tsx';
import { validatePage } from '../applications/validate.ts';
import { gregorianToJalali } from '../applications/jalali.ts';
import { tehranDay } from './calendar.ts';

const FORM: FormPage = {
  id: 'holiday',
  title: { fa: 'اعلام تعطیلی', en: 'Announce a holiday' },
  fields: [
    { name: 'day', type: 'date', when: 'future', label: { fa: 'تاریخ تعطیلی', en: 'Date of the holiday' } },
    {
      name: 'nameFa',
      type: 'text',
      maxLength: 200,
      label: { fa: 'نام تعطیلی به فارسی', en: 'Name in Persian' },
      hint: { fa: 'برای نمونه: تاسوعای حسینی', en: 'For example: تاسوعای حسینی' },
    },
    {
      name: 'nameEn',
      type: 'text',
      maxLength: 200,
      label: { fa: 'نام تعطیلی به انگلیسی', en: 'Name in English' },
      hint: { fa: 'برای نمونه: Tasua', en: 'For example: Tasua' },
    },
  ],
};

export function registerCalendarPages(app: FastifyInstance, ctx: AppContext): void {
  const hide = { schema: { hide: true } };
  const csrf = { preHandler: app.csrfProtection };
  const path = (lang: Lang) => `/${lang}/staff/calendar`;

  const page = async (
    lang: Lang,
    token: string,
    year: number,
    o: { errors?: FieldError[]; raw?: Raw; fieldErrors?: Record<string, string>; done?: string } = {},
  ) => {
    const days = await ctx.calendar.holidaysOf(year);
    const title = tr(lang, 'تقویم روزهای کاری', 'Working-day calendar');
    const yearLink = (y: number) => `${path(lang)}?year=${y}`;
    return (
      <Layout
        lang={lang}
        title={title}
        altPath={`/${lang === 'fa' ? 'en' : 'fa'}/staff/calendar?year=${year}`}
        hasError={!!o.errors?.length}
      >
        <ErrorSummary lang={lang} errors={o.errors ?? []} />
        {o.done ? (
          <div class="notice" role="status">
            <p>{o.done}</p>
          </div>
        ) : null}
        <h1>{title}</h1>
        <p>
          {tr(
            lang,
            'مهلت تصمیم‌گیری درخواست‌ها به روز کاری شمرده می‌شود. پنجشنبه‌ها، جمعه‌ها و تعطیلات ثابت خورشیدی خودبه‌خود روز کاری نیستند؛ تعطیلات قمری و تعطیلی‌های اعلام‌شده را این‌جا ثبت کنید.',
            'Decision deadlines count working days. Thursdays, Fridays and the fixed Solar Hijri holidays are never working days; enter the lunar holidays and any announced closures here.',
          )}
        </p>
        <nav aria-label={tr(lang, 'سال', 'Year')}>
          <ul class="inline-list">
            <li>
              <a href={yearLink(year - 1)}>{tr(lang, `سال ${formatNumber(lang, year - 1).replace(/٬/g, '')}`, `Year ${year - 1} SH`)}</a>
            </li>
            <li>
              <a href={yearLink(year + 1)}>{tr(lang, `سال ${formatNumber(lang, year + 1).replace(/٬/g, '')}`, `Year ${year + 1} SH`)}</a>
            </li>
          </ul>
        </nav>
        <DataTable
          caption={tr(
            lang,
            `تعطیلات سال ${formatNumber(lang, year).replace(/٬/g, '')} (جز پنجشنبه و جمعه)`,
            `Holidays of ${year} SH (besides Thursdays and Fridays)`,
          )}
          head={[tr(lang, 'تاریخ', 'Date'), tr(lang, 'نام', 'Name'), tr(lang, 'نوع', 'Kind'), tr(lang, 'کار', 'Action')]}
          rows={days.map((d) => [
            formatDate(lang, d.day),
            d.name[lang] ?? d.name.en ?? '',
            d.why === 'fixed' ? (
              <Tag tone="grey">{tr(lang, 'ثابت', 'Fixed')}</Tag>
            ) : (
              <Tag tone="blue">{tr(lang, 'اعلام‌شده', 'Announced')}</Tag>
            ),
            d.why === 'announced' ? (
              <form method="post" action={`${path(lang)}/${d.day}/withdraw`}>
                <input type="hidden" name="_csrf" value={token} />
                <button class="button button-secondary" type="submit">
                  {tr(lang, 'لغو', 'Withdraw')}
                  <span class="visually-hidden"> {formatDate(lang, d.day)}</span>
                </button>
              </form>
            ) : (
              '–'
            ),
          ])}
        />
        <h2>{tr(lang, 'اعلام تعطیلی', 'Announce a holiday')}</h2>
        <form method="post" action={path(lang)} novalidate>
          <input type="hidden" name="_csrf" value={token} />
          {FORM.fields.map((f) => (
            <Field f={f} raw={o.raw ?? {}} error={o.fieldErrors?.[f.name]} lang={lang} heading={false} />
          ))}
          <button class="button" type="submit">
            {tr(lang, 'ثبت تعطیلی', 'Announce')}
          </button>
        </form>
      </Layout>
    );
  };

  const thisYear = () => gregorianToJalali(tehranDay(new Date())).year;
  const yearOf = (q: string | undefined) => {
    if (q === undefined || q === '') return thisYear();
    if (!/^\d{4}$/.test(q) || Number(q) < 1300 || Number(q) > 1500)
      throw new AppError('VALUE_OUT_OF_RANGE', 'year must be a Solar Hijri year from 1300 to 1500.', { field: 'year' });
    return Number(q);
  };

  app.get<{ Params: { lang: string }; Querystring: { year?: string; done?: string } }>(
    '/:lang/staff/calendar',
    hide,
    async (req, reply) => {
      const lang = langOf(req.params);
      if (!(await requireStaff(ctx, req, reply, lang, 'calendar.manage'))) return reply;
      const done =
        req.query.done === 'announced'
          ? tr(
              lang,
              'تعطیلی ثبت شد. مهلت درخواست‌های تازه با آن شمرده می‌شود.',
              'The holiday is announced. Deadlines of new applications count it.',
            )
          : req.query.done === 'withdrawn'
            ? tr(lang, 'تعطیلی لغو شد.', 'The holiday is withdrawn.')
            : undefined;
      return sendPage(reply, await page(lang, reply.generateCsrf(), yearOf(req.query.year), { done }));
    },
  );

  app.post<{ Params: { lang: string }; Body: Record<string, unknown> }>(
    '/:lang/staff/calendar',
    { ...hide, ...csrf },
    async (req, reply) => {
      const lang = langOf(req.params);
      const staff = await requireStaff(ctx, req, reply, lang, 'calendar.manage');
      if (!staff) return reply;
      const input = (req.body ?? {}) as Record<string, unknown>;
      const { values, errors } = validatePage(FORM, input, tehranDay(new Date()));
      const fail = async (problems: { name: string; anchor: string; message: string }[]) => {
        const fieldErrors = Object.fromEntries(problems.map((p) => [p.name, p.message]));
        return sendPage(
          reply,
          await page(lang, reply.generateCsrf(), thisYear(), {
            errors: problems.map((p) => ({ field: p.anchor, message: p.message })),
            raw: input as Raw,
            fieldErrors,
          }),
          400,
        );
      };
      if (errors.length) return fail(errors.map((e) => ({ name: e.name, anchor: e.anchor, message: e.message[lang] })));
      const day = String(values.day);
      try {
        await ctx.calendar.announce(day, { fa: String(values.nameFa), en: String(values.nameEn) }, staff.id, (tx) =>
          ctx.audit.record(
            { actor: `staff:${staff.id}`, action: 'calendar.holiday-announced', subject: day, detail: { nameEn: String(values.nameEn) } },
            tx,
          ),
        );
      } catch (e) {
        if (e instanceof AppError && (e.code === 'HOLIDAY_EXISTS' || e.code === 'HOLIDAY_NOT_NEEDED'))
          return fail([{ name: 'day', anchor: 'day-day', message: messageFor(e.code, lang) }]);
        throw e;
      }
      return reply.redirect(`${path(lang)}?year=${gregorianToJalali(day).year}&done=announced`, 303);
    },
  );

  app.post<{ Params: { lang: string; day: string } }>('/:lang/staff/calendar/:day/withdraw', { ...hide, ...csrf }, async (req, reply) => {
    const lang = langOf(req.params);
    const staff = await requireStaff(ctx, req, reply, lang, 'calendar.manage');
    if (!staff) return reply;
    const day = req.params.day;
    const withdrawn =
      /^\d{4}-\d{2}-\d{2}$/.test(day) &&
      (await ctx.calendar.withdraw(day, (tx) =>
        ctx.audit.record({ actor: `staff:${staff.id}`, action: 'calendar.holiday-withdrawn', subject: day }, tx),
      ));
    if (!withdrawn) throw new AppError('NOT_FOUND', `${day.slice(0, 10)} is not an announced holiday.`);
    return reply.redirect(`${path(lang)}?year=${gregorianToJalali(day).year}&done=withdrawn`, 303);
  });
}
