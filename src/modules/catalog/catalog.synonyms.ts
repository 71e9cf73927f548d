// Query expansion for the words people actually type: colloquial and synonym terms (پاسپورت -> گذرنامه),
// Finglish (Persian typed in Latin letters: gozarname -> گذرنامه) and "did you mean" by edit distance.
// Pure functions. The starter dictionary ships here and seeds the search_synonyms table, which editors
// maintain at /{lang}/staff/search/dictionary; search uses the table's entries.
import { normalizeText, tokenize } from '../../platform/persian.ts';

/** term -> expansions (both sides are normalised before use). */
export const STARTER_SYNONYMS: Record<string, string[]> = {
  پاسپورت: ['گذرنامه'],
  پاس: ['گذرنامه'],
  ماشین: ['خودرو'],
  اتومبیل: ['خودرو'],
  موتور: ['موتورسیکلت'],
  خلافی: ['جریمه رانندگی', 'تخلفات رانندگی'],
  جریمه: ['تخلفات'],
  'گواهی نامه': ['گواهینامه'],
  لایسنس: ['گواهینامه', 'پروانه'],
  'ک.م': ['کارت ملی'],
  کم: ['کارت ملی'],
  شناسنامه: ['شناسنامه', 'ثبت احوال'],
  سند: ['سند مالکیت'],
  مالیات: ['مالیاتی'],
  بیمه: ['تامین اجتماعی'],
  یارانه: ['حمایت معیشتی'],
  سربازی: ['نظام وظیفه', 'خدمت وظیفه'],
  معافیت: ['معافیت نظام وظیفه'],
  پلاک: ['شماره گذاری', 'پلاک خودرو'],
  عقد: ['ازدواج'],
  طلاق: ['طلاق', 'ثبت طلاق'],
  تولد: ['ولادت', 'ثبت ولادت'],
  فوت: ['وفات', 'گواهی فوت'],
  کار: ['اشتغال'],
  بیکاری: ['بیمه بیکاری'],
  مدرسه: ['ثبت نام مدرسه', 'آموزش'],
  دانشگاه: ['آموزش عالی'],
  مجوز: ['پروانه'],
  جواز: ['پروانه'],
  'پروانه کسب': ['جواز کسب'],
  شرکت: ['ثبت شرکت'],
  برق: ['انشعاب برق'],
  گاز: ['انشعاب گاز'],
  آب: ['انشعاب آب'],
  قبض: ['صورتحساب'],
  چک: ['چک صیادی'],
  ویزا: ['روادید'],
  اقامت: ['پروانه اقامت'],
  سوءپیشینه: ['عدم سوءپیشینه', 'گواهی عدم سوءپیشینه'],
  'سو پیشینه': ['عدم سوءپیشینه'],
  بازنشستگی: ['مستمری'],
  حقوق: ['مستمری'],
  passport: ['گذرنامه'],
  licence: ['license', 'گواهینامه'],
  license: ['licence', 'گواهینامه'],
  driver: ['driving', 'رانندگی'],
  driving: ['driver', 'رانندگی'],
  'id card': ['national id', 'کارت ملی'],
  'national card': ['کارت ملی'],
  car: ['vehicle', 'خودرو'],
  vehicle: ['car', 'خودرو'],
  fine: ['penalty', 'جریمه'],
  fines: ['penalty', 'جریمه'],
  tax: ['مالیات'],
  visa: ['روادید'],
  birth: ['ولادت'],
  marriage: ['ازدواج'],
  'military service': ['نظام وظیفه'],
  'criminal record': ['سوءپیشینه'],
  استعلاجی: ['غرامت دستمزد ایام بیماری'],
  برند: ['علامت تجاری'],
  'عوض کردن': ['تغییر'],
  اسم: ['نام'],
  مدرک: ['مدارک'],
  adoption: ['adopt', 'فرزندخواندگی'],
  garbage: ['rubbish', 'waste'],
  trash: ['rubbish', 'waste'],
  pickup: ['collection'],
  'zip code': ['postcode'],
  zip: ['postcode'],
  sue: ['civil claim'],
  lawsuit: ['civil claim'],
  'start company': ['register company'],
  'license plate': ['number plates'],
  'licence plate': ['number plates'],
  speeding: ['traffic'],
};

/** Whole Finglish words people type, to their Persian form. */
export const FINGLISH_WORDS: Record<string, string> = {
  gozarname: 'گذرنامه',
  gozarnameh: 'گذرنامه',
  passport: 'گذرنامه',
  gavahiname: 'گواهینامه',
  gavahinameh: 'گواهینامه',
  govahiname: 'گواهینامه',
  govahinameh: 'گواهینامه',
  kart: 'کارت',
  cart: 'کارت',
  meli: 'ملی',
  melli: 'ملی',
  shenasname: 'شناسنامه',
  shenasnameh: 'شناسنامه',
  khodro: 'خودرو',
  mashin: 'خودرو',
  khalafi: 'خلافی',
  jarime: 'جریمه',
  jarimeh: 'جریمه',
  ranandegi: 'رانندگی',
  sanad: 'سند',
  maliat: 'مالیات',
  maliyat: 'مالیات',
  bime: 'بیمه',
  bimeh: 'بیمه',
  yarane: 'یارانه',
  yaraneh: 'یارانه',
  sarbazi: 'سربازی',
  moafiat: 'معافیت',
  pelak: 'پلاک',
  ezdevaj: 'ازدواج',
  talagh: 'طلاق',
  tavalod: 'تولد',
  fot: 'فوت',
  foot: 'فوت',
  mojavez: 'مجوز',
  parvane: 'پروانه',
  parvaneh: 'پروانه',
  sherkat: 'شرکت',
  sabt: 'ثبت',
  gabz: 'قبض',
  ghabz: 'قبض',
  visa: 'روادید',
  eghamat: 'اقامت',
  bazneshastegi: 'بازنشستگی',
  madrese: 'مدرسه',
  daneshgah: 'دانشگاه',
  tamdid: 'تمدید',
  darkhast: 'درخواست',
  sodur: 'صدور',
  sodoor: 'صدور',
  estelam: 'استعلام',
  taviz: 'تعویض',
  almosana: 'المثنی',
  mosanna: 'المثنی',
  gavahi: 'گواهی',
  govahi: 'گواهی',
};

// Letter-by-letter fallback for Finglish words not in the list (longest digraphs first).
const LETTERS: [string, string][] = [
  ['kh', 'خ'],
  ['sh', 'ش'],
  ['ch', 'چ'],
  ['gh', 'ق'],
  ['zh', 'ژ'],
  ['aa', 'ا'],
  ['oo', 'و'],
  ['ee', 'ی'],
  ['ou', 'و'],
  ['a', 'ا'],
  ['b', 'ب'],
  ['p', 'پ'],
  ['t', 'ت'],
  ['j', 'ج'],
  ['h', 'ه'],
  ['d', 'د'],
  ['r', 'ر'],
  ['z', 'ز'],
  ['s', 'س'],
  ['f', 'ف'],
  ['q', 'ق'],
  ['k', 'ک'],
  ['c', 'ک'],
  ['g', 'گ'],
  ['l', 'ل'],
  ['m', 'م'],
  ['n', 'ن'],
  ['v', 'و'],
  ['w', 'و'],
  ['u', 'و'],
  ['o', 'و'],
  ['i', 'ی'],
  ['y', 'ی'],
  ['e', ''],
  ['x', 'کس'],
];

/** A Latin word's Persian form: the hand-written list first, else a letter-by-letter guess. */
export function transliterate(word: string): string {
  const w = word.toLowerCase();
  if (FINGLISH_WORDS[w]) return FINGLISH_WORDS[w];
  let out = '';
  for (let i = 0; i < w.length;) {
    const pair = LETTERS.find(([lat]) => w.startsWith(lat, i));
    if (!pair) {
      i++;
      continue;
    }
    // a word-initial vowel is written with alef; a final e/eh is written with he
    let fa = pair[1];
    if (i === 0 && /^[aeiou]/.test(pair[0])) fa = 'ا' + (pair[0] === 'a' || pair[0] === 'e' ? '' : fa);
    if (i + pair[0].length === w.length && pair[0] === 'e') fa = 'ه';
    out += fa;
    i += pair[0].length;
  }
  return out;
}

const norm = (s: string) => tokenize(s).join(' ');
/** A dictionary term or expansion as search compares it (Persian normalisation, words joined by one space). */
export const normalizeTerm = norm;

/** A search dictionary: normalised term -> normalised expansions. */
export type Dictionary = [string, string[]][];

/** Dictionary entries as stored (or typed) to the form search uses: normalised, empty ones dropped. */
export function toDictionary(entries: { term: string; expansions: string[] }[]): Dictionary {
  return entries.map((e): [string, string[]] => [norm(e.term), e.expansions.map(norm).filter(Boolean)]).filter(([t, e]) => t && e.length);
}

const SYNONYMS: Dictionary = toDictionary(Object.entries(STARTER_SYNONYMS).map(([term, expansions]) => ({ term, expansions })));

const hasPhrase = (q: string, term: string) => (' ' + q + ' ').includes(' ' + term + ' ');
const replacePhrase = (q: string, term: string, by: string) => (' ' + q + ' ').replace(' ' + term + ' ', ' ' + by + ' ').trim();

/** Alternative wordings of a query: itself, its Finglish reading, and dictionary expansions (at most `max`). */
export function expandQuery(q: string, max = 12, dict: Dictionary = SYNONYMS): string[] {
  const base = norm(q);
  if (!base) return [];
  const out = new Set<string>([base]);
  if (/[a-z]/.test(base)) {
    const fa = base
      .split(' ')
      .map((w) => (/^[a-z]+$/.test(w) && !dict.some(([t]) => t === w) ? transliterate(w) : w))
      .join(' ');
    const faAll = base
      .split(' ')
      .map((w) => (/^[a-z]+$/.test(w) ? transliterate(w) : w))
      .join(' ');
    out.add(norm(fa));
    out.add(norm(faAll));
  }
  // Breadth first, so a query with two dictionary terms also gets the wording with both replaced
  // (driver license -> driving licence), until `max` wordings.
  const queue = [...out];
  for (let i = 0; i < queue.length && out.size < max; i++) {
    for (const [term, exps] of dict) {
      if (!hasPhrase(queue[i], term)) continue;
      for (const e of exps) {
        const next = replacePhrase(queue[i], term, e);
        if (!next || out.has(next) || out.size >= max) continue;
        out.add(next);
        queue.push(next);
      }
    }
  }
  return [...out].filter(Boolean).slice(0, max);
}

/** Levenshtein distance, bounded: returns limit+1 as soon as it is certain to exceed limit. */
export function editDistance(a: string, b: string, limit = 3): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]);
    }
    if (best > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length];
}

/** The query with each unknown word replaced by the closest known word, or null when nothing changes. */
export function didYouMean(q: string, vocabulary: Set<string>): string | null {
  const words = tokenize(normalizeText(q));
  let changed = false;
  const out = words.map((w) => {
    if (vocabulary.has(w) || w.length < 3) return w;
    const limit = w.length >= 7 ? 2 : 1;
    let best: string | null = null;
    let bestD = limit + 1;
    for (const v of vocabulary) {
      const d = editDistance(w, v, limit);
      if (d < bestD) {
        bestD = d;
        best = v;
      }
    }
    if (best) {
      changed = true;
      return best;
    }
    return w;
  });
  return changed ? out.join(' ') : null;
}

/** Dictionary terms and expansion words, for did-you-mean. */
export function dictionaryWords(dict: Dictionary = SYNONYMS): string[] {
  return dict.flatMap(([t, e]) => [t, ...e]).flatMap((s) => s.split(' '));
}
