// One registry of error codes. Every error a client can see has a stable code, an HTTP status and
// a message in both languages. Unknown errors are hidden behind INTERNAL with the request id.

export const errorRegistry = {
  STAFF_SELF_CHANGE: {
    status: 409,
    en: 'You cannot change your own role or deactivate your own account; ask another administrator.',
    fa: 'نقش یا حساب خودتان را نمی‌توانید تغییر دهید؛ از مدیر دیگری بخواهید.',
  },
  STAFF_ALREADY_SET_UP: {
    status: 409,
    en: 'This person already has an account that is set up (or deactivated); manage it from their page instead of inviting them again.',
    fa: 'این فرد پیش‌تر حساب راه‌اندازی‌شده (یا غیرفعال) دارد؛ به جای دعوت دوباره، آن را از صفحه خودش مدیریت کنید.',
  },
  STAFF_NOT_SET_UP: {
    status: 409,
    en: 'This account has not been set up yet, or is deactivated: there is no authenticator to reset.',
    fa: 'این حساب هنوز راه‌اندازی نشده یا غیرفعال است: برنامه تأیید هویتی برای بازنشانی ندارد.',
  },
  VALIDATION_FAILED: { status: 400, en: 'The request is not valid.', fa: 'درخواست معتبر نیست.' },
  INVALID_TEXT: {
    status: 400,
    en: 'The request holds text that is not valid Unicode (a NUL character, a lone surrogate or bytes that are not UTF-8). Remove it and try again.',
    fa: 'درخواست متنی دارد که یونیکد معتبر نیست (نویسه NUL، نیم‌جفت جایگزین یا بایت‌هایی که UTF-8 نیستند). آن را بردارید و دوباره تلاش کنید.',
  },
  JSON_TOO_DEEP: {
    status: 400,
    en: 'The JSON body is nested too deeply (at most 64 levels).',
    fa: 'بدنه JSON بیش از حد تودرتو است (حداکثر ۶۴ سطح).',
  },
  MULTIPART_MALFORMED: {
    status: 400,
    en: 'The multipart form data is malformed: send multipart/form-data with a boundary parameter and a closing boundary.',
    fa: 'داده فرم چندبخشی نادرست است: multipart/form-data را با پارامتر boundary و مرز پایانی بفرستید.',
  },
  OFFICER_NOT_ASSIGNABLE: {
    status: 400,
    en: 'Choose an active operator or agency admin of the agency of this application.',
    fa: 'یکی از کارشناسان یا مدیران فعالِ دستگاهِ همین درخواست را انتخاب کنید.',
  },
  HOLIDAY_EXISTS: { status: 409, en: 'This date is already announced as a holiday.', fa: 'این تاریخ پیش‌تر تعطیل اعلام شده است.' },
  HOLIDAY_NOT_NEEDED: {
    status: 409,
    en: 'This date is already not a working day: it is a Thursday, a Friday or a fixed holiday.',
    fa: 'این تاریخ خودبه‌خود روز کاری نیست: پنجشنبه، جمعه یا تعطیل ثابت است.',
  },
  QUERY_TOO_LONG: {
    status: 400,
    en: 'The search text is too long. Use at most 200 characters.',
    fa: 'متن جست‌وجو بیش از حد طولانی است. حداکثر ۲۰۰ نویسه بنویسید.',
  },
  PAGE_SIZE_OUT_OF_RANGE: {
    status: 400,
    en: 'pageSize must be a whole number from 1 to 100.',
    fa: 'اندازه صفحه باید عددی از ۱ تا ۱۰۰ باشد.',
  },
  PAGE_OUT_OF_RANGE: { status: 400, en: 'page must be a whole number from 1 to 10000.', fa: 'شماره صفحه باید عددی از ۱ تا ۱۰۰۰۰ باشد.' },
  UNKNOWN_FACET_VALUE: { status: 400, en: 'A filter value is not known.', fa: 'مقدار یکی از پالایه‌ها شناخته نیست.' },
  UNKNOWN_LANGUAGE: { status: 400, en: 'lang must be fa or en.', fa: 'زبان باید fa یا en باشد.' },
  NOT_FOUND: { status: 404, en: 'Nothing was found at this address.', fa: 'چیزی در این نشانی پیدا نشد.' },
  SERVICE_NOT_FOUND: { status: 404, en: 'There is no service with this id.', fa: 'خدمتی با این شناسه وجود ندارد.' },
  AGENCY_NOT_FOUND: { status: 404, en: 'There is no agency with this id.', fa: 'دستگاهی با این شناسه وجود ندارد.' },
  CATEGORY_NOT_FOUND: { status: 404, en: 'There is no such category or life event.', fa: 'چنین دسته یا رویداد زندگی‌ای وجود ندارد.' },
  COUNTRY_NOT_FOUND: {
    status: 404,
    en: 'There is no such country in the UN E-Government Survey.',
    fa: 'چنین کشوری در پیمایش دولت الکترونیک سازمان ملل نیست.',
  },
  EDITION_NOT_FOUND: {
    status: 404,
    en: 'There is no such edition of the UN E-Government Survey.',
    fa: 'چنین دوره‌ای از پیمایش دولت الکترونیک سازمان ملل وجود ندارد.',
  },
  VALUE_OUT_OF_RANGE: { status: 400, en: 'A value is out of range.', fa: 'یکی از مقدارها خارج از بازه مجاز است.' },
  FORBIDDEN: { status: 403, en: 'Your role does not allow this.', fa: 'نقش شما اجازه این کار را نمی‌دهد.' },
  CSRF_FAILED: {
    status: 403,
    en: 'This form has expired or did not come from this site. Go back, reload the page and try again.',
    fa: 'این فرم منقضی شده یا از همین وبگاه نیامده است. بازگردید، صفحه را دوباره بارگذاری کنید و دوباره تلاش کنید.',
  },
  METHOD_NOT_ALLOWED: { status: 405, en: 'This method is not allowed here.', fa: 'این روش در این نشانی مجاز نیست.' },
  PAYLOAD_TOO_LARGE: { status: 413, en: 'The request body is too large.', fa: 'بدنه درخواست بیش از حد بزرگ است.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, en: 'This content type is not accepted.', fa: 'این نوع محتوا پذیرفته نمی‌شود.' },
  RATE_LIMITED: {
    status: 429,
    en: 'Too many requests. Wait a minute and try again.',
    fa: 'درخواست‌ها بیش از حد است. یک دقیقه صبر کنید و دوباره تلاش کنید.',
  },
  DATABASE_UNAVAILABLE: {
    status: 503,
    en: 'The service is temporarily unavailable: the database is not answering. Try again in a minute (see Retry-After).',
    fa: 'سامانه موقتاً در دسترس نیست: پایگاه داده پاسخ نمی‌دهد. یک دقیقه دیگر دوباره تلاش کنید (Retry-After را ببینید).',
  },
  DATABASE_IN_USE: {
    status: 409,
    en: 'The embedded database is in use by another process.',
    fa: 'پایگاه داده درونی در اختیار فرایند دیگری است.',
  },
  IMPORT_FAILED: { status: 400, en: 'The file could not be imported.', fa: 'پرونده وارد نشد.' },
  API_KEY_MISSING: {
    status: 401,
    en: 'Send an agency API key: Authorization: Bearer <key>.',
    fa: 'کلید API دستگاه را بفرستید: Authorization: Bearer <key>.',
  },
  API_KEY_INVALID: { status: 401, en: 'This API key is not valid or has been revoked.', fa: 'این کلید API معتبر نیست یا باطل شده است.' },
  API_KEY_SCOPE: {
    status: 403,
    en: 'This API key does not have the scope this request needs.',
    fa: 'این کلید API دامنه دسترسی لازم برای این درخواست را ندارد.',
  },
  OTHER_AGENCY: { status: 403, en: 'This belongs to another agency.', fa: 'این مورد به دستگاه دیگری تعلق دارد.' },
  DOCUMENT_NOT_FOUND: { status: 404, en: 'There is no document with this code.', fa: 'سندی با این کد وجود ندارد.' },
  DOCUMENT_TOKEN_REQUIRED: {
    status: 403,
    en: 'Only the holder can download this document: use the download link you were sent.',
    fa: 'فقط دارنده سند می‌تواند آن را بارگیری کند: از پیوند بارگیری‌ای که برایتان فرستاده شده استفاده کنید.',
  },
  DOCUMENT_ALREADY_REVOKED: { status: 409, en: 'This document has already been revoked.', fa: 'این سند پیش‌تر باطل شده است.' },
  NOT_A_PDF: { status: 400, en: 'The file is not a PDF.', fa: 'پرونده PDF نیست.' },
  WEBHOOK_URL_INVALID: {
    status: 400,
    en: 'The webhook address must be an http or https URL.',
    fa: 'نشانی وب‌هوک باید یک نشانی http یا https باشد.',
  },
  WEBHOOK_URL_PRIVATE: {
    status: 400,
    en: 'The webhook address points to a private or local network.',
    fa: 'نشانی وب‌هوک به یک شبکه خصوصی یا محلی اشاره می‌کند.',
  },
  WEBHOOK_EVENT_UNKNOWN: { status: 400, en: 'Choose at least one known event.', fa: 'دست‌کم یک رویداد شناخته‌شده انتخاب کنید.' },
  WEBHOOK_NOT_FOUND: { status: 404, en: 'There is no such webhook endpoint or delivery.', fa: 'چنین نشانی یا ارسال وب‌هوکی وجود ندارد.' },
  APPLICATION_NOT_FOUND: { status: 404, en: 'There is no such application.', fa: 'چنین درخواستی وجود ندارد.' },
  APPLICATION_NOT_EDITABLE: { status: 409, en: 'This application can no longer be changed.', fa: 'این درخواست دیگر قابل تغییر نیست.' },
  APPLICATION_CLOSED: {
    status: 409,
    en: 'This application has already been decided or is waiting for the citizen.',
    fa: 'درباره این درخواست پیش‌تر تصمیم گرفته شده یا در انتظار پاسخ شهروند است.',
  },
  APPLICATION_CHANGED: {
    status: 409,
    en: 'Someone else changed this application at the same time. Reload the page and try again.',
    fa: 'هم‌زمان کس دیگری این درخواست را تغییر داد. صفحه را دوباره بارگذاری کنید و دوباره تلاش کنید.',
  },
  APPLICATION_NOT_DECIDED: {
    status: 409,
    en: 'You can rate the service once a decision has been made.',
    fa: 'پس از اعلام نتیجه می‌توانید به خدمت امتیاز دهید.',
  },
  APPLICATION_NOT_APPROVED: {
    status: 409,
    en: 'A result document can be issued for an application only once it is approved.',
    fa: 'سند نتیجه را فقط برای درخواستِ پذیرفته‌شده می‌توان صادر کرد.',
  },
  APPLICATION_REPLY_BY_RESPOND: {
    status: 409,
    en: 'Answer this request from the application page.',
    fa: 'به این درخواست از صفحه همان درخواست پاسخ دهید.',
  },
  SUBMISSION_TOKEN_INVALID: {
    status: 400,
    en: 'This form is out of date. Go to your application and check your answers again.',
    fa: 'این فرم کهنه شده است. به درخواست خود بروید و پاسخ‌ها را دوباره بررسی کنید.',
  },
  FORM_INVALID: { status: 400, en: 'The form definition is not valid.', fa: 'تعریف فرم معتبر نیست.' },
  EXCHANGE_UNKNOWN_MEMBER: { status: 404, en: 'There is no such exchange member.', fa: 'چنین عضوی در تبادل داده وجود ندارد.' },
  EXCHANGE_UNKNOWN_SUBSYSTEM: {
    status: 404,
    en: 'There is no such exchange subsystem or group.',
    fa: 'چنین زیرسامانه یا گروهی در تبادل داده وجود ندارد.',
  },
  EXCHANGE_UNKNOWN_SERVICE: { status: 404, en: 'There is no such exchange service.', fa: 'چنین خدمتی در تبادل داده وجود ندارد.' },
  EXCHANGE_UNKNOWN_GRANT: { status: 404, en: 'There is no such access right.', fa: 'چنین مجوز دسترسی‌ای وجود ندارد.' },
  EXCHANGE_UNAVAILABLE: { status: 503, en: 'The exchange is not available.', fa: 'سامانه تبادل داده در دسترس نیست.' },
  ROUND_NOT_FOUND: { status: 404, en: 'There is no such evaluation round.', fa: 'چنین دوره ارزیابی‌ای وجود ندارد.' },
  ROUND_SUBJECT_NOT_FOUND: { status: 404, en: 'This agency or portal is not in the round.', fa: 'این دستگاه یا درگاه در این دوره نیست.' },
  INDICATOR_SET_NOT_FOUND: { status: 404, en: 'There is no such indicator set.', fa: 'چنین مجموعه شاخصی وجود ندارد.' },
  INDICATOR_NOT_FOUND: { status: 404, en: 'There is no such indicator in this round.', fa: 'چنین شاخصی در این دوره نیست.' },
  ROUND_LOCKED: {
    status: 409,
    en: 'This round is published and can no longer be changed. Start a correction instead.',
    fa: 'این دوره منتشر شده و دیگر تغییر نمی‌کند. به جای آن اصلاحیه آغاز کنید.',
  },
  ROUND_NOT_READY: { status: 409, en: 'The round cannot move on yet.', fa: 'دوره هنوز آماده مرحله بعد نیست.' },
  EVIDENCE_REJECTED: { status: 400, en: 'The evidence file was not accepted.', fa: 'پرونده مستند پذیرفته نشد.' },
  GOVSTACK_CLIENT_HEADER: {
    status: 400,
    en: 'Send the Information-Mediator-Client header as INSTANCE/CLASS/MEMBER/SUBSYSTEM.',
    fa: 'سرآیند Information-Mediator-Client را به شکل INSTANCE/CLASS/MEMBER/SUBSYSTEM بفرستید.',
  },
  GOVSTACK_INVALID_PARAMETER: { status: 400, en: 'A query or path parameter is not valid.', fa: 'یکی از پارامترهای نشانی معتبر نیست.' },
  GOVSTACK_INVALID_BODY: {
    status: 400,
    en: 'The request body does not match the GovStack Registration API schema.',
    fa: 'بدنه درخواست با طرح API ثبت GovStack نمی‌خواند.',
  },
  GOVSTACK_FORM_DATA_INVALID: {
    status: 400,
    en: "The form data does not fit the service's eForm.",
    fa: 'داده‌های فرم با فرم الکترونیکی خدمت نمی‌خواند.',
  },
  GOVSTACK_DOCUMENT_MISSING: {
    status: 400,
    en: 'Send the document in a field named file (multipart file, or base64 text).',
    fa: 'سند را در فیلدی به نام file بفرستید (پرونده چندبخشی یا متن base64).',
  },
  GOVSTACK_DOCUMENT_UNKNOWN: {
    status: 400,
    en: 'A document URL does not point to a document uploaded here, or that document is already attached to another application.',
    fa: 'نشانی یکی از سندها به سندی که اینجا بارگذاری شده اشاره نمی‌کند یا آن سند پیش‌تر به درخواست دیگری پیوست شده است.',
  },
  GOVSTACK_SERVICE_NOT_FOUND: {
    status: 404,
    en: 'There is no GovStack service with this id.',
    fa: 'خدمتی با این شناسه در GovStack وجود ندارد.',
  },
  GOVSTACK_SERVICE_NOT_OPEN: {
    status: 409,
    en: 'This service does not take applications online now.',
    fa: 'این خدمت اکنون درخواست برخط نمی‌پذیرد.',
  },
  GOVSTACK_EFORM_NOT_FOUND: { status: 404, en: 'There is no eForm with this id.', fa: 'فرم الکترونیکی با این شناسه وجود ندارد.' },
  GOVSTACK_FILE_NOT_FOUND: {
    status: 404,
    en: 'There is no application file with this id.',
    fa: 'پرونده درخواستی با این شناسه وجود ندارد.',
  },
  GOVSTACK_TASK_NOT_FOUND: { status: 404, en: 'There is no task with this id.', fa: 'کاری با این شناسه وجود ندارد.' },
  GOVSTACK_TASK_COMPLETED: { status: 409, en: 'This task has already been completed.', fa: 'این کار پیش‌تر انجام شده است.' },
  GOVSTACK_REGISTRATION_NOT_FOUND: {
    status: 404,
    en: 'There is no registration (service) with this name.',
    fa: 'ثبتی (خدمتی) با این نام وجود ندارد.',
  },
  // payments (src/modules/payments)
  PAYMENT_NOT_DUE: { status: 409, en: 'Nothing is due for this application now.', fa: 'اکنون پرداختی برای این درخواست لازم نیست.' },
  PAYMENT_ALREADY_PAID: { status: 409, en: 'This application has already been paid.', fa: 'هزینه این درخواست پیش‌تر پرداخت شده است.' },
  PAYMENT_REQUIRED: {
    status: 409,
    en: 'The fee for this application has not been paid yet.',
    fa: 'هزینه این درخواست هنوز پرداخت نشده است.',
  },
  PAYMENT_NO_ACCOUNT: {
    status: 409,
    en: 'This agency has no treasury account for this service yet, so it cannot take payments.',
    fa: 'این دستگاه هنوز حساب خزانه‌ای برای این خدمت ندارد و نمی‌تواند پرداخت بپذیرد.',
  },
  PAYMENT_GATEWAY_UNAVAILABLE: {
    status: 503,
    en: "The bank's payment gateway is not answering. Your application is kept: try again in a few minutes, or pay by bill.",
    fa: 'درگاه پرداخت بانک پاسخ نمی‌دهد. درخواست شما محفوظ است: چند دقیقه دیگر دوباره تلاش کنید یا با شناسه قبض پرداخت کنید.',
  },
  PAYMENT_CARD_OFF: {
    status: 409,
    en: 'Card payment is not available here; pay by bill.',
    fa: 'پرداخت با کارت اینجا در دسترس نیست؛ با شناسه قبض پرداخت کنید.',
  },
  PAYMENT_NOT_FOUND: { status: 404, en: 'There is no such payment.', fa: 'چنین پرداختی وجود ندارد.' },
  PAYMENT_CALLBACK_INVALID: { status: 400, en: 'This is not a payment gateway callback.', fa: 'این پاسخ درگاه پرداخت نیست.' },
  PAYMENT_CALLBACK_MISMATCH: {
    status: 400,
    en: 'The callback does not match this payment (order or token differ).',
    fa: 'پاسخ درگاه با این پرداخت نمی‌خواند (شماره سفارش یا توکن متفاوت است).',
  },
  PAYMENT_NOT_CONFIRMED: {
    status: 400,
    en: 'The bank did not confirm this payment reference.',
    fa: 'بانک این شماره مرجع پرداخت را تأیید نکرد.',
  },
  PAYMENT_REFUND_INVALID: {
    status: 400,
    en: 'Enter a refund amount from 1 rial up to what is left of the payment.',
    fa: 'مبلغ بازپرداخت را از ۱ ریال تا باقی‌مانده پرداخت وارد کنید.',
  },
  PAYMENT_IBAN_INVALID: {
    status: 400,
    en: 'Enter the IBAN (Sheba) as IR and 24 digits; its check digits must be right.',
    fa: 'شماره شبا را به شکل IR و ۲۴ رقم وارد کنید؛ رقم‌های کنترلی آن باید درست باشد.',
  },
  BILL_ID_INVALID: { status: 400, en: 'The bill ID must be 6 to 13 digits.', fa: 'شناسه قبض باید ۶ تا ۱۳ رقم باشد.' },
  BILL_ID_CHECK_DIGIT: { status: 400, en: "The bill ID's check digit is wrong.", fa: 'رقم کنترلی شناسه قبض نادرست است.' },
  BILL_PAYMENT_ID_CHECK_DIGIT: {
    status: 400,
    en: "The payment ID's check digits are wrong for this bill.",
    fa: 'رقم‌های کنترلی شناسه پرداخت برای این قبض نادرست است.',
  },
  BILL_NOT_FOUND: { status: 404, en: 'There is no bill with this bill ID.', fa: 'قبضی با این شناسه وجود ندارد.' },
  BILL_PAYMENT_ID_UNKNOWN: {
    status: 404,
    en: 'This payment ID does not belong to this bill.',
    fa: 'این شناسه پرداخت به این قبض تعلق ندارد.',
  },
  BILL_AMOUNT_MISMATCH: {
    status: 409,
    en: 'The amount paid is not the amount of the bill.',
    fa: 'مبلغ پرداخت‌شده با مبلغ قبض برابر نیست.',
  },
  BILL_ALREADY_PAID: { status: 409, en: 'This bill has already been paid.', fa: 'این قبض پیش‌تر پرداخت شده است.' },
  BILL_NOT_PAYABLE: { status: 409, en: 'This bill can no longer be paid.', fa: 'این قبض دیگر قابل پرداخت نیست.' },
  BANK_KEY_MISSING: {
    status: 401,
    en: 'Send the bank API key: Authorization: Bearer <key>.',
    fa: 'کلید API بانک را بفرستید: Authorization: Bearer <key>.',
  },
  BANK_KEY_INVALID: {
    status: 401,
    en: 'This bank API key is not valid or has been revoked.',
    fa: 'این کلید API بانک معتبر نیست یا باطل شده است.',
  },
  // participation (src/modules/participation/)
  PARTICIPATION_NOT_FOUND: {
    status: 404,
    en: 'There is no such process, comment, proposal or poll.',
    fa: 'چنین فرایند، نظر، پیشنهاد یا نظرسنجی‌ای وجود ندارد.',
  },
  PARTICIPATION_CLOSED: {
    status: 409,
    en: 'This process is not taking comments or proposals now (see its dates).',
    fa: 'این فرایند اکنون نظر یا پیشنهاد نمی‌پذیرد (تاریخ‌هایش را ببینید).',
  },
  PARTICIPATION_INVALID: {
    status: 400,
    en: 'Write your text (at most 4,000 characters) and try again.',
    fa: 'متن خود را بنویسید (حداکثر ۴٬۰۰۰ نویسه) و دوباره بفرستید.',
  },
  PARTICIPATION_DUPLICATE: {
    status: 409,
    en: 'You have already posted this same text in this process.',
    fa: 'همین متن را پیش‌تر در این فرایند فرستاده‌اید.',
  },
  PARTICIPATION_TOO_MANY: {
    status: 429,
    en: 'You have posted many comments in a short time. Wait a few minutes and try again.',
    fa: 'در زمان کوتاهی نظرهای زیادی فرستاده‌اید. چند دقیقه صبر کنید و دوباره تلاش کنید.',
  },
  PARTICIPATION_NOT_YOURS: {
    status: 403,
    en: 'Only the author of a comment can add to it.',
    fa: 'فقط نویسنده نظر می‌تواند به آن چیزی بیفزاید.',
  },
  PARTICIPATION_ALREADY_VOTED: {
    status: 409,
    en: 'You have already voted in this poll. Each person votes once.',
    fa: 'شما پیش‌تر در این نظرسنجی رأی داده‌اید. هر نفر یک بار رأی می‌دهد.',
  },
  PARTICIPATION_POLL_NOT_OPEN: {
    status: 409,
    en: 'This poll is not open for voting now (see its dates).',
    fa: 'این نظرسنجی اکنون رأی نمی‌پذیرد (تاریخ‌هایش را ببینید).',
  },
  PARTICIPATION_ADULTS_ONLY: {
    status: 403,
    en: 'This poll is for people aged 18 or over, and the civil registry records you as under 18.',
    fa: 'این نظرسنجی برای افراد ۱۸ سال و بالاتر است و ثبت احوال سن شما را کمتر از ۱۸ سال ثبت کرده است.',
  },
  PARTICIPATION_REGISTRY_UNAVAILABLE: {
    status: 503,
    en: 'We could not check your age with the civil registry just now. Try again in a few minutes.',
    fa: 'اکنون نتوانستیم سن شما را از ثبت احوال بپرسیم. چند دقیقه دیگر دوباره تلاش کنید.',
  },
  PARTICIPATION_CHOOSE_OPTION: { status: 400, en: 'Choose one of the options.', fa: 'یکی از گزینه‌ها را انتخاب کنید.' },
  PARTICIPATION_SLUG_TAKEN: {
    status: 409,
    en: 'Another process already has this web address. Choose another.',
    fa: 'فرایند دیگری همین نشانی وب را دارد. نشانی دیگری انتخاب کنید.',
  },
  PARTICIPATION_APPEND_LIMIT: {
    status: 409,
    en: 'A comment can be added to at most five times. Write a new comment instead.',
    fa: 'به هر نظر حداکثر پنج بار می‌توان چیزی افزود. به‌جای آن نظر تازه‌ای بنویسید.',
  },
  PARTICIPATION_REASON_REQUIRED: {
    status: 400,
    en: 'Give the reason (it is shown to everyone).',
    fa: 'دلیل را بنویسید (به همه نشان داده می‌شود).',
  },
  REQUEST_NOT_FOUND: { status: 404, en: 'There is no such request.', fa: 'چنین درخواستی وجود ندارد.' },
  REQUEST_DUPLICATE: {
    status: 409,
    en: 'You sent the same text to this agency in the last day; it is already being dealt with.',
    fa: 'همین متن را در یک روز گذشته به این دستگاه فرستاده‌اید؛ در حال رسیدگی است.',
  },
  REQUEST_STATE: {
    status: 409,
    en: 'This request is not at a stage where that can be done.',
    fa: 'این درخواست در مرحله‌ای نیست که این کار در آن ممکن باشد.',
  },
  REQUEST_INVALID: { status: 400, en: 'Some answers need correcting.', fa: 'برخی پاسخ‌ها باید اصلاح شوند.' },
  ASSURANCE_TOO_LOW: {
    status: 403,
    en: 'This service needs a higher level of identity assurance than this sign-in has (details.needed). Substantial: a check of your particulars with the civil registry (your account, "Raise your sign-in level"); high: in person at a government counter office.',
    fa: 'این خدمت سطح اطمینان هویتی بالاتری از ورود کنونی شما می‌خواهد (details.needed). متوسط: تطبیق مشخصات شما با ثبت احوال (حساب من، «بالا بردن سطح ورود»)؛ بالا: حضوری در یکی از دفاتر پیشخوان دولت.',
  },
  INTERNAL: {
    status: 500,
    en: 'There is a problem with the service. Try again later.',
    fa: 'سامانه با مشکل روبه‌رو شده است. بعداً دوباره تلاش کنید.',
  },
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

/** Multipart errors of @fastify/multipart and busboy: limits are 413, a malformed body is 400. */
export function fromMultipartError(err: { code?: string; message?: string }): AppError | undefined {
  switch (err.code) {
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new AppError('PAYLOAD_TOO_LARGE');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
    case 'FST_PROTO_VIOLATION':
      return new AppError('MULTIPART_MALFORMED');
  }
  // busboy's own errors carry no code, only these messages
  if (
    /^(Unexpected end of (form|file|multipart data)|Malformed (part header|urlencoded form)|Multipart: Boundary not found|Unsupported content type|Missing Content-Type)/i.test(
      String(err.message ?? ''),
    )
  )
    return new AppError('MULTIPART_MALFORMED');
  return undefined;
}

/**
 * A backstop for values the database refuses (a bad uuid, date, number or text that slipped past
 * validation): 400, never a 500. SQLSTATE classes 22 (data exception) and 54000 (too complex / too long).
 */
export function fromDatabaseError(err: { code?: string }): AppError | undefined {
  switch (err.code) {
    case '22021': // character_not_in_repertoire (a NUL byte, invalid UTF-8)
    case '22P05': // untranslatable_character (\u0000 or a lone surrogate in jsonb)
      return new AppError('INVALID_TEXT');
    case '22P02': // invalid_text_representation (bad uuid, integer, ...)
    case '22007': // invalid_datetime_format
    case '22008': // datetime_field_overflow
    case '22001': // string_data_right_truncation
    case '54000': // program_limit_exceeded (e.g. an index row too large)
      return new AppError('VALIDATION_FAILED', 'A value in the request is not valid.');
    case '22003': // numeric_value_out_of_range
      return new AppError('VALUE_OUT_OF_RANGE');
  }
  return undefined;
}

/** Maps Fastify's own error codes (bad JSON, too large, wrong content type, ...) to ours. */
export function fromFastifyError(err: { code?: string; statusCode?: number; message: string; validation?: unknown }): AppError | undefined {
  if (err.validation) return new AppError('VALIDATION_FAILED', err.message, { validation: err.validation });
  const known = fromMultipartError(err) ?? fromDatabaseError(err);
  if (known) return known;
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
