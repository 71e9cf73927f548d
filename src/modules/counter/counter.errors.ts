// The counter module's refusals: a stable code, its HTTP status, and what the operator reads (fa, en).
// Routes and the scope hook render them on one page (pages/refusal.tsx) that shows the code too.
export const COUNTER_ERRORS = {
  COUNTER_NO_OFFICE: {
    status: 403,
    fa: 'حساب شما به هیچ دفتر پیشخوانی وصل نیست. از مدیر سامانه بخواهید شما را به دفترتان وصل کند.',
    en: 'Your account is not attached to a counter office. Ask a platform administrator to attach you to your office.',
  },
  COUNTER_OTHER_OFFICE: {
    status: 403,
    fa: 'این درخواست را دفتر دیگری آغاز کرده است؛ فقط کاربران همان دفتر می‌توانند آن را ادامه دهند.',
    en: 'Another office started this request; only that office’s operators can continue it.',
  },
  COUNTER_NOT_FOUND: { status: 404, fa: 'چنین درخواست حضوری‌ای پیدا نشد.', en: 'There is no such assisted request.' },
  COUNTER_CODE_USED: {
    status: 409,
    fa: 'این کد پیش‌تر به کار رفته است. برای ادامه، درخواست تازه‌ای آغاز کنید تا کد تازه‌ای برای شهروند پیامک شود.',
    en: 'This code has already been used. Start a new request so that a new code is sent to the citizen.',
  },
  COUNTER_CODE_EXPIRED: {
    status: 410,
    fa: 'زمان این کد گذشته است. درخواست تازه‌ای آغاز کنید تا کد تازه‌ای برای شهروند پیامک شود.',
    en: 'This code has expired. Start a new request so that a new code is sent to the citizen.',
  },
  COUNTER_TOO_MANY_TRIES: {
    status: 429,
    fa: 'کد چند بار نادرست وارد شد و این درخواست بسته شد. درخواست تازه‌ای آغاز کنید.',
    en: 'The code was entered wrongly too many times and this request is closed. Start a new request.',
  },
  COUNTER_TOO_MANY_CODES: {
    status: 429,
    fa: 'برای این شهروند یا این دفتر در یک ساعت گذشته کدهای زیادی فرستاده شده است. یک ساعت دیگر دوباره تلاش کنید.',
    en: 'Too many codes were sent for this citizen or this office in the last hour. Try again in an hour.',
  },
  COUNTER_SESSION_ACTIVE: {
    status: 409,
    fa: 'در این مرورگر نشست حضوری دیگری برای شهروندی دیگر باز است. نخست آن را به پایان برسانید یا ببندید.',
    en: 'Another assisted session, for another citizen, is open in this browser. Finish or end it first.',
  },
  COUNTER_SESSION_NOT_ACTIVE: {
    status: 409,
    fa: 'این نشست حضوری باز نیست.',
    en: 'This assisted session is not open.',
  },
  COUNTER_SESSION_EXPIRED: {
    status: 403,
    fa: 'زمان نشست حضوری به پایان رسید و نشست بسته شد. پیش‌نویس درخواست شهروند نگه داشته شده است؛ برای ادامه، درخواست تازه‌ای آغاز کنید.',
    en: 'The assisted session timed out and was closed. The citizen’s draft is kept; start a new request to continue.',
  },
  COUNTER_OPERATOR_GONE: {
    status: 403,
    fa: 'نشست حضوری فقط همراه با نشست کاربر دفتر پیشخوانی که آن را آغاز کرده باز است. آن کاربر از سامانه خارج شده یا دیگر دسترسی ندارد، پس نشست بسته شد. پیش‌نویس درخواست شهروند نگه داشته شده است.',
    en: 'An assisted session stays open only with the signed-in counter operator who started it. That operator has signed out or no longer has access, so the session was closed. The citizen’s draft is kept.',
  },
  COUNTER_OTHER_SERVICE: {
    status: 403,
    fa: 'این نشست حضوری فقط برای خدمتی است که شهروند با کد پیامکی پذیرفته است. برای خدمت دیگر، درخواست تازه‌ای آغاز کنید.',
    en: 'This assisted session is only for the service the citizen agreed to with the SMS code. Start a new request for another service.',
  },
  COUNTER_OTHER_APPLICATION: {
    status: 403,
    fa: 'این نشست حضوری فقط به همین یک درخواست شهروند دسترسی دارد.',
    en: 'This assisted session can only open this one application of the citizen.',
  },
  COUNTER_OUT_OF_SCOPE: {
    status: 403,
    fa: 'در نشست حضوری فقط فرم همین درخواست باز است؛ حساب، پیام‌ها و دیگر درخواست‌های شهروند در دسترس نیست.',
    en: 'An assisted session opens only this application’s form; the citizen’s account, messages and other applications are not available.',
  },
} as const;

export type CounterErrorCode = keyof typeof COUNTER_ERRORS;

export class CounterError extends Error {
  readonly status: number;
  constructor(
    readonly code: CounterErrorCode,
    /** Where the refusal page's link goes (the session page, the application). */
    readonly back?: string,
  ) {
    super(COUNTER_ERRORS[code].en);
    this.name = 'CounterError';
    this.status = COUNTER_ERRORS[code].status;
  }
}
