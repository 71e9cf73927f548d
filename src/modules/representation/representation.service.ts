// Acting for others: a parent or legal guardian applies for their minor child or ward. When a form
// declares "actingFor" (acting-for.ts), the person its field names is checked with the civil registry
// through the exchange (purpose in X-Road-Issue, so the request shows on the applicant's data-use page)
// when that page is saved and again at submission: the registry must list them as the applicant's child
// or ward, and they must be under 18 today (in Tehran). Each check is one row and one audit entry, in
// one transaction; a confirmed check at submission is also an entry on the application's timeline.
// A registry that is down or slow refuses too (never "let through"), with a message that says so.
import type { Kysely } from 'kysely';
import type { Database, LocalText } from '../../db/schema.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { formatDate } from '../../platform/i18n.ts';
import type { ExchangeService } from '../exchange/exchange.service.ts';
import type { ActingForCheck, ApplicationsService, CitizenRef } from '../applications/applications.service.ts';
import type { ApplicationEventSink } from '../applications/applications.types.ts';
import { RepresentationRepository, type RepresentationRow } from './representation.repository.ts';
import { CompanyRepresentation, companyCheckPurpose, holds } from './company.service.ts';
import type { GrantsView, OthersView } from './pages/companies.tsx';
import { AttorneyRepresentation, attorneyCheckPurpose } from './attorney.service.ts';
import type { Evaluation, Outcome } from './evaluation.ts';
import { noticeText } from './messages.ts';
import { PrincipalView, type MadeForMe } from './principal.service.ts';

export type { Outcome } from './evaluation.ts';

/** The civil registry's exchange service (the demo's, and the one Panjereh is granted `GET /persons/*\/children` on). */
export const CIVIL_REGISTRY_SERVICE = 'GOV/NOCR/REGISTRY/person';
export const CIVIL_REGISTRY = { fa: 'سازمان ثبت احوال کشور', en: 'National Organization for Civil Registration' };
import { RELATIONS_TIMEOUT_MS } from './registry-client.ts';
export { RELATIONS_TIMEOUT_MS };
export const ADULT_AGE = 18;
/** The application's timeline entry for a confirmed check at submission, by the form's declared relation. */
const EVENT_TYPE = {
  'parent-or-guardian-of-minor': 'acting-for.checked',
  'company-representative': 'acting-for.company',
  attorney: 'acting-for.attorney',
} as const;

/** A child or ward as the registry answered it, with what Panjereh makes of it. */
export interface Dependant {
  nationalId: string;
  relation: 'child' | 'ward';
  name: LocalText;
  birthDate: string;
  /** The day they turn (or turned) 18. */
  adultOn: string;
  minor: boolean;
}

/** The purposes sent as X-Road-Issue and shown on the citizen's data-use page (ASCII: a header). */
export const checkPurpose = (applicationId: string) =>
  `Check that the applicant is the parent or legal guardian of the minor the application is for, application ${applicationId}`;
export const listPurpose = 'Show the citizen the minor children and wards they may apply for (account page)';

/** Today's date in Tehran, as YYYY-MM-DD. */
export const tehranToday = (now: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tehran' }).format(now);

/** The day someone born on `birthDate` (YYYY-MM-DD) turns 18 (29 February: 1 March in a common year). */
export function adultOn(birthDate: string): string {
  const [y, m, d] = birthDate.split('-').map(Number);
  const day = new Date(Date.UTC(y + ADULT_AGE, m - 1, d));
  return day.toISOString().slice(0, 10);
}

type RegistryAnswer =
  { outcome: 'ok'; dependants: Dependant[]; requestId: string | null } | { outcome: 'unavailable' | 'unknown'; requestId: string | null };

export class RepresentationService {
  readonly repo: RepresentationRepository;
  readonly companies: CompanyRepresentation;
  readonly attorneys: AttorneyRepresentation;
  readonly principals: PrincipalView;

  constructor(
    db: Kysely<Database>,
    private readonly exchange: ExchangeService,
    private readonly applications: ApplicationsService,
    private readonly audit: AuditLog,
    private readonly o: { timeoutMs?: number; now?: () => Date } = {},
  ) {
    this.repo = new RepresentationRepository(db);
    this.companies = new CompanyRepresentation(exchange, this.repo, audit, o.timeoutMs);
    this.attorneys = new AttorneyRepresentation(exchange, o.timeoutMs);
    this.principals = new PrincipalView(this.repo, applications, audit);
  }

  #now = () => this.o.now?.() ?? new Date();

  /** Asks the civil registry, through the exchange, for the person's children and wards. */
  async #ask(citizen: CitizenRef, purpose: string): Promise<RegistryAnswer> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const r = await Promise.race([
        this.exchange.call({
          service: CIVIL_REGISTRY_SERVICE,
          path: `/persons/${encodeURIComponent(citizen.national_id)}/children`,
          issue: purpose,
          userId: `citizen:${citizen.id}`,
        }),
        new Promise<never>(
          (_, reject) => (timer = setTimeout(() => reject(new Error('registry timed out')), this.o.timeoutMs ?? RELATIONS_TIMEOUT_MS)),
        ),
      ]).finally(() => clearTimeout(timer));
      const requestId = typeof r.headers['x-road-request-id'] === 'string' ? r.headers['x-road-request-id'] : null;
      if (r.status === 404 && !r.xRoadError) return { outcome: 'unknown', requestId };
      const list = (r.body as { children?: unknown } | null)?.children;
      if (r.status !== 200 || r.xRoadError || !Array.isArray(list)) return { outcome: 'unavailable', requestId };
      const today = tehranToday(this.#now());
      const dependants: Dependant[] = [];
      for (const c of list as Record<string, unknown>[]) {
        if (typeof c?.nationalId !== 'string' || typeof c.birthDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(c.birthDate)) continue;
        if (c.relation !== 'child' && c.relation !== 'ward') continue;
        if (c.alive === false) continue;
        const first = (c.firstName ?? {}) as LocalText;
        const last = (c.lastName ?? {}) as LocalText;
        const name = {
          fa: [first.fa, last.fa].filter(Boolean).join(' ').slice(0, 200),
          en: [first.en, last.en].filter(Boolean).join(' ').slice(0, 200),
        };
        const adult = adultOn(c.birthDate);
        dependants.push({
          nationalId: c.nationalId,
          relation: c.relation,
          name,
          birthDate: c.birthDate,
          adultOn: adult,
          minor: today < adult,
        });
      }
      return { outcome: 'ok', dependants, requestId };
    } catch {
      return { outcome: 'unavailable', requestId: null }; // the exchange is off, the registry is down or slow
    }
  }

  /** The account page: whom the citizen may apply for (minors only), or why that cannot be said now. */
  async dependantsOf(citizen: CitizenRef): Promise<{ outcome: 'ok' | 'unavailable' | 'unknown'; dependants: Dependant[] }> {
    const r = await this.#ask(citizen, listPurpose);
    return r.outcome === 'ok' ? { outcome: 'ok', dependants: r.dependants.filter((d) => d.minor) } : { outcome: r.outcome, dependants: [] };
  }

  /** The parent-or-guardian rule: is `subject` the applicant's child or ward, and under 18 today? */
  async #parent(subject: string, citizen: CitizenRef, purpose: string): Promise<Evaluation> {
    const r = await this.#ask(citizen, purpose);
    const found = r.outcome === 'ok' ? r.dependants.find((d) => d.nationalId === subject) : undefined;
    const outcome: Outcome = r.outcome === 'unavailable' ? 'unavailable' : !found ? 'not-related' : found.minor ? 'confirmed' : 'adult';
    return {
      outcome,
      relation: found?.relation ?? null,
      subjectName: found?.name ?? null,
      subjectBirthDate: found?.birthDate ?? null,
      exchangeService: CIVIL_REGISTRY_SERVICE,
      requestId: r.requestId,
      message: outcome === 'confirmed' ? null : refusalMessage(outcome as 'adult' | 'unavailable' | 'not-related', found),
    };
  }

  /** The check the applications service runs (ActingForCheck): null when the applicant may apply for the person named. */
  check: ActingForCheck = async ({ app, def, answers, citizen, stage }) => {
    const decl = def.actingFor;
    const subject = decl ? answers[decl.field] : undefined;
    if (!decl || typeof subject !== 'string') return null;
    const today = tehranToday(this.#now());
    const row = await this.repo.serviceOf(app.service_id);
    const service = { slug: row?.slug ?? def.service, categories: row?.categories ?? [], name: row?.name ?? { fa: '', en: '' } };
    const purpose =
      decl.relation === 'company-representative'
        ? companyCheckPurpose(app.id)
        : decl.relation === 'attorney'
          ? attorneyCheckPurpose(app.id)
          : checkPurpose(app.id);
    const e =
      decl.relation === 'company-representative'
        ? await this.companies.evaluate(subject, citizen, service, purpose, today)
        : decl.relation === 'attorney'
          ? await this.attorneys.evaluate(subject, citizen, service, purpose, today)
          : await this.#parent(subject, citizen, purpose);
    const checkedAt = this.#now();
    const emit = await this.repo.transaction(async (tx) => {
      const row = await this.repo.insert(tx, {
        application_id: app.id,
        citizen_id: citizen.id,
        applicant_national_id: citizen.national_id,
        subject_national_id: subject.slice(0, 32),
        declared_relation: decl.relation,
        stage,
        outcome: e.outcome,
        relation: e.outcome === 'confirmed' || e.relation === 'child' || e.relation === 'ward' ? e.relation : null,
        subject_name: e.subjectName ? JSON.stringify(e.subjectName) : null,
        subject_birth_date: e.subjectBirthDate,
        exchange_service: e.exchangeService,
        exchange_request_id: e.requestId,
        purpose,
        checked_at: checkedAt,
        notify: e.notify?.length ? JSON.stringify(e.notify) : null,
      });
      // the application's record, on its timeline (in this transaction: the check and its entry together)
      const after =
        e.outcome === 'confirmed' && stage === 'submission'
          ? await this.applications.backoffice.recordEventIn(tx, app.id, EVENT_TYPE[decl.relation], {
              relation: row.relation,
              checkId: row.id,
              exchangeRequestId: e.requestId,
              checkedAt: checkedAt.toISOString(),
            })
          : null;
      await this.audit.record(
        {
          actor: `citizen:${citizen.id}`,
          action: e.outcome === 'confirmed' ? 'representation.confirmed' : 'representation.refused',
          subject: `application:${app.id}`,
          detail: {
            stage,
            outcome: e.outcome,
            relation: e.relation,
            declared: decl.relation,
            applicantNationalId: citizen.national_id,
            subjectNationalId: subject.slice(0, 32),
            exchangeService: e.exchangeService,
            exchangeRequestId: e.requestId,
          },
        },
        tx,
      );
      return after;
    });
    emit?.();
    if (e.outcome === 'confirmed') return null;
    return { field: decl.field, message: e.message ?? refusalMessage('not-related') };
  };

  /**
   * The event sink (in the submission's transaction): the people acted for (a principal, a company's other
   * signatories) who have a Panjereh account get an e-box message and an SMS that someone applied on their
   * behalf, with the reference and how to object.
   */
  noticeSink: ApplicationEventSink = async (tx, application, events) => {
    if (!events.some((e) => e.type === 'submitted')) return;
    const row = await this.repo.confirmedAtSubmission(application.id, tx);
    if (!row?.notify?.length) return;
    const service = await this.repo.serviceOf(application.service_id, tx);
    const people = await this.repo.accountsOf(tx, row.notify);
    const m = noticeText(row, service?.name ?? { fa: '', en: '' }, application.reference ?? '');
    for (const to of people)
      await this.applications.noticeIn(tx, to, {
        agencyId: application.agency_id,
        dedupeKey: `acting-for:${application.id}:${to.id}`,
        ...m,
      });
  };

  /** The account page's own records (no registry asked): grants the citizen made, grants made to them, what a grant can name. */
  async grantsView(citizen: CitizenRef): Promise<GrantsView> {
    const [made, toMe, services] = await Promise.all([
      this.repo.grantsMadeBy(citizen.id),
      this.repo.grantsTo(citizen.national_id),
      this.repo.companyServices(),
    ]);
    return { made, toMe, services };
  }

  /** The account page, when the citizen asks: the companies they sign for and the powers of attorney they hold and gave. */
  async othersOf(citizen: CitizenRef): Promise<OthersView> {
    const today = tehranToday(this.#now());
    const [companies, powers] = await Promise.all([this.companies.companiesOf(citizen), this.attorneys.powersOf(citizen)]);
    const current = companies.companies.filter((c) => holds(c, today)).map((c) => c.legalId);
    // the grants in force of the companies they sign for now: any current signatory may end one
    const grants = await this.repo.grantsOfCompanies(current);
    return {
      companies: {
        ...companies,
        companies: companies.companies.map((c) => ({
          ...c,
          current: holds(c, today),
          grants: holds(c, today) ? grants.filter((g) => g.company_legal_id === c.legalId) : [],
        })),
      },
      powers: {
        ...powers,
        held: powers.held.map((x) => ({ ...x, current: x.endDate >= today })),
        given: powers.given.map((x) => ({ ...x, current: x.endDate >= today })),
      },
    };
  }

  /** A signatory gives a colleague access to named services of the company (checked with the company registry). */
  grant(citizen: CitizenRef, input: { legalId: string; granteeNationalId: string; services: string[] }) {
    return this.companies.grant(citizen, input, tehranToday(this.#now()));
  }

  /** Ends a grant the citizen made, or one of a company they currently sign for. */
  endGrant(citizen: CitizenRef, grantId: string): Promise<'ended' | 'not-found' | 'unavailable'> {
    const now = this.#now();
    return this.companies.revoke(citizen, grantId, now, tehranToday(now));
  }

  /** Applications an attorney made for this citizen (their own account's list). */
  madeForMe(citizen: CitizenRef): Promise<MadeForMe[]> {
    return this.principals.madeFor(citizen);
  }

  /** One application made for this citizen, for the objection page (not found unless it was made for them). */
  madeForMeOne(citizen: CitizenRef, applicationId: string): Promise<MadeForMe> {
    return this.principals.one(citizen, applicationId);
  }

  /** The citizen objects to an application made in their name (reason required, once). */
  object(citizen: CitizenRef, applicationId: string, reason: string) {
    return this.principals.object(citizen, applicationId, reason);
  }

  /** The application's record of who applied for whom (the confirmed check at submission), if any. */
  recordOf(applicationId: string): Promise<RepresentationRow | undefined> {
    return this.repo.confirmedAtSubmission(applicationId);
  }
}

/** What the applicant reads on the page when the check refuses: what is wrong and what to do. */
export function refusalMessage(outcome: Exclude<Outcome, 'confirmed'>, found?: Dependant): { fa: string; en: string } {
  switch (outcome) {
    case 'adult':
      return {
        fa: `بنا بر ${CIVIL_REGISTRY.fa}، ${found?.name.fa ?? 'این فرد'} در ${formatDate('fa', found?.adultOn ?? '')} ۱۸ ساله شده است. کسی که ۱۸ سال دارد خودش درخواست می‌دهد: او می‌تواند با کد ملی خودش وارد پنجره شود.`,
        en: `According to the ${CIVIL_REGISTRY.en}, ${found?.name.en ?? 'this person'} turned 18 on ${formatDate('en', found?.adultOn ?? '')}. People who are 18 or over apply for themselves: they can sign in to Panjereh with their own national ID.`,
      };
    case 'unavailable':
      return {
        fa: `اکنون نتوانستیم از ${CIVIL_REGISTRY.fa} بپرسیم که شما پدر، مادر یا سرپرست قانونی این فرزند هستید، پس درخواست فرستاده نشد. پاسخ‌های دیگرتان ذخیره شده است. چند دقیقه دیگر دوباره امتحان کنید.`,
        en: `We could not check with the ${CIVIL_REGISTRY.en} just now that you are this child's parent or legal guardian, so nothing has been sent. Your other answers are saved. Try again in a few minutes.`,
      };
    default:
      return {
        fa: `در ${CIVIL_REGISTRY.fa}، فردی با این کد ملی فرزند زیر ۱۸ سال شما یا فرزندی که سرپرستی قانونی‌اش با شماست ثبت نشده است. کد ملی را از شناسنامه فرزندتان دوباره بنویسید. اگر سرپرستی او به تازگی به شما سپرده شده یا ثبت احوال اشتباه کرده است، با ${CIVIL_REGISTRY.fa} تماس بگیرید.`,
        en: `The ${CIVIL_REGISTRY.en} does not list anyone with this national ID as your child under 18 or as a child in your legal guardianship. Check the national ID on your child's birth certificate. If you were made their guardian recently or the registry is wrong, contact the ${CIVIL_REGISTRY.en}.`,
      };
  }
}
