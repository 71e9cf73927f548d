// Pages of the exchange: the citizen's data-use list, the oversight statistics and the admin pages.
import type { ComponentChildren } from 'preact';
import { digits, formatDate, formatNumber, tr, type Lang } from '../../platform/i18n.ts';
import { BarChart, DataTable } from '../../web/charts.tsx';
import { Breadcrumbs, ErrorSummary, SummaryList, Tag, TextInput, type FieldError } from '../../web/components.tsx';
import { Layout } from '../../web/layout.tsx';
import type { LocalText } from '../../db/schema.ts';
import type { Registry } from './exchange.service.ts';
import { formatSubjectLocation } from './exchange.schema.ts';
import { parsePurpose, purposeWords } from '../../platform/purpose.ts';

const other = (lang: Lang) => (lang === 'fa' ? 'en' : 'fa');
const name = (lang: Lang, t: LocalText | undefined, fallback: string) => (lang === 'fa' ? t?.fa || t?.en : t?.en || t?.fa) || fallback;
const time = (lang: Lang, d: Date) =>
  new Intl.DateTimeFormat(lang === 'fa' ? 'fa-IR' : 'en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Tehran' }).format(d);

/** A logged purpose in the page's language (a known purpose code, only on rows Panjereh's own subsystem
 *  sent: `self`), else as the agency sent it, isolated (left-to-right and English when it has no Persian). */
export function PurposeText({ lang, issue, client, self }: { lang: Lang; issue: string; client: string | null; self: string }) {
  const w = purposeWords(parsePurpose(issue, client !== null && client === self), lang);
  if (!w.application)
    return /[A-Za-z]/.test(w.text) && !/[\u0600-\u06FF]/.test(w.text) ? (
      <bdi dir="ltr" lang="en">
        {w.text}
      </bdi>
    ) : (
      <bdi>{w.text}</bdi>
    );
  return (
    <>
      {w.text}{' '}
      <a href={`/${lang}/applications/${w.application}`}>
        <bdi dir="ltr">{w.application.slice(0, 8)}</bdi>
        <span class="visually-hidden">{w.application.slice(8)}</span>
      </a>
    </>
  );
}

export function memberName(lang: Lang, reg: Registry, id: string | null): string {
  if (!id) return tr(lang, 'نامشخص', 'Unknown');
  const [cls, code] = id.split('/');
  return name(lang, reg.members.get(`${cls}/${code}`)?.name, `${cls}/${code}`);
}

export interface DataUseRow {
  at: Date;
  client_id: string | null;
  service_id: string;
  status: number;
  issue: string | null;
}

export function DataUsePage({ lang, reg, rows, self }: { lang: Lang; reg: Registry; rows: DataUseRow[]; self: string }) {
  const title = tr(lang, 'استفاده دستگاه‌ها از اطلاعات شما', 'How agencies used your data');
  return (
    <Layout lang={lang} title={title} altPath={`/${other(lang)}/account/data-use`}>
      <Breadcrumbs lang={lang} items={[{ href: `/${lang}/account`, label: tr(lang, 'حساب من', 'Your account') }, { label: title }]} />
      <h1>{title}</h1>
      <p class="lead">
        {tr(
          lang,
          'هر بار که دستگاهی از راه تبادل داده پنجره اطلاعاتی با کد ملی شما را از دستگاه دیگری خواسته، اینجا ثبت شده است: چه زمانی، کدام دستگاه خواست، کدام دستگاه پاسخ داد، کدام خدمت و به چه منظور.',
          'Every time an agency asked another agency, through Panjereh’s exchange, for data under your national ID, it is listed here: when, which agency asked, which agency answered, for which service and for what stated purpose.',
        )}
      </p>
      {rows.length === 0 ? (
        <p class="notice">
          {tr(
            lang,
            'تاکنون هیچ دستگاهی اطلاعات شما را از راه تبادل داده استعلام نکرده است.',
            'No agency has asked for your data through the exchange yet.',
          )}
        </p>
      ) : (
        <DataTable
          caption={tr(
            lang,
            `${formatNumber(lang, rows.length)} استعلام، تازه‌ترین در بالا`,
            `${formatNumber(lang, rows.length)} requests, newest first`,
          )}
          head={[
            tr(lang, 'زمان', 'When'),
            tr(lang, 'دستگاه درخواست‌کننده', 'Agency that asked'),
            tr(lang, 'دستگاه پاسخ‌دهنده', 'Agency that answered'),
            tr(lang, 'خدمت', 'Service'),
            tr(lang, 'منظور اعلام‌شده', 'Stated purpose'),
            tr(lang, 'نتیجه', 'Outcome'),
          ]}
          rows={rows.map((r) => [
            `${formatDate(lang, r.at)} ${time(lang, r.at)}`,
            memberName(lang, reg, r.client_id),
            memberName(lang, reg, r.service_id),
            name(lang, reg.services.get(r.service_id)?.title, r.service_id),
            r.issue ? (
              <PurposeText lang={lang} issue={r.issue} client={r.client_id} self={self} />
            ) : (
              <span class="muted">{tr(lang, 'اعلام نشده', 'Not stated')}</span>
            ),
            r.status < 400 ? (
              <Tag tone="green">{tr(lang, 'پاسخ داده شد', 'Answered')}</Tag>
            ) : (
              <Tag tone="grey">{tr(lang, 'پاسخ داده نشد', 'Not answered')}</Tag>
            ),
          ])}
        />
      )}
      <p>
        {tr(
          lang,
          'اگر استعلامی را نمی‌شناسید، با دستگاه درخواست‌کننده یا پشتیبانی پنجره تماس بگیرید.',
          'If you do not recognise a request, contact the agency that asked, or Panjereh’s help desk.',
        )}
      </p>
    </Layout>
  );
}

export interface StatsView {
  orgs: { servers: number; clients: number; members: number };
  days: { period: string; transactions: number; errors: number; p50: number; p99: number }[];
  months: { period: string; transactions: number; errors: number; p50: number; p99: number }[];
  services: { service: string; transactions: number; errors: number; p50: number; p95: number; p99: number }[];
  detail: {
    period: string;
    provider: string;
    consumer: string;
    service: string;
    transactions: number;
    errors: number;
    p50: number;
    p99: number;
  }[];
}

const ms = (lang: Lang, v: number) => `${formatNumber(lang, Math.round(v * 10) / 10)} ${tr(lang, 'میلی‌ثانیه', 'ms')}`;
const pct = (lang: Lang, e: number, n: number) =>
  `${formatNumber(lang, n ? Math.round((e / n) * 1000) / 10 : 0)}٪`.replace('٪', lang === 'fa' ? '٪' : '%');

export function StatisticsPage({ lang, reg, s }: { lang: Lang; reg: Registry; s: StatsView }) {
  const title = tr(lang, 'آمار تبادل داده میان دستگاه‌ها', 'Data exchange statistics');
  const total = s.services.reduce((a, b) => a + b.transactions, 0);
  const svcName = (id: string) => name(lang, reg.services.get(id)?.title, id);
  return (
    <Layout lang={lang} title={title} altPath={`/${other(lang)}/staff/exchange/statistics`}>
      <Breadcrumbs lang={lang} items={[{ href: `/${lang}/staff`, label: tr(lang, 'کارکنان', 'Staff') }, { label: title }]} />
      <h1>{title}</h1>
      <SummaryList
        rows={[
          { key: tr(lang, 'سازمان‌های ارائه‌دهنده خدمت', 'Organisations providing services'), value: formatNumber(lang, s.orgs.servers) },
          { key: tr(lang, 'سازمان‌های استفاده‌کننده', 'Organisations consuming services'), value: formatNumber(lang, s.orgs.clients) },
          { key: tr(lang, 'همه اعضا', 'All members'), value: formatNumber(lang, s.orgs.members) },
          { key: tr(lang, 'تراکنش‌ها در ۳۰ روز گذشته', 'Transactions in the last 30 days'), value: formatNumber(lang, total) },
        ]}
      />
      <p>
        <a href="/open-data/exchange-statistics.csv">
          {tr(
            lang,
            'دریافت داده باز (CSV): تراکنش‌ها به تفکیک روز، ارائه‌دهنده، استفاده‌کننده و خدمت',
            'Open data (CSV): transactions by day, provider, consumer and service',
          )}
        </a>
      </p>
      {s.services.length ? (
        <>
          <BarChart
            lang={lang}
            id="share"
            title={tr(lang, 'سهم هر خدمت از تراکنش‌های ۳۰ روز گذشته', 'Share of the last 30 days’ transactions by service')}
            summary={tr(
              lang,
              'سهم هر خدمت از کل تراکنش‌ها؛ همان داده در جدول زیر آمده است.',
              'Each service’s share of all transactions; the same data is in the table below.',
            )}
            bars={s.services.slice(0, 12).map((v) => ({ label: svcName(v.service), value: total ? v.transactions / total : 0 }))}
          />
          <BarChart
            lang={lang}
            id="errors"
            title={tr(lang, 'نرخ خطا به تفکیک خدمت', 'Error rate by service')}
            summary={tr(
              lang,
              'نسبت پاسخ‌های خطا (کد ۴۰۰ و بالاتر) به همه تراکنش‌های هر خدمت.',
              'The share of error answers (status 400 and above) among each service’s transactions.',
            )}
            bars={s.services
              .slice(0, 12)
              .map((v) => ({ label: svcName(v.service), value: v.transactions ? v.errors / v.transactions : 0 }))}
          />
        </>
      ) : (
        <p class="notice">{tr(lang, 'هنوز تراکنشی ثبت نشده است.', 'No transactions have been recorded yet.')}</p>
      )}
      <DataTable
        caption={tr(
          lang,
          'خدمت‌ها در ۳۰ روز گذشته: حجم، خطا و زمان پاسخ',
          'Services in the last 30 days: volume, errors and response time',
        )}
        head={[tr(lang, 'خدمت', 'Service'), tr(lang, 'تراکنش', 'Transactions'), tr(lang, 'نرخ خطا', 'Error rate'), 'p50', 'p95', 'p99']}
        rows={s.services.map((v) => [
          svcName(v.service),
          formatNumber(lang, v.transactions),
          pct(lang, v.errors, v.transactions),
          ms(lang, v.p50),
          ms(lang, v.p95),
          ms(lang, v.p99),
        ])}
      />
      <DataTable
        caption={tr(lang, 'تراکنش‌ها به تفکیک روز (۳۰ روز گذشته)', 'Transactions per day (last 30 days)')}
        head={[tr(lang, 'روز', 'Day'), tr(lang, 'تراکنش', 'Transactions'), tr(lang, 'نرخ خطا', 'Error rate'), 'p50', 'p99']}
        rows={s.days.map((d) => [
          formatDate(lang, d.period),
          formatNumber(lang, d.transactions),
          pct(lang, d.errors, d.transactions),
          ms(lang, d.p50),
          ms(lang, d.p99),
        ])}
      />
      <DataTable
        caption={tr(lang, 'تراکنش‌ها به تفکیک ماه (میلادی)', 'Transactions per month')}
        head={[tr(lang, 'ماه', 'Month'), tr(lang, 'تراکنش', 'Transactions'), tr(lang, 'نرخ خطا', 'Error rate'), 'p50', 'p99']}
        rows={s.months.map((d) => [
          digits(lang, d.period),
          formatNumber(lang, d.transactions),
          pct(lang, d.errors, d.transactions),
          ms(lang, d.p50),
          ms(lang, d.p99),
        ])}
      />
      <DataTable
        caption={tr(
          lang,
          'تراکنش‌های امروز و دیروز به تفکیک ارائه‌دهنده و استفاده‌کننده',
          'Today’s and yesterday’s transactions by provider and consumer',
        )}
        head={[
          tr(lang, 'روز', 'Day'),
          tr(lang, 'ارائه‌دهنده', 'Provider'),
          tr(lang, 'استفاده‌کننده', 'Consumer'),
          tr(lang, 'خدمت', 'Service'),
          tr(lang, 'تراکنش', 'Transactions'),
          tr(lang, 'نرخ خطا', 'Error rate'),
          'p99',
        ]}
        rows={s.detail.map((d) => [
          formatDate(lang, d.period),
          memberName(lang, reg, d.provider),
          memberName(lang, reg, d.consumer === '(unauthenticated)' ? null : d.consumer),
          svcName(d.service),
          formatNumber(lang, d.transactions),
          pct(lang, d.errors, d.transactions),
          ms(lang, d.p99),
        ])}
      />
    </Layout>
  );
}

export function AdminPage({ lang, reg, token, notice }: { lang: Lang; reg: Registry; token: string; notice?: string }) {
  const title = tr(lang, 'تبادل داده: اعضا، خدمات و مجوزها', 'Data exchange: members, services and rights');
  const base = `/${lang}/staff/exchange`;
  return (
    <Layout lang={lang} title={title} altPath={`/${other(lang)}/staff/exchange`}>
      <Breadcrumbs lang={lang} items={[{ href: `/${lang}/staff`, label: tr(lang, 'کارکنان', 'Staff') }, { label: title }]} />
      <h1>{title}</h1>
      {notice ? (
        <div class="notice" role="status">
          <p>{notice}</p>
        </div>
      ) : null}
      <ul class="link-list">
        <li>
          <a href={`${base}/members/new`}>{tr(lang, 'افزودن عضو', 'Add a member')}</a>
        </li>
        <li>
          <a href={`${base}/subsystems/new`}>{tr(lang, 'افزودن زیرسامانه', 'Add a subsystem')}</a>
        </li>
        <li>
          <a href={`${base}/services/new`}>{tr(lang, 'ثبت یا ویرایش خدمت', 'Register or change a service')}</a>
        </li>
        <li>
          <a href={`${base}/grants/new`}>{tr(lang, 'دادن مجوز دسترسی', 'Grant access')}</a>
        </li>
      </ul>
      <p class="hint">
        {tr(
          lang,
          'گواهی کلاینت با فرمان زیر صادر می‌شود (کلید خصوصی هرگز در پایگاه داده نگه داشته نمی‌شود):',
          'Client certificates are issued from the command line (the private key is never stored):',
        )}{' '}
        <code dir="ltr">npx panjereh exchange cert issue --subsystem CLASS/MEMBER/SUB --out DIR</code>
      </p>
      <DataTable
        caption={tr(lang, 'اعضا', 'Members')}
        head={[tr(lang, 'شناسه', 'Identifier'), tr(lang, 'نام', 'Name'), tr(lang, 'زیرسامانه‌ها', 'Subsystems')]}
        rows={reg.raw.members.map((m) => [
          <code dir="ltr">{m.id}</code>,
          name(lang, m.name, m.id),
          <bdi>
            {reg.raw.subsystems
              .filter((s) => s.member_id === m.id)
              .map((s) => s.subsystem_code)
              .join('، ') || '–'}
          </bdi>,
        ])}
      />
      <DataTable
        caption={tr(lang, 'خدمت‌ها', 'Services')}
        head={[
          tr(lang, 'شناسه', 'Identifier'),
          tr(lang, 'عنوان', 'Title'),
          tr(lang, 'نشانی بالادست', 'Upstream URL'),
          tr(lang, 'مهلت', 'Timeout'),
          tr(lang, 'محل کد ملی', 'National ID at'),
          tr(lang, 'ثبت بدنه‌ها', 'Bodies logged'),
        ]}
        rows={reg.raw.services.map((s) => [
          <code dir="ltr">{s.id}</code>,
          name(lang, s.title, s.id),
          <code dir="ltr">{s.upstream_url}</code>,
          ms(lang, s.timeout_ms),
          <code dir="ltr">{formatSubjectLocation(s.subject_location) || '–'}</code>,
          s.log_bodies ? tr(lang, 'بله (رمزنگاری‌شده)', 'Yes (encrypted)') : tr(lang, 'خیر', 'No'),
        ])}
      />
      <DataTable
        caption={tr(lang, 'مجوزهای دسترسی', 'Access rights')}
        head={[
          tr(lang, 'خدمت', 'Service'),
          tr(lang, 'کلاینت', 'Client'),
          tr(lang, 'روش', 'Method'),
          tr(lang, 'مسیر', 'Path'),
          tr(lang, 'لغو', 'Revoke'),
        ]}
        rows={reg.raw.grants.map((g) => [
          <code dir="ltr">{g.service_id}</code>,
          <code dir="ltr">{g.client_subsystem_id ?? `group:${g.group_code}`}</code>,
          <code dir="ltr">{g.method}</code>,
          <code dir="ltr">{g.path}</code>,
          <form method="post" action={`${base}/grants/${g.id}/revoke`}>
            <input type="hidden" name="_csrf" value={token} />
            <button
              class="button button-secondary"
              type="submit"
              aria-label={tr(
                lang,
                `لغو مجوز ${g.client_subsystem_id ?? g.group_code} برای ${g.service_id}`,
                `Revoke ${g.client_subsystem_id ?? g.group_code} on ${g.service_id}`,
              )}
            >
              {tr(lang, 'لغو', 'Revoke')}
            </button>
          </form>,
        ])}
      />
    </Layout>
  );
}

export interface FormField {
  id: string;
  label: string;
  hint?: string;
  kind?: 'text' | 'textarea' | 'checkbox';
}

export function FormPage({
  lang,
  title,
  action,
  token,
  fields,
  values,
  errors,
  intro,
}: {
  lang: Lang;
  title: string;
  action: string;
  token: string;
  fields: FormField[];
  values: Record<string, string>;
  errors: FieldError[];
  intro?: ComponentChildren;
}) {
  const errorOf = (id: string) => errors.find((e) => e.field === id)?.message;
  return (
    <Layout lang={lang} title={title} altPath={action.replace(`/${lang}/`, `/${other(lang)}/`)} hasError={errors.length > 0}>
      <a class="back-link" href={`/${lang}/staff/exchange`}>
        {tr(lang, 'بازگشت', 'Back')}
      </a>
      <ErrorSummary lang={lang} errors={errors} />
      <h1>{title}</h1>
      {intro}
      <form method="post" action={action} novalidate>
        <input type="hidden" name="_csrf" value={token} />
        {fields.map((f) =>
          f.kind === 'textarea' ? (
            <div class="field">
              <label class="label" for={f.id}>
                {f.label}
              </label>
              {f.hint ? (
                <p class="hint" id={`${f.id}-hint`}>
                  {f.hint}
                </p>
              ) : null}
              {errorOf(f.id) ? (
                <p class="error-message" id={`${f.id}-error`}>
                  {errorOf(f.id)}
                </p>
              ) : null}
              <textarea
                class="textarea"
                id={f.id}
                name={f.id}
                rows={6}
                dir="ltr"
                aria-describedby={
                  [f.hint ? `${f.id}-hint` : '', errorOf(f.id) ? `${f.id}-error` : ''].filter(Boolean).join(' ') || undefined
                }
              >
                {values[f.id] ?? ''}
              </textarea>
            </div>
          ) : f.kind === 'checkbox' ? (
            <div class="checkbox">
              <input type="checkbox" id={f.id} name={f.id} value="yes" checked={values[f.id] === 'yes'} />
              <label for={f.id}>{f.label}</label>
            </div>
          ) : (
            <TextInput width="wide" id={f.id} label={f.label} hint={f.hint} value={values[f.id] ?? ''} error={errorOf(f.id)} />
          ),
        )}
        <button class="button" type="submit">
          {tr(lang, 'ذخیره', 'Save')}
        </button>
      </form>
    </Layout>
  );
}
