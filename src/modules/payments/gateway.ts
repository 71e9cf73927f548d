// The internet payment gateway (IPG) of an acquiring bank, as the payment service sees it. Iranian banks'
// gateways all follow the same shape: ask for a token (amount, order id, callback URL), send the citizen
// to the bank's page with a form POST, the bank posts the outcome back to the callback URL, and the
// merchant VERIFIES it server to server before treating it as paid, then settles it (or reverses it).
// Inquiry answers "what happened to order N" when the callback never came; refund, and a settlement
// report per day for reconciliation.
//
// A real bank's adapter is one file implementing PaymentGateway (see sandbox.gateway.ts, the
// development default, for the pattern); paymentGateway() in payments.config.ts picks it by name.

/** The gateway could not be reached or did not answer in time: the outcome is unknown, try again later. */
export class GatewayUnavailable extends Error {
  constructor(message = 'payment gateway unavailable') {
    super(message);
    this.name = 'GatewayUnavailable';
  }
}

export interface TokenRequest {
  /** Whole rials. */
  amount: number;
  /** The merchant's unique numeric order id (payments.order_id). */
  orderId: string;
  callbackUrl: string;
}

/** Where to send the citizen: a form POST (works without JavaScript) to `url` with these fields. */
export interface GatewayRedirect {
  url: string;
  fields: Record<string, string>;
}

/** What the callback POST says. Nothing in it is trusted until verify() confirms it. */
export interface CallbackFields {
  token: string;
  orderId: string;
  outcome: 'ok' | 'declined' | 'cancelled';
  reference: string | null;
  /** What the callback claims; never used as the amount paid (verify's answer is). */
  amount: number | null;
}

export type VerifyResult =
  | {
      outcome: 'verified';
      amount: number;
      orderId: string;
      reference: string;
      trace: string | null;
      cardMask: string | null;
      already: boolean;
    }
  | { outcome: 'refused'; code: 'unknown' | 'not-paid' | 'reversed' | 'mismatch' };

export type InquiryState = 'new' | 'paid' | 'verified' | 'settled' | 'failed' | 'cancelled' | 'reversed' | 'unknown';
export interface InquiryResult {
  state: InquiryState;
  reference: string | null;
  amount: number | null;
}

export interface SettlementItem {
  orderId: string;
  reference: string;
  /** Positive for a settled payment, negative for a refund. */
  amount: number;
  kind: 'settlement' | 'refund';
}

export interface PaymentGateway {
  /** Stored on every payment (payments.gateway); the sandbox says "sandbox". */
  readonly name: string;
  requestToken(r: TokenRequest): Promise<{ token: string; redirect: GatewayRedirect }>;
  /** Reads the callback body (form fields) in this gateway's own names; null when it is not one. */
  parseCallback(body: Record<string, unknown>): CallbackFields | null;
  /** Idempotent: verifying a verified transaction again answers the same (already: true). */
  verify(r: { token: string; reference: string }): Promise<VerifyResult>;
  settle(reference: string): Promise<void>;
  reverse(r: { reference?: string | null; orderId: string }): Promise<void>;
  inquiry(orderId: string): Promise<InquiryResult>;
  refund(reference: string, amount: number): Promise<{ reference: string }>;
  settlementReport(day: string): Promise<SettlementItem[]>;
}
