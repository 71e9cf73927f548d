// The P2G bill API banks call (/api/p2g/v1), after the GovStack Payments building block's bill inquiry
// and bill payment operations (spec/SOURCE.md). Authenticated per bank: Authorization: Bearer <bank key>.
// A bill ID or payment ID with a wrong check digit is 400 with its own code; a well-formed unknown bill
// is 404; a wrong amount is 409 BILL_AMOUNT_MISMATCH; a second notification of the same payment is
// answered the same way (idempotent), a different payment of a paid bill is 409 BILL_ALREADY_PAID.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { present } from '../../platform/invariant.ts';
import type { Bank, BillsService } from './bills.service.ts';

const tags = ['P2G bill payments (banks)'];
const banks = new WeakMap<FastifyRequest, Bank>();
const correlation = (req: FastifyRequest) =>
  String(req.headers['x-correlationid'] ?? req.headers['x-correlation-id'] ?? req.id).slice(0, 40);

export function registerP2gApi(app: FastifyInstance, ctx: AppContext, bills: BillsService): void {
  const requireBank = async (req: FastifyRequest) => {
    banks.set(req, await bills.authenticate(req.headers.authorization));
  };

  app.get<{ Params: { billId: string }; Querystring: { fields?: string } }>(
    '/api/p2g/v1/bills/:billId',
    {
      preValidation: requireBank,
      schema: {
        tags,
        summary: 'Bill inquiry: the amount due and the status of a bill',
        params: { type: 'object', properties: { billId: { type: 'string', maxLength: 40 } }, required: ['billId'] },
        querystring: { type: 'object', properties: { fields: { type: 'string', enum: ['inquiry'] } } },
      },
    },
    async (req) => {
      const { bill, status } = await bills.inquiry(req.params.billId);
      return {
        responseCode: '00',
        reason: 'OK',
        requestId: correlation(req),
        billId: bill.bill_id,
        billDetails: {
          billerId: bill.agency_id,
          billerName: bill.agency_id,
          billStatus: status,
          paymentId: bill.payment_id,
          dueDate: null,
          amountonDueDate: Number(bill.amount),
          amountAfterDueDate: Number(bill.amount),
        },
      };
    },
  );

  app.post<{
    Body: {
      requestId?: string;
      billInquiryRequestId?: string;
      billId: string;
      paymentId: string;
      paymentReferenceID: string;
      amount: number;
    };
  }>(
    '/api/p2g/v1/billTransferRequests',
    {
      preValidation: requireBank,
      schema: {
        tags,
        summary: 'Payment notification: the payer bank says a bill was paid (marks it paid exactly once)',
        body: {
          type: 'object',
          required: ['billId', 'paymentId', 'paymentReferenceID', 'amount'],
          properties: {
            requestId: { type: 'string', maxLength: 40 },
            billInquiryRequestId: { type: 'string', maxLength: 40 },
            billId: { type: 'string', maxLength: 40 },
            paymentId: { type: 'string', maxLength: 40 },
            paymentReferenceID: { type: 'string', maxLength: 40 },
            amount: { type: 'integer', minimum: 1 },
          },
        },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const bank = present(banks.get(req), 'the bank requireBank authenticated');
      const r = await bills.notifyPaid(bank, {
        billId: b.billId,
        paymentId: b.paymentId,
        reference: b.paymentReferenceID,
        amount: b.amount,
      });
      return reply.code(r.already ? 200 : 202).send({
        responseCode: '00',
        reason: r.already ? 'already recorded' : 'recorded',
        requestId: b.requestId ?? correlation(req),
        billId: b.billId,
        status: 'ACK',
        paymentReference: r.payment.reference,
        duplicate: r.payment.duplicate,
      });
    },
  );
}
