// The words of the requests module, in Persian and English: kinds, statuses, demand categories, the
// exemption grounds of the Law on Publication and Free Access to Information, outcome codes and the
// timeline's event names. Data, no markup.
import { AppError } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { CitizenRequestKind, CitizenRequestStatus, LocalText } from '../../db/schema.ts';

type Names<K extends string> = Record<K, { fa: string; en: string }>;

export const KINDS: CitizenRequestKind[] = ['complaint', 'foi', 'demand'];
export const KIND_NAME: Names<CitizenRequestKind> = {
  complaint: { fa: 'شکایت', en: 'Complaint' },
  foi: { fa: 'درخواست دسترسی به اطلاعات', en: 'Freedom of information request' },
  demand: { fa: 'مطالبه یا پیشنهاد', en: 'Public demand or suggestion' },
};

export const STATUS_NAME: Names<CitizenRequestStatus> = {
  open: { fa: 'در حال رسیدگی', en: 'Being dealt with' },
  clarification: { fa: 'منتظر توضیح شما', en: 'Waiting for your clarification' },
  answered: { fa: 'پاسخ داده شد', en: 'Answered' },
  partial: { fa: 'پاسخ با امتناع جزئی', en: 'Answered with a partial refusal' },
  refused: { fa: 'رد شد', en: 'Refused' },
  closed: { fa: 'بسته شد', en: 'Closed' },
  'vexatious-review': { fa: 'در بررسی نهاد نظارتی (مزاحمت‌آمیز)', en: 'Under oversight review (vexatious)' },
};
export const OPEN_STATUSES: CitizenRequestStatus[] = ['open', 'clarification', 'vexatious-review'];

export const CATEGORIES: Names<string> = {
  services: { fa: 'بهبود خدمات', en: 'Better services' },
  law: { fa: 'قوانین و مقررات', en: 'Laws and regulations' },
  infrastructure: { fa: 'زیرساخت و شهر', en: 'Infrastructure and cities' },
  economy: { fa: 'اقتصاد و معیشت', en: 'Economy and living costs' },
  other: { fa: 'سایر', en: 'Other' },
};

/** The exemption grounds of Iran's Law on Publication and Free Access to Information (articles 13 to 17). */
export const EXEMPTIONS: Names<string> = {
  'art13-classified': { fa: 'اسناد طبقه‌بندی‌شده (ماده ۱۳)', en: 'Classified documents (article 13)' },
  'art14-privacy': { fa: 'حریم خصوصی اشخاص (ماده ۱۴)', en: 'Personal privacy (article 14)' },
  'art15-safety': { fa: 'سلامت و امنیت اشخاص (ماده ۱۵)', en: 'Health and safety of people (article 15)' },
  'art16-investigation': { fa: 'پیشگیری یا کشف جرم و تحقیقات (ماده ۱۶)', en: 'Crime prevention and investigations (article 16)' },
  'art17-commercial': { fa: 'اسرار تجاری و منافع اقتصادی (ماده ۱۷)', en: 'Commercial secrets and economic interests (article 17)' },
};

export const OUTCOMES: Names<string> = {
  resolved: { fa: 'رفع مشکل', en: 'Resolved' },
  explained: { fa: 'توضیح داده شد', en: 'Explained' },
  'not-upheld': { fa: 'شکایت وارد نیست', en: 'Not upheld' },
  'info-given': { fa: 'اطلاعات داده شد', en: 'Information given' },
  'not-held': { fa: 'اطلاعات در اختیار دستگاه نیست', en: 'Information not held' },
  referred: { fa: 'ارجاع به مرجع صالح', en: 'Referred elsewhere' },
};

export const EVENT_NAME: Names<string> = {
  filed: { fa: 'ثبت شد', en: 'Filed' },
  claimed: { fa: 'کارشناس رسیدگی را برعهده گرفت', en: 'An officer took it on' },
  assigned: { fa: 'به کارشناس ارجاع شد', en: 'Assigned to an officer' },
  clarification: { fa: 'درخواست توضیح (مهلت متوقف شد)', en: 'Clarification asked for (the clock is paused)' },
  'citizen-reply': { fa: 'پاسخ شهروند', en: 'Your message' },
  resumed: { fa: 'مهلت دوباره جریان یافت', en: 'The clock runs again' },
  transferred: { fa: 'به دستگاه دیگر منتقل شد (مهلت از نو)', en: 'Transferred to another agency (the clock restarts)' },
  split: { fa: 'بخشی از آن درخواست جداگانه‌ای شد', en: 'A part of it became a request of its own' },
  'split-from': { fa: 'از درخواست دیگری جدا شد (مهلت خود را دارد)', en: 'Split off another request (it has its own clock)' },
  answered: { fa: 'پاسخ داده شد', en: 'Answered' },
  partial: { fa: 'پاسخ با امتناع جزئی', en: 'Answered with a partial refusal' },
  refused: { fa: 'رد شد', en: 'Refused' },
  closed: { fa: 'بسته شد', en: 'Closed' },
  'escalated-head': {
    fa: 'مهلت گذشت: ارجاع به مسئول رسیدگی به شکایات دستگاه',
    en: 'Overdue: escalated to the agency’s head of complaints',
  },
  'escalated-oversight': { fa: 'مهلت گذشت: ارجاع به نهاد نظارتی', en: 'Overdue: escalated to the oversight office' },
  appealed: { fa: 'تجدیدنظرخواهی نزد کمیسیون انتشار و دسترسی آزاد به اطلاعات', en: 'Appealed to the FOI commission' },
  'appeal-upheld': { fa: 'کمیسیون تجدیدنظرخواهی را پذیرفت', en: 'The commission upheld the appeal' },
  'appeal-dismissed': { fa: 'کمیسیون تجدیدنظرخواهی را رد کرد', en: 'The commission dismissed the appeal' },
  'marked-vexatious': {
    fa: 'دستگاه آن را مزاحمت‌آمیز دانست؛ نهاد نظارتی بررسی می‌کند',
    en: 'The agency marked it vexatious; oversight reviews it',
  },
  'vexatious-confirmed': { fa: 'نهاد نظارتی مزاحمت‌آمیز بودن را تأیید کرد', en: 'Oversight confirmed it vexatious' },
  'vexatious-rejected': { fa: 'نهاد نظارتی آن را به دستگاه بازگرداند', en: 'Oversight sent it back to the agency' },
  published: { fa: 'در فهرست عمومی منتشر شد', en: 'Published in the public register' },
  'publication-rejected': { fa: 'انتشار پذیرفته نشد', en: 'Not published' },
  rated: { fa: 'پاسخ را امتیاز دادید', en: 'You rated the answer' },
};

export const name = (names: Names<string>, key: string | null | undefined, lang: 'fa' | 'en'): string =>
  (key && names[key]?.[lang]) || key || '';
export const localText = (l: LocalText, lang: 'fa' | 'en'): string => l[lang] || l.fa || l.en || '';

/** One field's problem, in both languages. */
export type FieldProblem = { field: string; fa: string; en: string };

/** Field problems of a REQUEST_INVALID as the page's error messages; any other error goes on up. */
export function problemsOf(e: unknown, l: Lang): Record<string, string> {
  if (!(e instanceof AppError) || e.code !== 'REQUEST_INVALID') throw e;
  const problems = (e.details?.problems ?? []) as FieldProblem[];
  return Object.fromEntries(problems.map((p) => [p.field, p[l]]));
}
