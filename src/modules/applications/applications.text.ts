// Wording shared by pages, the e-box and notifications: status names and status-change messages.
import type { ApplicationStatus, LocalText } from '../../db/schema.ts';

export const STATUS_NAME: Record<ApplicationStatus, { fa: string; en: string }> = {
  draft: { fa: 'پیش‌نویس', en: 'Draft' },
  submitted: { fa: 'ثبت شده', en: 'Submitted' },
  'in-review': { fa: 'در حال بررسی', en: 'In review' },
  'info-requested': { fa: 'نیاز به اطلاعات بیشتر', en: 'More information needed' },
  resubmitted: { fa: 'پاسخ داده شده', en: 'Resubmitted' },
  approved: { fa: 'پذیرفته شد', en: 'Approved' },
  rejected: { fa: 'پذیرفته نشد', en: 'Rejected' },
};

export const STATUS_TONE: Record<ApplicationStatus, 'green' | 'grey' | 'blue' | undefined> = {
  draft: 'grey',
  submitted: 'blue',
  'in-review': 'blue',
  'info-requested': undefined,
  resubmitted: 'blue',
  approved: 'green',
  rejected: 'grey',
};

/** Timeline entries as the citizen reads them (internal events such as 'assigned' are left out). */
export const EVENT_NAME: Record<string, { fa: string; en: string }> = {
  submitted: { fa: 'درخواست ثبت شد', en: 'Application submitted' },
  'in-review': { fa: 'بررسی آغاز شد', en: 'Review started' },
  'info-requested': { fa: 'اطلاعات بیشتری خواسته شد', en: 'More information requested' },
  resubmitted: { fa: 'پاسخ شما فرستاده شد', en: 'You sent more information' },
  approved: { fa: 'درخواست پذیرفته شد', en: 'Application approved' },
  rejected: { fa: 'درخواست پذیرفته نشد', en: 'Application rejected' },
  'document.requested': { fa: 'صدور سند نتیجه درخواست شد', en: 'Result document requested' },
  'document.issued': { fa: 'سند نتیجه صادر شد', en: 'Result document issued' },
  message: { fa: 'پیام دستگاه', en: 'Message from the agency' },
  'citizen-message': { fa: 'پیام شما', en: 'Your message' },
  assigned: { fa: 'به کارشناس سپرده شد', en: 'Assigned to an officer' },
  'payment.succeeded': { fa: 'هزینه پرداخت شد', en: 'Fee paid' },
  'payment.refunded': { fa: 'مبلغ پرداختی بازگردانده شد', en: 'Payment refunded' },
  'counter.submitted': { fa: 'در دفتر پیشخوان دولت برای شما ثبت شد', en: 'Submitted for you at a government counter office' },
  'acting-for.checked': {
    fa: 'ثبت احوال تأیید کرد که درخواست برای فرزند زیر ۱۸ سال یا کودک تحت سرپرستی درخواست‌دهنده است',
    en: "The civil registry confirmed the application is for the applicant's child under 18 or ward",
  },
  'acting-for.company': {
    fa: 'اداره ثبت شرکت‌ها تأیید کرد که درخواست‌دهنده می‌تواند برای این شرکت درخواست بدهد',
    en: 'The Companies Registration Office confirmed the applicant may act for this company',
  },
  'acting-for.objected': {
    fa: 'کسی که درخواست از طرف او ثبت شده به آن اعتراض کرد',
    en: 'The person this application was made for objected to it',
  },
  'acting-for.attorney': {
    fa: 'وکالت‌نامه رسمی درخواست‌دهنده از این شخص، برای این خدمت و تا امروز معتبر، تأیید شد',
    en: "The applicant's registered power of attorney from this person was confirmed, covering this service and in force today",
  },
};

/** Timeline entries as an officer reads them: the citizen is "the applicant", never "you". */
export const STAFF_EVENT_NAME: Record<string, { fa: string; en: string }> = {
  ...EVENT_NAME,
  resubmitted: { fa: 'متقاضی اطلاعات خواسته‌شده را فرستاد', en: 'The applicant sent more information' },
  'citizen-message': { fa: 'پیام متقاضی', en: "The applicant's message" },
  message: { fa: 'پیام به متقاضی', en: 'Message to the applicant' },
};

/** What the citizen does next, written under every SMS and email about an application (then the link). */
export function nextStep(type: string, lang: 'fa' | 'en'): string {
  const steps: Record<string, { fa: string; en: string }> = {
    'info-requested': {
      fa: 'برای ادامه، پاسخ و مدارک خواسته‌شده را در صفحه درخواست بفرستید:',
      en: 'To continue, send your answer and any documents asked for on the application page:',
    },
    approved: { fa: 'نتیجه و سند درخواست را در این صفحه ببینید:', en: 'See the decision and your document here:' },
    rejected: {
      fa: 'دلیل و راه‌های پیگیری یا اعتراض را در این صفحه ببینید:',
      en: 'See the reason, and how to follow up or appeal, here:',
    },
    'document.issued': { fa: 'سند را از این صفحه بگیرید:', en: 'Get the document from this page:' },
    message: { fa: 'پیام را بخوانید و در صورت نیاز پاسخ دهید:', en: 'Read the message and reply if needed:' },
  };
  return (steps[type] ?? { fa: 'وضعیت درخواست را در این صفحه دنبال کنید:', en: 'Follow your application here:' })[lang];
}

export function statusText(type: string, reference: string, extra = ''): { subject: LocalText; body: LocalText } {
  switch (type) {
    case 'submitted':
      return {
        subject: { fa: `درخواست ${reference} ثبت شد`, en: `Application ${reference} received` },
        body: {
          fa: `درخواست شما با شماره پیگیری ${reference} ثبت شد. وضعیت آن را در بخش «درخواست‌های من» ببینید.`,
          en: `We have received your application. Your reference number is ${reference}. Follow it under "Your applications".`,
        },
      };
    case 'in-review':
      return {
        subject: { fa: `بررسی درخواست ${reference} آغاز شد`, en: `Application ${reference} is in review` },
        body: {
          fa: 'کارشناس دستگاه بررسی درخواست شما را آغاز کرد.',
          en: 'An officer at the agency has started reviewing your application.',
        },
      };
    case 'info-requested':
      return {
        subject: { fa: `درخواست ${reference}: اطلاعات بیشتری لازم است`, en: `Application ${reference}: more information needed` },
        body: { fa: extra, en: extra },
      };
    case 'approved':
      return {
        subject: { fa: `درخواست ${reference} پذیرفته شد`, en: `Application ${reference} approved` },
        body: {
          fa: `درخواست شما پذیرفته شد.${extra ? `\n${extra}` : ''}`,
          en: `Your application has been approved.${extra ? `\n${extra}` : ''}`,
        },
      };
    case 'rejected':
      return {
        subject: { fa: `درخواست ${reference} پذیرفته نشد`, en: `Application ${reference} rejected` },
        body: { fa: `درخواست شما پذیرفته نشد. دلیل: ${extra}`, en: `Your application was not approved. Reason: ${extra}` },
      };
    case 'document.issued':
      return {
        subject: { fa: `سند درخواست ${reference} صادر شد`, en: `The document for application ${reference} is ready` },
        body: {
          fa: `سند نتیجه درخواست شما صادر شد. کد وارسی: ${extra}`,
          en: `The result document for your application is ready. Verification code: ${extra}`,
        },
      };
    case 'message':
      return {
        subject: { fa: `پیام دستگاه درباره درخواست ${reference}`, en: `Message about application ${reference}` },
        body: { fa: extra, en: extra },
      };
    default:
      return { subject: { fa: `درخواست ${reference}`, en: `Application ${reference}` }, body: { fa: extra, en: extra } };
  }
}

/** The line another module put on a timeline event (`data.detail`, in fa and en), if any: who acted, for example. */
export const eventDetail = (data: Record<string, unknown>, lang: 'fa' | 'en'): string | null => {
  const d = data.detail as Record<string, unknown> | undefined;
  return d && typeof d[lang] === 'string' ? (d[lang] as string) : null;
};
