// Composition of the participation module: the service (processes, comments, proposals, moderation,
// outcome), participatory budgeting, the polls with the civil registry's age check through the exchange, and the e-box notice to
// an author whose comment was hidden. The routes: participation.register.ts, called by server.ts.
import type { DatabaseHandle } from '../../db/connect.ts';
import type { AuditLog } from '../../platform/audit.ts';
import type { ApplicationsService } from '../applications/applications.service.ts';
import type { ExchangeService } from '../exchange/exchange.service.ts';
import { ParticipationService, type Notify } from './participation.service.ts';
import { ParticipationPolls, type BirthDateOf } from './participation.polls.ts';
import { ParticipationBudget } from './participation.budget.ts';

/** The civil registry's exchange service (GET /persons/{nationalId}: the registered particulars with the birth date). */
export const CIVIL_REGISTRY_PERSON = 'GOV/NOCR/REGISTRY/person';
const REGISTRY_TIMEOUT_MS = 8000;

export interface ParticipationModule {
  service: ParticipationService;
  polls: ParticipationPolls;
  budget: ParticipationBudget;
}

/** Asks the civil registry for the voter's birth date (purpose sent as X-Road-Issue; shown on their data-use page). */
export function registryBirthDate(exchange: ExchangeService, timeoutMs = REGISTRY_TIMEOUT_MS): BirthDateOf {
  return async (citizen) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const r = await Promise.race([
        exchange.call({
          service: CIVIL_REGISTRY_PERSON,
          path: `/persons/${encodeURIComponent(citizen.national_id)}`,
          issue: 'Check that the voter is 18 or over for an adults-only poll (participation)',
          userId: `citizen:${citizen.id}`,
        }),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('registry timed out')), timeoutMs))),
      ]).finally(() => clearTimeout(timer));
      if (r.status === 404 && !r.xRoadError) return { outcome: 'unknown' };
      const birthDate = (r.body as { birthDate?: unknown } | null)?.birthDate;
      if (r.status !== 200 || r.xRoadError || typeof birthDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate))
        return { outcome: 'unavailable' };
      return { outcome: 'ok', birthDate };
    } catch {
      return { outcome: 'unavailable' };
    }
  };
}

export function createParticipation(
  database: DatabaseHandle,
  exchange: ExchangeService,
  applications: ApplicationsService,
  audit: AuditLog,
  o: { birthDateOf?: BirthDateOf; now?: () => Date } = {},
): ParticipationModule {
  const notify: Notify = async (tx, m) => {
    await applications.ebox.insertMessage(tx as never, {
      citizen_id: m.citizenId,
      application_id: null,
      agency_id: m.agencyId,
      sender: 'agency',
      kind: 'message',
      subject: m.subject,
      body: m.body,
    });
  };
  const service = new ParticipationService(database.db, audit, notify, o.now);
  const polls = new ParticipationPolls(service, audit, o.birthDateOf ?? registryBirthDate(exchange), o.now);
  const budget = new ParticipationBudget(database.db, service, audit, o.now);
  return { service, polls, budget };
}
