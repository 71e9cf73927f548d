// Why one agency asked another for a citizen's data: a purpose code with parameters, written on the wire
// as an ASCII header value (X-Road-Issue) and shown to the citizen in the page's language. Rows logged
// before the code existed carry the same text, so they are read back the same way (no migration).
// The exchange logs any member's X-Road-Issue as sent, so the text is read as a prefill only on rows whose
// client is Panjereh's own subsystem (EXCHANGE_CLIENT_SUBSYSTEM, the client prefill calls as); another
// member writing the same words gets them shown as sent, not as Panjereh's wording with a link.
import type { Lang } from './i18n.ts';

export type Purpose = { code: 'prefill'; form: string; application: string } | { code: 'other'; text: string };

const PREFILL =
  /^Prefill of application form ([a-z0-9-]{1,120}), application ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The header value for a purpose (ASCII). */
export function purposeHeader(p: Exclude<Purpose, { code: 'other' }>): string {
  return `Prefill of application form ${p.form}, application ${p.application}`;
}

/** A logged purpose text read back as its code and parameters; anything else, or any text from a client
 *  other than Panjereh's own subsystem (fromSelf false), is 'other' (shown as sent). */
export function parsePurpose(text: string, fromSelf: boolean): Purpose {
  const m = fromSelf ? PREFILL.exec(text) : null;
  return m ? { code: 'prefill', form: m[1], application: m[2] } : { code: 'other', text };
}

/** The purpose in words of the page's language, with the application it names (to link and to isolate). */
export function purposeWords(p: Purpose, lang: Lang): { text: string; application?: string } {
  if (p.code === 'other') return { text: p.text };
  // English: the words as logged (they are English); Persian: Persian words and a link to the application
  return lang === 'fa' ? { text: 'پر کردن خودکار فرم درخواست شما، درخواست', application: p.application } : { text: purposeHeader(p) };
}
