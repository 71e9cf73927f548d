// The sandbox bank: a separate HTTP service (started with the demo on PAYMENTS_SANDBOX_PORT, and on port 0
// by tests) that behaves like an Iranian acquiring bank's internet payment gateway. JSON API under
// /ipg/v1 (token, verify, settle, reverse, inquiry, refund, settlement report) authenticated by terminal
// id and key, and the citizen-facing payment page with test cards. Nothing here is real money; state
// is kept in memory for the life of the process.
//
// Test cards (the payment page lists them):
//   6037-9900-0000-0001  succeeds
//   6037-9900-0000-0002  declined by the issuer
//   6037-9900-0000-0003  paid, but the bank's verify never answers (the merchant times out)
//   6037-9900-0000-0004  paid, but the bank never sends the citizen back (no callback)
// Switches (POST /sandbox/switches, JSON {"slowMs": n, "down": bool}, or sandbox.switches in tests):
// slowMs delays every API answer; down makes every API call fail with 503.
import crypto from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import formbody from '@fastify/formbody';

export const TEST_CARDS = {
  '6037990000000001': 'success',
  '6037990000000002': 'declined',
  '6037990000000003': 'verify-timeout',
  '6037990000000004': 'no-callback',
} as const;
export type CardBehaviour = (typeof TEST_CARDS)[keyof typeof TEST_CARDS];

type TxnState = 'new' | 'paid' | 'verified' | 'settled' | 'failed' | 'cancelled' | 'reversed';
interface Txn {
  token: string;
  orderId: string;
  amount: number;
  callbackUrl: string;
  state: TxnState;
  reference: string | null;
  trace: string | null;
  card: string | null;
  behaviour: CardBehaviour | null;
  refunded: number;
  createdAt: Date;
}
interface LedgerLine {
  day: string;
  orderId: string;
  reference: string;
  amount: number;
  kind: 'settlement' | 'refund';
}

export interface SandboxOptions {
  terminalId?: string;
  terminalKey?: string;
  /** How long the "verify never answers" card makes verify wait (ms). */
  hangMs?: number;
}

export interface SandboxBank {
  port: number;
  url: string;
  switches: { slowMs: number; down: boolean };
  /** Every API call received, for tests to count (e.g. verify calls). */
  calls: { op: string; at: number; body: Record<string, unknown> }[];
  transactions: Map<string, Txn>;
  /** Marks a transaction paid as if the citizen paid with `card` (for benchmarks and tests without a browser). */
  pay(token: string, card: keyof typeof TEST_CARDS): { fields: Record<string, string> | null; callbackUrl: string };
  /** Adds a line to the settlement report only (to test reconciliation mismatches). */
  addReportLine(line: LedgerLine): void;
  close(): Promise<void>;
}

const day = (d = new Date()) => d.toISOString().slice(0, 10);
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const digits = (n: number) => String(crypto.randomInt(10 ** (n - 1), 10 ** n));
const mask = (card: string) => `${card.slice(0, 6)}******${card.slice(-4)}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>
<style>body{font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.6;color:#0b0c0c}main{border:2px solid #1d70b8;padding:1rem 1.5rem}button{font-size:1rem;padding:.5rem 1rem;margin:.25rem 0;background:#00703c;color:#fff;border:0}button.secondary{background:#505a5f}fieldset{border:0;padding:0}label{display:block;margin:.4rem 0}p.en{direction:ltr;text-align:left}</style></head>
<body><main><p><strong>بانک آزمایشی پنجره</strong> — <span lang="en">Panjereh sandbox bank (test money only)</span></p>${body}</main></body></html>`;
}

export async function startSandboxBank(port = 0, o: SandboxOptions = {}): Promise<SandboxBank> {
  const terminalId = o.terminalId ?? 'sandbox-terminal';
  const terminalKey = o.terminalKey ?? 'sandbox-key';
  const hangMs = o.hangMs ?? 60_000;
  const txns = new Map<string, Txn>();
  const byReference = new Map<string, Txn>();
  const byOrder = new Map<string, Txn>();
  const report: LedgerLine[] = [];
  const switches = { slowMs: 0, down: false };
  const calls: SandboxBank['calls'] = [];
  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  await app.register(formbody);
  const hangs = new Set<() => void>();
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        hangs.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      hangs.add(done);
    });

  // ------------------------------------------------------------ merchant API
  const api = (op: string, handler: (body: Record<string, unknown>, reply: FastifyReply) => Promise<unknown> | unknown) =>
    app.post(`/ipg/v1/${op}`, async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      calls.push({ op, at: Date.now(), body });
      if (switches.slowMs) await wait(switches.slowMs);
      if (switches.down) return reply.code(503).send({ status: 'UNAVAILABLE' });
      if (req.headers['x-terminal-id'] !== terminalId || req.headers['x-terminal-key'] !== terminalKey)
        return reply.code(401).send({ status: 'BAD_TERMINAL' });
      return handler(body, reply);
    });

  api('token', (b, reply) => {
    const amount = Number(b.amount);
    const orderId = String(b.orderId ?? '');
    const callbackUrl = String(b.callbackUrl ?? '');
    if (!Number.isSafeInteger(amount) || amount < 1000) return reply.code(400).send({ status: 'BAD_AMOUNT' });
    if (!/^\d{1,20}$/.test(orderId)) return reply.code(400).send({ status: 'BAD_ORDER_ID' });
    if (!/^https?:\/\//.test(callbackUrl)) return reply.code(400).send({ status: 'BAD_CALLBACK' });
    if (byOrder.has(orderId)) return reply.code(409).send({ status: 'DUPLICATE_ORDER_ID' });
    const t: Txn = {
      token: crypto.randomBytes(16).toString('hex'),
      orderId,
      amount,
      callbackUrl,
      state: 'new',
      reference: null,
      trace: null,
      card: null,
      behaviour: null,
      refunded: 0,
      createdAt: new Date(),
    };
    txns.set(t.token, t);
    byOrder.set(orderId, t);
    return { status: 'OK', token: t.token };
  });

  const verified = (t: Txn, already: boolean) => ({
    status: 'OK',
    already,
    amount: t.amount,
    orderId: t.orderId,
    refNum: t.reference,
    traceNo: t.trace,
    cardMask: t.card ? mask(t.card) : null,
  });
  api('verify', async (b, reply) => {
    const t = byReference.get(String(b.refNum ?? ''));
    if (!t || (b.token !== undefined && b.token !== t.token)) return reply.code(404).send({ status: 'UNKNOWN' });
    if (t.behaviour === 'verify-timeout' && t.state === 'paid') {
      await wait(hangMs);
      return reply.code(504).send({ status: 'TIMEOUT' });
    }
    if (t.state === 'paid') {
      t.state = 'verified';
      return verified(t, false);
    }
    if (t.state === 'verified' || t.state === 'settled') return verified(t, true);
    if (t.state === 'reversed') return reply.code(409).send({ status: 'REVERSED' });
    return reply.code(409).send({ status: 'NOT_PAID' });
  });

  api('settle', (b, reply) => {
    const reference = String(b.refNum ?? '');
    const t = byReference.get(reference); // keyed by the transaction's reference
    if (!t) return reply.code(404).send({ status: 'UNKNOWN' });
    if (t.state === 'settled') return { status: 'OK', already: true };
    if (t.state !== 'verified') return reply.code(409).send({ status: 'NOT_VERIFIED' });
    t.state = 'settled';
    report.push({ day: day(), orderId: t.orderId, reference, amount: t.amount, kind: 'settlement' });
    return { status: 'OK', already: false };
  });

  api('reverse', (b, reply) => {
    const t = b.refNum ? byReference.get(String(b.refNum)) : byOrder.get(String(b.orderId ?? ''));
    if (!t) return reply.code(404).send({ status: 'UNKNOWN' });
    if (t.state === 'settled') return reply.code(409).send({ status: 'SETTLED' });
    if (t.state === 'paid' || t.state === 'verified' || t.state === 'new') t.state = t.state === 'new' ? 'cancelled' : 'reversed';
    return { status: 'OK', state: t.state };
  });

  api('inquiry', (b, reply) => {
    const t = byOrder.get(String(b.orderId ?? ''));
    if (!t) return reply.code(404).send({ status: 'UNKNOWN', state: 'unknown' });
    return { status: 'OK', state: t.state, refNum: t.reference, amount: t.amount };
  });

  api('refund', (b, reply) => {
    const t = byReference.get(String(b.refNum ?? ''));
    const amount = Number(b.amount);
    if (!t) return reply.code(404).send({ status: 'UNKNOWN' });
    if (t.state !== 'settled') return reply.code(409).send({ status: 'NOT_SETTLED' });
    if (!Number.isSafeInteger(amount) || amount < 1 || t.refunded + amount > t.amount)
      return reply.code(400).send({ status: 'BAD_AMOUNT' });
    t.refunded += amount;
    const ref = digits(12);
    report.push({ day: day(), orderId: t.orderId, reference: ref, amount: -amount, kind: 'refund' });
    return { status: 'OK', refundRef: ref };
  });

  app.get<{ Querystring: { day?: string } }>('/ipg/v1/settlement', async (req, reply) => {
    calls.push({ op: 'settlement', at: Date.now(), body: { day: req.query.day } });
    if (switches.down) return reply.code(503).send({ status: 'UNAVAILABLE' });
    if (req.headers['x-terminal-id'] !== terminalId || req.headers['x-terminal-key'] !== terminalKey)
      return reply.code(401).send({ status: 'BAD_TERMINAL' });
    const d = String(req.query.day ?? '');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return reply.code(400).send({ status: 'BAD_DAY' });
    return { status: 'OK', day: d, items: report.filter((l) => l.day === d).map(({ day: _d, ...l }) => l) };
  });

  app.post<{ Body: { slowMs?: number; down?: boolean } }>('/sandbox/switches', async (req) => {
    const b = req.body ?? {};
    if (typeof b.slowMs === 'number' && b.slowMs >= 0 && b.slowMs <= 120_000) switches.slowMs = b.slowMs;
    if (typeof b.down === 'boolean') switches.down = b.down;
    return switches;
  });
  app.get('/sandbox/switches', async () => switches);

  // ------------------------------------------------------------ the citizen's payment page
  const callbackForm = (t: Txn, outcome: 'OK' | 'DECLINED' | 'CANCELED', paid?: { reference: string; trace: string; card: string }) => ({
    token: t.token,
    orderId: t.orderId,
    amount: String(t.amount),
    state: outcome,
    ...(paid ? { refNum: paid.reference, traceNo: paid.trace, cardMask: mask(paid.card) } : {}),
  });
  const pay = (t: Txn, card: string): Record<string, string> | null => {
    const behaviour = TEST_CARDS[card as keyof typeof TEST_CARDS] ?? 'declined';
    t.card = card;
    t.behaviour = behaviour;
    if (behaviour === 'declined') {
      t.state = 'failed';
      return callbackForm(t, 'DECLINED');
    }
    const reference = digits(12);
    const trace = digits(6);
    t.state = 'paid';
    t.reference = reference;
    t.trace = trace;
    byReference.set(reference, t);
    return behaviour === 'no-callback' ? null : callbackForm(t, 'OK', { reference, trace, card });
  };
  const backForm = (url: string, fields: Record<string, string>, label: string) =>
    `<form method="post" action="${esc(url)}">${Object.entries(fields)
      .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
      .join('')}<button type="submit">${label}</button></form>`;

  const showPage = async (token: string, reply: FastifyReply) => {
    const t = txns.get(token);
    if (!t || t.state !== 'new')
      return reply
        .code(404)
        .type('text/html')
        .send(
          page(
            'تراکنش نامعتبر',
            '<h1>این تراکنش معتبر نیست یا پیش‌تر انجام شده است.</h1><p class="en" lang="en">This transaction is not valid or has already been used.</p>',
          ),
        );
    const amount = new Intl.NumberFormat('fa-IR').format(t.amount);
    const cards = Object.entries(TEST_CARDS)
      .map(
        ([n, b], i) =>
          `<label><input type="radio" name="card" value="${n}"${i === 0 ? ' checked' : ''}> <span dir="ltr">${n.replace(/(\d{4})(?=\d)/g, '$1-')}</span> (<span lang="en">${b}</span>)</label>`,
      )
      .join('');
    return reply.type('text/html').send(
      page(
        'پرداخت',
        `<h1>پرداخت ${amount} ریال</h1><p class="en" lang="en">Pay ${t.amount.toLocaleString('en-US')} rials — order ${esc(t.orderId)}</p>
<form method="post" action="/ipg/v1/pay/submit"><input type="hidden" name="token" value="${esc(t.token)}"><fieldset><legend>کارت آزمایشی را انتخاب کنید <span lang="en">(choose a test card)</span></legend>${cards}</fieldset><button type="submit" name="action" value="pay">پرداخت <span lang="en">Pay</span></button> <button class="secondary" type="submit" name="action" value="cancel">انصراف <span lang="en">Cancel</span></button></form>`,
      ),
    );
  };
  app.get<{ Querystring: { token?: string } }>('/ipg/v1/pay', async (req, reply) => showPage(String(req.query.token ?? ''), reply));
  app.post<{ Body: { token?: string } }>('/ipg/v1/pay', async (req, reply) => showPage(String(req.body?.token ?? ''), reply));
  app.post<{ Body: { token?: string; card?: string; action?: string } }>('/ipg/v1/pay/submit', async (req, reply) => {
    const t = txns.get(String(req.body?.token ?? ''));
    if (!t || t.state !== 'new')
      return reply
        .code(404)
        .type('text/html')
        .send(page('تراکنش نامعتبر', '<h1>این تراکنش معتبر نیست.</h1><p class="en" lang="en">This transaction is not valid.</p>'));
    if (req.body?.action === 'cancel') {
      t.state = 'cancelled';
      return reply
        .type('text/html')
        .send(
          page(
            'انصراف',
            `<h1>پرداخت لغو شد</h1><p class="en" lang="en">Payment cancelled.</p>${backForm(t.callbackUrl, callbackForm(t, 'CANCELED'), 'بازگشت به سایت پذیرنده <span lang="en">Return to the merchant</span>')}`,
          ),
        );
    }
    const fields = pay(t, String(req.body?.card ?? ''));
    if (!fields)
      return reply
        .type('text/html')
        .send(
          page(
            'پرداخت انجام شد',
            '<h1>پرداخت انجام شد</h1><p>این کارت آزمایشی شما را به سایت پذیرنده بازنمی‌گرداند (فراخوانی بازگشت هرگز نمی‌رسد).</p><p class="en" lang="en">Paid. This test card never sends you back to the merchant (the callback never comes).</p>',
          ),
        );
    const ok = fields.state === 'OK';
    return reply
      .type('text/html')
      .send(
        page(
          ok ? 'پرداخت موفق' : 'پرداخت ناموفق',
          `<h1>${ok ? 'پرداخت موفق' : 'پرداخت ناموفق'}</h1><p class="en" lang="en">${ok ? 'Payment successful.' : 'Payment declined.'}</p>${backForm(t.callbackUrl, fields, 'بازگشت به سایت پذیرنده <span lang="en">Return to the merchant</span>')}`,
        ),
      );
  });

  await app.listen({ port, host: '127.0.0.1' });
  const addr = app.server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  return {
    port: actual,
    url: `http://127.0.0.1:${actual}`,
    switches,
    calls,
    transactions: txns,
    pay(token, card) {
      const t = txns.get(token);
      if (!t || t.state !== 'new') throw new Error('no such new transaction');
      return { fields: pay(t, card), callbackUrl: t.callbackUrl };
    },
    addReportLine: (line) => void report.push(line),
    close: async () => {
      for (const done of [...hangs]) done();
      await app.close();
    },
  };
}
