// The indicator sets Panjereh ships: the national e-service maturity model (per agency), the UN Local
// Online Service Index 2024 (95 indicators, datasets/monitoring) and a portal checklist in the
// spirit of the UN Online Service Index.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { fileURLToPath } from 'node:url';
import type { Indicator, IndicatorSetInput, PortalCheckKey } from './monitoring.schema.ts';
import { REQUESTS_SET } from '../requests/requests.indicators.ts';

const auto = (
  code: string,
  criterion: string,
  fa: string,
  en: string,
  type: Indicator['type'],
  metric: string,
  rule: Indicator['rule'] = {},
  weight = 1,
): Indicator => ({ code, criterion, description: { fa, en }, type, weight, answeredBy: 'auto', metric, rule });
const asked = (
  code: string,
  criterion: string,
  fa: string,
  en: string,
  type: Indicator['type'] = 'yesno',
  check?: PortalCheckKey,
  rule: Indicator['rule'] = {},
  weight = 1,
): Indicator => ({ code, criterion, description: { fa, en }, type, weight, answeredBy: 'assessor', ...(check ? { check } : {}), rule });

export const MATURITY: IndicatorSetInput = {
  key: 'national-maturity',
  name: { fa: 'مدل ملی بلوغ خدمات الکترونیکی دستگاه‌ها', en: 'National e-service maturity model' },
  scope: 'agency',
  rollup: 'criteria',
  criteria: [
    { code: 'availability', name: { fa: 'دسترس‌پذیری', en: 'Availability' }, weight: 1 },
    { code: 'integration', name: { fa: 'یکپارچگی', en: 'Integration' }, weight: 1 },
    { code: 'usage', name: { fa: 'استفاده', en: 'Usage' }, weight: 1 },
    { code: 'performance', name: { fa: 'عملکرد', en: 'Performance' }, weight: 1 },
    { code: 'satisfaction', name: { fa: 'رضایت', en: 'Satisfaction' }, weight: 1 },
    { code: 'transparency', name: { fa: 'شفافیت', en: 'Transparency' }, weight: 1 },
  ],
  indicators: [
    auto(
      'AV-1',
      'availability',
      'سهم خدمات در مرحله بلوغ ۳، ۴ یا ۵',
      'Share of services at maturity stage 3, 4 or 5',
      'percentage',
      'catalog.stage-3-5-share',
    ),
    auto(
      'AV-2',
      'availability',
      'سهم خدمات تراکنشی (مرحله ۴ یا ۵)',
      'Share of transactional services (stage 4 or 5)',
      'percentage',
      'catalog.stage-4-5-share',
    ),
    auto('IN-1', 'integration', 'متصل به پنجره', 'Connected to the window', 'yesno', 'catalog.connected'),
    auto(
      'IN-2',
      'integration',
      'سهم خدمات استفاده‌کننده از تبادل داده',
      'Share of services using the data exchange',
      'percentage',
      'exchange.services-share',
    ),
    auto(
      'IN-3',
      'integration',
      'سهم فیلدهای پیش‌پرشده در درخواست‌ها',
      'Share of application fields prefilled',
      'percentage',
      'applications.prefilled-share',
    ),
    auto(
      'IN-4',
      'integration',
      'درگاه دستگاه از ورود یکپارچه استفاده می‌کند',
      "The agency's portal uses single sign-on",
      'yesno',
      'sso.portal-client',
    ),
    auto(
      'IN-5',
      'integration',
      'کارکنان دستگاه حساب فعال در پنجره دارند',
      "The agency's staff have active accounts on the window",
      'yesno',
      'staff.active-accounts',
    ),
    auto('US-1', 'usage', 'سهم درخواست‌های برخط', 'Share of applications made online', 'percentage', 'applications.online-share'),
    auto(
      'PF-1',
      'performance',
      'سهم تصمیم‌ها در زمان وعده‌داده‌شده',
      'Decisions within the promised time',
      'percentage',
      'applications.on-time-share',
    ),
    auto('PF-2', 'performance', 'میانه روزها تا تصمیم', 'Median days to a decision', 'number', 'applications.median-days', {
      target: 5,
      better: 'lower',
    }),
    auto('SA-1', 'satisfaction', 'میانگین امتیاز کاربران (۱ تا ۵)', 'Average user rating (1 to 5)', 'scale', 'ratings.average', {
      min: 1,
      max: 5,
    }),
    auto(
      'SA-2',
      'satisfaction',
      'سهم کاربران راضی (SDG 16.6.2)',
      'Share of users satisfied (SDG 16.6.2)',
      'percentage',
      'ratings.satisfied-share',
    ),
    auto('TR-1', 'transparency', 'کامل بودن شناسنامه خدمات', 'Completeness of service cards', 'percentage', 'catalog.card-completeness'),
    asked('TR-2', 'transparency', 'داده باز درباره خدمات و عملکرد خود منتشر می‌کند', 'Publishes open data on its services and performance'),
  ],
};

const LOSI_CRITERIA: Record<string, { code: string; fa: string }> = {
  'Institutional Framework': { code: 'IF', fa: 'چارچوب نهادی' },
  'Content Provision': { code: 'CP', fa: 'ارائه محتوا' },
  'Services Provision': { code: 'SP', fa: 'ارائه خدمات' },
  'Participation and Engagement': { code: 'PE', fa: 'مشارکت و تعامل' },
  Technology: { code: 'TE', fa: 'فناوری' },
  'E-Government Literacy': { code: 'EL', fa: 'سواد دولت الکترونیک' },
};
/** LOSI indicators an automated portal check can propose an answer for. */
const LOSI_CHECKS: Record<string, PortalCheckKey> = {
  '#214': 'contact',
  '#204': 'viewport',
  '#206': 'search',
  '#210': 'axe-violations',
  '#234': 'privacy',
  '#222': 'services-list',
};

export const LOSI_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'datasets',
  'monitoring',
  'un-losi-2024-indicators.csv',
);
/** Panjereh's Persian translation of the LOSI descriptions, keyed by code and criterion like the UN file. */
export const LOSI_FA_FILE = LOSI_FILE.replace(/\.csv$/, '.fa.csv');

/** Where a built-in set comes from, shown with it (fa/en). */
export const SET_SOURCES: Record<string, { fa: string; en: string }> = {
  'un-losi-2024': {
    fa: 'منبع: شاخص‌های LOSI ۲۰۲۴ از روش‌شناسی پیمایش دولت الکترونیک سازمان ملل (UN DESA، ۲۰۲۴). متن انگلیسی از سازمان ملل است و ترجمه فارسی از پنجره.',
    en: "Source: the LOSI 2024 indicators from the UN E-Government Survey 2024 methodology (UN DESA). The English text is the United Nations'; the Persian translation is Panjereh's.",
  },
};

/** UN LOSI 2024, criterion by criterion. The source repeats #236 under two criteria, so codes are "<criterion>-<number>". */
export function losiSet(
  file = LOSI_FILE,
  faFile = file === LOSI_FILE ? LOSI_FA_FILE : file.replace(/\.csv$/, '.fa.csv'),
): IndicatorSetInput {
  const read = <T>(f: string) =>
    parse(fs.readFileSync(f, 'utf8'), { columns: true, skip_empty_lines: true, trim: true, relax_quotes: true }) as T[];
  const rows = read<{ code: string; criterion: string; short_description: string }>(file);
  const fa = new Map(
    fs.existsSync(faFile)
      ? read<{ code: string; criterion: string; description_fa: string }>(faFile).map((r) => [`${r.criterion}|${r.code}`, r.description_fa])
      : [],
  );
  const criteria = Object.entries(LOSI_CRITERIA).map(([en, c]) => ({ code: c.code, name: { fa: c.fa, en }, weight: 1 }));
  const indicators = rows.map((r): Indicator => {
    const c = LOSI_CRITERIA[r.criterion];
    if (!c) throw new Error(`LOSI: unknown criterion "${r.criterion}"`);
    const check = LOSI_CHECKS[r.code];
    // axe finds violations: a yes/no "met" can't come from a count, so #210 is met when there are none.
    return {
      code: `${c.code}-${r.code.replace('#', '')}`,
      criterion: c.code,
      description: { ...(fa.get(`${r.criterion}|${r.code}`) ? { fa: fa.get(`${r.criterion}|${r.code}`) } : {}), en: r.short_description },
      type: 'yesno',
      weight: 1,
      answeredBy: 'assessor',
      ...(check ? { check } : {}),
      rule: {},
    };
  });
  return {
    key: 'un-losi-2024',
    name: { fa: 'شاخص خدمات برخط محلی سازمان ملل (LOSI) ۲۰۲۴', en: 'UN Local Online Service Index (LOSI) 2024' },
    scope: 'portal',
    rollup: 'pooled',
    criteria,
    indicators,
  };
}

export const PORTAL_CHECKLIST: IndicatorSetInput = {
  key: 'portal-checklist',
  name: { fa: 'فهرست وارسی درگاه اینترنتی دستگاه', en: "Checklist for an agency's own website" },
  scope: 'portal',
  rollup: 'criteria',
  criteria: [
    { code: 'security', name: { fa: 'امنیت', en: 'Security' }, weight: 1 },
    { code: 'speed', name: { fa: 'سرعت', en: 'Speed' }, weight: 1 },
    { code: 'access', name: { fa: 'دسترس‌پذیری برای همه', en: 'Accessibility' }, weight: 1 },
    { code: 'content', name: { fa: 'محتوا', en: 'Content' }, weight: 1 },
    { code: 'services', name: { fa: 'خدمات برخط', en: 'Online services' }, weight: 1 },
  ],
  indicators: [
    asked('PC-SEC-1', 'security', 'وبگاه فقط با HTTPS باز می‌شود', 'The site is served over HTTPS', 'yesno', 'https'),
    asked('PC-SEC-2', 'security', 'گواهی TLS معتبر است', 'The TLS certificate is valid and trusted', 'yesno', 'certificate-valid'),
    asked(
      'PC-SEC-3',
      'security',
      'روزهای مانده تا انقضای گواهی',
      'Days left before the certificate expires',
      'number',
      'certificate-days-left',
      { target: 30, better: 'higher' },
    ),
    asked('PC-SPD-1', 'speed', 'زمان پاسخ صفحه اصلی (میلی‌ثانیه)', 'Home page response time (milliseconds)', 'number', 'response-ms', {
      target: 1000,
      better: 'lower',
    }),
    asked('PC-SPD-2', 'speed', 'حجم صفحه اصلی (کیلوبایت)', 'Home page weight (kilobytes)', 'number', 'page-kb', {
      target: 1500,
      better: 'lower',
    }),
    asked(
      'PC-ACC-1',
      'access',
      'زبان و جهت صفحه (lang و dir) تعیین شده است',
      'The page declares its language and direction (lang, dir)',
      'yesno',
      'lang-dir',
    ),
    asked('PC-ACC-2', 'access', 'برای تلفن همراه سازگار است (viewport)', 'Mobile-friendly (viewport meta)', 'yesno', 'viewport'),
    asked(
      'PC-ACC-3',
      'access',
      'خطاهای دسترس‌پذیری (axe، WCAG 2.2 AA)',
      'Accessibility violations found (axe, WCAG 2.2 AA)',
      'number',
      'axe-violations',
      { target: 0, better: 'lower' },
    ),
    asked('PC-CON-1', 'content', 'جست‌وجو در وبگاه', 'A site search', 'yesno', 'search'),
    asked('PC-CON-2', 'content', 'راه‌های تماس (تلفن، رایانامه یا نشانی)', 'Contact details (phone, email or address)', 'yesno', 'contact'),
    asked('PC-CON-3', 'content', 'سیاست حریم خصوصی', 'A privacy policy', 'yesno', 'privacy'),
    asked('PC-SRV-1', 'services', 'فهرست خدمات دستگاه', "A list of the agency's services", 'yesno', 'services-list'),
    asked('PC-SRV-2', 'services', 'دست‌کم یک خدمت کاملاً برخط (درخواست و پرداخت)', 'At least one service fully online (apply and pay)'),
    asked('PC-SRV-3', 'services', 'سازوکار بازخورد و مشارکت شهروندان', 'A way for citizens to give feedback or take part'),
  ],
};

export const builtinSets = (): IndicatorSetInput[] => [MATURITY, losiSet(), PORTAL_CHECKLIST, REQUESTS_SET];
