// Participatory processes (issue 16): an agency's participation editor opens a process with phases and
// dates and the text under consultation in sections; signed-in citizens comment on a section, reply,
// support (one per person), flag and submit proposals; the agency answers comments, hides them with a
// reason shown in place (the author is told in their e-box), sets each proposal's status and publishes
// its outcome report. Polls are in participation.polls.ts. Each staff action is one transaction with its
// audit entry; the agency check (this process belongs to the editor's agency) is made here.
import type { Kysely } from 'kysely';
import type { Database, LocalText, ParticipationPhase, ProposalStatus } from '../../db/schema.ts';
import type { AuditLog, AuditTx } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';

/** How many dated additions one comment takes (after that: a new comment). */
const MAX_ADDITIONS = 5;
import { can, type StaffPrincipal } from '../identity/identity.policy.ts';
import { ParticipationRepository, type CommentRow, type CommentSort, type ProcessRow } from './participation.repository.ts';
import {
  PAGE_SIZE,
  PHASES,
  RATE_MAX,
  RATE_WINDOW_MS,
  cleanText,
  isUuid,
  localText,
  phasesFor,
  slugFor,
  tehranDay,
  textHash,
} from './participation.rules.ts';

export interface CitizenRef {
  id: string;
  national_id: string;
}
export interface StaffRef {
  id: string;
  role: StaffPrincipal['role'];
  agency_id: string | null;
}
/** Tells a citizen something in their e-box, in the caller's transaction. */
export type Notify = (tx: AuditTx, m: { citizenId: string; agencyId: string; subject: LocalText; body: LocalText }) => Promise<void>;
export type Form = Record<string, unknown>;

export interface CommentView extends CommentRow {
  replyRows: CommentRow[];
}

export class ParticipationService {
  readonly repo: ParticipationRepository;

  constructor(
    db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly notify: Notify,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.repo = new ParticipationRepository(db);
  }

  isOpen = (p: ProcessRow) => {
    const now = this.now();
    return p.opens_at <= now && now < p.closes_at;
  };

  async process(slug: string): Promise<ProcessRow> {
    const p = typeof slug === 'string' && slug.length <= 100 ? await this.repo.processBySlug(slug) : undefined;
    if (!p) throw new AppError('PARTICIPATION_NOT_FOUND');
    return p;
  }

  /** The staff member may manage this process (their own agency's, with the role), else FORBIDDEN. */
  async managed(staff: StaffRef, slug: string): Promise<ProcessRow> {
    const p = await this.process(slug);
    if (!can({ id: staff.id, role: staff.role, agencyId: staff.agency_id }, 'participation.manage', { agencyId: p.agency_id }))
      throw new AppError('FORBIDDEN');
    return p;
  }

  /** The public list: processes not yet closed (or all, with past), optionally of one agency. */
  list(f: { agencyId?: string; past?: boolean }) {
    return this.repo.processes({ agencyId: f.agencyId, openAt: f.past ? undefined : this.now() });
  }

  /**
   * The process page: sections, one page of top-level comments with their replies, proposals. Paging is
   * by keyset (`after`: the last comment of the previous page; `next`: this page's last, when more follow)
   * and the number of comments is the process's kept count, so no request counts or skips rows.
   */
  async page(slug: string, q: { sort?: string; after?: string }) {
    const process = await this.process(slug);
    const sort: CommentSort = q.sort === 'supported' ? 'supported' : 'newest';
    const after = isUuid(q.after) ? q.after : undefined;
    const [rows, sections, proposals] = await Promise.all([
      this.repo.topComments(process.id, sort, PAGE_SIZE + 1, after),
      this.repo.sections(process.id),
      this.repo.proposals(process.id),
    ]);
    const top = rows.slice(0, PAGE_SIZE);
    const next = rows.length > PAGE_SIZE ? (top.at(-1)?.id ?? null) : null;
    const replies = await this.repo.repliesOf(top.map((c) => c.id));
    const comments: CommentView[] = top.map((c) => ({ ...c, replyRows: replies.filter((r) => r.parent_id === c.id) }));
    return {
      process,
      sections,
      comments,
      total: process.top_comments,
      after: after ?? null,
      next,
      sort,
      proposals,
      open: this.isOpen(process),
    };
  }

  // staff: processes, sections, phases

  async createProcess(staff: StaffRef, f: Form): Promise<ProcessRow> {
    const agencyId = staff.agency_id;
    if (!agencyId || !can({ id: staff.id, role: staff.role, agencyId }, 'participation.manage')) throw new AppError('FORBIDDEN');
    const title = localText(f.titleFa, f.titleEn, 300);
    const summary = localText(f.summaryFa, f.summaryEn);
    const opens = tehranDay(f.opens);
    const closes = tehranDay(f.closes, true);
    if (closes <= opens) throw new AppError('VALIDATION_FAILED');
    const slug = typeof f.slug === 'string' && /^[a-z0-9-]{3,60}$/.test(f.slug) ? f.slug : slugFor(title.en ?? '');
    return this.repo.transaction(async (tx) => {
      const p = await this.repo.insertProcess(tx, {
        slug,
        agency_id: agencyId,
        title: JSON.stringify(title),
        summary: JSON.stringify(summary),
        phase: this.now() >= opens ? 'consultation' : 'information',
        phases: JSON.stringify(phasesFor(this.now(), opens, closes)),
        opens_at: opens,
        closes_at: closes,
        created_by: staff.id,
      });
      if (!p) throw new AppError('PARTICIPATION_SLUG_TAKEN');
      await this.audit.record({ actor: `staff:${staff.id}`, action: 'participation.process.create', subject: `participation:${p.id}` }, tx);
      return p;
    });
  }

  async addSection(staff: StaffRef, slug: string, f: Form) {
    const p = await this.managed(staff, slug);
    const title = localText(f.titleFa, f.titleEn, 300);
    const body = localText(f.bodyFa, f.bodyEn, 20_000);
    return this.repo.transaction(async (tx) => {
      const s = await this.repo.insertSection(tx, p.id, JSON.stringify(title), JSON.stringify(body));
      await this.audit.record({ actor: `staff:${staff.id}`, action: 'participation.section.add', subject: `participation:${p.id}` }, tx);
      return s;
    });
  }

  async setPhase(staff: StaffRef, slug: string, phase: unknown) {
    const p = await this.managed(staff, slug);
    if (!PHASES.includes(phase as ParticipationPhase)) throw new AppError('VALIDATION_FAILED');
    await this.repo.transaction(async (tx) => {
      await this.repo.updateProcess(tx, p.id, { phase: phase as ParticipationPhase });
      await this.audit.record(
        { actor: `staff:${staff.id}`, action: 'participation.phase', subject: `participation:${p.id}`, detail: { phase } },
        tx,
      );
    });
  }

  async publishOutcome(staff: StaffRef, slug: string, f: Form) {
    const p = await this.managed(staff, slug);
    const outcome = {
      received: localText(f.receivedFa, f.receivedEn),
      changed: localText(f.changedFa, f.changedEn),
      notChanged: localText(f.notChangedFa, f.notChangedEn),
    };
    await this.repo.transaction(async (tx) => {
      await this.repo.updateProcess(tx, p.id, { outcome: JSON.stringify(outcome), outcome_published_at: this.now(), phase: 'follow-up' });
      await this.audit.record({ actor: `staff:${staff.id}`, action: 'participation.outcome', subject: `participation:${p.id}` }, tx);
    });
  }

  // citizens: comments, replies, supports, flags

  async #checkRate(citizenId: string, processId: string, body: string) {
    const recent = await this.repo.recentBy(citizenId, new Date(this.now().getTime() - RATE_WINDOW_MS));
    if (recent.n >= RATE_MAX) throw new AppError('PARTICIPATION_TOO_MANY');
    const hash = textHash(body);
    if (await this.repo.hasDuplicate(processId, citizenId, hash)) throw new AppError('PARTICIPATION_DUPLICATE');
    return hash;
  }

  async #comment(slug: string, id: unknown) {
    const p = await this.process(slug);
    const c = isUuid(id) ? await this.repo.comment(id) : undefined;
    if (!c || c.process_id !== p.id) throw new AppError('PARTICIPATION_NOT_FOUND');
    return { p, c };
  }

  async comment(citizen: CitizenRef, slug: string, f: Form): Promise<CommentRow> {
    const p = await this.process(slug);
    if (!this.isOpen(p)) throw new AppError('PARTICIPATION_CLOSED');
    const body = cleanText(f.body);
    let sectionId: string | null = null;
    let parentId: string | null = null;
    if (f.parentId) {
      const { c } = await this.#comment(slug, f.parentId);
      parentId = c.parent_id ?? c.id; // replies stay one level deep
      sectionId = c.section_id;
    } else if (f.sectionId) {
      if (!isUuid(f.sectionId) || !(await this.repo.sections(p.id)).some((s) => s.id === f.sectionId))
        throw new AppError('PARTICIPATION_NOT_FOUND');
      sectionId = f.sectionId;
    }
    const hash = await this.#checkRate(citizen.id, p.id, body);
    return this.repo.transaction(async (tx) => {
      const c = await this.repo.insertComment(tx, {
        process_id: p.id,
        section_id: sectionId,
        parent_id: parentId,
        citizen_id: citizen.id,
        author_kind: 'citizen',
        body,
        body_hash: hash,
      });
      if (parentId) await this.repo.countReply(tx, parentId);
      else await this.repo.countTopComment(tx, p.id);
      return c;
    });
  }

  /** No editing once posted: the author may only append (dated), so replies keep answering what was said. */
  async append(citizen: CitizenRef, slug: string, id: unknown, text: unknown) {
    const { p, c } = await this.#comment(slug, id);
    if (c.citizen_id !== citizen.id) throw new AppError('PARTICIPATION_NOT_YOURS');
    if (!this.isOpen(p)) throw new AppError('PARTICIPATION_CLOSED');
    if (c.hidden_at) throw new AppError('PARTICIPATION_NOT_FOUND');
    const add = cleanText(text, 2000);
    const ok = await this.repo.transaction((tx) =>
      this.repo.appendTo(tx, c.id, { at: this.now().toISOString(), text: add }, MAX_ADDITIONS),
    );
    if (!ok) throw new AppError('PARTICIPATION_APPEND_LIMIT');
  }

  async support(citizen: CitizenRef, slug: string, id: unknown): Promise<boolean> {
    const { p, c } = await this.#comment(slug, id);
    if (!this.isOpen(p)) throw new AppError('PARTICIPATION_CLOSED');
    if (c.hidden_at) throw new AppError('PARTICIPATION_NOT_FOUND');
    return this.repo.transaction((tx) => this.repo.supportComment(tx, c.id, citizen.id));
  }

  async flag(citizen: CitizenRef, slug: string, id: unknown, reason: unknown): Promise<boolean> {
    const { p, c } = await this.#comment(slug, id);
    if (!this.isOpen(p)) throw new AppError('PARTICIPATION_CLOSED');
    const why = typeof reason === 'string' && reason.trim() ? reason.trim().slice(0, 200) : 'unspecified';
    return this.repo.transaction((tx) => this.repo.flag(tx, c.id, citizen.id, why));
  }

  // staff: answers and moderation

  async answer(staff: StaffRef, slug: string, id: unknown, text: unknown) {
    const p = await this.managed(staff, slug);
    const { c } = await this.#comment(slug, id);
    const body = cleanText(text);
    await this.repo.transaction(async (tx) => {
      await this.repo.insertComment(tx, {
        process_id: p.id,
        section_id: c.section_id,
        parent_id: c.parent_id ?? c.id,
        staff_id: staff.id,
        author_kind: 'agency',
        body,
        body_hash: textHash(body),
      });
      await this.repo.countReply(tx, c.parent_id ?? c.id);
      await this.audit.record(
        { actor: `staff:${staff.id}`, action: 'participation.comment.answer', subject: `participation-comment:${c.id}` },
        tx,
      );
    });
  }

  /** Hides a comment with a reason shown in its place; the author is told in their e-box (they may appeal to oversight). */
  async hide(staff: StaffRef, slug: string, id: unknown, reason: unknown) {
    const p = await this.managed(staff, slug);
    const { c } = await this.#comment(slug, id);
    const why = typeof reason === 'string' ? reason.trim().slice(0, 200) : '';
    if (!why) throw new AppError('PARTICIPATION_REASON_REQUIRED');
    if (c.hidden_at) return;
    await this.repo.transaction(async (tx) => {
      await this.repo.hide(tx, c.id, why, this.now());
      if (c.citizen_id)
        await this.notify(tx, {
          citizenId: c.citizen_id,
          agencyId: p.agency_id,
          subject: { fa: `نظر شما در «${p.title.fa}» پنهان شد`, en: `Your comment on "${p.title.en}" was hidden` },
          body: {
            fa: `دلیل: ${why}\nاگر فکر می‌کنید این تصمیم نادرست است، می‌توانید به دفتر نظارت اعتراض کنید.`,
            en: `Reason: ${why}\nIf you think this is wrong, you can appeal to the oversight office.`,
          },
        });
      await this.audit.record(
        {
          actor: `staff:${staff.id}`,
          action: 'participation.comment.hide',
          subject: `participation-comment:${c.id}`,
          detail: { reason: why },
        },
        tx,
      );
    });
  }

  // proposals

  async propose(citizen: CitizenRef, slug: string, f: Form) {
    const p = await this.process(slug);
    if (!this.isOpen(p)) throw new AppError('PARTICIPATION_CLOSED');
    const title = cleanText(f.title, 200);
    const body = cleanText(f.body);
    await this.#checkRate(citizen.id, p.id, `${title}\n${body}`);
    return this.repo.transaction((tx) => this.repo.insertProposal(tx, { process_id: p.id, citizen_id: citizen.id, title, body }));
  }

  async supportProposal(citizen: CitizenRef, slug: string, id: unknown): Promise<boolean> {
    const p = await this.process(slug);
    const pr = isUuid(id) ? await this.repo.proposal(id) : undefined;
    if (!pr || pr.process_id !== p.id) throw new AppError('PARTICIPATION_NOT_FOUND');
    return this.repo.transaction((tx) => this.repo.supportProposal(tx, pr.id, citizen.id));
  }

  async setProposalStatus(staff: StaffRef, slug: string, id: unknown, status: unknown, reason: unknown) {
    const p = await this.managed(staff, slug);
    const pr = isUuid(id) ? await this.repo.proposal(id) : undefined;
    if (!pr || pr.process_id !== p.id) throw new AppError('PARTICIPATION_NOT_FOUND');
    const statuses: ProposalStatus[] = ['open', 'accepted', 'in-progress', 'done', 'rejected'];
    if (!statuses.includes(status as ProposalStatus)) throw new AppError('VALIDATION_FAILED');
    const why = typeof reason === 'string' && reason.trim() ? reason.trim().slice(0, 2000) : null;
    if (status === 'rejected' && !why) throw new AppError('PARTICIPATION_REASON_REQUIRED');
    await this.repo.transaction(async (tx) => {
      await this.repo.setProposalStatus(tx, pr.id, status as ProposalStatus, why, this.now());
      await this.audit.record(
        {
          actor: `staff:${staff.id}`,
          action: 'participation.proposal.status',
          subject: `participation-proposal:${pr.id}`,
          detail: { status },
        },
        tx,
      );
    });
  }

  /** The moderation queue of a process: flagged comments still shown. */
  async flagged(staff: StaffRef, slug: string) {
    const p = await this.managed(staff, slug);
    return { process: p, flagged: await this.repo.flagged(p.id) };
  }
}
