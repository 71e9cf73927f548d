// Short human codes for documents: 10 characters from an alphabet without look-alikes
// (no I, O, Q, Z, 0, 1), shown as two groups of five: "K7MRT-4XHPA".
import crypto from 'node:crypto';
import { toAsciiDigits } from '../../platform/persian.ts';

export const CODE_ALPHABET = 'ABCDEFGHJKLMNPRSTUVWXY23456789';
export const CODE_LENGTH = 10;

export function newCode(): string {
  let out = '';
  while (out.length < CODE_LENGTH) {
    const b = crypto.randomBytes(16);
    for (const x of b) if (x < 240 && out.length < CODE_LENGTH) out += CODE_ALPHABET[x % 30];
  }
  return out;
}

/** The code as typed (any case, Persian digits, spaces or dashes) in stored form, or null when it cannot be one. */
export function parseCode(input: string): string | null {
  const s = toAsciiDigits(String(input ?? ''))
    .toUpperCase()
    .replace(/[\s\-‐-―_.]/g, '');
  if (s.length !== CODE_LENGTH) return null;
  for (const c of s) if (!CODE_ALPHABET.includes(c)) return null;
  return s;
}

export const formatCode = (code: string) => `${code.slice(0, 5)}-${code.slice(5)}`;

/** A holder's name as the public verification page shows it: the first letter of each word. */
export function maskName(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .map((w) => {
      const chars = [...w];
      return chars.length <= 1 ? w : `${chars[0]}${'•'.repeat(Math.min(chars.length - 1, 5))}`;
    })
    .join(' ');
}
