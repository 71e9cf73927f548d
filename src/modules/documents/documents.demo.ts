// The demo's one issued document, so /fa/verify/<code> works in a fresh demo.
import type { DocumentService, IssuedDocument } from './documents.service.ts';

export function issueDemoDocument(documents: DocumentService): Promise<IssuedDocument> {
  return documents.issue({
    agencyId: 'ir-nocr',
    applicationRef: 'DEMO-0001',
    kind: 'certificate',
    lang: 'fa',
    title: 'گواهی ثبت ولادت (نمونه آزمایشی)',
    holderName: 'سارا محمدی',
    fields: [
      { label: 'شماره شناسنامه', value: '۰۰۱۲۳۴۵۶۷۸' },
      { label: 'محل تولد', value: 'اصفهان' },
      { label: 'توضیح', value: 'این سند نمونه‌ای برای نمایش پنجره است و ارزش قانونی ندارد.' },
    ],
  });
}
