// Interface text in Persian (default, right-to-left) and English, and locale-aware formatting:
// Solar Hijri dates and Persian digits on fa pages, Gregorian on en pages.
import { toPersianDigits } from './persian.ts';
import { AppError } from './errors.ts';

export type Lang = 'fa' | 'en';
export const LANGS: Lang[] = ['fa', 'en'];
export const isLang = (v: unknown): v is Lang => v === 'fa' || v === 'en';
export const dirOf = (lang: string) => (lang === 'fa' ? 'rtl' : 'ltr');

/** The page language from a route's :lang parameter; anything else is a 404. */
export function langOf(params: { lang: string }): Lang {
  if (!isLang(params.lang)) throw new AppError('NOT_FOUND');
  return params.lang;
}

/** Text written in place in both languages (for a module's own wording). */
export const tr = (lang: Lang, fa: string, en: string) => (lang === 'fa' ? fa : en);

const en = {
  siteName: 'Panjereh',
  siteTagline: 'Government services in one place',
  skipToContent: 'Skip to main content',
  otherLanguage: 'فارسی',
  otherLanguageName: 'Persian',
  home: 'Home',
  searchLabel: 'Search for a government service',
  searchHint: 'For example: passport, birth certificate, tax return',
  searchButton: 'Search',
  popularServices: 'Popular services',
  lifeEvents: 'Life events',
  lifeEventsIntro: 'Services grouped by what is happening in your life.',
  categories: 'Browse by topic',
  agencies: 'Government agencies',
  allAgencies: 'All agencies',
  searchResults: 'Search results',
  resultsFor: 'results for',
  resultFor: 'result for',
  results: 'results',
  result: 'result',
  noResults: 'No services match your search.',
  noResultsHelp: 'Check the spelling, use fewer or more general words, or remove a filter.',
  partialMatch: 'No service matched every word, so services that match some of the words are shown.',
  filters: 'Filter results',
  applyFilters: 'Apply filters',
  clearFilters: 'Clear filters',
  facet_agency: 'Agency',
  facet_category: 'Topic',
  facet_lifeEvent: 'Life event',
  facet_audience: 'Who it is for',
  facet_channel: 'How to apply',
  facet_maturity: 'Online stage',
  previous: 'Previous',
  next: 'Next',
  pageOf: 'Page {page} of {pages}',
  pagination: 'Pages of results',
  service: 'Service',
  startNow: 'Start now',
  applyOnline: 'Apply online',
  applyAtAgency: "Go to the agency's online service",
  whoCanUse: 'Who can use this service',
  whatItCosts: 'What it costs',
  free: 'Free',
  feeApplies: 'A fee applies',
  rials: 'rials',
  howLong: 'How long it takes',
  immediate: 'Immediately',
  upToDays: 'Up to {n} working days',
  notStated: 'Not stated',
  whatYouNeed: 'What you need',
  noDocuments: 'No documents are listed for this service.',
  howToApply: 'Ways to apply',
  legalBasis: 'Legal basis',
  providedBy: 'Provided by',
  onlineStage: 'Online stage',
  stageOf: 'Stage {n} of 5',
  lastUpdated: 'Last updated',
  version: 'Version',
  retiredNotice: 'This service is no longer offered. The card is kept for reference.',
  audience: 'For',
  topics: 'Topics',
  connected: 'Connected to Panjereh',
  connectedSince: 'Connected to Panjereh since {date}',
  notConnected: 'Not yet connected to Panjereh',
  parentMinistry: 'Part of',
  website: 'Website',
  phone: 'Phone',
  email: 'Email',
  address: 'Address',
  servicesOfAgency: 'Services',
  serviceCount: '{n} services',
  noServices: 'This agency has no published services yet.',
  openData: 'Open data',
  apiDocs: 'API for developers',
  footerLicence: 'Catalogue data is open data under CC BY 4.0.',
  errorPrefix: 'Error:',
  thereIsAProblem: 'There is a problem',
  notFoundTitle: 'Page not found',
  notFoundBody: 'If you typed the web address, check it is correct. If you pasted it, check you copied the whole address.',
  serviceErrorTitle: 'Sorry, there is a problem with the service',
  serviceErrorBody: 'Try again later. If you contact us about this, give this reference:',
  unavailableTitle: 'The service is temporarily unavailable',
  unavailableBody: 'We cannot reach our records for a moment. Try again in a minute.',
  unavailableKept:
    'Nothing you saved before this page was lost. If you were sending something, go back and send it again: an application is never submitted twice.',
  goHome: 'Go to the home page',
  back: 'Back',
  andMore: 'and {n} more',
  whereInPerson: 'In person',
} as const;

export type MessageKey = keyof typeof en;

const fa: Record<MessageKey, string> = {
  siteName: 'پنجره',
  siteTagline: 'خدمات دولت در یک جا',
  skipToContent: 'رفتن به محتوای اصلی',
  otherLanguage: 'English',
  otherLanguageName: 'انگلیسی',
  home: 'خانه',
  searchLabel: 'جست‌وجوی خدمات دولتی',
  searchHint: 'مثلاً: گذرنامه، شناسنامه، اظهارنامه مالیاتی',
  searchButton: 'جست‌وجو',
  popularServices: 'خدمات پرکاربرد',
  lifeEvents: 'رویدادهای زندگی',
  lifeEventsIntro: 'خدمات، بر اساس آنچه در زندگی شما رخ می‌دهد.',
  categories: 'خدمات بر اساس موضوع',
  agencies: 'دستگاه‌های اجرایی',
  allAgencies: 'همه دستگاه‌ها',
  searchResults: 'نتایج جست‌وجو',
  resultsFor: 'نتیجه برای',
  resultFor: 'نتیجه برای',
  results: 'نتیجه',
  result: 'نتیجه',
  noResults: 'هیچ خدمتی با جست‌وجوی شما پیدا نشد.',
  noResultsHelp: 'املای واژه‌ها را بررسی کنید، واژه‌های کمتر یا کلی‌تری بنویسید یا یکی از پالایه‌ها را بردارید.',
  partialMatch: 'هیچ خدمتی همه واژه‌ها را نداشت؛ خدماتی که برخی از واژه‌ها را دارند نمایش داده شده‌اند.',
  filters: 'پالایش نتایج',
  applyFilters: 'اعمال پالایه‌ها',
  clearFilters: 'پاک کردن پالایه‌ها',
  facet_agency: 'دستگاه',
  facet_category: 'موضوع',
  facet_lifeEvent: 'رویداد زندگی',
  facet_audience: 'مخاطب',
  facet_channel: 'شیوه دریافت',
  facet_maturity: 'مرحله الکترونیکی',
  previous: 'قبلی',
  next: 'بعدی',
  pageOf: 'صفحه {page} از {pages}',
  pagination: 'صفحه‌های نتایج',
  service: 'خدمت',
  startNow: 'شروع',
  applyOnline: 'درخواست برخط',
  applyAtAgency: 'رفتن به سامانه برخط دستگاه',
  whoCanUse: 'چه کسانی می‌توانند از این خدمت استفاده کنند',
  whatItCosts: 'هزینه',
  free: 'رایگان',
  feeApplies: 'هزینه دارد',
  rials: 'ریال',
  howLong: 'مدت انجام',
  immediate: 'فوری',
  upToDays: 'حداکثر {n} روز کاری',
  notStated: 'اعلام نشده',
  whatYouNeed: 'مدارک لازم',
  noDocuments: 'مدرکی برای این خدمت فهرست نشده است.',
  howToApply: 'راه‌های دریافت خدمت',
  legalBasis: 'مبنای قانونی',
  providedBy: 'ارائه‌دهنده',
  onlineStage: 'مرحله الکترونیکی',
  stageOf: 'مرحله {n} از ۵',
  lastUpdated: 'آخرین به‌روزرسانی',
  version: 'نسخه',
  retiredNotice: 'این خدمت دیگر ارائه نمی‌شود. این شناسنامه برای آگاهی نگه داشته شده است.',
  audience: 'مخاطب',
  topics: 'موضوع‌ها',
  connected: 'متصل به پنجره',
  connectedSince: 'متصل به پنجره از {date}',
  notConnected: 'هنوز به پنجره متصل نشده است',
  parentMinistry: 'زیرمجموعه',
  website: 'وبگاه',
  phone: 'تلفن',
  email: 'رایانامه',
  address: 'نشانی',
  servicesOfAgency: 'خدمات',
  serviceCount: '{n} خدمت',
  noServices: 'این دستگاه هنوز خدمت منتشرشده‌ای ندارد.',
  openData: 'داده باز',
  apiDocs: 'واسط برنامه‌نویسی (API)',
  footerLicence: 'داده‌های فهرست خدمات، داده باز با پروانه CC BY 4.0 است.',
  errorPrefix: 'خطا:',
  thereIsAProblem: 'مشکلی وجود دارد',
  notFoundTitle: 'صفحه پیدا نشد',
  notFoundBody: 'اگر نشانی را خودتان نوشته‌اید، درستی آن را بررسی کنید. اگر آن را رونوشت کرده‌اید، مطمئن شوید که کل نشانی را برداشته‌اید.',
  serviceErrorTitle: 'متأسفیم، سامانه با مشکل روبه‌رو شده است',
  serviceErrorBody: 'بعداً دوباره تلاش کنید. اگر در این باره با ما تماس می‌گیرید، این شناسه را بگویید:',
  unavailableTitle: 'سامانه موقتاً در دسترس نیست',
  unavailableBody: 'برای چند لحظه به اطلاعات سامانه دسترسی نداریم. یک دقیقه دیگر دوباره تلاش کنید.',
  unavailableKept:
    'آنچه پیش از این صفحه ذخیره کرده‌اید از دست نرفته است. اگر چیزی می‌فرستادید، بازگردید و دوباره بفرستید: هیچ درخواستی دو بار ثبت نمی‌شود.',
  goHome: 'رفتن به صفحه خانه',
  back: 'بازگشت',
  andMore: 'و {n} مورد دیگر',
  whereInPerson: 'حضوری',
};

const messages: Record<Lang, Record<MessageKey, string>> = { fa, en };

/** Interface text; {name} placeholders are filled from params (numbers in the page's digits). */
export function t(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  return fill(lang, messages[lang][key], params);
}

function fill(lang: Lang, text: string, params: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params[k];
    return typeof v === 'number' ? formatNumber(lang, v) : String(v ?? '');
  });
}

/** One entry of a typed message catalogue: the same words in both languages, with {name} placeholders. */
export interface Message {
  fa: string;
  en: string;
}

/** The function a page calls for its words: m('key') or m('key', { n: 3 }) (numbers in the page's digits). */
export type Translate<K extends string> = (key: K, params?: Record<string, string | number>) => string;

/**
 * The one way to write interface text (README, Architecture: "Interface text"). A module (or a page file)
 * declares its words once as a typed catalogue of { fa, en } entries; a page binds it to the request's
 * language and writes m('key'). A missing key or a missing language is a type error.
 *
 *   const words = catalogue({ title: { fa: 'حساب من', en: 'Your account' } });
 *   const m = words(lang);  m('title')
 */
export function catalogue<K extends string>(entries: Record<K, Message>): (lang: Lang) => Translate<K> {
  return (lang) =>
    (key, params = {}) =>
      fill(lang, entries[key][lang], params);
}

const numberFormats = { fa: new Intl.NumberFormat('fa-IR'), en: new Intl.NumberFormat('en-GB') };
export function formatNumber(lang: Lang, n: number): string {
  return numberFormats[lang].format(n);
}

/** A year as a label, never grouped ("2019", "۱۴۰۴"; not "2,019"). */
export function formatYear(lang: Lang, y: number): string {
  return digits(lang, String(y));
}

/** Digits as the page's language writes them (for codes and phone numbers: no grouping). */
export function digits(lang: Lang, s: string): string {
  return lang === 'fa' ? toPersianDigits(s) : s;
}

const dateFormats = {
  fa: new Intl.DateTimeFormat('fa-IR-u-ca-persian', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'Asia/Tehran' }),
  en: new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'Asia/Tehran' }),
};

/** A long date: "۲ آذر ۱۴۰۵" (Solar Hijri) on fa pages, "23 November 2026" on en pages. */
export function formatDate(lang: Lang, d: Date | string): string {
  const date = typeof d === 'string' ? new Date(d.length === 10 ? `${d}T12:00:00Z` : d) : d;
  const ms = date.getTime();
  if (Number.isNaN(ms)) return '';
  // ICU formatting is slow and long lists (the operator queue) repeat dates: remember them per UTC
  // half hour. Iran's offsets (+03:30, and +04:30 in summer until 2022) are whole half hours, so every
  // moment in one UTC half hour has the same date in Tehran.
  const key = `${lang}${Math.floor(ms / 1_800_000)}`;
  let text = dateCache.get(key);
  if (text === undefined) {
    text = dateFormats[lang]
      .formatToParts(date)
      .filter((p) => p.type !== 'era')
      .map((p) => p.value)
      .join('')
      .replace(/\s+ه\.ش\.?/, '')
      .trim();
    if (dateCache.size >= 20_000) dateCache.clear();
    dateCache.set(key, text);
  }
  return text;
}
const dateCache = new Map<string, string>();

const timeFormats = {
  fa: new Intl.DateTimeFormat('fa-IR', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Tehran' }),
  en: new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Tehran' }),
};

/** A clock time in Iran: "۱۴:۰۵" on fa pages, "14:05" on en pages. */
export function formatTime(lang: Lang, d: Date): string {
  return timeFormats[lang].format(d);
}

/** The language a visitor prefers: a cookie, then Accept-Language, then the default. */
export function preferredLang(cookie: string | undefined, acceptLanguage: string | undefined, fallback: Lang): Lang {
  if (isLang(cookie)) return cookie;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, q] = part.trim().split(';q=');
      return { lang: tag.toLowerCase().split('-')[0], q: q === undefined ? 1 : Number(q) || 0 };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { lang } of ranked) if (isLang(lang)) return lang;
  return fallback;
}
