// The events agencies can subscribe to. The applications module emits the application.* and
// message.* events; documents emits document.*; payments emits payment.* (through the application timeline).
export const WEBHOOK_EVENTS = [
  'application.submitted',
  'application.status_changed',
  'application.info_requested',
  'application.resubmitted',
  'application.approved',
  'application.rejected',
  'message.sent',
  'document.issued',
  'document.revoked',
  'payment.succeeded',
  'payment.refunded',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export const isWebhookEvent = (v: unknown): v is WebhookEvent => (WEBHOOK_EVENTS as readonly unknown[]).includes(v);
