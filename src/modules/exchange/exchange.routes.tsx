// Exchange pages: admin (platform admins), oversight statistics, open data, and citizens' data use.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toSafeCsv as stringify } from '../../platform/csv.ts';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../platform/errors.ts';
import { langOf, tr, type Lang } from '../../platform/i18n.ts';
import { sendPage } from '../../web/render.ts';
import type { FieldError } from '../../web/components.tsx';
import { requireCitizen } from '../identity/citizen.guard.ts';
import { requireStaff } from '../identity/staff.guard.ts';
import type { Action } from '../identity/identity.policy.ts';
import { AdminPage, DataUsePage, FormPage, StatisticsPage, type FormField } from './exchange.pages.tsx';
import { exchangeError, localMessage, parseSubjectLocation, t } from './exchange.schema.ts';
import { ExchangeStats } from './exchange.stats.ts';

const DAY = 86_400_000;
type Body = Record<string, string | undefined>;

interface FormSpec {
  title: (lang: Lang) => string;
  fields: (lang: Lang) => FormField[];
  /** Field that a problem message is about (by the words in it). */
  fieldFor: (message: string) => string;
  save: (ctx: AppContext, actor: string, b: Body) => Promise<string>;
}

const v = (b: Body, k: string) =>
  String(b[k] ?? '')
    .trim()
    .slice(0, 20_000);
const required = (lang: Lang, b: Body, ids: [string, string, string][]): FieldError[] =>
  ids.filter(([id]) => !v(b, id)).map(([id, fa, en]) => ({ field: id, message: tr(lang, fa, en) }));

const FORMS: Record<string, FormSpec & { required: [string, string, string][] }> = {
  members: {
    title: (lang) => tr(lang, 'افزودن عضو', 'Add a member'),
    fields: (lang) => [
      {
        id: 'memberClass',
        label: tr(lang, 'رده عضو', 'Member class'),
        hint: tr(lang, 'مانند GOV برای دستگاه‌های دولتی', 'For example GOV for government bodies'),
      },
      {
        id: 'memberCode',
        label: tr(lang, 'کد عضو', 'Member code'),
        hint: tr(lang, 'حروف لاتین، رقم، نقطه، خط تیره', 'Letters A-Z, digits, dot, dash'),
      },
      { id: 'nameFa', label: tr(lang, 'نام فارسی', 'Name in Persian') },
      { id: 'nameEn', label: tr(lang, 'نام انگلیسی', 'Name in English') },
      {
        id: 'agencyId',
        label: tr(lang, 'شناسه دستگاه در فهرست خدمات (اختیاری)', 'Agency id in the catalogue (optional)'),
        hint: 'ir-nocr',
      },
    ],
    required: [
      ['memberClass', 'رده عضو را بنویسید.', 'Enter the member class.'],
      ['memberCode', 'کد عضو را بنویسید.', 'Enter the member code.'],
    ],
    fieldFor: (m) => (/class/.test(m) ? 'memberClass' : /code/.test(m) ? 'memberCode' : /agency/i.test(m) ? 'agencyId' : 'nameFa'),
    save: async (ctx, actor, b) => {
      const agency = v(b, 'agencyId') || null;
      if (agency)
        await ctx.catalog
          .getAgency(agency)
          .catch(() =>
            Promise.reject(
              exchangeError(
                'AGENCY_NOT_FOUND',
                t(
                  `دستگاهی با شناسه ${agency.slice(0, 60)} در فهرست خدمات نیست.`,
                  `There is no agency ${agency.slice(0, 60)} in the catalogue.`,
                ),
              ),
            ),
          );
      const r = await ctx.exchange.addMember(
        actor,
        v(b, 'memberClass'),
        v(b, 'memberCode'),
        { fa: v(b, 'nameFa') || undefined, en: v(b, 'nameEn') || undefined },
        agency,
      );
      return r.id;
    },
  },
  subsystems: {
    title: (lang) => tr(lang, 'افزودن زیرسامانه', 'Add a subsystem'),
    fields: (lang) => [
      { id: 'member', label: tr(lang, 'عضو (رده/کد)', 'Member (CLASS/CODE)'), hint: 'GOV/NOCR' },
      { id: 'code', label: tr(lang, 'کد زیرسامانه', 'Subsystem code'), hint: 'REGISTRY' },
    ],
    required: [
      ['member', 'عضو را بنویسید.', 'Enter the member.'],
      ['code', 'کد زیرسامانه را بنویسید.', 'Enter the subsystem code.'],
    ],
    fieldFor: (m) => (/member/.test(m) ? 'member' : 'code'),
    save: async (ctx, actor, b) => (await ctx.exchange.addSubsystem(actor, v(b, 'member'), v(b, 'code'))).id,
  },
  services: {
    title: (lang) => tr(lang, 'ثبت یا ویرایش خدمت', 'Register or change a service'),
    fields: (lang) => [
      { id: 'subsystem', label: tr(lang, 'زیرسامانه ارائه‌دهنده', 'Provider subsystem'), hint: 'GOV/NOCR/REGISTRY' },
      { id: 'code', label: tr(lang, 'کد خدمت', 'Service code'), hint: 'person' },
      { id: 'titleFa', label: tr(lang, 'عنوان فارسی', 'Title in Persian') },
      { id: 'titleEn', label: tr(lang, 'عنوان انگلیسی', 'Title in English') },
      { id: 'upstream', label: tr(lang, 'نشانی سامانه ارائه‌دهنده', 'Upstream URL'), hint: 'https://registry.example.ir/api' },
      { id: 'timeout', label: tr(lang, 'مهلت پاسخ (میلی‌ثانیه)', 'Timeout (milliseconds)'), hint: '10000' },
      {
        id: 'subject',
        label: tr(lang, 'محل کد ملی فرد (اختیاری)', 'Where the person’s national ID is (optional)'),
        hint: tr(lang, 'path:2 یا query:nationalId یا json:person.nationalId', 'path:2, query:nationalId or json:person.nationalId'),
      },
      { id: 'openapi', label: tr(lang, 'توصیف OpenAPI 3 به JSON (اختیاری)', 'OpenAPI 3 description in JSON (optional)'), kind: 'textarea' },
      {
        id: 'logBodies',
        label: tr(
          lang,
          'بدنه درخواست و پاسخ (رمزنگاری‌شده) در گزارش پیام‌ها نگه داشته شود',
          'Keep request and response bodies (encrypted) in the message log',
        ),
        kind: 'checkbox',
      },
    ],
    required: [
      ['subsystem', 'زیرسامانه را بنویسید.', 'Enter the provider subsystem.'],
      ['code', 'کد خدمت را بنویسید.', 'Enter the service code.'],
      ['upstream', 'نشانی سامانه ارائه‌دهنده را بنویسید.', 'Enter the upstream URL.'],
    ],
    fieldFor: (m) =>
      /subsystem/.test(m)
        ? 'subsystem'
        : /upstream/i.test(m)
          ? 'upstream'
          : /timeout/.test(m)
            ? 'timeout'
            : /OpenAPI/.test(m)
              ? 'openapi'
              : /title/.test(m)
                ? 'titleFa'
                : /national ID|path|query|json/.test(m)
                  ? 'subject'
                  : 'code',
    save: async (ctx, actor, b) => {
      const subject = parseSubjectLocation(v(b, 'subject'));
      if (subject && 'problem' in subject) throw exchangeError('VALIDATION_FAILED', subject.problem);
      const timeout = v(b, 'timeout') || '10000';
      if (!/^\d{1,6}$/.test(timeout))
        throw exchangeError(
          'VALIDATION_FAILED',
          t(
            'مهلت پاسخ باید عددی درست از ۱۰۰ تا ۳۰۰۰۰۰ میلی‌ثانیه باشد.',
            'The timeout must be a whole number of milliseconds from 100 to 300000.',
          ),
        );
      const r = await ctx.exchange.putService(actor, {
        subsystemId: v(b, 'subsystem'),
        serviceCode: v(b, 'code'),
        title: { fa: v(b, 'titleFa') || undefined, en: v(b, 'titleEn') || undefined },
        upstreamUrl: v(b, 'upstream'),
        timeoutMs: Number(timeout),
        openapi: v(b, 'openapi') || null,
        subjectLocation: subject,
        logBodies: v(b, 'logBodies') === 'yes',
      });
      return r.id;
    },
  },
  grants: {
    title: (lang) => tr(lang, 'دادن مجوز دسترسی', 'Grant access'),
    fields: (lang) => [
      { id: 'service', label: tr(lang, 'خدمت', 'Service'), hint: 'GOV/NOCR/REGISTRY/person' },
      {
        id: 'client',
        label: tr(lang, 'زیرسامانه کلاینت یا گروه', 'Client subsystem or group'),
        hint: tr(lang, 'GOV/TAX/PORTAL یا group:کد-گروه', 'GOV/TAX/PORTAL, or group:CODE'),
      },
      {
        id: 'method',
        label: tr(lang, 'روش HTTP', 'HTTP method'),
        hint: tr(lang, 'GET، POST، ... یا * برای همه', 'GET, POST, ... or * for any'),
      },
      {
        id: 'path',
        label: tr(lang, 'مسیر', 'Path'),
        hint: tr(
          lang,
          '* یک بخش مسیر، ** هر تعداد بخش؛ /** یعنی کل خدمت',
          '* is one path segment, ** any number; /** is the whole service',
        ),
      },
    ],
    required: [
      ['service', 'خدمت را بنویسید.', 'Enter the service.'],
      ['client', 'زیرسامانه کلاینت یا گروه را بنویسید.', 'Enter the client subsystem or group.'],
    ],
    fieldFor: (m) => (/service/.test(m) ? 'service' : /method/.test(m) ? 'method' : /path/.test(m) ? 'path' : 'client'),
    save: async (ctx, actor, b) =>
      (await ctx.exchange.grant(actor, v(b, 'service'), v(b, 'client'), v(b, 'method') || '*', v(b, 'path') || '/**')).id,
  },
};

export function registerExchangePages(app: FastifyInstance, ctx: AppContext): void {
  const hide = { schema: { hide: true } };
  const csrf = { preHandler: app.csrfProtection };
  const stats = new ExchangeStats(ctx.database.db, ctx.exchange.rollups);
  const staff = (req: FastifyRequest, reply: FastifyReply, lang: Lang, action: Action) => requireStaff(ctx, req, reply, lang, action);

  app.get<{ Params: { lang: string } }>('/:lang/account/data-use', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const me = await requireCitizen(ctx, req, reply, lang);
    if (!me) return reply;
    const rows = await stats.dataUse(ctx.exchange.subjectHash(me.citizen.national_id));
    return sendPage(
      reply,
      <DataUsePage lang={lang} reg={await ctx.exchange.registry()} rows={rows} self={ctx.config.EXCHANGE_CLIENT_SUBSYSTEM} />,
    );
  });

  app.get<{ Params: { lang: string } }>('/:lang/staff/exchange/statistics', hide, async (req, reply) => {
    const lang = langOf(req.params);
    if (!(await staff(req, reply, lang, 'oversight.view'))) return reply;
    const now = Date.now();
    const since30 = new Date(now - 30 * DAY);
    const [orgs, days, months, services, detail] = await Promise.all([
      stats.organisations(),
      stats.totals('day', since30),
      stats.totals('month', new Date(now - 366 * DAY)),
      stats.byService(since30),
      stats.detailed('day', new Date(now - 2 * DAY)),
    ]);
    return sendPage(
      reply,
      <StatisticsPage lang={lang} reg={await ctx.exchange.registry()} s={{ orgs, days, months, services, detail: detail.slice(0, 200) }} />,
    );
  });

  app.get('/open-data/exchange-statistics.csv', hide, async (_req, reply) => {
    const rows = await stats.detailed('day', new Date(Date.now() - 366 * DAY));
    const csv = stringify(
      rows.map((r) => [
        r.period,
        r.provider,
        r.consumer,
        r.service,
        r.transactions,
        r.errors,
        r.transactions ? (r.errors / r.transactions).toFixed(4) : '0',
        r.p50.toFixed(1),
        r.p95.toFixed(1),
        r.p99.toFixed(1),
      ]),
      {
        header: true,
        columns: ['day', 'provider', 'consumer', 'service', 'transactions', 'errors', 'error_rate', 'p50_ms', 'p95_ms', 'p99_ms'],
      },
    );
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'inline; filename="exchange-statistics.csv"')
      .send(csv);
  });

  app.get<{ Params: { lang: string }; Querystring: { done?: string } }>('/:lang/staff/exchange', hide, async (req, reply) => {
    const lang = langOf(req.params);
    if (!(await staff(req, reply, lang, 'exchange.manage'))) return reply;
    const done = typeof req.query.done === 'string' && /^[A-Za-z0-9._/:-]{1,300}$/.test(req.query.done) ? req.query.done : undefined;
    return sendPage(
      reply,
      <AdminPage
        lang={lang}
        reg={await ctx.exchange.registry()}
        token={reply.generateCsrf()}
        notice={done ? tr(lang, `ذخیره شد: ${done}`, `Saved: ${done}`) : undefined}
      />,
    );
  });

  for (const [kind, spec] of Object.entries(FORMS)) {
    const show = async (reply: FastifyReply, lang: Lang, values: Record<string, string>, errors: FieldError[], status = 200) =>
      sendPage(
        reply,
        <FormPage
          lang={lang}
          title={spec.title(lang)}
          action={`/${lang}/staff/exchange/${kind}/new`}
          token={reply.generateCsrf()}
          fields={spec.fields(lang)}
          values={values}
          errors={errors}
        />,
        status,
      );

    app.get<{ Params: { lang: string } }>(`/:lang/staff/exchange/${kind}/new`, hide, async (req, reply) => {
      const lang = langOf(req.params);
      if (!(await staff(req, reply, lang, 'exchange.manage'))) return reply;
      return show(reply, lang, kind === 'grants' ? { method: 'GET', path: '/**' } : kind === 'services' ? { timeout: '10000' } : {}, []);
    });

    app.post<{ Params: { lang: string }; Body: Body }>(`/:lang/staff/exchange/${kind}/new`, { ...hide, ...csrf }, async (req, reply) => {
      const lang = langOf(req.params);
      const who = await staff(req, reply, lang, 'exchange.manage');
      if (!who) return reply;
      const body = req.body ?? {};
      const values = Object.fromEntries(spec.fields(lang).map((f) => [f.id, v(body, f.id)]));
      const missing = required(lang, body, spec.required);
      if (missing.length) return show(reply, lang, values, missing, 400);
      try {
        const id = await spec.save(ctx, `staff:${who.id}`, body);
        return reply.redirect(`/${lang}/staff/exchange?done=${encodeURIComponent(id)}`, 303);
      } catch (e) {
        if (!(e instanceof AppError) || e.status >= 500) throw e;
        return show(reply, lang, values, [{ field: spec.fieldFor(e.message), message: localMessage(e, lang) }], 400);
      }
    });
  }

  app.post<{ Params: { lang: string; id: string } }>(
    '/:lang/staff/exchange/grants/:id/revoke',
    { ...hide, ...csrf },
    async (req, reply) => {
      const lang = langOf(req.params);
      const who = await staff(req, reply, lang, 'exchange.manage');
      if (!who) return reply;
      const g = await ctx.exchange.revoke(`staff:${who.id}`, req.params.id);
      return reply.redirect(`/${lang}/staff/exchange?done=${encodeURIComponent(`revoked ${g.service_id}`.replace(/ /g, ':'))}`, 303);
    },
  );
}
