// The answer validator: a pure function from what was typed on one page to clean values or, for each
// field in error, a specific message in Persian and English (GOV.UK wording: say what to fix).
import { cleanText, toAsciiDigits } from '../../platform/persian.ts';
import { readMobile, readNationalId } from '../identity/identity.schema.ts';
import type { Bilingual, FileKind, FormField, FormPage } from './forms.ts';
import { gregorian, jalaliToGregorian } from './jalali.ts';

export interface FileAnswer {
  fileId: string;
  name: string;
  size: number;
  type: string;
  sha256: string;
}
export interface AddressAnswer {
  line1: string;
  line2?: string;
  city: string;
  postcode: string;
}
export type Answer = string | number | string[] | AddressAnswer | FileAnswer;

export interface FieldProblem {
  /** The name of the field in the definition. */
  name: string;
  /** The id of the input the error summary links to. */
  anchor: string;
  message: Bilingual;
}

/** The id of a field's first input (for error summary links and Change links). */
export function anchorOf(f: FormField): string {
  if (f.type === 'date') return `${f.name}-day`;
  if (f.type === 'address') return `${f.name}-line1`;
  if ((f.type === 'radio' || f.type === 'checkboxes') && f.options?.length) return `${f.name}-${f.options[0].value}`;
  return f.name;
}

const label = (f: FormField) => f.label;
const lowerFirst = (s: string) => (s.length > 1 && s[1] === s[1].toLowerCase() ? s[0].toLowerCase() + s.slice(1) : s);
const m = (fa: string, en: string): Bilingual => ({ fa, en });
const faNum = (n: number) => new Intl.NumberFormat('fa-IR', { useGrouping: false }).format(n);

/** Free text as stored: the platform's one rule for human text (src/platform/persian.ts). */
export { cleanText };

const str = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');
const digitsOnly = (v: string) => toAsciiDigits(v).replace(/[\s\-\u200C_.]/g, '');

export function fileProblem(f: FormField, reason: 'missing' | 'too-large' | 'wrong-type' | 'empty'): Bilingual {
  const l = label(f);
  const kinds = (f.accept ?? []).map((k) => k.toUpperCase()).join(', ');
  const mb = ((f.maxBytes ?? 0) / 1024 / 1024).toFixed(1).replace(/\.0$/, '');
  switch (reason) {
    case 'missing':
      return m(`پرونده «${l.fa}» را انتخاب کنید`, `Select ${lowerFirst(l.en)} to upload`);
    case 'empty':
      return m(`پرونده «${l.fa}» خالی است؛ پرونده دیگری انتخاب کنید`, `The selected file for ${lowerFirst(l.en)} is empty`);
    case 'too-large':
      return m(
        `پرونده «${l.fa}» باید کوچک‌تر از ${toPersian(mb)} مگابایت باشد`,
        `The file for ${lowerFirst(l.en)} must be smaller than ${mb} MB`,
      );
    case 'wrong-type':
      return m(`پرونده «${l.fa}» باید از این نوع‌ها باشد: ${kinds}`, `The file for ${lowerFirst(l.en)} must be a ${kinds}`);
  }
}
const toPersian = (s: string) => s.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]).replace('.', '٫');

type One = { ok: true; value: Answer | undefined } | { ok: false; message: Bilingual };

function validateField(f: FormField, input: Record<string, unknown>, today: string): One {
  const l = label(f);
  const required = !f.optional;
  const enterMsg = m(`«${l.fa}» را وارد کنید`, `Enter ${lowerFirst(l.en)}`);
  switch (f.type) {
    case 'text':
    case 'textarea': {
      const v = cleanText(str(input[f.name]), f.type === 'textarea');
      if (!v) return required ? { ok: false, message: enterMsg } : { ok: true, value: undefined };
      const max = f.maxLength ?? (f.type === 'text' ? 200 : 2000);
      if (v.length > max)
        return { ok: false, message: m(`«${l.fa}» باید حداکثر ${faNum(max)} نویسه باشد`, `${l.en} must be ${max} characters or fewer`) };
      if (f.minLength && v.length < f.minLength)
        return {
          ok: false,
          message: m(`«${l.fa}» باید دست‌کم ${faNum(f.minLength)} نویسه باشد`, `${l.en} must be ${f.minLength} characters or more`),
        };
      return { ok: true, value: v };
    }
    case 'number': {
      // thousands separators and spaces go; the sign and the decimal point stay
      const raw = toAsciiDigits(str(input[f.name]))
        .replace(/[\s,٬\u200C_]/g, '')
        .replace('٫', '.')
        .replace(/^[\u2212\u2013]/, '-');
      if (!raw) return required ? { ok: false, message: enterMsg } : { ok: true, value: undefined };
      if (!/^-?\d{1,15}(\.\d{1,6})?$/.test(raw)) return { ok: false, message: m(`«${l.fa}» باید عدد باشد`, `${l.en} must be a number`) };
      const n = Number(raw);
      if (f.min !== undefined && n < f.min)
        return { ok: false, message: m(`«${l.fa}» باید ${faNum(f.min)} یا بیشتر باشد`, `${l.en} must be ${f.min} or more`) };
      if (f.max !== undefined && n > f.max)
        return { ok: false, message: m(`«${l.fa}» باید ${faNum(f.max)} یا کمتر باشد`, `${l.en} must be ${f.max} or less`) };
      return { ok: true, value: n };
    }
    case 'date': {
      const parts = (['day', 'month', 'year'] as const).map((p) => digitsOnly(str(input[`${f.name}-${p}`])));
      const [d, mo, y] = parts;
      if (!d && !mo && !y)
        return required ? { ok: false, message: m(`«${l.fa}» را وارد کنید`, `Enter ${lowerFirst(l.en)}`) } : { ok: true, value: undefined };
      const missing = (['day', 'month', 'year'] as const).filter((_, i) => !parts[i]);
      if (missing.length) {
        const fa = { day: 'روز', month: 'ماه', year: 'سال' };
        return {
          ok: false,
          message: m(
            `«${l.fa}» باید ${missing.map((x) => fa[x]).join(' و ')} را داشته باشد`,
            `${l.en} must include a ${missing.join(' and ')}`,
          ),
        };
      }
      if (!parts.every((p) => /^\d{1,4}$/.test(p)))
        return { ok: false, message: m(`«${l.fa}» باید با عدد نوشته شود`, `${l.en} must be written in numbers`) };
      if (y.length !== 4)
        return { ok: false, message: m(`سالِ «${l.fa}» باید ۴ رقم باشد`, `The year in ${lowerFirst(l.en)} must include 4 numbers`) };
      const calendar = str(input[`${f.name}-calendar`]) === 'jalali' ? 'jalali' : 'gregorian';
      const iso = calendar === 'jalali' ? jalaliToGregorian(Number(y), Number(mo), Number(d)) : gregorian(Number(y), Number(mo), Number(d));
      if (!iso || iso < '1850-01-01' || iso > '2200-12-31')
        return { ok: false, message: m(`«${l.fa}» باید تاریخی واقعی باشد`, `${l.en} must be a real date`) };
      if (f.when === 'past' && iso > today)
        return { ok: false, message: m(`«${l.fa}» باید امروز یا پیش از آن باشد`, `${l.en} must be today or in the past`) };
      if (f.when === 'future' && iso < today)
        return { ok: false, message: m(`«${l.fa}» باید امروز یا پس از آن باشد`, `${l.en} must be today or in the future`) };
      return { ok: true, value: iso };
    }
    case 'national-id': {
      const raw = str(input[f.name]);
      if (!raw.trim()) return required ? { ok: false, message: enterMsg } : { ok: true, value: undefined };
      const fa = readNationalId(raw, 'fa');
      return fa.ok
        ? { ok: true, value: fa.value }
        : { ok: false, message: m(fa.message, (readNationalId(raw, 'en') as { message: string }).message) };
    }
    case 'mobile': {
      const raw = str(input[f.name]);
      if (!raw.trim()) return required ? { ok: false, message: enterMsg } : { ok: true, value: undefined };
      const fa = readMobile(raw, 'fa');
      return fa.ok
        ? { ok: true, value: fa.value }
        : { ok: false, message: m(fa.message, (readMobile(raw, 'en') as { message: string }).message) };
    }
    case 'postcode': {
      const raw = digitsOnly(str(input[f.name]));
      if (!raw) return required ? { ok: false, message: enterMsg } : { ok: true, value: undefined };
      return postcode(raw, l);
    }
    case 'email': {
      const v = cleanText(str(input[f.name])).toLowerCase();
      if (!v) return required ? { ok: false, message: enterMsg } : { ok: true, value: undefined };
      if (v.length > 254 || !/^[^\s@<>()"',;:\\]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/.test(v))
        return {
          ok: false,
          message: m(
            `«${l.fa}» را به شکل درست بنویسید، مانند name@example.ir`,
            `Enter ${lowerFirst(l.en)} in the correct format, like name@example.ir`,
          ),
        };
      return { ok: true, value: v };
    }
    case 'select':
    case 'radio': {
      const v = str(input[f.name]);
      if (!v)
        return required
          ? { ok: false, message: m(`یکی از گزینه‌های «${l.fa}» را انتخاب کنید`, `Select ${lowerFirst(l.en)}`) }
          : { ok: true, value: undefined };
      if (!(f.options ?? []).some((o) => o.value === v))
        return {
          ok: false,
          message: m(`برای «${l.fa}» یکی از گزینه‌های فهرست را انتخاب کنید`, `Select one of the listed options for ${lowerFirst(l.en)}`),
        };
      return { ok: true, value: v };
    }
    case 'checkboxes': {
      const raw = input[f.name];
      const list = (Array.isArray(raw) ? raw : raw === undefined || raw === '' ? [] : [raw]).filter((x) => x !== '');
      if (!list.length)
        return required
          ? {
              ok: false,
              message: m(`دست‌کم یکی از گزینه‌های «${l.fa}» را انتخاب کنید`, `Select at least one option for ${lowerFirst(l.en)}`),
            }
          : { ok: true, value: undefined };
      const options = f.options ?? [];
      if (list.length > options.length || list.some((x) => typeof x !== 'string' || !options.some((o) => o.value === x)))
        return {
          ok: false,
          message: m(`برای «${l.fa}» فقط گزینه‌های فهرست را انتخاب کنید`, `Select only options from the list for ${lowerFirst(l.en)}`),
        };
      return { ok: true, value: options.map((o) => o.value).filter((v) => list.includes(v)) };
    }
    case 'address': {
      const line1 = cleanText(str(input[`${f.name}-line1`]));
      const line2 = cleanText(str(input[`${f.name}-line2`]));
      const city = cleanText(str(input[`${f.name}-city`]));
      const pc = digitsOnly(str(input[`${f.name}-postcode`]));
      if (!line1 && !line2 && !city && !pc)
        return required
          ? { ok: false, message: m(`نشانی «${l.fa}» را وارد کنید`, `Enter ${lowerFirst(l.en)}`) }
          : { ok: true, value: undefined };
      if (!line1)
        return {
          ok: false,
          message: m(`خیابان و پلاکِ «${l.fa}» را وارد کنید`, `Enter the street and building number of ${lowerFirst(l.en)}`),
        };
      if (!city) return { ok: false, message: m(`شهرِ «${l.fa}» را وارد کنید`, `Enter the town or city of ${lowerFirst(l.en)}`) };
      if (line1.length > 200 || line2.length > 200 || city.length > 100)
        return {
          ok: false,
          message: m(`هر سطر «${l.fa}» باید حداکثر ۲۰۰ نویسه باشد`, `Each line of ${lowerFirst(l.en)} must be 200 characters or fewer`),
        };
      if (!pc) return { ok: false, message: m(`کد پستیِ «${l.fa}» را وارد کنید`, `Enter the postcode of ${lowerFirst(l.en)}`) };
      const p = postcode(pc, l);
      if (!p.ok) return p;
      return { ok: true, value: { line1, ...(line2 ? { line2 } : {}), city, postcode: p.value as string } };
    }
    case 'file': {
      const v = input[f.name] as FileAnswer | undefined;
      if (!v || typeof v !== 'object' || typeof v.fileId !== 'string')
        return required ? { ok: false, message: fileProblem(f, 'missing') } : { ok: true, value: undefined };
      return { ok: true, value: v };
    }
  }
}

function postcode(raw: string, l: Bilingual): One {
  if (!/^\d+$/.test(raw))
    return {
      ok: false,
      message: m(`کد پستی «${l.fa}» فقط باید عدد باشد`, `The postcode in ${lowerFirst(l.en)} must only include numbers`),
    };
  if (raw.length !== 10)
    return { ok: false, message: m(`کد پستی ۱۰ رقم است، مانند ۱۳۱۷۶۵۳۷۱۸`, `A postcode has 10 digits, like 1317653718`) };
  if (/^0/.test(raw)) return { ok: false, message: m(`کد پستی با ۰ شروع نمی‌شود`, `A postcode does not start with 0`) };
  return { ok: true, value: raw };
}

/**
 * Validates what was posted for one page. `input` is the form body (and, for file fields, the stored
 * FileAnswer under the field's name). Never throws, whatever the input.
 */
export function validatePage(
  page: FormPage,
  input: Record<string, unknown>,
  today = new Date().toISOString().slice(0, 10),
): { values: Record<string, Answer | undefined>; errors: FieldProblem[] } {
  const values: Record<string, Answer | undefined> = {};
  const errors: FieldProblem[] = [];
  for (const f of page.fields) {
    const r = validateField(f, input ?? {}, today);
    if (r.ok) values[f.name] = r.value;
    else errors.push({ name: f.name, anchor: anchorOf(f), message: r.message });
  }
  return { values, errors };
}

export const FILE_MIME: Record<FileKind, string> = { pdf: 'application/pdf', png: 'image/png', jpeg: 'image/jpeg' };

/** The real kind of a file from its first bytes (magic numbers), whatever its name or declared type. */
export function sniffKind(head: Buffer): FileKind | null {
  if (head.length >= 5 && head.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  return null;
}

/** A C0 control character or DEL (U+0000-U+001F, U+007F). */
export const isControl = (ch: string) => {
  const c = ch.charCodeAt(0);
  return c <= 0x1f || c === 0x7f;
};

/** A file name safe to show and to put in a download header: no path, no control characters. */
export function safeFileName(name: unknown): string {
  const last = String(name ?? '')
    .normalize('NFC')
    .split(/[\\/]/)
    .at(-1);
  const base = [...(last ?? '')]
    .filter((ch) => !isControl(ch))
    .join('')
    .replace(/[\u202A-\u202E\u2066-\u2069"<>:|?*]/g, '')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 120);
  return base || 'file';
}
