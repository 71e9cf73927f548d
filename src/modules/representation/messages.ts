// What the applicant reads when a company or attorney check refuses: what is wrong and what to do.
import type { LocalText } from '../../db/schema.ts';
import { formatDate } from '../../platform/i18n.ts';
import type { RepresentationRow } from './representation.repository.ts';

const COMPANIES = { fa: 'اداره ثبت شرکت‌ها', en: 'Companies Registration Office' };
const NOTARIES = { fa: 'سامانه ثبت وکالت‌نامه‌های رسمی', en: 'notary registry' };
type Msg = { fa: string; en: string };

export function companyMessage(
  kind:
    | 'invalid-id'
    | 'unavailable'
    | 'not-signatory'
    | 'role-revoked'
    | 'granter-gone'
    | 'out-of-scope'
    | 'grantee-invalid'
    | 'grantee-self'
    | 'services',
  d: { company?: LocalText; until?: string; service?: LocalText } = {},
): Msg {
  switch (kind) {
    case 'invalid-id':
      return {
        fa: 'شناسه ملی شرکت باید ۱۱ رقم باشد و رقم آخر آن (رقم کنترل) با رقم‌های دیگر بخواند. آن را از آگهی تأسیس یا روزنامه رسمی دوباره بنویسید.',
        en: "A company's national ID has 11 digits, and the last one (the check digit) must match the others. Copy it again from the company's registration notice or the Official Gazette.",
      };
    case 'unavailable':
      return {
        fa: `اکنون نتوانستیم از ${COMPANIES.fa} بپرسیم که شما می‌توانید برای این شرکت درخواست بدهید، پس چیزی فرستاده نشد. پاسخ‌های دیگرتان ذخیره شده است. چند دقیقه دیگر دوباره امتحان کنید.`,
        en: `We could not check with the ${COMPANIES.en} just now that you may act for this company, so nothing has been sent. Your other answers are saved. Try again in a few minutes.`,
      };
    case 'role-revoked':
      return {
        fa: `بنا بر ${COMPANIES.fa}، سمت شما در ${d.company?.fa ?? 'این شرکت'} در ${formatDate('fa', d.until ?? '')} پایان یافته است و دیگر صاحب امضای مجاز آن نیستید. یکی از صاحبان امضای کنونی شرکت باید درخواست بدهد یا به شما دسترسی بدهد.`,
        en: `According to the ${COMPANIES.en}, your role at ${d.company?.en ?? 'this company'} ended on ${formatDate('en', d.until ?? '')}, so you are no longer an authorised signatory. One of its current signatories must apply, or give you access.`,
      };
    case 'granter-gone':
      return {
        fa: `کسی که به شما دسترسی ${d.company?.fa ?? 'این شرکت'} را داده بود دیگر صاحب امضای آن نیست، پس آن دسترسی دیگر معتبر نیست. از یکی از صاحبان امضای کنونی بخواهید دوباره به شما دسترسی بدهد.`,
        en: `The person who gave you access to ${d.company?.en ?? 'this company'} is no longer one of its signatories, so that access no longer holds. Ask one of its current signatories to give you access again.`,
      };
    case 'out-of-scope':
      return {
        fa: `دسترسی‌ای که به شما برای ${d.company?.fa ?? 'این شرکت'} داده شده است خدمت «${d.service?.fa ?? ''}» را در بر نمی‌گیرد. از صاحب امضای شرکت بخواهید این خدمت را به دسترسی شما بیفزاید.`,
        en: `The access you were given for ${d.company?.en ?? 'this company'} does not include “${d.service?.en ?? ''}”. Ask one of the company's signatories to add this service to your access.`,
      };
    case 'grantee-invalid':
      return {
        fa: 'کد ملی همکارتان باید ۱۰ رقم و درست باشد. آن را از کارت ملی او دوباره بنویسید.',
        en: "Your colleague's national ID must be 10 digits and valid. Copy it again from their national ID card.",
      };
    case 'grantee-self':
      return {
        fa: 'این کد ملی خود شماست. کد ملی همکاری را بنویسید که می‌خواهید به او دسترسی بدهید.',
        en: 'That is your own national ID. Enter the national ID of the colleague you want to give access to.',
      };
    case 'services':
      return { fa: 'دست‌کم یک خدمت را برگزینید.', en: 'Select at least one service.' };
    default:
      return {
        fa: `در ${COMPANIES.fa}، شما صاحب امضای مجاز شرکتی با این شناسه ملی نیستید و کسی از طرف آن شرکت به شما دسترسی نداده است. شناسه را بررسی کنید، یا از صاحب امضای شرکت بخواهید در صفحه «برای چه کسانی می‌توانید درخواست بدهید» به شما دسترسی بدهد.`,
        en: `The ${COMPANIES.en} does not list you as an authorised signatory of a company with this national ID, and no signatory has given you access. Check the ID, or ask a signatory of the company to give you access on their “Who you can apply for” page.`,
      };
  }
}

export function attorneyMessage(
  kind: 'unavailable' | 'no-power' | 'expired' | 'out-of-scope',
  d: { principal?: LocalText | null; endDate?: string; service?: LocalText } = {},
): Msg {
  switch (kind) {
    case 'unavailable':
      return {
        fa: `اکنون نتوانستیم از ${NOTARIES.fa} بپرسیم که وکالت‌نامه‌ای از این شخص دارید، پس چیزی فرستاده نشد. پاسخ‌های دیگرتان ذخیره شده است. چند دقیقه دیگر دوباره امتحان کنید.`,
        en: `We could not check with the ${NOTARIES.en} just now that you hold a power of attorney from this person, so nothing has been sent. Your other answers are saved. Try again in a few minutes.`,
      };
    case 'expired':
      return {
        fa: `وکالت‌نامه شما از ${d.principal?.fa ?? 'این شخص'} در ${formatDate('fa', d.endDate ?? '')} به پایان رسیده است. برای ادامه، وکالت‌نامه تازه‌ای در دفتر اسناد رسمی لازم است، یا خود ایشان درخواست بدهد.`,
        en: `Your power of attorney from ${d.principal?.en ?? 'this person'} ended on ${formatDate('en', d.endDate ?? '')}. To go on, a new power of attorney must be registered at a notary office, or they can apply themselves.`,
      };
    case 'out-of-scope':
      return {
        fa: `وکالت‌نامه شما از ${d.principal?.fa ?? 'این شخص'} خدمت «${d.service?.fa ?? ''}» را در بر نمی‌گیرد. فقط برای خدماتی که در وکالت‌نامه آمده است می‌توانید از طرف ایشان درخواست بدهید.`,
        en: `Your power of attorney from ${d.principal?.en ?? 'this person'} does not cover “${d.service?.en ?? ''}”. You can apply for them only for the services the power of attorney names.`,
      };
    default:
      return {
        fa: `در ${NOTARIES.fa}، وکالت‌نامه‌ای که شما را وکیل فردی با این کد ملی کرده باشد ثبت نشده است. کد ملی را از وکالت‌نامه دوباره بنویسید.`,
        en: `The ${NOTARIES.en} has no power of attorney making you the attorney of a person with this national ID. Copy the national ID again from the power of attorney.`,
      };
  }
}

/** The notice to the people acted for (e-box message and SMS): who applied, for what, and how to object. */
export function noticeText(row: RepresentationRow, service: LocalText, reference: string) {
  const name = row.subject_name ?? { fa: '', en: '' };
  const as =
    row.relation === 'attorney' ? { fa: 'به عنوان وکیل شما', en: 'as your attorney' } : { fa: `از طرف ${name.fa}`, en: `for ${name.en}` };
  const object =
    row.relation === 'attorney'
      ? {
          fa: 'اگر با این درخواست موافق نیستید، در حساب پنجره خود در صفحه «درخواست‌هایی که دیگران به نام شما ثبت کرده‌اند» اعتراض کنید تا دستگاه رسیدگی‌کننده ببیند؛ وکالت‌نامه را هم می‌توانید در دفتر اسناد رسمی عزل کنید.',
          en: 'If you do not agree with it, object on your Panjereh account, on the page “Applications others made in your name”, and the agency will see it; you can also revoke the power of attorney at a notary office.',
        }
      : {
          fa: 'اگر با این درخواست موافق نیستید، با شماره پیگیری به دستگاه رسیدگی‌کننده بگویید؛ دسترسی همکاران را در صفحه «برای چه کسانی می‌توانید درخواست بدهید» می‌بینید و پایان می‌دهید.',
          en: 'If you do not agree with it, tell the agency, quoting the reference; you can see and end colleagues’ access on your “Who you can apply for” page.',
        };
  return {
    subject: { fa: 'درخواستی از طرف شما ثبت شد', en: 'An application was made on your behalf' },
    body: {
      fa: `دارنده کد ملی ${row.applicant_national_id} درخواست «${service.fa}» را ${as.fa} ثبت کرد (شماره پیگیری ${reference}). ${object.fa}`,
      en: `The holder of national ID ${row.applicant_national_id} made an application for “${service.en}” ${as.en} (reference ${reference}). ${object.en}`,
    },
    sms: `پنجره: درخواست «${service.fa}» با شماره پیگیری ${reference} از طرف شما ثبت شد. جزئیات و راه اعتراض در کارتابل پنجره.`,
  };
}
