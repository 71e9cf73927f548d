// Acting as an attorney: a power of attorney registered by a notary (the notary registry, through the
// exchange) names the principal, the attorney, the scope (services by slug, or whole categories) and the
// last day it holds. The attorney may apply for the principal for a service in scope until that day.
import type { LocalText } from '../../db/schema.ts';
import type { ExchangeService } from '../exchange/exchange.service.ts';
import { NOTARY_REGISTRY_SERVICE } from '../exchange/registries/representation.demo.ts';
import type { CitizenRef } from '../applications/applications.types.ts';
import { askRegistry } from './registry-client.ts';
import type { Evaluation, ServiceScope } from './evaluation.ts';
import { attorneyMessage } from './messages.ts';

export interface RegistryParty {
  nationalId: string;
  name: LocalText;
}
export interface RegistryPower {
  id: string;
  principal: RegistryParty;
  attorney: RegistryParty;
  scope: { services: string[]; categories: string[] };
  endDate: string;
  notary: LocalText;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isText = (v: unknown): v is LocalText => isObj(v) && Object.values(v).every((x) => typeof x === 'string');
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isParty = (v: unknown): v is RegistryParty => isObj(v) && typeof v.nationalId === 'string' && isText(v.name);
const isPower = (v: unknown): v is RegistryPower =>
  isObj(v) &&
  typeof v.id === 'string' &&
  isParty(v.principal) &&
  isParty(v.attorney) &&
  isObj(v.scope) &&
  isStrings(v.scope.services) &&
  isStrings(v.scope.categories) &&
  typeof v.endDate === 'string' &&
  /^\d{4}-\d{2}-\d{2}$/.test(v.endDate) &&
  isText(v.notary);
/** Every power checked: anything malformed makes the whole answer unusable ('unavailable'), never a TypeError later. */
const isPowers = (b: unknown): b is { powers: RegistryPower[] } => isObj(b) && Array.isArray(b.powers) && b.powers.every(isPower);

export const attorneyCheckPurpose = (applicationId: string) =>
  `Check that the applicant holds a power of attorney from the person the application is for, application ${applicationId}`;
export const powersPurpose = 'Show the citizen the powers of attorney they hold and have given (account page)';

/** Is the service within the power's scope? */
export const inScope = (p: RegistryPower, service: ServiceScope) =>
  p.scope.services.includes(service.slug) || p.scope.categories.some((c) => service.categories.includes(c));

export class AttorneyRepresentation {
  constructor(
    private readonly exchange: ExchangeService,
    private readonly timeoutMs?: number,
  ) {}

  #powers(citizen: CitizenRef, as: 'attorney' | 'principal', issue: string) {
    return askRegistry(
      this.exchange,
      {
        service: NOTARY_REGISTRY_SERVICE,
        path: '/powers',
        query: { nationalId: citizen.national_id, as },
        issue,
        userId: `citizen:${citizen.id}`,
      },
      isPowers,
      this.timeoutMs,
    );
  }

  /** May this citizen apply, as attorney, for the principal `subject` names, for this service, today? */
  async evaluate(subject: string, citizen: CitizenRef, service: ServiceScope, purpose: string, today: string): Promise<Evaluation> {
    const r = await this.#powers(citizen, 'attorney', purpose);
    const base = {
      relation: null,
      subjectName: null,
      subjectBirthDate: null,
      exchangeService: NOTARY_REGISTRY_SERVICE,
      requestId: r.requestId,
    };
    if (r.outcome !== 'ok') return { ...base, outcome: 'unavailable', message: attorneyMessage('unavailable') };
    const mine = r.body.powers.filter((p) => p.principal?.nationalId === subject && p.attorney?.nationalId === citizen.national_id);
    if (!mine.length) return { ...base, outcome: 'no-power', message: attorneyMessage('no-power') };
    const found = { ...base, subjectName: mine[0].principal.name };
    const scoped = mine.filter((p) => inScope(p, service));
    const current = scoped.find((p) => p.endDate >= today);
    if (current)
      return {
        ...found,
        subjectName: current.principal.name,
        outcome: 'confirmed',
        relation: 'attorney',
        message: null,
        notify: [subject],
      };
    if (scoped.length) {
      const last =
        scoped
          .map((p) => p.endDate)
          .sort()
          .at(-1) ?? '';
      return { ...found, outcome: 'expired', message: attorneyMessage('expired', { principal: found.subjectName, endDate: last }) };
    }
    return {
      ...found,
      outcome: 'out-of-scope',
      message: attorneyMessage('out-of-scope', { principal: found.subjectName, service: service.name }),
    };
  }

  /** The account page: powers the citizen holds (whom they can act for) and has given (who can act for them). */
  async powersOf(citizen: CitizenRef): Promise<{ outcome: 'ok' | 'unavailable'; held: RegistryPower[]; given: RegistryPower[] }> {
    const [held, given] = await Promise.all([
      this.#powers(citizen, 'attorney', powersPurpose),
      this.#powers(citizen, 'principal', powersPurpose),
    ]);
    if (held.outcome !== 'ok' || given.outcome !== 'ok') return { outcome: 'unavailable', held: [], given: [] };
    return { outcome: 'ok', held: held.body.powers, given: given.body.powers };
  }
}
