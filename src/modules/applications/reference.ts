// Reference numbers people read out on the phone: no look-alike characters (no I, O, Q, Z, 0, 1).
// The database has a unique index on them; a (rare) collision makes the caller draw again.
import crypto from 'node:crypto';

export const REFERENCE_ALPHABET = 'ABCDEFGHJKLMNPRSTUVWXY23456789';
export const REFERENCE_PATTERN = /^PJ-[A-HJ-NPR-Y2-9]{4}-[A-HJ-NPR-Y2-9]{4}$/;

export function newReference(): string {
  const bytes = crypto.randomBytes(8);
  // 30 letters: rejection sampling keeps every letter equally likely
  const chars: string[] = [];
  let i = 0;
  let pool = bytes;
  while (chars.length < 8) {
    if (i >= pool.length) {
      pool = crypto.randomBytes(8);
      i = 0;
    }
    const b = pool[i++];
    if (b < 240) chars.push(REFERENCE_ALPHABET[b % 30]);
  }
  return `PJ-${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

/** A reference as typed: any case, spaces, Persian digits are not in the alphabet anyway. */
export function readReference(input: string): string | null {
  const v = input.toUpperCase().replace(/[\s_]/g, '').replace(/^PJ-?/, 'PJ-');
  const m = /^PJ-([A-Z0-9]{4})-?([A-Z0-9]{4})$/.exec(v);
  if (!m) return null;
  const ref = `PJ-${m[1]}-${m[2]}`;
  return REFERENCE_PATTERN.test(ref) ? ref : null;
}
