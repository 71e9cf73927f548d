// Public pages: the FOI register (/{lang}/foi: published answers, redacted by the officer and approved by
// the oversight office, the requester never named) and an agency's response statistics
// (/{lang}/agencies/{id}/requests), the same figures as /open-data/requests.csv|json.
import { formatDate, formatNumber, tr, type Lang } from '../../../platform/i18n.ts';
import { Breadcrumbs, SummaryList } from '../../../web/components.tsx';
import { Layout } from '../../../web/layout.tsx';
import type { RequestFileRow } from '../requests.files.repository.ts';
import type { AgencyMonth, RegisterRow } from '../requests.repository.ts';
import type { Totals } from '../requests.stats.ts';
import { EXEMPTIONS, STATUS_NAME, name } from '../requests.text.ts';
import { other } from './controls.tsx';

export function RegisterPage(p: { lang: Lang; items: RegisterRow[]; files: RequestFileRow[]; agencies: Map<string, string> }) {
  const { lang } = p;
  const title = tr(lang, 'فهرست عمومی درخواست‌های دسترسی به اطلاعات', 'Public register of information requests');
  return (
    <Layout lang={lang} title={title} altPath={other(lang, `/${lang}/foi`)}>
      <Breadcrumbs lang={lang} items={[{ label: title }]} />
      <h1>{title}</h1>
      <p>
        {tr(
          lang,
          'پاسخ دستگاه‌ها به درخواست‌های دسترسی به اطلاعات، پس از حذف اطلاعات شخصی، اینجا منتشر می‌شود. نام درخواست‌کننده منتشر نمی‌شود.',
          'Agencies’ answers to information requests are published here after personal data is removed. The requester is never named.',
        )}
      </p>
      {p.items.length ? (
        p.items.map((r) => (
          <section class="panel">
            <h2 dir="auto">{r.subject_public ?? tr(lang, 'درخواست دسترسی به اطلاعات', 'Information request')}</h2>
            <SummaryList
              rows={[
                { key: tr(lang, 'دستگاه', 'Agency'), value: p.agencies.get(r.agency_id) ?? r.agency_id },
                { key: tr(lang, 'وضعیت', 'Status'), value: STATUS_NAME[r.status][lang] },
                { key: tr(lang, 'تاریخ پاسخ', 'Answered'), value: r.answered_at ? formatDate(lang, r.answered_at) : '—' },
                ...(r.exemption ? [{ key: tr(lang, 'مبنای امتناع', 'Exemption ground'), value: name(EXEMPTIONS, r.exemption, lang) }] : []),
              ]}
            />
            <h3>{tr(lang, 'پاسخ', 'Answer')}</h3>
            <p dir="auto">{r.answer_public}</p>
            {p.files.some((f) => f.request_id === r.id) ? (
              <ul>
                {p.files
                  .filter((f) => f.request_id === r.id)
                  .map((f) => (
                    <li>
                      <a href={`/${lang}/foi/${r.id}/files/${f.id}`} dir="auto">
                        {f.original_name}
                      </a>
                    </li>
                  ))}
              </ul>
            ) : null}
          </section>
        ))
      ) : (
        <p>{tr(lang, 'هنوز پاسخی منتشر نشده است.', 'No answers have been published yet.')}</p>
      )}
    </Layout>
  );
}

export function AgencyStatsPage(p: { lang: Lang; agencyId: string; agency: string; months: AgencyMonth[]; totals: Totals }) {
  const { lang, totals: t } = p;
  const n = (v: number | null) => (v === null ? '—' : formatNumber(lang, v));
  const path = `/${lang}/agencies/${p.agencyId}/requests`;
  const title = tr(lang, `پاسخ‌گویی ${p.agency} به درخواست‌های مردمی`, `How ${p.agency} answers citizens’ requests`);
  return (
    <Layout lang={lang} title={title} altPath={other(lang, path)}>
      <Breadcrumbs
        lang={lang}
        items={[
          { href: `/${lang}/agencies`, label: tr(lang, 'دستگاه‌ها', 'Agencies') },
          { href: `/${lang}/agencies/${p.agencyId}`, label: p.agency },
          { label: tr(lang, 'درخواست‌های مردمی', 'Citizens’ requests') },
        ]}
      />
      <h1>{title}</h1>
      <SummaryList
        rows={[
          { key: tr(lang, 'دریافت‌شده', 'Received'), value: n(t.received) },
          { key: tr(lang, 'پاسخ‌داده', 'Answered'), value: n(t.answered) },
          { key: tr(lang, 'پاسخ در مهلت', 'Answered on time'), value: n(t.on_time) },
          { key: tr(lang, 'میانه روزهای پاسخ', 'Median days to answer'), value: n(t.median_days) },
          { key: tr(lang, 'مهلت‌گذشته و بی‌پاسخ', 'Overdue, unanswered'), value: n(t.overdue) },
          { key: tr(lang, 'تجدیدنظرخواهی‌ها (پذیرفته‌شده)', 'Appeals (upheld)'), value: `${n(t.appeals)} (${n(t.appeals_upheld)})` },
          { key: tr(lang, 'رضایت از پاسخ (از ۵)', 'Satisfaction with answers (out of 5)'), value: n(t.rating) },
        ]}
      />
      <div class="table-wrap">
        <table>
          <caption>{tr(lang, 'به تفکیک ماه دریافت', 'By month received')}</caption>
          <thead>
            <tr>
              <th scope="col">{tr(lang, 'ماه', 'Month')}</th>
              <th scope="col">{tr(lang, 'دریافت', 'Received')}</th>
              <th scope="col">{tr(lang, 'پاسخ', 'Answered')}</th>
              <th scope="col">{tr(lang, 'در مهلت', 'On time')}</th>
              <th scope="col">{tr(lang, 'میانه روز', 'Median days')}</th>
              <th scope="col">{tr(lang, 'مهلت‌گذشته', 'Overdue')}</th>
              <th scope="col">{tr(lang, 'تجدیدنظر', 'Appeals')}</th>
            </tr>
          </thead>
          <tbody>
            {p.months.map((m) => (
              <tr>
                <th scope="row" dir="ltr">
                  {m.month}
                </th>
                <td>{n(m.received)}</td>
                <td>{n(m.answered)}</td>
                <td>{n(m.on_time)}</td>
                <td>{n(m.median_days)}</td>
                <td>{n(m.overdue)}</td>
                <td>{n(m.appeals)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        {tr(lang, 'داده باز: ', 'Open data: ')}
        <a href="/open-data/requests.csv">CSV</a> · <a href="/open-data/requests.json">JSON</a>
      </p>
    </Layout>
  );
}
