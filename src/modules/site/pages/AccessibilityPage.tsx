// The accessibility statement: the target, how it is checked, what is known not to work, how to report
// a problem, and the statement's date (Jalali on Persian pages).
import { formatDate, tr, type Lang } from '../../../platform/i18n.ts';
import { SitePage } from './parts.tsx';

/** When this statement was last reviewed (change it with the text). */
export const STATEMENT_DATE = '2026-12-07';

export function AccessibilityPage({ lang }: { lang: Lang }) {
  return (
    <SitePage
      lang={lang}
      path="/accessibility"
      title={tr(lang, 'بیانیه دسترس‌پذیری', 'Accessibility statement')}
      description={tr(
        lang,
        'پنجره تا چه اندازه برای همه، از جمله کسانی که با صفحه‌خوان یا صفحه‌کلید کار می‌کنند، دسترس‌پذیر است و مشکلات را چگونه گزارش کنید.',
        'How accessible Panjereh is, including for people using a screen reader or a keyboard, and how to report a problem.',
      )}
    >
      <p class="lead">
        {tr(
          lang,
          'می‌خواهیم هر کسی بتواند از پنجره استفاده کند: با صفحه‌خوان، فقط با صفحه‌کلید، با بزرگ‌نمایی تا چهار برابر، روی تلفن همراه و بدون جاوااسکریپت.',
          'We want everyone to be able to use Panjereh: with a screen reader, with a keyboard only, zoomed in up to four times, on a mobile phone and without JavaScript.',
        )}
      </p>

      <h2>{tr(lang, 'استاندارد', 'The standard we aim for')}</h2>
      <p>
        {tr(
          lang,
          'هدف ما سطح دو-الف (AA) رهنمودهای دسترس‌پذیری محتوای وب، ویرایش ۲٫۲ (WCAG 2.2) است.',
          'Our target is level AA of the Web Content Accessibility Guidelines version 2.2 (WCAG 2.2).',
        )}
      </p>

      <h2>{tr(lang, 'چگونه می‌سنجیم', 'How we check it')}</h2>
      <ul>
        <li>
          {tr(
            lang,
            'آزمون‌های خودکار هر نوع صفحه را به فارسی و انگلیسی در مرورگر کرومیوم باز می‌کنند و با ابزار ',
            'Automated tests open every kind of page, in Persian and English, in the Chromium browser and check it with ',
          )}
          <span lang="en" dir="ltr">
            axe
          </span>
          {tr(
            lang,
            ' برای قواعد سطح الف و دو-الف می‌سنجند؛ صفحه‌ای که خطا داشته باشد، آزمون را رد می‌کند.',
            ' against the level A and AA rules; a page with a failure fails the tests.',
          )}
        </li>
        <li>
          {tr(
            lang,
            'آزمون‌های مرورگر کارهای اصلی (یافتن خدمت، ورود، فرستادن درخواست، پرداخت) را با جاوااسکریپت خاموش انجام می‌دهند و یک آزمون، رفتن به محتوای اصلی را فقط با صفحه‌کلید می‌سنجد. همه صفحه‌ها بدون جاوااسکریپت کار می‌کنند؛ تنها اسکریپت صفحه‌های شهروندان هشدار پایان نشست است و بدون آن همان هشدار در صفحه‌ای جدا می‌آید.',
            'Browser tests do the main tasks (finding a service, signing in, applying, paying) with JavaScript off, and one checks the skip link with the keyboard only. Every page works without JavaScript; the only script on citizens’ pages is the session time-out warning, and without it the same warning is a page of its own.',
          )}
        </li>
        <li>
          {tr(
            lang,
            'نمودارها همراه با جدول داده و خلاصه متنی آمده‌اند، رنگ‌ها کنتراست کافی دارند و متن هر صفحه جهت و زبان خود را اعلام می‌کند.',
            'Charts come with a data table and a text summary, colours have enough contrast, and every page declares its language and direction.',
          )}
        </li>
      </ul>

      <h2>{tr(lang, 'مشکلات شناخته‌شده', 'Known problems')}</h2>
      <ul>
        <li>
          {tr(
            lang,
            'اسناد پی‌دی‌اف (اسناد نتیجه امضاشده و گزارش چاپی پایش) ممکن است برای صفحه‌خوان به‌طور کامل برچسب‌گذاری نشده باشند. همان اطلاعات در صفحه وب درخواست یا گزارش هم هست.',
            'PDF documents (signed result documents and the printable monitoring report) may not be fully tagged for screen readers. The same information is on the application’s or report’s web page.',
          )}
        </li>
        <li>
          {tr(
            lang,
            'آزمون خودکار فقط بخشی از مشکلات را می‌یابد. هنوز همه مسیرها فقط با صفحه‌کلید آزموده نشده‌اند و بازبینی کامل با کاربرانی که از فناوری‌های کمکی استفاده می‌کنند انجام نشده است.',
            'Automated checks find only some problems. Whole journeys are not yet tested with the keyboard only, and a full review with people who use assistive technology has not been done yet.',
          )}
        </li>
        <li>
          {tr(
            lang,
            'پرونده‌هایی که دستگاه‌ها یا شهروندان بارگذاری می‌کنند، و درگاه‌های خود دستگاه‌ها که پنجره به آن‌ها پیوند می‌دهد، در اختیار ما نیستند.',
            'Files that agencies or citizens upload, and agencies’ own websites that Panjereh links to, are outside our control.',
          )}
        </li>
      </ul>

      <h2>{tr(lang, 'گزارش مشکل', 'Reporting a problem')}</h2>
      <p>
        {tr(
          lang,
          'اگر بخشی از پنجره برای شما کار نمی‌کند یا اطلاعاتی را در قالب دیگری لازم دارید، به ما بگویید: ',
          'If part of Panjereh does not work for you, or you need information in another format, tell us: ',
        )}
        <a href={`/${lang}/help#contact`}>{tr(lang, 'راه‌های تماس', 'how to contact us')}</a>
        {tr(lang, '. نشانی صفحه و کاری را که می‌خواستید انجام دهید بنویسید.', '. Say which page it was and what you were trying to do.')}
      </p>

      <h2>{tr(lang, 'تاریخ این بیانیه', 'Date of this statement')}</h2>
      <p>
        {tr(lang, 'این بیانیه آخرین بار در ', 'This statement was last reviewed on ')}
        <time dateTime={STATEMENT_DATE}>{formatDate(lang, STATEMENT_DATE)}</time>
        {tr(lang, ' بازبینی شد.', '.')}
      </p>
    </SitePage>
  );
}
