// What a life-event journey page needs: the steps (catalogue) and, for a signed-in citizen, their
// progress, read through the applications module's service (never its tables).
import type { AppContext } from '../../context.ts';
import type { Journey, StepProgress } from './journey.service.ts';

export async function journeyFor(
  ctx: AppContext,
  code: string,
  who: { citizen: { id: string } } | null,
): Promise<{ journey: Journey; progress: Map<string, StepProgress> | null } | null> {
  const journey = await ctx.catalog.journeys.journey(code);
  if (!journey.steps.length) return null;
  const progress = who ? ctx.catalog.journeys.progress(journey, await ctx.applications.mine(who.citizen.id)) : null;
  return { journey, progress };
}
