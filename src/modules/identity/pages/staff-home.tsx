// The staff home page: who is signed in (email, role, agency) and links to what their role may do.
import { tr, type Lang } from '../../../platform/i18n.ts';
import { SummaryList } from '../../../web/components.tsx';
import { Layout } from '../../../web/layout.tsx';
import type { AgencyRow } from '../../catalog/catalog.repository.ts';
import { principal } from '../staff.guard.ts';
import { can } from '../identity.policy.ts';
import type { StaffRow } from '../staff.service.ts';
import { roleName } from '../staff.nav.ts';

export function StaffHomePage({ lang, staff, agency, csrf }: { lang: Lang; staff: StaffRow; agency: AgencyRow | null; csrf: string }) {
  return (
    <Layout lang={lang} title={tr(lang, 'میز کار کارکنان', 'Staff home')} altPath={`/${lang === 'fa' ? 'en' : 'fa'}/staff`}>
      <h1>{tr(lang, 'میز کار کارکنان', 'Staff home')}</h1>
      <SummaryList
        rows={[
          ...(staff.name ? [{ key: tr(lang, 'نام', 'Name'), value: staff.name }] : []),
          { key: tr(lang, 'رایانامه', 'Email'), value: <bdi>{staff.email}</bdi> },
          { key: tr(lang, 'نقش', 'Role'), value: roleName(staff.role, lang) },
          ...(agency ? [{ key: tr(lang, 'دستگاه', 'Agency'), value: (lang === 'fa' ? agency.name.fa : agency.name.en) ?? agency.id }] : []),
        ]}
      />
      <ul>
        {can(principal(staff), 'counter.work') ? (
          <li>
            <a href={`/${lang}/staff/counter`}>{tr(lang, 'ثبت درخواست برای شهروند حاضر در دفتر', 'Apply for a citizen at the counter')}</a>
          </li>
        ) : null}
        {can(principal(staff), 'counter.manage') ? (
          <li>
            <a href={`/${lang}/staff/counter/offices`}>{tr(lang, 'دفترهای پیشخوان دولت', 'Government counter offices')}</a>
          </li>
        ) : null}
        {staff.agency_id && can(principal(staff), 'applications.work', { agencyId: staff.agency_id }) ? (
          <>
            <li>
              <a href={`/${lang}/staff/applications`}>{tr(lang, 'صف درخواست‌ها', 'Applications queue')}</a>
            </li>
            <li>
              <a href={`/${lang}/staff/applications/stats`}>{tr(lang, 'آمار درخواست‌ها', 'Application statistics')}</a>
            </li>
          </>
        ) : null}
        {can(principal(staff), 'requests.work', { agencyId: staff.agency_id ?? undefined }) ? (
          <li>
            <a href={`/${lang}/staff/requests`}>
              {tr(lang, 'شکایت‌ها، مطالبات و درخواست‌های اطلاعات', 'Complaints, demands and information requests')}
            </a>
          </li>
        ) : null}
        {can(principal(staff), 'payments.report', { agencyId: staff.agency_id ?? undefined }) ? (
          <li>
            <a href={`/${lang}/staff/payments`}>{tr(lang, 'پرداخت‌ها و تطبیق', 'Payments and reconciliation')}</a>
          </li>
        ) : null}
        {can(principal(staff), 'participation.manage', { agencyId: staff.agency_id ?? undefined }) && staff.agency_id ? (
          <li>
            <a href={`/${lang}/staff/participation`}>{tr(lang, 'مشارکت: نظرخواهی و نظرسنجی', 'Participation: consultations and polls')}</a>
          </li>
        ) : null}
        {can(principal(staff), 'payments.accounts', { agencyId: staff.agency_id ?? undefined }) ? (
          <li>
            <a href={`/${lang}/staff/payments/accounts`}>{tr(lang, 'حساب‌های خزانه (شبا)', 'Treasury accounts (IBAN)')}</a>
          </li>
        ) : null}
        {staff.agency_id ? (
          <li>
            <a href={`/${lang}/staff/agencies/${staff.agency_id}/services`}>
              {tr(lang, 'شناسنامه خدمات دستگاه', "Your agency's service cards")}
            </a>
          </li>
        ) : null}
        {staff.agency_id && can(principal(staff), 'staff.manage', { agencyId: staff.agency_id }) ? (
          <li>
            <a href={`/${lang}/staff/agencies/${staff.agency_id}/people`}>{tr(lang, 'کارکنان دستگاه', "Your agency's people")}</a>
          </li>
        ) : null}
        {can(principal(staff), 'documents.list', { agencyId: staff.agency_id ?? undefined }) ? (
          <li>
            <a href={`/${lang}/staff/documents`}>{tr(lang, 'سندهای صادرشده', 'Issued documents')}</a>
          </li>
        ) : null}
        {can(principal(staff), 'integrations.manage', { agencyId: staff.agency_id ?? undefined }) ? (
          <li>
            <a href={staff.agency_id ? `/${lang}/staff/agencies/${staff.agency_id}/integrations` : `/${lang}/staff/integrations`}>
              {tr(lang, 'اتصال سامانه‌های دستگاه (کلید API و وب‌هوک)', 'Agency systems: API keys and webhooks')}
            </a>
          </li>
        ) : null}
        {can(principal(staff), 'oversight.view') ? (
          <li>
            <a href={`/${lang}/staff/oversight`}>{tr(lang, 'دستگاه‌ها از نگاه نظارت', 'Agencies: oversight view')}</a>
          </li>
        ) : null}
        {can(principal(staff), 'oversight.view') ? (
          <li>
            <a href={`/${lang}/staff/exchange/statistics`}>{tr(lang, 'آمار تبادل داده میان دستگاه‌ها', 'Data exchange statistics')}</a>
          </li>
        ) : null}
        {can(principal(staff), 'exchange.manage') ? (
          <li>
            <a href={`/${lang}/staff/exchange`}>
              {tr(lang, 'تبادل داده: اعضا، خدمات و مجوزها', 'Data exchange: members, services and rights')}
            </a>
          </li>
        ) : null}
        <li>
          <a href={`/${lang}/staff/monitoring`}>{tr(lang, 'پایش و ارزیابی', 'Monitoring and evaluation')}</a>
        </li>
        {can(principal(staff), 'sso.manage') ? (
          <li>
            <a href={`/${lang}/staff/sso/clients`}>{tr(lang, 'سامانه‌های متصل با ورود یکپارچه', 'Single sign-on portals')}</a>
          </li>
        ) : null}
        {can(principal(staff), 'calendar.manage') ? (
          <li>
            <a href={`/${lang}/staff/calendar`}>{tr(lang, 'تقویم روزهای کاری و تعطیلات', 'Working-day calendar and holidays')}</a>
          </li>
        ) : null}
        {can(principal(staff), 'audit.view') ? (
          <li>
            <a href={`/${lang}/staff/audit`}>{tr(lang, 'گزارش رخدادها', 'Audit log')}</a>
          </li>
        ) : null}
        <li>
          <a href={`/${lang}/staff/account`}>
            {tr(lang, 'امنیت حساب شما: برنامه تأیید هویت و کدهای بازیابی', 'Your account security: authenticator and recovery codes')}
          </a>
        </li>
      </ul>
      <form method="post" action={`/${lang}/staff/sign-out`}>
        <input type="hidden" name="_csrf" value={csrf} />
        <button class="button button-secondary" type="submit">
          {tr(lang, 'خروج', 'Sign out')}
        </button>
      </form>
    </Layout>
  );
}
