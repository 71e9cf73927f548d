// The staff check every staff route runs first: signed in with both factors, then the policy.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';
import { can, type Action, type StaffPrincipal } from './identity.policy.ts';
import type { StaffRow } from './staff.service.ts';

export const staffCookie = (ctx: AppContext) => (ctx.config.NODE_ENV === 'production' ? '__Host-staff' : 'staff');

/** The staff member, or a redirect to staff sign-in (not signed in) or a 403 (not allowed). */
export async function requireStaff(
  ctx: AppContext,
  req: FastifyRequest,
  reply: FastifyReply,
  lang: Lang,
  action: Action,
  resource: { agencyId?: string } = {},
): Promise<StaffRow | null> {
  const found = await ctx.staff.session(req.cookies[staffCookie(ctx)]);
  if (!found) {
    reply.redirect(`/${lang}/staff/sign-in?next=${encodeURIComponent(req.url.split('?')[0])}`, 303);
    return null;
  }
  if (!can(principal(found.staff), action, resource)) throw new AppError('FORBIDDEN');
  return found.staff;
}

export const principal = (s: StaffRow): StaffPrincipal => ({ id: s.id, role: s.role, agencyId: s.agency_id });
