// Guards as data: a route declares who may call it in its options, and the handler reads who it is.
//
//   app.get('/:lang/applications/:id/pay', { schema, preHandler: guards.citizen }, async (req, reply) =>
//     payPage(reply, langOf(req.params), citizenOf(req).id, req.params.id));
//   app.post('/:lang/staff/payments/reconcile', { schema, preHandler: [app.csrfProtection, guards.staff('payments.finance')] }, ...)
//
// `guards.citizen` answers a visitor who is not signed in with a 303 to sign in (remembering the page);
// `guards.staff(action)` answers a 303 to staff sign-in, or 403 FORBIDDEN when the policy (`can()`) says
// no for that action. Agency-scoped checks (this application belongs to the officer's agency) stay in the
// service, which knows the resource. A handler never runs for a refused request, so it needs no
// `if (!who) return reply`.
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { AppContext } from '../../context.ts';
import { langOf } from '../../platform/i18n.ts';
import type { Action } from './identity.policy.ts';
import { requireCitizen } from './citizen.guard.ts';
import { requireStaff } from './staff.guard.ts';
import type { CitizenRow, SessionRow } from './identity.repository.ts';
import type { StaffRow } from './staff.service.ts';

const citizens = new WeakMap<FastifyRequest, { citizen: CitizenRow; session: SessionRow }>();
const staffs = new WeakMap<FastifyRequest, StaffRow>();

const langFrom = (req: FastifyRequest) =>
  langOf((req.params as { lang?: string } | undefined)?.lang ? (req.params as { lang: string }) : { lang: 'fa' });

export interface Guards {
  /** A signed-in citizen (a live session), else a 303 to sign in. */
  citizen: preHandlerAsyncHookHandler;
  /** A staff member signed in with both factors whom the policy lets do `action`, else a 303 to staff sign-in or 403. */
  staff(action: Action): preHandlerAsyncHookHandler;
}

export function makeGuards(ctx: AppContext): Guards {
  const citizen: preHandlerAsyncHookHandler = async function (req: FastifyRequest, reply: FastifyReply) {
    const who = await requireCitizen(ctx, req, reply, langFrom(req));
    if (who) citizens.set(req, who);
    else return reply;
  };
  const byAction = new Map<Action, preHandlerAsyncHookHandler>();
  const staff = (action: Action): preHandlerAsyncHookHandler => {
    let guard = byAction.get(action);
    if (!guard) {
      guard = async function (req: FastifyRequest, reply: FastifyReply) {
        const who = await requireStaff(ctx, req, reply, langFrom(req), action);
        if (who) staffs.set(req, who);
        else return reply;
      };
      byAction.set(action, guard);
    }
    return guard;
  };
  return { citizen, staff };
}

/** The citizen `guards.citizen` let through (a route without that guard is a programming error: 500). */
export function citizenOf(req: FastifyRequest): { citizen: CitizenRow; session: SessionRow } {
  const who = citizens.get(req);
  if (!who) throw new Error(`route ${req.routeOptions.url} reads the citizen but does not declare guards.citizen`);
  return who;
}

/** The staff member `guards.staff(action)` let through. */
export function staffOf(req: FastifyRequest): StaffRow {
  const who = staffs.get(req);
  if (!who) throw new Error(`route ${req.routeOptions.url} reads the staff member but does not declare guards.staff(action)`);
  return who;
}
