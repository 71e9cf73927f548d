// Acting for a company: a legal person (11-digit national ID with its check digit) is acted for by its
// authorised signatories as the company registry lists them (through the exchange), and by colleagues a
// signatory has granted named services (Corppass-style). A grant holds only while its maker is still a
// signatory. Each grant and each end of a grant is an audit entry in the same transaction.
import type { LocalText } from '../../db/schema.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { checkNationalId } from '../../platform/persian.ts';
import type { ExchangeService } from '../exchange/exchange.service.ts';
import { checkLegalId } from '../exchange/registries/legal-id.ts';
import { COMPANY_REGISTRY_SERVICE } from '../exchange/registries/representation.demo.ts';
import type { CitizenRef } from '../applications/applications.types.ts';
import { askRegistry } from './registry-client.ts';
import type { GrantRow, RepresentationRepository } from './representation.repository.ts';
import type { Evaluation, ServiceScope } from './evaluation.ts';
import { companyMessage } from './messages.ts';

export interface RegistrySignatory {
  nationalId: string;
  name: LocalText;
  role: string;
  from: string;
  until: string | null;
}
export interface RegistryCompany {
  legalId: string;
  name: LocalText;
  status: string;
  signatories: RegistrySignatory[];
}
export interface CompanyOfPerson {
  legalId: string;
  name: LocalText;
  status: string;
  role: string;
  from: string;
  until: string | null;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (v: unknown): v is string => typeof v === 'string' && DAY.test(v);
const isText = (v: unknown): v is LocalText => isObj(v) && Object.values(v).every((x) => typeof x === 'string');
/** One period of a role: a start day, and an end day or none. */
const isPeriod = (v: Record<string, unknown>) => isDay(v.from) && (v.until === null || isDay(v.until));
const isSignatory = (v: unknown): v is RegistrySignatory =>
  isObj(v) && typeof v.nationalId === 'string' && isText(v.name) && typeof v.role === 'string' && isPeriod(v);
/** Every element checked: anything malformed makes the whole answer unusable ('unavailable'), never a TypeError later. */
const isCompany = (b: unknown): b is RegistryCompany =>
  isObj(b) &&
  typeof b.legalId === 'string' &&
  isText(b.name) &&
  typeof b.status === 'string' &&
  Array.isArray(b.signatories) &&
  b.signatories.every(isSignatory);
const isCompanyOfPerson = (v: unknown): v is CompanyOfPerson =>
  isObj(v) && typeof v.legalId === 'string' && isText(v.name) && typeof v.status === 'string' && typeof v.role === 'string' && isPeriod(v);
const isCompanies = (b: unknown): b is { companies: CompanyOfPerson[] } =>
  isObj(b) && Array.isArray(b.companies) && b.companies.every(isCompanyOfPerson);

/** Has the role begun by `today` (YYYY-MM-DD)? */
export const started = (s: { from: string }, today: string) => typeof s.from === 'string' && s.from <= today;
/** Does the role hold on `today` (YYYY-MM-DD): begun, and not yet ended? */
export const holds = (s: { from: string; until: string | null }, today: string) =>
  started(s, today) && (s.until === null || (typeof s.until === 'string' && s.until > today));

export const companyCheckPurpose = (applicationId: string) =>
  `Check that the applicant may act for the company the application is for, application ${applicationId}`;
export const companiesPurpose = 'Show the citizen the companies they may act for (account page)';
export const endGrantPurpose = "Check that the citizen is a current signatory of the company before they end a colleague's access";
export const grantPurpose = 'Check that the citizen is a signatory of the company before they grant a colleague access';

export type GrantProblem = { field: 'legalId' | 'granteeNationalId' | 'services'; message: { fa: string; en: string } };

export class CompanyRepresentation {
  constructor(
    private readonly exchange: ExchangeService,
    private readonly repo: RepresentationRepository,
    private readonly audit: AuditLog,
    private readonly timeoutMs?: number,
  ) {}

  #company(legalId: string, citizen: CitizenRef, issue: string) {
    return askRegistry(
      this.exchange,
      { service: COMPANY_REGISTRY_SERVICE, path: `/companies/${legalId}`, issue, userId: `citizen:${citizen.id}` },
      // the answer must be about the company asked for
      (b: unknown): b is RegistryCompany => isCompany(b) && b.legalId === legalId,
      this.timeoutMs,
    );
  }

  /** May this citizen apply for the company `subject` names, for this service, today? */
  async evaluate(subject: string, citizen: CitizenRef, service: ServiceScope, purpose: string, today: string): Promise<Evaluation> {
    const base = { relation: null, subjectName: null, subjectBirthDate: null, exchangeService: COMPANY_REGISTRY_SERVICE, requestId: null };
    const id = checkLegalId(subject);
    if (!id.ok) return { ...base, outcome: 'invalid-id', message: companyMessage('invalid-id') };
    const r = await this.#company(id.value, citizen, purpose);
    if (r.outcome === 'unavailable')
      return { ...base, outcome: 'unavailable', requestId: r.requestId, message: companyMessage('unavailable') };
    if (r.outcome === 'unknown' || r.body.status !== 'active')
      return { ...base, outcome: 'not-signatory', requestId: r.requestId, message: companyMessage('not-signatory') };
    const c = r.body;
    const found = { ...base, subjectName: c.name, requestId: r.requestId };
    const own = c.signatories.find((s) => s.nationalId === citizen.national_id);
    // the company's other current signatories are told, once it is submitted
    const others = c.signatories.filter((s) => s.nationalId !== citizen.national_id && holds(s, today)).map((s) => s.nationalId);
    if (own && holds(own, today)) return { ...found, outcome: 'confirmed', relation: 'signatory', message: null, notify: others };
    // a colleague under a grant: only while its maker is still a signatory, and only for the services named
    const grants = await this.repo.grantsTo(citizen.national_id, c.legalId);
    const live = grants.filter((g) => c.signatories.some((s) => s.nationalId === g.granted_by_national_id && holds(s, today)));
    if (live.some((g) => g.services.includes(service.slug)))
      return { ...found, outcome: 'confirmed', relation: 'grant', message: null, notify: others };
    if (live.length)
      return {
        ...found,
        outcome: 'out-of-scope',
        relation: 'grant',
        message: companyMessage('out-of-scope', { company: c.name, service: service.name }),
      };
    if (own && started(own, today))
      return { ...found, outcome: 'role-revoked', message: companyMessage('role-revoked', { company: c.name, until: own.until ?? '' }) };
    if (grants.length)
      return { ...found, outcome: 'role-revoked', relation: 'grant', message: companyMessage('granter-gone', { company: c.name }) };
    return { ...found, outcome: 'not-signatory', message: companyMessage('not-signatory') };
  }

  /** The account page: the companies the citizen is or was a signatory of. */
  async companiesOf(citizen: CitizenRef): Promise<{ outcome: 'ok' | 'unavailable'; companies: CompanyOfPerson[] }> {
    const r = await askRegistry(
      this.exchange,
      {
        service: COMPANY_REGISTRY_SERVICE,
        path: `/persons/${citizen.national_id}/companies`,
        issue: companiesPurpose,
        userId: `citizen:${citizen.id}`,
      },
      isCompanies,
      this.timeoutMs,
    );
    if (r.outcome === 'ok') return { outcome: 'ok', companies: r.body.companies };
    return { outcome: r.outcome === 'unknown' ? 'ok' : 'unavailable', companies: [] };
  }

  /** What a grant may name: the services a company's representative can apply for. */
  grantableServices() {
    return this.repo.companyServices();
  }

  /** A signatory grants a colleague access to named services of the company; checked with the registry first. */
  async grant(
    citizen: CitizenRef,
    input: { legalId: string; granteeNationalId: string; services: string[] },
    today: string,
  ): Promise<{ ok: true; grant: GrantRow } | { ok: false; problems: GrantProblem[] }> {
    const problems: GrantProblem[] = [];
    const id = checkLegalId(input.legalId);
    if (!id.ok) problems.push({ field: 'legalId', message: companyMessage('invalid-id') });
    const grantee = checkNationalId(input.granteeNationalId);
    if (!grantee.ok) problems.push({ field: 'granteeNationalId', message: companyMessage('grantee-invalid') });
    else if (grantee.value === citizen.national_id) problems.push({ field: 'granteeNationalId', message: companyMessage('grantee-self') });
    const offered = new Set((await this.grantableServices()).map((s) => s.slug));
    const services = [...new Set(input.services)].filter((s) => offered.has(s));
    if (!services.length || services.length !== new Set(input.services).size)
      problems.push({ field: 'services', message: companyMessage('services') });
    if (problems.length || !id.ok || !grantee.ok) return { ok: false, problems };
    const r = await this.#company(id.value, citizen, grantPurpose);
    const own = r.outcome === 'ok' ? r.body.signatories.find((s) => s.nationalId === citizen.national_id) : undefined;
    if (r.outcome !== 'ok' || r.body.status !== 'active' || !own || !holds(own, today)) {
      const name = r.outcome === 'ok' ? r.body.name : undefined;
      const why = r.outcome === 'unavailable' ? 'unavailable' : own && started(own, today) ? 'role-revoked' : 'not-signatory';
      await this.audit.record({
        actor: `citizen:${citizen.id}`,
        action: 'representation.grant.refused',
        subject: `company:${id.value}`,
        detail: { outcome: why, granteeNationalId: grantee.value, services, exchangeRequestId: r.requestId },
      });
      const message =
        why === 'role-revoked'
          ? companyMessage('role-revoked', { company: name, until: own?.until ?? '' })
          : companyMessage(why === 'unavailable' ? 'unavailable' : 'not-signatory');
      return { ok: false, problems: [{ field: 'legalId', message }] };
    }
    const company = r.body;
    const grant = await this.repo.transaction(async (tx) => {
      const row = await this.repo.insertGrant(tx, {
        company_legal_id: id.value,
        company_name: JSON.stringify(company.name),
        granted_by: citizen.id,
        granted_by_national_id: citizen.national_id,
        grantee_national_id: grantee.value,
        services: JSON.stringify(services),
      });
      await this.audit.record(
        {
          actor: `citizen:${citizen.id}`,
          action: 'representation.grant.created',
          subject: `company:${id.value}`,
          detail: { grantId: row.id, granteeNationalId: grantee.value, services, exchangeRequestId: r.requestId },
        },
        tx,
      );
      return row;
    });
    return { ok: true, grant };
  }

  /** Ends a grant the citizen made (false: no such grant of theirs in force). */
  /**
   * Ends a grant: the signatory who made it, or any other current signatory of the company (checked with
   * the company registry; a registry that is down ends nothing). 'not-found': no such grant in force, or
   * the citizen may not end it (refused in the audit log).
   */
  async revoke(citizen: CitizenRef, grantId: string, now: Date, today: string): Promise<'ended' | 'not-found' | 'unavailable'> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(grantId)) return 'not-found';
    const g = await this.repo.grantInForce(grantId);
    if (!g) return 'not-found';
    const own = g.granted_by === citizen.id;
    if (!own) {
      const r = await this.#company(g.company_legal_id, citizen, endGrantPurpose);
      if (r.outcome === 'unavailable') return 'unavailable';
      // as for granting: only a current signatory of a company still active
      const seat =
        r.outcome === 'ok' && r.body.status === 'active' ? r.body.signatories.find((s) => s.nationalId === citizen.national_id) : undefined;
      if (!seat || !holds(seat, today)) {
        await this.audit.record({
          actor: `citizen:${citizen.id}`,
          action: 'representation.grant.revoke-refused',
          subject: `company:${g.company_legal_id}`,
          detail: { grantId: g.id, reason: 'not-signatory' },
        });
        return 'not-found';
      }
    }
    return this.repo.transaction(async (tx) => {
      const row = own
        ? await this.repo.revokeGrant(tx, grantId, citizen.id, now)
        : await this.repo.revokeCompanyGrant(tx, grantId, g.company_legal_id, citizen.id, now);
      if (!row) return 'not-found';
      await this.audit.record(
        {
          actor: `citizen:${citizen.id}`,
          action: 'representation.grant.revoked',
          subject: `company:${row.company_legal_id}`,
          detail: {
            grantId: row.id,
            granteeNationalId: row.grantee_national_id,
            services: row.services,
            ...(own ? {} : { byOtherSignatory: true, grantedByNationalId: row.granted_by_national_id }),
          },
        },
        tx,
      );
      return 'ended';
    });
  }
}
