// The agency's and the oversight office's side of citizens' requests: the queue, and each action on a
// request (claim, assign, ask for clarification, transfer, answer, refuse in part, close, mark vexatious;
// for oversight: publish in the FOI register, decide an appeal, review a vexatious mark). Each action runs
// in one transaction with its timeline event and its audit entry. Who may act: officers and admins of the
// request's agency for agency actions, oversight analysts for oversight actions (the route's guard has
// already checked `requests.work`). No HTTP, no SQL strings.
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { StaffRow } from '../identity/staff.service.ts';
import type { ApplicationsService } from '../applications/applications.service.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { QueueFilter, RequestEventRow, RequestRow } from './requests.repository.ts';
import { UUID, workingDaysBetween, type FieldProblem, type RequestsService } from './requests.service.ts';
import { EXEMPTIONS, KINDS, OUTCOMES } from './requests.text.ts';
import type { StagedFile } from '../applications/applications.types.ts';
import type { NoticeKind } from './requests.notify.ts';

export type DeskAction =
  | 'claim'
  | 'assign'
  | 'clarify'
  | 'transfer'
  | 'split'
  | 'answer'
  | 'partial'
  | 'refuse'
  | 'close'
  | 'vexatious'
  | 'publish'
  | 'unpublish'
  | 'appeal-upheld'
  | 'appeal-dismissed'
  | 'vexatious-confirm'
  | 'vexatious-reject';
export const AGENCY_ACTIONS: DeskAction[] = [
  'claim',
  'assign',
  'clarify',
  'transfer',
  'split',
  'answer',
  'partial',
  'refuse',
  'close',
  'vexatious',
];
export const OVERSIGHT_ACTIONS: DeskAction[] = [
  'publish',
  'unpublish',
  'appeal-upheld',
  'appeal-dismissed',
  'vexatious-confirm',
  'vexatious-reject',
];
export const DESK_ACTIONS = [...AGENCY_ACTIONS, ...OVERSIGHT_ACTIONS];

export interface DeskInput {
  text?: string;
  outcome?: string;
  exemption?: string;
  publicText?: string;
  /** The title for the public register, redacted by the officer (the citizen's own is never published). */
  publicSubject?: string;
  /** Agency attachments the officer publishes with the answer (ids of this request's agency files). */
  publishFiles?: string[];
  /** The part split off into a request of its own. */
  partSubject?: string;
  partBody?: string;
  agencyId?: string;
  officer?: string;
}

const isOversight = (s: StaffRow) => s.role === 'oversight-analyst';
const invalid = (problems: FieldProblem[]) => new AppError('REQUEST_INVALID', undefined, { problems });
const need = (v: string | undefined, field: string, min = 2): string => {
  const t = (v ?? '').trim();
  if (t.length < min || t.length > 10000) throw invalid([{ field, fa: 'این بخش را پر کنید', en: 'Fill this in' }]);
  return t;
};

export class RequestsDesk {
  constructor(
    private readonly requests: RequestsService,
    private readonly catalog: CatalogService,
    private readonly applications: ApplicationsService,
  ) {}

  private get repo() {
    return this.requests.repo;
  }

  /** The agency's queue for its staff; for the oversight office, what is theirs to act on. */
  queue(staff: StaffRow, f: Omit<QueueFilter, 'agencyId' | 'now'> & { mine?: boolean }) {
    if (!isOversight(staff) && !staff.agency_id) throw new AppError('FORBIDDEN');
    if (f.kind && !KINDS.includes(f.kind)) throw new AppError('VALIDATION_FAILED', 'Unknown kind.');
    return this.repo.queue({
      ...f,
      agencyId: isOversight(staff) ? undefined : (staff.agency_id ?? undefined),
      assignedTo: f.mine ? staff.id : undefined,
      now: this.requests.clock.now(),
    });
  }

  /** A request the staff member may see: their agency's (identity withheld when asked), or any for oversight. */
  async view(staff: StaffRow, id: string): Promise<{ request: RequestRow; events: RequestEventRow[]; identityShown: boolean }> {
    const request = UUID.test(id) ? await this.repo.byId(this.repo.db, id) : undefined;
    if (!request || !(isOversight(staff) || request.agency_id === staff.agency_id)) throw new AppError('REQUEST_NOT_FOUND');
    const identityShown = isOversight(staff) || !request.withhold_identity;
    return {
      request: identityShown ? request : { ...request, requester_national_id: '' },
      events: await this.repo.events(id),
      identityShown,
    };
  }

  /** An attachment of a request the staff member may see (withheld identity: files stay with the request). */
  async file(staff: StaffRow, id: string, fileId: string) {
    const { request } = await this.view(staff, id);
    return this.requests.files.open(request.id, fileId);
  }

  deadlines(staff: StaffRow) {
    if (!staff.agency_id) throw new AppError('FORBIDDEN');
    return this.requests.files.deadlines(staff.agency_id);
  }

  /** The agency admin sets the agency's deadlines (audited); new requests and transfers in use them. */
  async setDeadlines(staff: StaffRow, input: Partial<Record<'complaint' | 'foi' | 'demand', unknown>>): Promise<void> {
    await this.repo.transaction(async (tx) => {
      const set = await this.requests.files.setDeadlines(tx, staff, input);
      await this.requests.audit.record(
        { actor: `staff:${staff.id}`, action: 'requests.deadlines', subject: staff.agency_id ?? '', detail: set },
        tx,
      );
    });
  }

  officers(agencyId: string) {
    return this.applications.backoffice.assignableOfficers(agencyId);
  }

  /** Actions that may carry the officer's attachments (the reply's files go to the citizen). */
  static readonly WITH_FILES: DeskAction[] = ['clarify', 'answer', 'partial', 'refuse'];

  async act(staff: StaffRow, id: string, action: DeskAction, input: DeskInput, staged: StagedFile[] = []): Promise<RequestRow> {
    if (!DESK_ACTIONS.includes(action)) throw new AppError('NOT_FOUND');
    const oversight = OVERSIGHT_ACTIONS.includes(action);
    if (oversight !== isOversight(staff)) throw new AppError('FORBIDDEN');
    if (!UUID.test(id)) throw new AppError('REQUEST_NOT_FOUND');
    // checks that need no lock (other modules), before the transaction
    const officer =
      action === 'assign' && staff.agency_id ? (await this.officers(staff.agency_id)).find((o) => o.id === input.officer) : undefined;
    if (action === 'assign' && !officer) throw new AppError('OFFICER_NOT_ASSIGNABLE');
    if (
      (action === 'transfer' || action === 'split') &&
      !(input.agencyId && (await this.catalog.getAgency(input.agencyId).catch(() => null)))
    )
      throw invalid([{ field: 'agencyId', fa: 'دستگاه مقصد را انتخاب کنید', en: 'Choose the agency to transfer to' }]);
    return this.repo.transaction(async (tx) => {
      const r = await this.repo.byId(tx, id, true);
      if (!r || !(oversight || r.agency_id === staff.agency_id)) throw new AppError('REQUEST_NOT_FOUND');
      const now = this.requests.clock.now();
      const { row, note, detail } = await this.apply(tx, staff, r, action, input, now, officer);
      const kind = action === 'claim' ? 'claimed' : EVENT_OF[action];
      await this.repo.event(tx, {
        request_id: r.id,
        at: now,
        actor: oversight ? 'oversight' : 'agency',
        staff_id: staff.id,
        kind,
        note: note ?? null,
        agency_id: row.agency_id,
      });
      if (staged.length) {
        if (!RequestsDesk.WITH_FILES.includes(action)) throw new AppError('REQUEST_STATE');
        await this.requests.files.attach(tx, r.id, 'agency', `staff:${staff.id}`, staged);
      }
      const notice = NOTICE_OF[action];
      if (notice) await this.requests.notices.send(tx, row, notice, `${action}:${now.getTime()}`);
      await this.requests.audit.record(
        { actor: `staff:${staff.id}`, action: `requests.${action}`, subject: r.id, detail: { reference: r.reference, ...detail } },
        tx,
      );
      return row;
    });
  }

  /**
   * Splits off a part of a request into a request of its own (to another agency, or the same one for a
   * different part): the new one has its own reference and its own clock from today (the agency's
   * deadline for the kind), the same requester and privacy choices; the original keeps its clock.
   */
  private async split(tx: Transaction<Database>, staff: StaffRow, r: RequestRow, input: DeskInput, now: Date) {
    if (!(r.status === 'open' || r.status === 'clarification')) throw new AppError('REQUEST_STATE');
    const problems: FieldProblem[] = [];
    const subject = (input.partSubject ?? '').replace(/\s+/g, ' ').trim();
    if (subject.length < 3 || subject.length > 200)
      problems.push({ field: 'partSubject', fa: 'عنوانی بین ۳ تا ۲۰۰ نویسه بنویسید', en: 'Enter a title of 3 to 200 characters' });
    const body = (input.partBody ?? '').trim();
    if (body.length < 10 || body.length > 5000)
      problems.push({
        field: 'partBody',
        fa: 'متن بخش جداشده را بین ۱۰ تا ۵۰۰۰ نویسه بنویسید',
        en: 'Write the part in 10 to 5,000 characters',
      });
    if (problems.length) throw invalid(problems);
    const to = input.agencyId ?? r.agency_id;
    const due = await this.requests.calendar.addWorkingDays(now, await this.requests.files.daysFor(tx, to, r.kind));
    const part = await this.requests.insertWithReference(tx, {
      kind: r.kind,
      citizen_id: r.citizen_id,
      requester_national_id: r.requester_national_id,
      agency_id: to,
      service_id: r.service_id,
      application_id: r.application_id,
      category: r.category,
      subject,
      body,
      // not the parent's text: a later filing of the same words is still a duplicate of the parent only
      body_hash: `split:${r.id}:${now.getTime()}`,
      withhold_identity: r.withhold_identity,
      keep_private: r.keep_private,
      status: 'open',
      created_at: now,
      received_at: now,
      due_at: due,
      parent_id: r.id,
    });
    await this.repo.event(tx, {
      request_id: part.id,
      at: now,
      actor: 'agency',
      staff_id: staff.id,
      kind: 'split-from',
      note: r.reference,
      agency_id: to,
    });
    // the citizen is told of the new request, as of a transfer
    await this.requests.notices.send(tx, part, 'transferred', `split:${part.id}`);
    return { row: r, note: part.reference, detail: { part: part.id, to } };
  }

  private async apply(
    tx: Transaction<Database>,
    staff: StaffRow,
    r: RequestRow,
    action: DeskAction,
    input: DeskInput,
    now: Date,
    officer: StaffRow | undefined,
  ): Promise<{ row: RequestRow; note?: string; detail?: Record<string, unknown> }> {
    const open = r.status === 'open';
    const state = (ok: boolean) => {
      if (!ok) throw new AppError('REQUEST_STATE');
    };
    switch (action) {
      case 'claim':
        state(open || r.status === 'clarification');
        return { row: await this.repo.update(tx, r.id, { assigned_to: staff.id }) };
      case 'assign':
        state(open || r.status === 'clarification');
        if (!officer) throw new AppError('OFFICER_NOT_ASSIGNABLE');
        return { row: await this.repo.update(tx, r.id, { assigned_to: officer.id }), detail: { officer: officer.id } };
      case 'clarify': {
        state(open);
        const note = need(input.text, 'text');
        const days = workingDaysBetween(now, r.due_at, await this.requests.calendar.announced());
        return { row: await this.repo.update(tx, r.id, { status: 'clarification', paused_at: now, days_left: Math.max(1, days) }), note };
      }
      case 'transfer': {
        state(open || r.status === 'clarification');
        const to = input.agencyId ?? '';
        if (to === r.agency_id) throw invalid([{ field: 'agencyId', fa: 'دستگاه دیگری را انتخاب کنید', en: 'Choose another agency' }]);
        const note = need(input.text, 'text');
        // an overdue or escalated request keeps its escalation, its receipt and its deadline: passing it
        // on (A→B→A) must not clear the oversight queue or the sender's overdue statistics
        const late = r.escalation > 0 || (r.status === 'open' && r.due_at < now);
        // otherwise the receiving agency's own deadline, from today: its clock, its statistics
        const due = late ? r.due_at : await this.requests.calendar.addWorkingDays(now, await this.requests.files.daysFor(tx, to, r.kind));
        const row = await this.repo.update(tx, r.id, {
          agency_id: to,
          status: 'open',
          assigned_to: null,
          ...(late ? {} : { escalation: 0, escalate_at: null, received_at: now }),
          paused_at: null,
          days_left: null,
          due_at: due,
        });
        return { row, note, detail: { from: r.agency_id, to: input.agencyId } };
      }
      case 'split':
        return this.split(tx, staff, r, input, now);
      case 'answer':
      case 'partial':
      case 'refuse': {
        state(open || r.status === 'clarification');
        const note = need(input.text, 'text');
        const problems: FieldProblem[] = [];
        const outcome = (input.outcome ?? '').trim();
        if (action === 'answer' && !Object.hasOwn(OUTCOMES, outcome))
          problems.push({ field: 'outcome', fa: 'نتیجه را انتخاب کنید', en: 'Choose the outcome' });
        const exemption = (input.exemption ?? '').trim();
        if (action !== 'answer' && !Object.hasOwn(EXEMPTIONS, exemption))
          problems.push({ field: 'exemption', fa: 'مبنای قانونی امتناع را انتخاب کنید', en: 'Choose the legal exemption ground' });
        const publicText = (input.publicText ?? '').trim();
        const publish = r.kind === 'foi' && !r.keep_private;
        const publicSubject = (input.publicSubject ?? '').trim();
        if (publish && (publicSubject.length < 3 || publicSubject.length > 200))
          problems.push({
            field: 'publicSubject',
            fa: 'عنوانی بدون اطلاعات شخصی برای فهرست عمومی بنویسید (۳ تا ۲۰۰ نویسه)',
            en: 'Write a title for the public register, with personal data removed (3 to 200 characters)',
          });
        if (publish && publicText.length < 2)
          problems.push({
            field: 'publicText',
            fa: 'متن پاسخ را بدون اطلاعات شخصی برای فهرست عمومی بنویسید',
            en: 'Write the answer for the public register, with personal data removed',
          });
        if (problems.length) throw invalid(problems);
        const row = await this.repo.update(tx, r.id, {
          status: action === 'answer' ? 'answered' : action === 'partial' ? 'partial' : 'refused',
          outcome: action === 'answer' ? outcome : action === 'partial' ? 'partial-refusal' : 'refused',
          exemption: action === 'answer' ? null : exemption,
          answer: note,
          answer_public: publish ? publicText : null,
          subject_public: publish ? publicSubject : null,
          publication: publish ? 'pending' : 'none',
          answered_at: now,
          paused_at: null,
        });
        return { row, note, detail: { outcome: row.outcome, exemption: row.exemption } };
      }
      case 'close': {
        // an FOI request ends with an answer or a refusal citing the law (appealable, published), never a bare close
        state((open || r.status === 'clarification') && r.kind !== 'foi');
        const outcome = (input.outcome ?? '').trim();
        if (!Object.hasOwn(OUTCOMES, outcome)) throw invalid([{ field: 'outcome', fa: 'نتیجه را انتخاب کنید', en: 'Choose the outcome' }]);
        const note = (input.text ?? '').trim() || undefined;
        return {
          row: await this.repo.update(tx, r.id, { status: 'closed', outcome, answered_at: r.answered_at ?? now }),
          note,
          detail: { outcome },
        };
      }
      case 'vexatious': {
        state(open || r.status === 'clarification');
        const note = need(input.text, 'text');
        return { row: await this.repo.update(tx, r.id, { status: 'vexatious-review', paused_at: now }), note };
      }
      case 'publish':
      case 'unpublish': {
        // publish from the moderation queue; unpublish also takes down an answer already public
        state(r.publication === 'pending' || (action === 'unpublish' && r.publication === 'published'));
        const publishing = action === 'publish';
        const text = publishing ? need(input.publicText ?? r.answer_public ?? '', 'publicText') : r.answer_public;
        const title = publishing ? need(input.publicSubject ?? r.subject_public ?? '', 'publicSubject', 3) : r.subject_public;
        // only the agency's files the moderator ticks go public; taking the answer down takes them down too
        await this.requests.files.repo.setPublished(tx, r.id, publishing ? (input.publishFiles ?? []).filter((f) => UUID.test(f)) : []);
        return {
          row: await this.repo.update(tx, r.id, {
            publication: publishing ? 'published' : 'rejected',
            answer_public: text,
            subject_public: title,
          }),
        };
      }
      case 'appeal-upheld':
      case 'appeal-dismissed': {
        state(r.appeal_status === 'open');
        const note = need(input.text, 'text');
        const upheld = action === 'appeal-upheld';
        // an upheld appeal sends the request back to the agency with a fresh statutory clock
        const due = upheld ? await this.requests.calendar.addWorkingDays(now, this.requests.options.days.foi) : r.due_at;
        const row = await this.repo.update(tx, r.id, {
          appeal_status: upheld ? 'upheld' : 'dismissed',
          ...(upheld ? { status: 'open' as const, due_at: due, escalation: 0, escalate_at: null, answered_at: null } : {}),
        });
        return { row, note };
      }
      case 'vexatious-confirm':
      case 'vexatious-reject': {
        state(r.status === 'vexatious-review');
        const note = need(input.text, 'text');
        const confirm = action === 'vexatious-confirm';
        const due = confirm ? r.due_at : await this.requests.calendar.addWorkingDays(now, this.requests.options.days[r.kind]);
        const row = await this.repo.update(tx, r.id, {
          status: confirm ? 'closed' : 'open',
          outcome: confirm ? 'vexatious' : null,
          paused_at: null,
          due_at: due,
        });
        return { row, note };
      }
    }
  }
}

const EVENT_OF: Record<DeskAction, string> = {
  claim: 'claimed',
  assign: 'assigned',
  clarify: 'clarification',
  transfer: 'transferred',
  split: 'split',
  answer: 'answered',
  partial: 'partial',
  refuse: 'refused',
  close: 'closed',
  vexatious: 'marked-vexatious',
  publish: 'published',
  unpublish: 'publication-rejected',
  'appeal-upheld': 'appeal-upheld',
  'appeal-dismissed': 'appeal-dismissed',
  'vexatious-confirm': 'vexatious-confirmed',
  'vexatious-reject': 'vexatious-rejected',
};

/** What the citizen is told by e-box and SMS after an agency action (escalations: requests.jobs.ts). */
const NOTICE_OF: Partial<Record<DeskAction, NoticeKind>> = {
  clarify: 'clarification',
  transfer: 'transferred',
  answer: 'answered',
  partial: 'partial',
  refuse: 'refused',
};
