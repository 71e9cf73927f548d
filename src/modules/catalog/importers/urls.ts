// Public catalogues carry hand-typed links. Obvious typos are repaired (and reported as warnings);
// a link that cannot be read is dropped with a warning while the service itself is kept.

export const LINK_PROTOCOLS = ['http:', 'https:', 'ftp:'];

export function isLink(v: string): boolean {
  try {
    return LINK_PROTOCOLS.includes(new URL(v).protocol);
  } catch {
    return false;
  }
}

/** The link as given when valid, a repaired link, or null. */
export function repairLink(raw: string): { url: string; repaired: boolean } | null {
  const v = raw.trim();
  if (!v || v === 'NA' || v === 'ND') return null;
  if (isLink(v) && !/\s/.test(v)) return { url: v, repaired: false };
  let fixed = v
    .replace(/\s+/g, '')
    .replace(/^(h?t?t?p?s?):?\/\//i, (m) => (/s/i.test(m) ? 'https://' : 'http://'))
    .replace(/^htp?p?s?:\/\//i, 'https://');
  if (!/^[a-z]+:\/\//i.test(fixed)) fixed = `https://${fixed.replace(/^\/+/, '')}`;
  return isLink(fixed) ? { url: fixed, repaired: true } : null;
}
