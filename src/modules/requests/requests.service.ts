// Citizens' requests (issue 15): filing a complaint, a public demand or suggestion, or a freedom-of-
// information request; the citizen's own list and timeline; clarifications, appeals and ratings. The
// legal clocks count working days with the platform calendar; `clock.now` is injected so tests can move
// time. No HTTP, no SQL strings (requests.repository.ts).
import crypto from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { CitizenRequestKind, Database } from '../../db/schema.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { normalizeText } from '../../platform/persian.ts';
import { dayKind, tehranDay, type WorkingCalendar } from '../calendar/calendar.ts';
import type { ApplicationsService } from '../applications/applications.service.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import { newReference } from '../applications/reference.ts';
import type { StagedFile } from '../applications/applications.types.ts';
import { RequestFiles } from './requests.files.ts';
import { RequestsFilesRepository } from './requests.files.repository.ts';
import { RequestNotices } from './requests.notify.ts';
import { RequestsRepository, type NewRequest, type RequestEventRow, type RequestRow } from './requests.repository.ts';
import { CATEGORIES, KINDS, type FieldProblem } from './requests.text.ts';

export interface RequestsOptions {
  /** Working days an agency has to answer each kind (FOI: 10 in Iran's FOI law; complaints: 15 by default). */
  days: Record<CitizenRequestKind, number>;
  /** Working days after the first escalation before the oversight office takes an overdue request. */
  escalateAfterDays: number;
  /** Working days the FOI commission has to decide an appeal. */
  appealDays: number;
  /** Requests one citizen may file in 24 hours. */
  perDay: number;
}
export const DEFAULT_OPTIONS: RequestsOptions = {
  days: { foi: 10, complaint: 15, demand: 15 },
  escalateAfterDays: 5,
  appealDays: 30,
  perDay: 10,
};

/** The time the module runs on (tests move it). */
export interface Clock {
  now: () => Date;
}

export interface FileInput {
  kind?: string;
  agencyId?: string;
  applicationId?: string;
  service?: string;
  category?: string;
  subject?: string;
  body?: string;
  withhold?: boolean;
  keepPrivate?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const clean = (s: string | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

/** Working days from `from` (exclusive) to `to` (inclusive); 0 when `to` is not later. */
export function workingDaysBetween(from: Date, to: Date, announced: ReadonlyMap<string, { fa?: string; en?: string }>): number {
  let n = 0;
  for (let t = from.getTime() + 86_400_000; t <= to.getTime() + 1; t += 86_400_000)
    if (dayKind(tehranDay(new Date(t)), announced as never).working) n++;
  return n;
}

export class RequestsService {
  readonly repo: RequestsRepository;
  /** Attachments, per-agency deadlines and the service card's complaint counts (migration 0030). */
  readonly files: RequestFiles;
  /** The citizen's e-box message and SMS on each escalation step and on the answer. */
  readonly notices: RequestNotices;

  constructor(
    db: Kysely<Database>,
    readonly calendar: WorkingCalendar,
    private readonly catalog: CatalogService,
    private readonly applications: ApplicationsService,
    readonly audit: AuditLog,
    readonly clock: Clock = { now: () => new Date() },
    readonly options: RequestsOptions = DEFAULT_OPTIONS,
    publicUrl = '',
  ) {
    this.repo = new RequestsRepository(db);
    this.files = new RequestFiles(new RequestsFilesRepository(db), applications, options.days);
    this.notices = new RequestNotices(applications, publicUrl);
  }

  /** Checks and files a request; problems with the answers come back as REQUEST_INVALID with the fields. */
  async file(citizen: { id: string; national_id: string }, input: FileInput, staged: StagedFile[] = []): Promise<RequestRow> {
    const problems: FieldProblem[] = [];
    const kind = KINDS.find((k) => k === input.kind);
    if (!kind) problems.push({ field: 'kind', fa: 'نوع درخواست را انتخاب کنید', en: 'Choose what kind of request this is' });
    let agencyId = clean(input.agencyId) || null;
    let serviceId: string | null = null;
    let applicationId: string | null = null;
    if (kind === 'complaint' && input.applicationId) {
      const app = await this.applications.own(citizen.id, input.applicationId).catch(() => null);
      if (!app)
        problems.push({ field: 'applicationId', fa: 'این درخواست خدمت از آنِ شما نیست', en: 'This application is not one of yours' });
      else [agencyId, serviceId, applicationId] = [app.agency_id, app.service_id, app.id];
    } else if (kind === 'complaint' && clean(input.service)) {
      const svc = await this.catalog.getService(clean(input.service)).catch(() => null);
      if (!svc) problems.push({ field: 'service', fa: 'چنین خدمتی پیدا نشد', en: 'There is no such service' });
      else [agencyId, serviceId] = [svc.agency_id, svc.id];
    }
    if (!agencyId && !problems.some((p) => p.field !== 'kind'))
      problems.push({ field: 'agencyId', fa: 'دستگاه را انتخاب کنید', en: 'Choose the agency' });
    else if (agencyId && !(await this.catalog.getAgency(agencyId).catch(() => null)))
      problems.push({ field: 'agencyId', fa: 'این دستگاه در فهرست نیست', en: 'This agency is not in the list' });
    const category = clean(input.category) || null;
    if (kind === 'demand' && !(category && Object.hasOwn(CATEGORIES, category)))
      problems.push({ field: 'category', fa: 'موضوع مطالبه را انتخاب کنید', en: 'Choose a category' });
    const subject = clean(input.subject);
    if (subject.length < 3 || subject.length > 200)
      problems.push({ field: 'subject', fa: 'عنوانی بین ۳ تا ۲۰۰ نویسه بنویسید', en: 'Enter a title of 3 to 200 characters' });
    const body = (input.body ?? '').trim();
    if (body.length < 10 || body.length > 5000)
      problems.push({ field: 'body', fa: 'شرح را بین ۱۰ تا ۵۰۰۰ نویسه بنویسید', en: 'Describe your request in 10 to 5,000 characters' });
    if (problems.length || !kind || !agencyId) throw new AppError('REQUEST_INVALID', undefined, { problems });

    const now = this.clock.now();
    const bodyHash = crypto.createHash('sha256').update(normalizeText(body).replace(/\s+/g, ' ')).digest('hex');
    const due = await this.calendar.addWorkingDays(now, await this.files.daysFor(this.repo.db, agencyId, kind));
    return this.repo.transaction(async (tx) => {
      // one filing at a time per citizen: the count and the duplicate check hold until this one commits
      await this.repo.lockCitizen(tx, citizen.id);
      if ((await this.repo.filedSince(tx, citizen.id, new Date(now.getTime() - 86_400_000))) >= this.options.perDay)
        throw new AppError('RATE_LIMITED', 'Too many requests filed in the last day.');
      if (await this.repo.duplicate(tx, citizen.id, agencyId, bodyHash, new Date(now.getTime() - 86_400_000)))
        throw new AppError('REQUEST_DUPLICATE');
      const row = await this.insertWithReference(tx, {
        kind,
        citizen_id: citizen.id,
        requester_national_id: citizen.national_id,
        agency_id: agencyId,
        service_id: serviceId,
        application_id: applicationId,
        category: kind === 'demand' ? category : null,
        subject,
        body,
        body_hash: bodyHash,
        withhold_identity: kind === 'complaint' && !!input.withhold,
        keep_private: kind === 'foi' && !!input.keepPrivate,
        status: 'open',
        created_at: now,
        received_at: now,
        due_at: due,
      });
      await this.repo.event(tx, {
        request_id: row.id,
        at: now,
        actor: 'citizen',
        staff_id: null,
        kind: 'filed',
        note: null,
        agency_id: agencyId,
      });
      await this.files.attach(tx, row.id, 'citizen', 'citizen', staged);
      return row;
    });
  }

  /** Inserts with a fresh reference (drawn again on the rare collision). */
  async insertWithReference(tx: Transaction<Database>, row: Omit<NewRequest, 'reference'>): Promise<RequestRow> {
    for (let i = 0; i < 5; i++) {
      const r = await this.repo.insert(tx, { ...row, reference: newReference().replace(/^PJ-/, 'RQ-') });
      if (r) return r;
    }
    throw new Error('no free request reference after 5 draws');
  }

  mine(citizenId: string): Promise<RequestRow[]> {
    return this.repo.mine(citizenId);
  }

  /** One of the citizen's own requests with its timeline; anyone else's is "not found". */
  async own(citizenId: string, id: string): Promise<{ request: RequestRow; events: RequestEventRow[] }> {
    const request = UUID.test(id) ? await this.repo.byId(this.repo.db, id) : undefined;
    if (!request || request.citizen_id !== citizenId) throw new AppError('REQUEST_NOT_FOUND');
    return { request, events: await this.repo.events(id) };
  }

  /** An attachment of one of the citizen's own requests (theirs or the agency's reply's); anyone else's is "not found". */
  async ownFile(citizenId: string, id: string, fileId: string) {
    const { request } = await this.own(citizenId, id);
    return this.files.open(request.id, fileId);
  }

  /** The citizen writes to the agency; an answer to a clarification starts the clock again. */
  async reply(citizenId: string, id: string, text: string): Promise<void> {
    const note = text.trim();
    if (note.length < 2 || note.length > 5000) throw new AppError('REQUEST_INVALID', undefined, { problems: [textProblem('text')] });
    await this.mutateOwn(citizenId, id, async (tx, r, now) => {
      if (!['open', 'clarification'].includes(r.status)) throw new AppError('REQUEST_STATE');
      await this.repo.event(tx, {
        request_id: r.id,
        at: now,
        actor: 'citizen',
        staff_id: null,
        kind: 'citizen-reply',
        note,
        agency_id: r.agency_id,
      });
      if (r.status === 'clarification') {
        const due = await this.calendar.addWorkingDays(now, Math.max(1, r.days_left ?? 1));
        await this.repo.update(tx, r.id, { status: 'open', paused_at: null, days_left: null, due_at: due });
        await this.repo.event(tx, {
          request_id: r.id,
          at: now,
          actor: 'system',
          staff_id: null,
          kind: 'resumed',
          note: null,
          agency_id: r.agency_id,
        });
      }
    });
  }

  /** An FOI request refused (wholly or in part) or overdue goes to the FOI commission, with its own clock. */
  async appeal(citizenId: string, id: string, text: string): Promise<void> {
    const note = text.trim();
    if (note.length < 10 || note.length > 5000) throw new AppError('REQUEST_INVALID', undefined, { problems: [textProblem('text')] });
    await this.mutateOwn(citizenId, id, async (tx, r, now) => {
      const overdue = r.status === 'open' && r.due_at < now;
      if (r.kind !== 'foi' || r.appeal_status || !(['partial', 'refused'].includes(r.status) || overdue))
        throw new AppError('REQUEST_STATE');
      const due = await this.calendar.addWorkingDays(now, this.options.appealDays);
      await this.repo.update(tx, r.id, { appeal_status: 'open', appeal_text: note, appealed_at: now, appeal_due_at: due });
      await this.repo.event(tx, {
        request_id: r.id,
        at: now,
        actor: 'citizen',
        staff_id: null,
        kind: 'appealed',
        note,
        agency_id: r.agency_id,
      });
    });
  }

  async rate(citizenId: string, id: string, score: number): Promise<void> {
    if (!Number.isInteger(score) || score < 1 || score > 5)
      throw new AppError('REQUEST_INVALID', undefined, {
        problems: [{ field: 'score', fa: 'امتیازی از ۱ تا ۵ بدهید', en: 'Give a score from 1 to 5' }],
      });
    await this.mutateOwn(citizenId, id, async (tx, r, now) => {
      if (!r.answered_at) throw new AppError('REQUEST_STATE');
      await this.repo.update(tx, r.id, { rating: score });
      await this.repo.event(tx, {
        request_id: r.id,
        at: now,
        actor: 'citizen',
        staff_id: null,
        kind: 'rated',
        note: String(score),
        agency_id: r.agency_id,
      });
    });
  }

  private async mutateOwn(citizenId: string, id: string, fn: (tx: Transaction<Database>, r: RequestRow, now: Date) => Promise<void>) {
    if (!UUID.test(id)) throw new AppError('REQUEST_NOT_FOUND');
    await this.repo.transaction(async (tx) => {
      const r = await this.repo.byId(tx, id, true);
      if (!r || r.citizen_id !== citizenId) throw new AppError('REQUEST_NOT_FOUND');
      await fn(tx, r, this.clock.now());
    });
  }
}

export type { FieldProblem };
export const textProblem = (field: string): FieldProblem => ({
  field,
  fa: 'متنی بین ۱۰ تا ۵۰۰۰ نویسه بنویسید',
  en: 'Write between 10 and 5,000 characters',
});
export { UUID };
