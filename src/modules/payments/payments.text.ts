// The words of payment messages (e-box, SMS subject) in both languages.
import type { LocalText } from '../../db/schema.ts';
import { formatMoney } from './fees.ts';

export function paymentText(
  kind: 'payment.succeeded' | 'payment.refunded',
  p: { amount: string | number; reference: string | null; channel: string },
  refunded?: number,
): { subject: LocalText; body: LocalText } {
  if (kind === 'payment.succeeded')
    return {
      subject: { fa: 'هزینه درخواست پرداخت شد', en: 'Your payment was received' },
      body: {
        fa: `مبلغ ${formatMoney(p.amount, 'fa')} ${p.channel === 'bill' ? 'با شناسه قبض' : 'با کارت'} پرداخت شد. شماره مرجع: ${p.reference ?? '–'}. رسید پرداخت در صفحه درخواست است.`,
        en: `${formatMoney(p.amount, 'en')} was paid ${p.channel === 'bill' ? 'by bill' : 'by card'}. Reference: ${p.reference ?? '–'}. The receipt is on the application page.`,
      },
    };
  return {
    subject: { fa: 'مبلغ پرداختی بازگردانده شد', en: 'Your payment was refunded' },
    body: {
      fa: `مبلغ ${formatMoney(refunded ?? p.amount, 'fa')} به کارت شما بازگردانده شد (مرجع پرداخت: ${p.reference ?? '–'}).`,
      en: `${formatMoney(refunded ?? p.amount, 'en')} was refunded to your card (payment reference: ${p.reference ?? '–'}).`,
    },
  };
}

export function billText(billId: string, paymentId: string, amount: number): { subject: LocalText; body: LocalText } {
  return {
    subject: { fa: 'شناسه قبض و پرداخت درخواست شما', en: 'The bill for your application' },
    body: {
      fa: `برای پرداخت ${formatMoney(amount, 'fa')} در هر بانک، خودپرداز یا همراه‌بانک: شناسه قبض ${billId}، شناسه پرداخت ${paymentId}. یا در صفحه درخواست با کارت پرداخت کنید.`,
      en: `To pay ${formatMoney(amount, 'en')} at any bank, cash machine or mobile bank: bill ID ${billId}, payment ID ${paymentId}. Or pay by card on the application page.`,
    },
  };
}
