// The identity-assurance gate (issue 14) the citizen's journey puts around starting and submitting: the
// level the session reached (the server's record; a live assisted session at a counter office is in
// person) is handed to the applications service, which refuses a service above it (ASSURANCE_TOO_LOW).
// Here a refusal becomes the page that says what is needed and how to reach it, never a silent one.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../platform/errors.ts';
import type { Lang } from '../../platform/i18n.ts';
import { pick } from '../catalog/catalog.taxonomy.ts';
import type { Assurance } from './assurance.ts';
import { citizenCookie, requireCitizen } from './citizen.guard.ts';
import type { CitizenRow } from './identity.repository.ts';
import { assuranceNeededPage } from './pages/assurance-needed.tsx';

/**
 * `gate(req, reply, lang, next, run)`: signs the citizen in (or answers a 303 to sign in), runs `run` with
 * the level reached, and answers the assurance page (403) when it refuses; null when a page was answered.
 * `next` is where a step-up brings the citizen back to.
 */
export function assuranceGate(ctx: AppContext) {
  return async <T>(
    req: FastifyRequest,
    reply: FastifyReply,
    lang: Lang,
    next: string,
    run: (citizen: CitizenRow, reached: Assurance) => Promise<T>,
  ): Promise<T | null> => {
    const who = await requireCitizen(ctx, req, reply, lang);
    if (!who) return null;
    const reached = await ctx.identity.assurance.reached(who.session, req.cookies[citizenCookie(ctx)]);
    try {
      return await run(who.citizen, reached);
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'ASSURANCE_TOO_LOW') throw e;
      const service = await ctx.catalog.getService(String(e.details?.service ?? ''));
      assuranceNeededPage(reply, lang, { needed: service.assurance, reached, serviceName: pick(service.name, lang).text, next });
      return null;
    }
  };
}
