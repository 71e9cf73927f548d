// The catalogue's controlled vocabularies: categories, life events, audiences, channels, maturity.
import type { LocalText } from '../../db/schema.ts';

export interface Term {
  code: string;
  name: { fa: string; en: string };
}

export const CATEGORIES: Term[] = [
  { code: 'identity-civil-status', name: { fa: 'هویت و ثبت احوال', en: 'Identity and civil status' } },
  { code: 'travel-passports', name: { fa: 'سفر و گذرنامه', en: 'Travel and passports' } },
  { code: 'tax-finance', name: { fa: 'مالیات و امور مالی', en: 'Tax and finance' } },
  { code: 'business-trade', name: { fa: 'کسب‌وکار و تجارت', en: 'Business and trade' } },
  { code: 'social-security-pensions', name: { fa: 'تأمین اجتماعی و بازنشستگی', en: 'Social security and pensions' } },
  { code: 'health', name: { fa: 'سلامت و درمان', en: 'Health' } },
  { code: 'education', name: { fa: 'آموزش', en: 'Education' } },
  { code: 'housing-property', name: { fa: 'مسکن و املاک', en: 'Housing and property' } },
  { code: 'transport-vehicles', name: { fa: 'حمل‌ونقل و خودرو', en: 'Transport and vehicles' } },
  { code: 'justice-legal', name: { fa: 'قضایی و حقوقی', en: 'Justice and legal' } },
  { code: 'employment-labour', name: { fa: 'کار و اشتغال', en: 'Work and employment' } },
  { code: 'agriculture-environment', name: { fa: 'کشاورزی و محیط زیست', en: 'Agriculture and environment' } },
  { code: 'utilities-telecom', name: { fa: 'آب، برق، گاز و ارتباطات', en: 'Utilities and telecoms' } },
  { code: 'municipal-services', name: { fa: 'خدمات شهری', en: 'Municipal services' } },
  { code: 'military-service', name: { fa: 'نظام وظیفه', en: 'Military service' } },
  { code: 'culture-tourism', name: { fa: 'فرهنگ و گردشگری', en: 'Culture and tourism' } },
  { code: 'welfare-support', name: { fa: 'حمایت و رفاه اجتماعی', en: 'Welfare and support' } },
];

export const LIFE_EVENTS: Term[] = [
  { code: 'having-a-baby', name: { fa: 'تولد فرزند', en: 'Having a baby' } },
  { code: 'starting-school', name: { fa: 'شروع مدرسه', en: 'Starting school' } },
  { code: 'going-to-university', name: { fa: 'ورود به دانشگاه', en: 'Going to university' } },
  { code: 'getting-married', name: { fa: 'ازدواج', en: 'Getting married' } },
  { code: 'looking-for-work', name: { fa: 'جست‌وجوی کار', en: 'Looking for work' } },
  { code: 'starting-a-business', name: { fa: 'راه‌اندازی کسب‌وکار', en: 'Starting a business' } },
  { code: 'running-a-business', name: { fa: 'اداره کسب‌وکار', en: 'Running a business' } },
  { code: 'buying-a-home', name: { fa: 'خرید خانه', en: 'Buying a home' } },
  { code: 'buying-a-car', name: { fa: 'خرید خودرو', en: 'Buying a car' } },
  { code: 'travelling-abroad', name: { fa: 'سفر به خارج', en: 'Travelling abroad' } },
  { code: 'moving-house', name: { fa: 'تغییر محل سکونت', en: 'Moving house' } },
  { code: 'reaching-military-age', name: { fa: 'رسیدن به سن مشمولیت', en: 'Reaching military service age' } },
  { code: 'falling-ill', name: { fa: 'بیماری', en: 'Falling ill' } },
  { code: 'retiring', name: { fa: 'بازنشستگی', en: 'Retiring' } },
  { code: 'losing-a-loved-one', name: { fa: 'درگذشت عزیزان', en: 'When someone dies' } },
];

export const AUDIENCES: Term[] = [
  { code: 'citizens', name: { fa: 'شهروندان', en: 'Citizens' } },
  { code: 'businesses', name: { fa: 'کسب‌وکارها و سازمان‌ها', en: 'Businesses and organisations' } },
  { code: 'government', name: { fa: 'دستگاه‌های دولتی', en: 'Government bodies' } },
];

export const CHANNELS: Term[] = [
  { code: 'window', name: { fa: 'در همین پنجره', en: 'In this window' } },
  { code: 'online', name: { fa: 'سامانه برخط دستگاه', en: "Agency's online service" } },
  { code: 'mobile-app', name: { fa: 'اپلیکیشن همراه', en: 'Mobile app' } },
  { code: 'in-person', name: { fa: 'حضوری', en: 'In person' } },
  { code: 'phone', name: { fa: 'تلفنی', en: 'By phone' } },
];

export const MATURITY: Term[] = [
  { code: '1', name: { fa: 'اطلاع‌رسانی', en: 'Information only' } },
  { code: '2', name: { fa: 'دریافت فرم', en: 'Downloadable forms' } },
  { code: '3', name: { fa: 'ثبت درخواست برخط', en: 'Online submission' } },
  { code: '4', name: { fa: 'تمام‌الکترونیکی', en: 'Fully online' } },
  { code: '5', name: { fa: 'پیش‌دستانه و یکپارچه', en: 'Proactive and integrated' } },
];

export const STATUSES = ['draft', 'published', 'retired'] as const;

const index = (terms: Term[]) => new Map(terms.map((t) => [t.code, t]));
export const categoryByCode = index(CATEGORIES);
export const lifeEventByCode = index(LIFE_EVENTS);
export const audienceByCode = index(AUDIENCES);
export const channelByCode = index(CHANNELS);
export const maturityByCode = index(MATURITY);

/** Text in the wanted language, falling back to the other, with the language it is really in. */
export function pick(text: LocalText | null | undefined, lang: 'fa' | 'en'): { text: string; lang: string } {
  if (!text) return { text: '', lang };
  const order = lang === 'fa' ? (['fa', 'en', 'fr'] as const) : (['en', 'fa', 'fr'] as const);
  for (const l of order) {
    const t = text[l];
    if (t) return { text: t, lang: l };
  }
  return { text: '', lang };
}
