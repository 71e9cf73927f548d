// The visible text of a page with what may be in Latin letters taken out, and the Latin-letter words
// left in it (issue 17 §8: a Persian page has no English words outside an allowed list).
// Taken out: scripts, styles, code, kbd and samp; anything marked as another language (lang="en", e.g.
// the language switch "English", an agency's name given only in English); left-to-right isolates
// (<bdi dir="ltr">, the Ltr component: codes, IDs, URLs, emails, masked mobiles); form values and
// attributes (not text).

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const SKIP = new Set(['script', 'style', 'code', 'kbd', 'samp', 'svg', 'title', 'textarea', 'option', 'head']);

/** Visible text of the body, with the parts that may hold Latin letters taken out. */
export function persianText(html: string): string {
  const out: string[] = [];
  const stack: { tag: string; skip: boolean }[] = [];
  const re = /<!--[\s\S]*?-->|<![^>]*>|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|([^<]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(html))) {
    const [, close, rawTag, attrs, text] = m;
    const skipping = stack.length > 0 && stack[stack.length - 1].skip;
    if (text !== undefined) {
      if (!skipping) out.push(text);
      continue;
    }
    if (!rawTag) continue;
    const tag = rawTag.toLowerCase();
    if (close) {
      const i = stack.map((s) => s.tag).lastIndexOf(tag);
      if (i >= 0) stack.length = i;
      continue;
    }
    if (VOID.has(tag) || /\/\s*$/.test(attrs)) continue;
    const lang = /\slang="([^"]*)"/.exec(attrs)?.[1];
    const ltr = /\sdir="ltr"/.test(attrs) && (tag === 'bdi' || tag === 'span' || tag === 'bdo');
    out.push(' ');
    stack.push({ tag, skip: skipping || SKIP.has(tag) || (lang !== undefined && lang !== 'fa' && tag !== 'html') || ltr });
  }
  return out
    .join('')
    .replace(/&(?:[a-z]+|#\d+);/g, ' ')
    .replace(/\s+/g, ' ');
}

/** Latin-letter words (an email or a web address counts as a word too). */
export function latinWords(text: string): string[] {
  return text.match(/[A-Za-z][A-Za-z0-9'’._@/:-]*[A-Za-z0-9]|[A-Za-z]/g) ?? [];
}
