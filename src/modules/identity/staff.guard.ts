// The staff check every staff route runs first: signed in with both factors, then the policy.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';
import { can, type Action, type StaffPrincipal } from './identity.policy.ts';
import type { StaffRow } from './staff.service.ts';
import { setStaffFrame } from '../../web/frame.ts';
import { staffFrameOf } from './staff.nav.ts';

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
  const staff = found.staff;
  const agency = staff.agency_id ? await ctx.catalog.getAgency(staff.agency_id).catch(() => null) : null;
  const agencyName = agency ? ((lang === 'fa' ? agency.name.fa : agency.name.en) ?? agency.name.fa ?? agency.id) : null;
  setStaffFrame(staffFrameOf(lang, staff, agencyName, () => reply.generateCsrf()));
  return staff;
}

export const principal = (s: StaffRow): StaffPrincipal => ({ id: s.id, role: s.role, agencyId: s.agency_id });
