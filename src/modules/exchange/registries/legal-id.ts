// The national ID of legal persons (شناسه ملی اشخاص حقوقی): 11 digits, the last a check digit. The
// published algorithm (as in @persian-tools/persian-tools verifyIranianLegalId, which we do not depend
// on for one function): d = 10th digit + 2; sum of (d + digit i) × [29, 27, 23, 19, 17][i mod 5] over the
// first 10 digits; the check digit is sum mod 11 (10 counts as 0). Digits 4 to 9 are never all zero.
import { toAsciiDigits } from '../../../platform/persian.ts';

const WEIGHTS = [29, 27, 23, 19, 17];

/** The check digit the first ten digits call for. */
export function legalIdCheckDigit(first10: string): number {
  const d = Number(first10[9]) + 2;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (d + Number(first10[i])) * WEIGHTS[i % 5];
  const r = sum % 11;
  return r === 10 ? 0 : r;
}

export function checkLegalId(
  input: string,
): { ok: true; value: string } | { ok: false; reason: 'empty' | 'not-digits' | 'length' | 'zeros' | 'check-digit' } {
  const v = toAsciiDigits(input).replace(/[\s\-\u200C]/g, '');
  if (!v) return { ok: false, reason: 'empty' };
  if (!/^\d+$/.test(v)) return { ok: false, reason: 'not-digits' };
  if (v.length !== 11) return { ok: false, reason: 'length' };
  if (/^0+$/.test(v) || /^0+$/.test(v.slice(3, 9))) return { ok: false, reason: 'zeros' };
  return legalIdCheckDigit(v) === Number(v[10]) ? { ok: true, value: v } : { ok: false, reason: 'check-digit' };
}
