// Persian and Arabic text rules, used alike for stored text and for queries so that the many ways of
// typing the same word meet: Arabic ي/ك/ة, hamza and madda forms, diacritics, tatweel, ZWNJ and
// Persian/Arabic-Indic digits.

const LETTER_MAP: Record<string, string> = {
  '\u064A': '\u06CC', // ي Arabic yeh -> ی
  '\u0649': '\u06CC', // ى alef maksura -> ی
  '\u0643': '\u06A9', // ك Arabic kaf -> ک
  '\u0629': '\u0647', // ة teh marbuta -> ه
  '\u06C0': '\u0647', // ۀ heh with yeh -> ه
  '\u06D5': '\u0647', // ە ae -> ه
  '\u0671': '\u0627', // ٱ alef wasla -> ا
};

const ZERO_WIDTH = /[\u200B-\u200F\u00AD\u2060\uFEFF]/g; // ZWSP, ZWNJ, ZWJ, LRM, RLM, soft hyphen, word joiner, BOM
const MARKS = /[\p{Mn}\u0640]/gu; // combining marks (harakat, hamza/madda above/below, Latin accents) and tatweel

/** Persian (۰-۹) and Arabic-Indic (٠-٩) digits to ASCII. */
export function toAsciiDigits(s: string): string {
  return s.replace(/[\u06F0-\u06F9\u0660-\u0669]/g, (d) => String((d.charCodeAt(0) & 0xf) % 10));
}

/** ASCII digits to Persian digits, for text shown on Persian pages. */
export function toPersianDigits(s: string): string {
  return s.replace(/[0-9]/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
}

/**
 * Character-level normal form for matching: lower case, no accents or diacritics, one form of each
 * Persian letter, ASCII digits, zero-width characters removed (so "درخواست‌ها" becomes "درخواستها").
 */
export function normalizeText(input: string): string {
  return toAsciiDigits(
    input
      .normalize('NFKD')
      .replace(MARKS, '')
      .replace(/[\u064A\u0649\u0643\u0629\u06C0\u06D5\u0671]/g, (c) => LETTER_MAP[c])
      .replace(ZERO_WIDTH, '')
      .toLowerCase(),
  ).normalize('NFC');
}

// Persian suffixes and prefixes that people write attached, with a ZWNJ or with a space. Joining them
// to their word makes all three spellings one token.
const SUFFIXES = new Set(['ها', 'های', 'هایی', 'هایم', 'هایت', 'هایش', 'هایمان', 'ترین', 'تر']);
const PREFIXES = new Set(['می', 'نمی']);

/** Splits normalised text into words: letters and digits of any script. */
function splitWords(normalized: string): string[] {
  return normalized.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

const PLURAL = /(هایی|های|ها)$/;

/** Drops a Persian plural ending (ها، های، هایی) when at least three letters remain: درخواستها -> درخواست. */
export function stemPersian(word: string): string {
  let w = word;
  for (let stem = w.replace(PLURAL, ''); stem !== w && stem.length >= 3; stem = w.replace(PLURAL, '')) w = stem;
  return w;
}

/**
 * Words of a text in normal form, with detached Persian affixes joined back to their word and plural
 * endings dropped, so "درخواست‌ها", "درخواست ها", "درخواستها" and "درخواست" all meet.
 */
export function tokenize(input: string): string[] {
  const words = splitWords(normalizeText(input));
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (SUFFIXES.has(w) && out.length > 0 && /[\u0600-\u06FF]$/.test(out[out.length - 1])) {
      out[out.length - 1] += w;
    } else if (PREFIXES.has(w) && i + 1 < words.length && /^[\u0600-\u06FF]/.test(words[i + 1])) {
      words[i + 1] = w + words[i + 1];
    } else {
      out.push(w);
    }
  }
  return out.map(stemPersian);
}

/** Words too common to help a search, in both languages. */
export const STOP_WORDS = new Set([
  'a',
  'an',
  'and',
  'the',
  'of',
  'for',
  'to',
  'in',
  'on',
  'or',
  'by',
  'with',
  'my',
  'your',
  'how',
  'get',
  'de',
  'la',
  'le',
  'et',
  'des',
  'du',
  'و',
  'از',
  'به',
  'در',
  'با',
  'برای',
  'را',
  'که',
  'یا',
  'این',
  'آن',
  'اين',
]);

/** Iranian national ID (کد ملی): 10 digits, the last a check digit. Says which rule failed. */
export function checkNationalId(
  input: string,
): { ok: true; value: string } | { ok: false; reason: 'empty' | 'not-digits' | 'length' | 'repeated' | 'check-digit' } {
  const v = toAsciiDigits(input).replace(/[\s\-\u200C]/g, '');
  if (!v) return { ok: false, reason: 'empty' };
  if (!/^\d+$/.test(v)) return { ok: false, reason: 'not-digits' };
  if (v.length !== 10) return { ok: false, reason: 'length' };
  if (/^(\d)\1{9}$/.test(v)) return { ok: false, reason: 'repeated' };
  const sum = [...v.slice(0, 9)].reduce((acc, d, i) => acc + Number(d) * (10 - i), 0);
  const r = sum % 11;
  const check = r < 2 ? r : 11 - r;
  return check === Number(v[9]) ? { ok: true, value: v } : { ok: false, reason: 'check-digit' };
}

/** A URL-safe slug from (English) text. */
export function slugify(input: string, max = 80): string {
  const s = input
    .normalize('NFKD')
    .replace(/\p{Mn}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s.slice(0, max).replace(/-+$/, '') || 'item';
}

// ---- the one rule for stored human text (names, answers, messages, catalogue text) ----

/**
 * Characters no stored human text keeps: C0 and C1 controls (a newline is kept in multi-line text),
 * the bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069: they can make a name
 * read backwards), the invisible marks LRM, RLM and ALM (U+200E, U+200F, U+061C: our pages isolate
 * each text with dir/bdi, so a stored mark only hides differences between look-alike names), and the
 * invisible ZWSP (U+200B), word joiner (U+2060), BOM/ZWNBSP (U+FEFF) and soft hyphen (U+00AD).
 * Kept on purpose: ZWNJ (U+200C, نیم‌فاصله: Persian spelling needs it) and ZWJ (U+200D: Persian
 * abbreviations such as «ه‍.ش» and emoji sequences need it).
 */
// eslint-disable-next-line no-control-regex -- stripping the C0/C1 controls is the point
const STRIP_LINE = /[\u0000-\u001F\u007F-\u009F\u00AD\u061C\u200B\u200E\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/g;
// eslint-disable-next-line no-control-regex -- the same, keeping the line feed
const STRIP_MULTILINE = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u00AD\u061C\u200B\u200E\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Human text as stored: NFC, line ends as \n, the characters above removed, lone surrogates dropped,
 * runs of ZWNJ as one, Arabic ي/ك as Persian ی/ک, trimmed. Every module stores names, answers and
 * messages through this one function (it is not the search normal form: see normalizeText).
 */
export function cleanText(v: unknown, multiline = false): string {
  if (typeof v !== 'string') return '';
  return v
    .replace(LONE_SURROGATE, '')
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(multiline ? STRIP_MULTILINE : STRIP_LINE, '')
    .replace(/\u200C{2,}/g, '\u200C')
    .replace(/ي/g, 'ی')
    .replace(/ك/g, 'ک')
    .trim();
}

/** cleanText on every value of a text-by-language object ({fa, en, ...}); empty values dropped. */
export function cleanLocalText<T extends object>(t: T, multiline = false): T {
  return Object.fromEntries(
    Object.entries(t).flatMap(([k, v]) => (typeof v === 'string' && cleanText(v, multiline) ? [[k, cleanText(v, multiline)]] : [])),
  ) as T;
}
