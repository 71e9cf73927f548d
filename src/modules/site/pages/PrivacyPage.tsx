// The privacy notice: what is collected, why, for how long (what the code does today), who sees it,
// the citizen's rights and how to see, download or correct their data.
import { formatNumber, tr, type Lang } from '../../../platform/i18n.ts';
import { SitePage } from './parts.tsx';

export interface Retention {
  draftDays: number;
  idleMinutes: number;
  absoluteHours: number;
  codeMinutes: number;
}

export function PrivacyPage({ lang, r }: { lang: Lang; r: Retention }) {
  const n = (x: number) => formatNumber(lang, x);
  return (
    <SitePage
      lang={lang}
      path="/privacy"
      title={tr(lang, 'حریم خصوصی', 'Privacy notice')}
      description={tr(
        lang,
        'پنجره چه اطلاعاتی از شما نگه می‌دارد، چرا، تا چه زمانی، چه کسی آن را می‌بیند و چگونه آن را ببینید یا اصلاح کنید.',
        'What Panjereh keeps about you, why, for how long, who sees it, and how to see or correct it.',
      )}
    >
      <p class="lead">
        {tr(
          lang,
          'پنجره درگاه یکپارچه خدمات دولت است. این صفحه می‌گوید هنگام استفاده از آن چه اطلاعاتی از شما نگه می‌داریم و با آن چه می‌کنیم.',
          'Panjereh is the single window to government services. This page says what we keep about you when you use it and what we do with it.',
        )}
      </p>

      <h2>{tr(lang, 'چه اطلاعاتی نگه می‌داریم و چرا', 'What we keep and why')}</h2>
      <ul>
        <li>
          {tr(
            lang,
            'کد ملی و شماره همراه شما: برای ورود به حساب و فرستادن کد ورود با پیامک، و برای اینکه دستگاه رسیدگی‌کننده بداند درخواست از کیست.',
            'Your national ID and mobile number: to sign you in, to send your sign-in code by text message, and so the agency handling an application knows whose it is.',
          )}
        </li>
        <li>
          {tr(
            lang,
            'پاسخ‌ها و پرونده‌هایی که در درخواست‌هایتان می‌فرستید و پیام‌های صندوق الکترونیک شما: تا دستگاه مربوط درخواست را بررسی کند و نتیجه را به شما بگوید.',
            'The answers and files you send in your applications, and the messages in your e-box: so the agency concerned can deal with your application and tell you the outcome.',
          )}
        </li>
        <li>
          {tr(
            lang,
            'سوابق ورود و رخدادها: زمان ورود و خروج، شرح دستگاه و مرورگر شما و چکیده رمزنگاری‌شده نشانی شبکه (نه خود نشانی)، و دفتر رخدادهای امنیتی که تغییرهای مهم را ثبت می‌کند. برای نگه‌داشتن امنیت حساب شما و پاسخ‌گویی کارکنان.',
            'Sign-in and audit records: when you signed in and out, a description of your device and browser and a keyed hash of your network address (not the address itself), and the audit log of important changes. To keep your account safe and staff accountable.',
          )}
        </li>
        <li>
          {tr(
            lang,
            'سوابق استفاده از داده: هر بار که دستگاهی از راه تبادل داده پنجره اطلاعاتی با کد ملی شما را از دستگاه دیگری بخواهد، زمان، دستگاه‌ها، خدمت و منظور اعلام‌شده ثبت می‌شود (کد ملی به شکل چکیده رمزنگاری‌شده). تا شما و دستگاه نظارتی ببینید چه کسی از اطلاعات شما استفاده کرده است.',
            'Data-use records: each time an agency asks another agency, through the Panjereh exchange, for data under your national ID, we record when, which agencies, which service and the stated purpose (your national ID as a keyed hash). So that you and the oversight office can see who used your data.',
          )}
        </li>
      </ul>
      <p>
        {tr(
          lang,
          'درگاه‌های دستگاه‌هایی که با ورود یکپارچه پنجره کار می‌کنند، کد ملی و شماره همراه شما را فقط پس از موافقت خودتان در صفحه رضایت می‌گیرند؛ هر درگاه شناسه جداگانه‌ای از شما می‌بیند تا نتوانند سوابقشان را به هم پیوند دهند.',
          'Agency portals that use Panjereh single sign-on get your national ID and mobile number only after you agree on a consent page; each portal sees a different identifier for you, so they cannot join their records.',
        )}
      </p>

      <h2>{tr(lang, 'تا چه زمانی نگه می‌داریم', 'How long we keep it')}</h2>
      <p>{tr(lang, 'آنچه نرم‌افزار امروز انجام می‌دهد:', 'What the software does today:')}</p>
      <ul>
        <li>
          {tr(
            lang,
            `کد ورود فقط به شکل چکیده رمزنگاری‌شده نگه داشته می‌شود و ${n(r.codeMinutes)} دقیقه اعتبار دارد.`,
            `Sign-in codes are kept only as keyed hashes and are valid for ${n(r.codeMinutes)} minutes.`,
          )}
        </li>
        <li>
          {tr(
            lang,
            `نشست ورود پس از ${n(r.idleMinutes)} دقیقه بی‌کاری یا حداکثر ${n(r.absoluteHours)} ساعت پس از ورود پایان می‌یابد. سابقه نشست پس از پایان آن نگه داشته می‌شود و هنوز به‌طور خودکار پاک نمی‌شود.`,
            `A signed-in session ends after ${n(r.idleMinutes)} minutes without activity, or ${n(r.absoluteHours)} hours after sign-in at most. The record of the session is kept after it ends and is not yet deleted automatically.`,
          )}
        </li>
        <li>
          {tr(
            lang,
            `پیش‌نویس درخواستی که ${n(r.draftDays)} روز تغییر نکند، همراه با پرونده‌های بارگذاری‌شده‌اش پاک می‌شود.`,
            `A draft application nobody changed for ${n(r.draftDays)} days is deleted with its uploaded files.`,
          )}
        </li>
        <li>
          {tr(
            lang,
            'درخواست‌های فرستاده‌شده، پاسخ‌ها، پرونده‌ها و پیام‌های صندوق الکترونیک نگه داشته می‌شوند؛ پنجره هنوز زمانی برای پاک کردن آن‌ها تعیین نکرده و قواعد نگه‌داری اسناد دستگاه رسیدگی‌کننده بر آن‌ها حاکم است.',
            'Submitted applications, their answers and files, and e-box messages are kept; Panjereh has not yet set a time to delete them, and the records rules of the agency handling them apply.',
          )}
        </li>
        <li>
          {tr(
            lang,
            'دفتر رخدادهای امنیتی و سوابق تبادل داده پاک نمی‌شوند: هر ثبت به ثبت پیشین زنجیر و امضا می‌شود تا کسی نتواند آن را بی‌ردپا تغییر دهد یا پاک کند.',
            'The audit log and the exchange records are not deleted: each entry is chained to the one before and signed, so nobody can change or remove one without it showing.',
          )}
        </li>
      </ul>

      <h2>{tr(lang, 'چه کسی آن را می‌بیند', 'Who sees it')}</h2>
      <ul>
        <li>
          {tr(
            lang,
            'کارکنان دستگاهی که درخواست شما را بررسی می‌کند، فقط درخواست‌هایی را که به آن دستگاه فرستاده‌اید می‌بینند.',
            'Staff of the agency handling your application see only the applications you sent to that agency.',
          )}
        </li>
        <li>
          {tr(
            lang,
            'مدیران فنی پنجره دفتر رخدادهای امنیتی را برای حفظ امنیت می‌بینند.',
            'Panjereh’s platform administrators see the audit log, to keep the platform secure.',
          )}
        </li>
        <li>
          {tr(
            lang,
            'دفتر نظارت بر دولت الکترونیک آمار کلی را برای پایش خدمات می‌بیند، نه پرونده‌های افراد را.',
            'The e-government oversight office sees statistics for monitoring services, not individual files.',
          )}
        </li>
        <li>
          {tr(
            lang,
            'دستگاه‌های دیگر فقط از راه تبادل داده، با منظور اعلام‌شده، و هر استعلام در سوابق استفاده از داده شما دیده می‌شود.',
            'Other agencies only through the exchange, with a stated purpose, and every such request shows in your data-use records.',
          )}
        </li>
        <li>
          {tr(
            lang,
            'اطلاعات شما هرگز فروخته نمی‌شود و برای تبلیغات یا ردگیری به کار نمی‌رود.',
            'Your data is never sold and is not used for advertising or tracking.',
          )}
        </li>
      </ul>

      <h2>{tr(lang, 'حقوق شما', 'Your rights')}</h2>
      <p>
        {tr(
          lang,
          'بر پایه منشور حقوق شهروندی، حق دارید بدانید چه اطلاعاتی از شما و برای چه نگه داشته می‌شود، به آن دسترسی داشته باشید و اصلاح اطلاعات نادرست را بخواهید.',
          'Under Iran’s Charter of Citizens’ Rights you have the right to know what information is kept about you and why, to have access to it, and to ask for wrong information to be corrected.',
        )}
      </p>

      <h2 id="ask">{tr(lang, 'دیدن، دریافت یا اصلاح اطلاعاتتان', 'See, download or correct your data')}</h2>
      <ul>
        <li>
          <a href={`/${lang}/account/my-data`}>{tr(lang, 'اطلاعات من نزد پنجره', 'Your data on Panjereh')}</a>
          {tr(
            lang,
            ': پس از ورود، آنچه پنجره درباره شما نگه می‌دارد را ببینید و نسخه‌ای از آن را دریافت کنید.',
            ': after signing in, see what Panjereh keeps about you and download a copy.',
          )}
        </li>
        <li>
          {tr(
            lang,
            'شماره همراه: با شماره تازه وارد شوید؛ اگر سامانه تطبیق شماره همراه تأیید کند که شماره به نام شماست، شماره شما به‌روز می‌شود.',
            'Mobile number: sign in with the new number; when the mobile ownership check confirms it is yours, your record is updated.',
          )}
        </li>
        <li>
          {tr(
            lang,
            'پاسخ‌های یک درخواست: تا پیش از فرستادن، خودتان آن را ویرایش کنید؛ پس از آن با دستگاه رسیدگی‌کننده تماس بگیرید.',
            'Answers in an application: edit them yourself until you send it; after that, contact the agency handling it.',
          )}
        </li>
        <li>
          {tr(lang, 'برای هر درخواست دیگر، ', 'For anything else, see ')}
          <a href={`/${lang}/help`}>{tr(lang, 'راهنما و تماس با ما', 'help and contact')}</a>
          {tr(lang, ' را ببینید.', '.')}
        </li>
      </ul>
      <p>
        <a href={`/${lang}/cookies`}>{tr(lang, 'کوکی‌هایی که پنجره به کار می‌برد', 'The cookies Panjereh uses')}</a>
      </p>
    </SitePage>
  );
}
