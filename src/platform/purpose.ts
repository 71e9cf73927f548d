// Why one agency asked another for a citizen's data: a purpose code with parameters, written on the wire
// as an ASCII header value (X-Road-Issue) and shown to the citizen in the page's language. Rows logged
// before the code existed carry the same text, so they are read back the same way (no migration).
import type { Lang } from './i18n.ts';

export type Purpose = { code: 'prefill'; form: string; application: string } | { code: 'other'; text: string };

const PREFILL = /^Prefill of application form ([a-z0-9-]{1,120}), application ([0-9a-f-]{36})$/;

/** The header value for a purpose (ASCII). */
export function purposeHeader(p: Exclude<Purpose, { code: 'other' }>): string {
  return `Prefill of application form ${p.form}, application ${p.application}`;
}

/** A logged purpose text read back as its code and parameters; anything else is 'other' (shown as sent). */
export function parsePurpose(text: string): Purpose {
  const m = PREFILL.exec(text);
  return m ? { code: 'prefill', form: m[1], application: m[2] } : { code: 'other', text };
}

/** The purpose in words of the page's language, with the application it names (to link and to isolate). */
export function purposeWords(p: Purpose, lang: Lang): { text: string; application?: string } {
  if (p.code === 'other') return { text: p.text };
  // English: the words as logged (they are English); Persian: Persian words and a link to the application
  return lang === 'fa' ? { text: 'پر کردن خودکار فرم درخواست شما، درخواست', application: p.application } : { text: purposeHeader(p) };
}
