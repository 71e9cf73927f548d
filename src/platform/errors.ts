// One registry of error codes. Every error a client can see has a stable code, an HTTP status and
// a message in both languages. Unknown errors are hidden behind INTERNAL with the request id.

export const errorRegistry = {
  VALIDATION_FAILED: { status: 400, en: 'The request is not valid.', fa: 'درخواست معتبر نیست.' },
  QUERY_TOO_LONG: { status: 400, en: 'The search text is too long. Use at most 200 characters.', fa: 'متن جست‌وجو بیش از حد طولانی است. حداکثر ۲۰۰ نویسه بنویسید.' },
  PAGE_SIZE_OUT_OF_RANGE: { status: 400, en: 'pageSize must be a whole number from 1 to 100.', fa: 'اندازه صفحه باید عددی از ۱ تا ۱۰۰ باشد.' },
  PAGE_OUT_OF_RANGE: { status: 400, en: 'page must be a whole number from 1 to 10000.', fa: 'شماره صفحه باید عددی از ۱ تا ۱۰۰۰۰ باشد.' },
  UNKNOWN_FACET_VALUE: { status: 400, en: 'A filter value is not known.', fa: 'مقدار یکی از پالایه‌ها شناخته نیست.' },
  UNKNOWN_LANGUAGE: { status: 400, en: 'lang must be fa or en.', fa: 'زبان باید fa یا en باشد.' },
  NOT_FOUND: { status: 404, en: 'Nothing was found at this address.', fa: 'چیزی در این نشانی پیدا نشد.' },
  SERVICE_NOT_FOUND: { status: 404, en: 'There is no service with this id.', fa: 'خدمتی با این شناسه وجود ندارد.' },
  AGENCY_NOT_FOUND: { status: 404, en: 'There is no agency with this id.', fa: 'دستگاهی با این شناسه وجود ندارد.' },
  CATEGORY_NOT_FOUND: { status: 404, en: 'There is no such category or life event.', fa: 'چنین دسته یا رویداد زندگی‌ای وجود ندارد.' },
  COUNTRY_NOT_FOUND: { status: 404, en: 'There is no such country in the UN E-Government Survey.', fa: 'چنین کشوری در پیمایش دولت الکترونیک سازمان ملل نیست.' },
  EDITION_NOT_FOUND: { status: 404, en: 'There is no such edition of the UN E-Government Survey.', fa: 'چنین دوره‌ای از پیمایش دولت الکترونیک سازمان ملل وجود ندارد.' },
  VALUE_OUT_OF_RANGE: { status: 400, en: 'A value is out of range.', fa: 'یکی از مقدارها خارج از بازه مجاز است.' },
  FORBIDDEN: { status: 403, en: 'Your role does not allow this.', fa: 'نقش شما اجازه این کار را نمی‌دهد.' },
  CSRF_FAILED: { status: 403, en: 'This form has expired or did not come from this site. Go back, reload the page and try again.', fa: 'این فرم منقضی شده یا از همین وبگاه نیامده است. بازگردید، صفحه را دوباره بارگذاری کنید و دوباره تلاش کنید.' },
  METHOD_NOT_ALLOWED: { status: 405, en: 'This method is not allowed here.', fa: 'این روش در این نشانی مجاز نیست.' },
  PAYLOAD_TOO_LARGE: { status: 413, en: 'The request body is too large.', fa: 'بدنه درخواست بیش از حد بزرگ است.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, en: 'This content type is not accepted.', fa: 'این نوع محتوا پذیرفته نمی‌شود.' },
  RATE_LIMITED: { status: 429, en: 'Too many requests. Wait a minute and try again.', fa: 'درخواست‌ها بیش از حد است. یک دقیقه صبر کنید و دوباره تلاش کنید.' },
  DATABASE_UNAVAILABLE: { status: 503, en: 'The database is not answering.', fa: 'پایگاه داده پاسخ نمی‌دهد.' },
  DATABASE_IN_USE: { status: 409, en: 'The embedded database is in use by another process.', fa: 'پایگاه داده درونی در اختیار فرایند دیگری است.' },
  IMPORT_FAILED: { status: 400, en: 'The file could not be imported.', fa: 'پرونده وارد نشد.' },
  ROUND_NOT_FOUND: { status: 404, en: 'There is no such evaluation round.', fa: 'چنین دوره ارزیابی‌ای وجود ندارد.' },
  ROUND_SUBJECT_NOT_FOUND: { status: 404, en: 'This agency or portal is not in the round.', fa: 'این دستگاه یا درگاه در این دوره نیست.' },
  INDICATOR_SET_NOT_FOUND: { status: 404, en: 'There is no such indicator set.', fa: 'چنین مجموعه شاخصی وجود ندارد.' },
  INDICATOR_NOT_FOUND: { status: 404, en: 'There is no such indicator in this round.', fa: 'چنین شاخصی در این دوره نیست.' },
  ROUND_LOCKED: { status: 409, en: 'This round is published and can no longer be changed. Start a correction instead.', fa: 'این دوره منتشر شده و دیگر تغییر نمی‌کند. به جای آن اصلاحیه آغاز کنید.' },
  ROUND_NOT_READY: { status: 409, en: 'The round cannot move on yet.', fa: 'دوره هنوز آماده مرحله بعد نیست.' },
  EVIDENCE_REJECTED: { status: 400, en: 'The evidence file was not accepted.', fa: 'پرونده مستند پذیرفته نشد.' },
  INTERNAL: { status: 500, en: 'There is a problem with the service. Try again later.', fa: 'سامانه با مشکل روبه‌رو شده است. بعداً دوباره تلاش کنید.' },
} as const;

export type ErrorCode = keyof typeof errorRegistry;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? errorRegistry[code].en);
    this.name = 'AppError';
    this.code = code;
    this.status = errorRegistry[code].status;
    this.details = details;
  }
}

export function messageFor(code: ErrorCode, lang: 'fa' | 'en'): string {
  return errorRegistry[code][lang];
}

/** The JSON problem body every API error uses. */
export interface ProblemBody {
  code: ErrorCode;
  message: string;
  requestId: string;
  details?: Record<string, unknown>;
}

/** Maps Fastify's own error codes (bad JSON, too large, wrong content type, ...) to ours. */
export function fromFastifyError(err: { code?: string; statusCode?: number; message: string; validation?: unknown }): AppError | undefined {
  if (err.validation) return new AppError('VALIDATION_FAILED', err.message, { validation: err.validation });
  switch (err.code) {
    case 'FST_CSRF_INVALID_TOKEN':
    case 'FST_CSRF_MISSING_SECRET':
      return new AppError('CSRF_FAILED');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('VALIDATION_FAILED', err.message);
  }
  if (err.statusCode === 429) return new AppError('RATE_LIMITED');
  if (err.statusCode === 413) return new AppError('PAYLOAD_TOO_LARGE');
  if (err.statusCode === 406 || err.statusCode === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE');
  if (err.statusCode === 400) return new AppError('VALIDATION_FAILED', err.message);
  return undefined;
}
