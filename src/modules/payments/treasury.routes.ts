// The agency's treasury accounts (its finance officer or administrator: payments.accounts).
//   GET  /:lang/staff/payments/accounts   the accounts and the form
//   POST /:lang/staff/payments/accounts   set the agency's account or one service's (303 back, or the page with errors, 400)
import type { FastifyInstance, FastifyReply } from 'fastify';
import { langOf, type Lang } from '../../platform/i18n.ts';
import type { AppContext } from '../../context.ts';
import { sendPage } from '../../web/render.ts';
import type { FieldError } from '../../web/components.tsx';
import { makeGuards, staffOf } from '../identity/guards.ts';
import type { StaffRow } from '../identity/staff.service.ts';
import { pick as pickText } from '../catalog/catalog.taxonomy.ts';
import { TreasuryPage, type TreasuryView } from './pages/treasury.tsx';
import { treasuryProblemText, type TreasuryAccounts } from './payments.treasury.ts';

type R = { Params: { lang: string }; Querystring: { saved?: string }; Body: Record<string, unknown> };
const schema = { hide: true, params: { type: 'object', properties: { lang: { type: 'string', enum: ['fa', 'en'] } } } } as const;
const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 1000) : '');

export function registerTreasuryRoutes(app: FastifyInstance, ctx: AppContext, treasury: TreasuryAccounts): void {
  const guards = makeGuards(ctx);
  const agencyOf = (staff: StaffRow) => staff.agency_id ?? ''; // the policy lets only agency staff through

  const page = async (
    reply: FastifyReply,
    lang: Lang,
    staff: StaffRow,
    values: TreasuryView['values'],
    errors: FieldError[],
    saved: boolean,
    status = 200,
  ) => {
    const agencyId = agencyOf(staff);
    const [accounts, cards, agency] = await Promise.all([
      treasury.list(agencyId),
      ctx.catalog.agencyCards(agencyId),
      ctx.catalog.getAgency(agencyId).catch(() => null),
    ]);
    return sendPage(
      reply,
      TreasuryPage({
        lang,
        path: `/${lang}/staff/payments/accounts`,
        csrf: reply.generateCsrf(),
        agencyName: agency ? pickText(agency.name, lang).text : agencyId,
        accounts,
        services: cards.map((c) => ({ id: c.id, name: pickText(c.name, lang).text })),
        values,
        errors,
        saved,
      }),
      status,
    );
  };

  app.get<R>('/:lang/staff/payments/accounts', { schema, preHandler: guards.staff('payments.accounts') }, async (req, reply) =>
    page(reply, langOf(req.params), staffOf(req), { serviceId: '', iban: '', holderFa: '', holderEn: '' }, [], req.query.saved === '1'),
  );

  app.post<R>(
    '/:lang/staff/payments/accounts',
    { schema, preHandler: [app.csrfProtection, guards.staff('payments.accounts')] },
    async (req, reply) => {
      const lang = langOf(req.params);
      const staff = staffOf(req);
      const b = req.body ?? {};
      const values = { serviceId: text(b.serviceId), iban: text(b.iban), holderFa: text(b.holderFa), holderEn: text(b.holderEn) };
      const services = new Set((await ctx.catalog.agencyCards(agencyOf(staff))).map((c) => c.id));
      const r = await treasury.set({ id: staff.id, agency_id: agencyOf(staff) }, values, services);
      if (!r.ok)
        return page(
          reply,
          lang,
          staff,
          values,
          r.problems.map((p) => ({ field: p.field, message: treasuryProblemText(p, lang) })),
          false,
          400,
        );
      return reply.redirect(`/${lang}/staff/payments/accounts?saved=1`, 303);
    },
  );
}
