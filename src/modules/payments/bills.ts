// Bill ID and payment ID (شناسه قبض و شناسه پرداخت) in the structure every Iranian bank channel accepts:
//   bill ID    = file number + company code (3 digits) + service type (1 digit) + check digit
//   payment ID = amount in thousands of rials + year digit + period (2 digits) + check digit 1 + check digit 2
// Check digits are mod 11 with weights 2..7 from the right; the second payment-ID digit covers the bill
// ID and the payment ID together. @persian-tools/persian-tools (Bill) only verifies: we compute the
// digits, then every bill issued and every bill a bank sends is checked with the library.
import { Bill, isShebaValid } from '@persian-tools/persian-tools';

/** Service type 8 ("government revenue"; persian-tools names it for the tax organisation). */
export const BILL_SERVICE_TYPE = '8';

/** The banks' check digit: weights 2..7 repeating from the right, mod 11; 0 and 1 give 0. */
function checkDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += Number(digits[digits.length - 1 - i]) * ((i % 6) + 2);
  const r = sum % 11;
  return r < 2 ? 0 : 11 - r;
}

export function makeBill(o: { serial: string; companyCode: string; amount: number; at?: Date }): { billId: string; paymentId: string } {
  if (!/^\d{1,8}$/.test(o.serial) || !/^\d{3}$/.test(o.companyCode)) throw new RangeError('bill serial or company code out of range');
  if (!Number.isSafeInteger(o.amount) || o.amount < 1000 || o.amount % 1000 !== 0)
    throw new RangeError('a bill amount is a whole number of thousands of rials');
  const body = `${o.serial}${o.companyCode}${BILL_SERVICE_TYPE}`;
  const billId = `${body}${checkDigit(body)}`;
  const parts = new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', {
    year: 'numeric',
    month: '2-digit',
    timeZone: 'Asia/Tehran',
  }).formatToParts(o.at ?? new Date());
  const year = (parts.find((p) => p.type === 'year')?.value ?? '0').replace(/\D/g, '').slice(-1);
  const month = (parts.find((p) => p.type === 'month')?.value ?? '01').padStart(2, '0');
  const pay = `${o.amount / 1000}${year}${month}`;
  const c1 = checkDigit(pay);
  const c2 = checkDigit(`${billId}${pay}${c1}`);
  const paymentId = `${pay}${c1}${c2}`;
  if (!new Bill({ billId: Number(billId), paymentId: Number(paymentId), currency: 'rial' }).verificationBill())
    throw new Error('bill check digits do not verify');
  return { billId, paymentId };
}

/** A bill ID as a bank sends it: digits only (Persian digits, spaces and dashes allowed), with a valid check digit. */
export function parseBillId(raw: string): { ok: true; billId: string } | { ok: false; reason: 'format' | 'check-digit' } {
  const v = normaliseDigits(raw);
  if (!/^\d{6,13}$/.test(v)) return { ok: false, reason: 'format' };
  const bill = new Bill({ billId: v, paymentId: '000000', currency: 'rial' } as never);
  return bill.verificationBillId() ? { ok: true, billId: v } : { ok: false, reason: 'check-digit' };
}

/** A payment ID checked against its bill ID (both check digits); the amount it encodes, in rials. */
export function parsePaymentId(
  billId: string,
  raw: string,
): { ok: true; paymentId: string; amount: number } | { ok: false; reason: 'format' | 'check-digit' } {
  const v = normaliseDigits(raw);
  if (!/^\d{6,13}$/.test(v)) return { ok: false, reason: 'format' };
  const bill = new Bill({ billId, paymentId: v, currency: 'rial' } as never);
  return bill.verificationBillPayment() ? { ok: true, paymentId: v, amount: bill.getAmount() } : { ok: false, reason: 'check-digit' };
}

/** The barcode banks print and scan: bill ID, three zeros, payment ID. */
export const billBarcode = (billId: string, paymentId: string) => new Bill({ billId, paymentId, currency: 'rial' } as never).getBarcode();

export function normaliseDigits(raw: string): string {
  return String(raw)
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\s-]/g, '');
}

/** An IBAN (شبا) for a treasury account: IR + 24 digits, check digits valid (ISO 7064 mod 97). */
export function parseIban(raw: string): string | null {
  const v = normaliseDigits(raw).toUpperCase();
  const iban = /^\d{24}$/.test(v) ? `IR${v}` : v;
  return /^IR\d{24}$/.test(iban) && isShebaValid(iban) ? iban : null;
}

/** Makes a valid Iranian IBAN from a 3-digit bank code and a 19-digit account (demo data and tests). */
export function makeIban(bank: string, account: string): string {
  const bban = `${bank.padStart(3, '0')}${account.padStart(19, '0')}`;
  const rem = BigInt(`${bban}182700`) % 97n;
  return `IR${String(98n - rem).padStart(2, '0')}${bban}`;
}
