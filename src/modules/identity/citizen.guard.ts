// The citizen check every citizen page runs first: a live session, or a redirect to sign in that
// remembers where the person was going (and says so when the session ended for being idle).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { CitizenRow, SessionRow } from './identity.repository.ts';

export const citizenCookie = (ctx: AppContext) => (ctx.config.NODE_ENV === 'production' ? '__Host-session' : 'session');

/** The signed-in citizen and session, or null (without redirecting) when nobody is signed in. */
export async function currentCitizen(ctx: AppContext, req: FastifyRequest): Promise<{ citizen: CitizenRow; session: SessionRow } | null> {
  const found = await ctx.identity.sessionFor(req.cookies[citizenCookie(ctx)]);
  return found && 'citizen' in found ? found : null;
}

/** Pages served to a signed-in citizen, and when their session ends: they get the timeout warning. */
export const signedInPages = new WeakMap<FastifyRequest, { lang: Lang; endsAt: Date }>();

/** The signed-in citizen and session, or a 303 to sign in with `next` set to this page. */
export async function requireCitizen(
  ctx: AppContext,
  req: FastifyRequest,
  reply: FastifyReply,
  lang: Lang,
): Promise<{ citizen: CitizenRow; session: SessionRow } | null> {
  const cookie = citizenCookie(ctx);
  const found = await ctx.identity.sessionFor(req.cookies[cookie]);
  if (found && 'citizen' in found) {
    signedInPages.set(req, { lang, endsAt: ctx.identity.sessionEndsAt(found.session) });
    return found;
  }
  const expired = found && 'expired' in found && found.expired === 'idle' ? '&expired=idle' : '';
  reply.clearCookie(cookie, { path: '/' }).redirect(`/${lang}/sign-in?next=${encodeURIComponent(req.url.split('?')[0])}${expired}`, 303);
  return null;
}
