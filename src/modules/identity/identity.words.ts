// The citizen identity pages' interface text: one typed catalogue (README, Architecture: "Interface text").
import { catalogue } from '../../platform/i18n.ts';

export const identityWords = catalogue({
  signIn: { fa: 'ورود به پنجره', en: 'Sign in to Panjereh' },
  signInIntro: {
    fa: 'با کد ملی و شماره همراهی که به نام خودتان است وارد شوید. یک کد ۶ رقمی برایتان پیامک می‌کنیم.',
    en: 'Sign in with your national ID and a mobile number registered in your name. We will text you a 6-digit code.',
  },
  nationalId: { fa: 'کد ملی', en: 'National ID' },
  nationalIdHint: { fa: '۱۰ رقم، روی کارت ملی', en: '10 digits, on your national ID card' },
  mobile: { fa: 'شماره همراه', en: 'Mobile number' },
  mobileHint: { fa: 'مانند ۰۹۱۲۳۴۵۶۷۸۹', en: 'For example, 09123456789' },
  continue: { fa: 'ادامه', en: 'Continue' },
  codeTitle: { fa: 'کد پیامک‌شده را وارد کنید', en: 'Enter the code we texted you' },
  codeSentBefore: { fa: 'کد ۶ رقمی را به ', en: 'We sent a 6-digit code to ' },
  codeSentAfter: { fa: ' پیامک کردیم. این کد ۲ دقیقه اعتبار دارد.', en: '. The code works for 2 minutes.' },
  code: { fa: 'کد ورود', en: 'Sign-in code' },
  notReceived: { fa: 'کد به دستتان نرسید؟ دوباره درخواست کنید', en: 'Not received the code? Ask for a new one' },
  mismatch: {
    fa: 'این شماره همراه به نام این کد ملی ثبت نشده است. شماره‌ای را وارد کنید که به نام خودتان است.',
    en: 'This mobile number is not registered to this national ID. Enter a number registered in your name.',
  },
  unavailable: {
    fa: 'بررسی مالکیت شماره همراه اکنون ممکن نیست. چند دقیقه دیگر دوباره تلاش کنید.',
    en: 'We cannot check who owns the mobile number right now. Try again in a few minutes.',
  },
  wait: { fa: 'برای دریافت کد تازه {s} ثانیه صبر کنید.', en: 'Wait {s} seconds before asking for a new code.' },
  tooMany: {
    fa: 'درخواست کد بیش از حد بوده است. یک ساعت دیگر دوباره تلاش کنید.',
    en: 'Too many codes were requested. Try again in an hour.',
  },
  wrongCode: { fa: 'کد درست نیست. {n} بار دیگر می‌توانید تلاش کنید.', en: 'The code is not correct. You can try {n} more times.' },
  wrongCodeOnce: { fa: 'کد درست نیست. ۱ بار دیگر می‌توانید تلاش کنید.', en: 'The code is not correct. You can try 1 more time.' },
  expired: { fa: 'این کد منقضی شده است. کد تازه‌ای درخواست کنید.', en: 'This code has expired. Ask for a new code.' },
  tooManyTries: { fa: 'بیش از حد تلاش کرده‌اید. کد تازه‌ای درخواست کنید.', en: 'Too many wrong tries. Ask for a new code.' },
  used: { fa: 'این کد پیش‌تر استفاده شده است. دوباره وارد شوید.', en: 'This code has already been used. Sign in again.' },
  noChallenge: { fa: 'ابتدا کد ملی و شماره همراه خود را وارد کنید.', en: 'First enter your national ID and mobile number.' },
  idleOut: {
    fa: 'چون ۲۰ دقیقه فعالیتی نداشتید، برای امنیت شما از حساب خارج شدید. دوباره وارد شوید.',
    en: 'You were signed out after 20 minutes without activity, to keep your account safe. Sign in again.',
  },
  account: { fa: 'حساب من', en: 'Your account' },
  accountIntro: { fa: 'آنچه پنجره درباره شما می‌داند:', en: 'What Panjereh knows about you:' },
  firstSeen: { fa: 'نخستین ورود', en: 'First signed in' },
  lastSignIn: { fa: 'آخرین ورود', en: 'Last signed in' },
  dataUse: { fa: 'چه دستگاه‌هایی اطلاعات شما را استعلام کرده‌اند', en: 'Which agencies have used your data' },
  representation: { fa: 'برای چه کسانی می‌توانید درخواست بدهید', en: 'Who you can apply for' },
  sessions: { fa: 'نشست‌های من', en: 'Your sessions' },
  sessionsIntro: {
    fa: 'دستگاه‌هایی که اکنون با حساب شما وارد شده‌اند. هر نشستی را که نمی‌شناسید پایان دهید.',
    en: 'Devices signed in to your account now. End any session you do not recognise.',
  },
  started: { fa: 'آغاز', en: 'Started' },
  lastSeen: { fa: 'آخرین فعالیت', en: 'Last active' },
  listComma: { fa: '، ', en: ', ' },
  thisDevice: { fa: 'همین دستگاه', en: 'This device' },
  revoke: { fa: 'پایان دادن به این نشست', en: 'End this session' },
  signOut: { fa: 'خروج', en: 'Sign out' },
  signedOut: { fa: 'از حساب خارج شدید.', en: 'You have signed out.' },
});

export type IdentityWord = Parameters<ReturnType<typeof identityWords>>[0];
