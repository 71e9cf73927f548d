// The components' own words (typed catalogue, see catalogue() in platform/i18n.ts).
import { catalogue } from '../../platform/i18n.ts';

export const componentWords = catalogue({
  errorPrefix: { fa: 'خطا:', en: 'Error:' },
  thereIsAProblem: { fa: 'مشکلی وجود دارد', en: 'There is a problem' },
  breadcrumb: { fa: 'مسیر صفحه', en: 'Breadcrumb' },
  home: { fa: 'خانه', en: 'Home' },
  back: { fa: 'بازگشت', en: 'Back' },
  previous: { fa: 'قبلی', en: 'Previous' },
  previousPage: { fa: 'صفحه قبل', en: 'Previous page' },
  nextPage: { fa: 'صفحه بعد', en: 'Next page' },
  pageN: { fa: 'صفحه {n}', en: 'Page {n}' },
  pages: { fa: 'صفحه‌ها', en: 'Pages' },
  choose: { fa: 'انتخاب کنید', en: 'Choose' },
  optional: { fa: '(اختیاری)', en: '(optional)' },
  day: { fa: 'روز', en: 'Day' },
  month: { fa: 'ماه', en: 'Month' },
  year: { fa: 'سال', en: 'Year' },
  dateExample: { fa: 'به تاریخ خورشیدی، برای نمونه ۲۷ ۳ ۱۳۷۰', en: 'For example, 27 3 1991' },
});
