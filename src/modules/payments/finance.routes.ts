// Staff routes for money: the finance officer refunds and reconciles (payments.finance); the finance
// officer, the agency admin and the oversight office read the report and download it as CSV
// (payments.report). The citizen's receipt is here too (it is issued by the documents module).
//   GET  /:lang/staff/payments                   report, reconciliations, recent payments (?agency= for the oversight office)
//   GET  /:lang/staff/payments/report.csv        the report as CSV (cells starting = + - @ are escaped)
//   POST /:lang/staff/payments/reconcile         reconcile one day with the gateway's settlement report
//   POST /:lang/staff/payments/:paymentId/refund refund (part of) a card payment
//   GET  /:lang/applications/:id/payments/:paymentId/receipt   the signed receipt (the applicant only)
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, messageFor } from '../../platform/errors.ts';
import { present } from '../../platform/invariant.ts';
import { langOf, type Lang } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { sendPage } from '../../web/render.ts';
import type { FieldError } from '../../web/components.tsx';
import { requireCitizen } from '../identity/citizen.guard.ts';
import { requireStaff } from '../identity/staff.guard.ts';
import { can } from '../identity/identity.policy.ts';
import { pick as pickText } from '../catalog/catalog.taxonomy.ts';
import { FinancePage } from './pages/finance.tsx';
import { csvCell, type PaymentsFinance } from './payments.finance.ts';

type Q = {
  Params: { lang: string; paymentId: string; id: string };
  Querystring: { from?: string; to?: string; agency?: string };
  Body: Record<string, string>;
};
const hide = { hide: true };
const dayOf = (v: string | undefined, fallback: Date) =>
  v && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)) ? v : fallback.toISOString().slice(0, 10);
const principal = (s: { id: string; role: string; agency_id: string | null }) => ({
  id: s.id,
  role: s.role as never,
  agencyId: s.agency_id,
});

export function registerFinanceRoutes(app: FastifyInstance, ctx: AppContext, finance: PaymentsFinance): void {
  const range = (q: Q['Querystring']) => {
    const to = dayOf(q.to, new Date());
    const from = dayOf(q.from, new Date(Date.parse(to) - 30 * 86_400_000));
    return { from, to, fromDate: new Date(`${from}T00:00:00Z`), toDate: new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000) };
  };
  /** Agency staff see their own agency; the oversight office picks one with ?agency= (or all). */
  const scope = async (req: FastifyRequest<Q>, reply: FastifyReply, lang: Lang) => {
    const staff = await requireStaff(ctx, req, reply, lang, 'payments.report');
    if (!staff) return null;
    return {
      staff,
      agencyId:
        staff.agency_id ??
        (typeof req.query.agency === 'string' && /^[a-z0-9-]{1,80}$/.test(req.query.agency) ? req.query.agency : undefined),
    };
  };

  /** A finance officer's own agency (payments.finance is only ever granted with one). */
  const ownAgency = (staff: { id: string; role: string; agency_id: string | null }) => ({
    staff,
    agencyId: present(staff.agency_id, `the agency of finance officer ${staff.id}`),
  });

  const page = async (
    req: FastifyRequest<Q>,
    reply: FastifyReply,
    lang: Lang,
    s: { staff: { id: string; role: string; agency_id: string | null }; agencyId?: string },
    errors: FieldError[] = [],
    notice?: string,
    status = 200,
  ) => {
    const r = range(req.query);
    const [report, payments, recs, cards] = await Promise.all([
      finance.report({ agencyId: s.agencyId, from: r.fromDate, to: r.toDate }),
      finance.repo.recent(s.agencyId),
      finance.reconciliations(),
      s.agencyId ? ctx.catalog.agencyCards(s.agencyId) : Promise.resolve([]),
    ]);
    const names = new Map(cards.map((c) => [c.id, pickText(c.name, lang).text]));
    const agency = s.agencyId ? await ctx.catalog.getAgency(s.agencyId).catch(() => null) : null;
    return sendPage(
      reply,
      FinancePage({
        lang,
        path: `/${lang}/staff/payments`,
        csrf: reply.generateCsrf(),
        canRefund: can(principal(s.staff), 'payments.finance', { agencyId: s.agencyId }),
        agencyName: agency ? pickText(agency.name, lang).text : lang === 'fa' ? 'همه دستگاه‌ها' : 'All agencies',
        payments,
        reconciliations: recs.map((x) => ({
          day: String(x.day).slice(0, 10),
          matched: x.matched,
          mismatches: x.mismatches,
          run_at: x.run_at,
        })),
        report,
        serviceName: (id) => names.get(id) ?? id.slice(0, 8),
        from: r.from,
        to: r.to,
        errors,
        notice,
      }),
      status,
    );
  };

  app.get<Q>('/:lang/staff/payments', { schema: hide }, async (req, reply) => {
    const lang = langOf(req.params);
    const s = await scope(req, reply, lang);
    return s ? page(req, reply, lang, s) : reply;
  });

  app.get<Q>('/:lang/staff/payments/report.csv', { schema: hide }, async (req, reply) => {
    const lang = langOf(req.params);
    const s = await scope(req, reply, lang);
    if (!s) return reply;
    const r = range(req.query);
    const rows = await finance.report({ agencyId: s.agencyId, from: r.fromDate, to: r.toDate });
    const lines = [
      ['day', 'agency', 'service', 'channel', 'payments', 'collected_rials', 'refunded_rials', 'pending_rials'].join(','),
      ...rows.map((x) =>
        [x.day, x.agencyId, x.serviceId, x.channel, x.payments, x.collected, x.refunded, x.pending].map(csvCell).join(','),
      ),
    ];
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="payments-${r.from}-${r.to}.csv"`)
      .send(`${lines.join('\r\n')}\r\n`);
  });

  app.post<Q>('/:lang/staff/payments/reconcile', { schema: hide, preHandler: app.csrfProtection }, async (req, reply) => {
    const lang = langOf(req.params);
    const staff = await requireStaff(ctx, req, reply, lang, 'payments.finance');
    if (!staff) return reply;
    const day = String(req.body?.day ?? '').trim();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day)))
      return page(
        req,
        reply,
        lang,
        ownAgency(staff),
        [{ field: 'day', message: lang === 'fa' ? 'روز را به شکل ۲۰۲۶-۱۲-۰۳ وارد کنید' : 'Enter the day like 2026-12-03' }],
        undefined,
        400,
      );
    try {
      await finance.reconcile(day, `staff:${staff.id}`);
    } catch (e) {
      if (e instanceof AppError && e.code === 'PAYMENT_GATEWAY_UNAVAILABLE')
        return page(req, reply, lang, ownAgency(staff), [{ field: 'day', message: messageFor(e.code, lang) }], undefined, 503);
      throw e;
    }
    return reply.redirect(`/${lang}/staff/payments?to=${day}`, 303);
  });

  app.post<Q>('/:lang/staff/payments/:paymentId/refund', { schema: hide, preHandler: app.csrfProtection }, async (req, reply) => {
    const lang = langOf(req.params);
    const staff = await requireStaff(ctx, req, reply, lang, 'payments.finance');
    if (!staff) return reply;
    const amount = Number(
      String(req.body?.amount ?? '')
        .replace(/[\s,٬]/g, '')
        .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0)),
    );
    try {
      await finance.refundByOfficer(staff, req.params.paymentId, amount, String(req.body?.note ?? '').trim());
    } catch (e) {
      if (e instanceof AppError && e.code === 'PAYMENT_REFUND_INVALID')
        return page(
          req,
          reply,
          lang,
          ownAgency(staff),
          [{ field: `amount-${req.params.paymentId}`, message: messageFor(e.code, lang) }],
          undefined,
          400,
        );
      throw e;
    }
    return reply.redirect(`/${lang}/staff/payments`, 303);
  });

  app.get<Q>('/:lang/applications/:id/payments/:paymentId/receipt', { schema: hide }, async (req, reply) => {
    const lang = langOf(req.params);
    const who = await requireCitizen(ctx, req, reply, lang);
    if (!who) return reply;
    const { payment } = await ctx.payments.payments.forCitizen(who.citizen.id, req.params.id, req.params.paymentId);
    const r = await finance.receipt(payment);
    return reply.redirect(r.url, 303);
  });
}
