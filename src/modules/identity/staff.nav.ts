// The staff shell's navigation: the workspace links one officer's role may use (queue, statistics,
// services and forms, documents, people, integrations, payments, monitoring, audit, ...), each asked of the
// policy, and the frame the shared layout draws (src/web/frame.ts). The staff home lists the same links.
import type { StaffRole } from '../../db/schema.ts';
import { tr, type Lang } from '../../platform/i18n.ts';
import type { StaffFrame, StaffNavLink } from '../../web/frame.ts';
import { can } from './identity.policy.ts';
import type { StaffRow } from './staff.service.ts';

/** Every staff role's name (typed by StaffRole: a role missing here does not compile). */
export const ROLE_NAMES: Record<StaffRole, { fa: string; en: string }> = {
  'platform-admin': { fa: 'مدیر سامانه', en: 'Platform administrator' },
  'oversight-analyst': { fa: 'کارشناس نظارت', en: 'Oversight analyst' },
  'agency-admin': { fa: 'مدیر دستگاه', en: 'Agency administrator' },
  'service-editor': { fa: 'ویراستار خدمات', en: 'Service editor' },
  operator: { fa: 'کارشناس پاسخگو', en: 'Operator' },
  'finance-officer': { fa: 'کارشناس مالی', en: 'Finance officer' },
  'participation-editor': { fa: 'ویرایشگر مشارکت', en: 'Participation editor' },
  'counter-operator': { fa: 'کاربر دفتر پیشخوان', en: 'Counter office operator' },
};

export const roleName = (role: string, lang: Lang): string => ROLE_NAMES[role as StaffRole]?.[lang] ?? role;

/** The links `staff` may use, in workspace order. */
export function staffNav(lang: Lang, staff: StaffRow): StaffNavLink[] {
  const who = { id: staff.id, role: staff.role, agencyId: staff.agency_id };
  const own = { agencyId: staff.agency_id ?? undefined };
  const a = staff.agency_id;
  const links: (StaffNavLink | false)[] = [
    !!a &&
      can(who, 'applications.work', { agencyId: a }) && {
        key: 'queue',
        href: `/${lang}/staff/applications`,
        label: tr(lang, 'صف درخواست‌ها', 'Queue'),
      },
    can(who, 'applications.stats', own) &&
      (!!a || can(who, 'oversight.view')) && {
        key: 'statistics',
        href: a ? `/${lang}/staff/applications/stats` : `/${lang}/staff/exchange/statistics`,
        label: tr(lang, 'آمار', 'Statistics'),
      },
    !!a && {
      key: 'services',
      href: `/${lang}/staff/agencies/${a}/services`,
      label: tr(lang, 'خدمات و فرم‌ها', 'Services and forms'),
    },
    can(who, 'requests.work', own) && {
      key: 'requests',
      href: `/${lang}/staff/requests`,
      label: tr(lang, 'شکایت‌ها و درخواست‌های اطلاعات', 'Complaints and FOI requests'),
    },
    !!a &&
      can(who, 'participation.manage', { agencyId: a }) && {
        key: 'participation',
        href: `/${lang}/staff/participation`,
        label: tr(lang, 'مشارکت', 'Participation'),
      },
    can(who, 'counter.work') && {
      key: 'counter',
      href: `/${lang}/staff/counter`,
      label: tr(lang, 'میز پیشخوان', 'Counter desk'),
    },
    can(who, 'counter.manage') && {
      key: 'counter-offices',
      href: `/${lang}/staff/counter/offices`,
      label: tr(lang, 'دفترهای پیشخوان', 'Counter offices'),
    },
    can(who, 'catalog.dictionary') && {
      key: 'search',
      href: `/${lang}/staff/search/queries`,
      label: tr(lang, 'جست‌وجو', 'Search'),
    },
    can(who, 'documents.list', own) && {
      key: 'documents',
      href: `/${lang}/staff/documents`,
      label: tr(lang, 'سندها', 'Documents'),
    },
    !!a &&
      can(who, 'staff.manage', { agencyId: a }) && {
        key: 'people',
        href: `/${lang}/staff/agencies/${a}/people`,
        label: tr(lang, 'کارکنان', 'People'),
      },
    can(who, 'integrations.manage', own) && {
      key: 'integrations',
      href: a ? `/${lang}/staff/agencies/${a}/integrations` : `/${lang}/staff/integrations`,
      label: tr(lang, 'اتصال سامانه‌ها', 'Integrations'),
    },
    can(who, 'payments.report', own) && {
      key: 'payments',
      href: `/${lang}/staff/payments`,
      label: tr(lang, 'پرداخت‌ها', 'Payments'),
    },
    can(who, 'oversight.view') && {
      key: 'oversight',
      href: `/${lang}/staff/oversight`,
      label: tr(lang, 'نظارت', 'Oversight'),
    },
    can(who, 'exchange.manage') && {
      key: 'exchange',
      href: `/${lang}/staff/exchange`,
      label: tr(lang, 'تبادل داده', 'Data exchange'),
    },
    can(who, 'monitoring.work') && {
      key: 'monitoring',
      href: `/${lang}/staff/monitoring`,
      label: tr(lang, 'پایش', 'Monitoring'),
    },
    can(who, 'audit.view') && {
      key: 'audit',
      href: `/${lang}/staff/audit`,
      label: tr(lang, 'گزارش رخدادها', 'Audit'),
    },
    { key: 'account', href: `/${lang}/staff/account`, label: tr(lang, 'امنیت حساب', 'Account security') },
  ];
  return links.filter((l): l is StaffNavLink => !!l);
}

export function staffFrameOf(lang: Lang, staff: StaffRow, agencyName: string | null, csrf: () => string): StaffFrame {
  return {
    name: staff.name || staff.email,
    role: roleName(staff.role, lang),
    agency: agencyName,
    nav: staffNav(lang, staff),
    signOut: { action: `/${lang}/staff/sign-out`, csrf },
  };
}
