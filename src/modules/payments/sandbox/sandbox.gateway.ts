// The PaymentGateway adapter for the sandbox bank (sandbox.server.ts). A real bank's adapter is a file
// like this one: the same methods, that bank's URLs, field names and status codes. Production refuses
// this adapter (src/config.ts).
import {
  GatewayUnavailable,
  type CallbackFields,
  type InquiryResult,
  type InquiryState,
  type PaymentGateway,
  type SettlementItem,
  type VerifyResult,
} from '../gateway.ts';

export class SandboxGateway implements PaymentGateway {
  readonly name = 'sandbox';

  constructor(
    /** The sandbox's base URL for server-to-server calls, e.g. http://127.0.0.1:3110 */
    private readonly baseUrl: string,
    private readonly terminalId: string,
    private readonly terminalKey: string,
    private readonly timeoutMs = 10_000,
    /** Where the citizen's browser is sent (the same host, unless the sandbox sits behind another name). */
    private readonly browserUrl = baseUrl,
  ) {}

  async #call(
    op: string,
    body: Record<string, unknown>,
    method: 'POST' | 'GET' = 'POST',
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}/ipg/v1/${op}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-terminal-id': this.terminalId, 'x-terminal-key': this.terminalKey },
        body: method === 'POST' ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw new GatewayUnavailable(`sandbox ${op}: ${(e as Error).name}`);
    }
    if (res.status >= 500 || res.status === 401) throw new GatewayUnavailable(`sandbox ${op} answered ${res.status}`);
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    return { status: res.status, json };
  }

  async requestToken(r: { amount: number; orderId: string; callbackUrl: string }) {
    const { status, json } = await this.#call('token', r);
    if (status !== 200 || typeof json.token !== 'string') throw new GatewayUnavailable(`sandbox token refused: ${String(json.status)}`);
    return { token: json.token, redirect: { url: `${this.browserUrl}/ipg/v1/pay`, fields: { token: json.token } } };
  }

  parseCallback(body: Record<string, unknown>): CallbackFields | null {
    const s = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).slice(0, 100) : '');
    const state = s('state');
    if (!s('token') || !s('orderId') || !state) return null;
    const amount = Number(s('amount'));
    return {
      token: s('token'),
      orderId: s('orderId'),
      outcome: state === 'OK' ? 'ok' : state === 'CANCELED' ? 'cancelled' : 'declined',
      reference: s('refNum') || null,
      amount: Number.isSafeInteger(amount) ? amount : null,
    };
  }

  async verify(r: { token: string; reference: string }): Promise<VerifyResult> {
    const { status, json } = await this.#call('verify', { refNum: r.reference, token: r.token });
    if (status === 200 && json.status === 'OK') {
      return {
        outcome: 'verified',
        amount: Number(json.amount),
        orderId: String(json.orderId),
        reference: String(json.refNum),
        trace: json.traceNo ? String(json.traceNo) : null,
        cardMask: json.cardMask ? String(json.cardMask) : null,
        already: json.already === true,
      };
    }
    return { outcome: 'refused', code: json.status === 'REVERSED' ? 'reversed' : json.status === 'NOT_PAID' ? 'not-paid' : 'unknown' };
  }

  async settle(reference: string): Promise<void> {
    const { status, json } = await this.#call('settle', { refNum: reference });
    if (status !== 200) throw new GatewayUnavailable(`sandbox settle refused: ${String(json.status)}`);
  }

  async reverse(r: { reference?: string | null; orderId: string }): Promise<void> {
    const { status, json } = await this.#call('reverse', r.reference ? { refNum: r.reference } : { orderId: r.orderId });
    if (status !== 200 && status !== 404) throw new GatewayUnavailable(`sandbox reverse refused: ${String(json.status)}`);
  }

  async inquiry(orderId: string): Promise<InquiryResult> {
    const { status, json } = await this.#call('inquiry', { orderId });
    if (status === 404) return { state: 'unknown', reference: null, amount: null };
    const states: InquiryState[] = ['new', 'paid', 'verified', 'settled', 'failed', 'cancelled', 'reversed'];
    const state = states.includes(json.state as InquiryState) ? (json.state as InquiryState) : 'unknown';
    return { state, reference: json.refNum ? String(json.refNum) : null, amount: json.amount === undefined ? null : Number(json.amount) };
  }

  async refund(reference: string, amount: number): Promise<{ reference: string }> {
    const { status, json } = await this.#call('refund', { refNum: reference, amount });
    if (status !== 200 || typeof json.refundRef !== 'string')
      throw new GatewayUnavailable(`sandbox refund refused: ${String(json.status)}`);
    return { reference: json.refundRef };
  }

  async settlementReport(day: string): Promise<SettlementItem[]> {
    const { status, json } = await this.#call(`settlement?day=${encodeURIComponent(day)}`, {}, 'GET');
    if (status !== 200 || !Array.isArray(json.items)) throw new GatewayUnavailable('sandbox settlement report refused');
    return (json.items as Record<string, unknown>[]).map((i) => ({
      orderId: String(i.orderId),
      reference: String(i.reference),
      amount: Number(i.amount),
      kind: i.kind === 'refund' ? 'refund' : 'settlement',
    }));
  }
}
