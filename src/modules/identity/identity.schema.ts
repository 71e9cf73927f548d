// What a citizen types at sign-in, read leniently (Persian/Arabic digits, spaces, dashes, +98) and
// refused with a message that says exactly what to fix.
import { checkNationalId, toAsciiDigits } from '../../platform/persian.ts';
import type { Lang } from '../../platform/i18n.ts';

type Result = { ok: true; value: string } | { ok: false; message: string };

const NATIONAL_ID_MESSAGES: Record<string, Record<Lang, string>> = {
  empty: { fa: 'کد ملی خود را وارد کنید', en: 'Enter your national ID' },
  'not-digits': { fa: 'کد ملی فقط باید عدد باشد', en: 'National ID must only include numbers' },
  length: { fa: 'کد ملی باید ۱۰ رقم باشد', en: 'National ID must be 10 digits' },
  repeated: {
    fa: 'کد ملی نمی‌تواند از ۱۰ رقم یکسان باشد؛ کد ملی خود را وارد کنید',
    en: 'National ID cannot be the same digit 10 times. Enter your own national ID',
  },
  'check-digit': {
    fa: 'کد ملی درست نیست: رقم آخر (رقم کنترل) با بقیه رقم‌ها جور نیست. آن را دوباره از روی کارت ملی بخوانید',
    en: 'Check your national ID: its last digit (the check digit) does not match the other digits. Copy it again from your national ID card',
  },
};

export function readNationalId(input: string, lang: Lang): Result {
  const r = checkNationalId(input ?? '');
  return r.ok ? r : { ok: false, message: NATIONAL_ID_MESSAGES[r.reason][lang] };
}

/** Iranian mobile numbers in any usual form (09.., 9.., +989.., 00989.., 989..) to 09xxxxxxxxx. */
export function readMobile(input: string, lang: Lang): Result {
  const v = toAsciiDigits(input ?? '').replace(/[\s\-().\u200C]/g, '');
  const msg = (fa: string, en: string) => ({ ok: false as const, message: lang === 'fa' ? fa : en });
  if (!v) return msg('شماره همراه خود را وارد کنید', 'Enter your mobile number');
  if (!/^\+?\d+$/.test(v)) return msg('شماره همراه فقط باید عدد باشد', 'Mobile number must only include numbers');
  const national = v.replace(/^(\+98|0098|98)(?=9\d{9}$)/, '0').replace(/^(?=9\d{9}$)/, '0');
  if (!/^09\d{9}$/.test(national)) {
    if (/^0?[1-8]/.test(national))
      return msg(
        'شماره همراه با ۰۹ شروع می‌شود؛ شماره تلفن ثابت پذیرفته نیست',
        'Mobile numbers start with 09; landline numbers cannot be used',
      );
    return msg('شماره همراه باید ۱۱ رقم باشد، مانند ۰۹۱۲۳۴۵۶۷۸۹', 'Mobile number must be 11 digits, like 09123456789');
  }
  return { ok: true, value: national };
}

/** A one-time code as typed: 6 digits in any script, spaces ignored. */
export function readCode(input: string, lang: Lang): Result {
  const v = toAsciiDigits(input ?? '').replace(/\s/g, '');
  if (!v) return { ok: false, message: lang === 'fa' ? 'کدی را که پیامک شده وارد کنید' : 'Enter the code we sent you by text message' };
  if (!/^\d{6}$/.test(v)) return { ok: false, message: lang === 'fa' ? 'کد ورود ۶ رقم است' : 'The code is 6 digits' };
  return { ok: true, value: v };
}
