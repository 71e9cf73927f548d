// Participatory budgeting (issue 16, as CONSUL): a process may have a budget in rials with voting dates;
// the agency lists projects with their cost, citizens propose projects (pending until a participation
// editor lists or rejects them, with a reason); each signed-in person casts one ballot choosing listed
// projects whose total cost fits the budget (else PARTICIPATION_OVER_BUDGET). The ballot is secret as a
// poll's is, with the same limit (participation.polls.ts: a live reader of the database can link them).
// (participation.budget.repository.ts castBallot: no per-ballot row). Counts stay hidden until
// voting closes; then the winners are computed from the counters (most votes first, skipping a project
// that does not fit what remains) and published on the page and in open data.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { toAsciiDigits } from '../../platform/persian.ts';
import { BudgetRepository, type BudgetProjectRow, type BudgetRow } from './participation.budget.repository.ts';
import type { CitizenRef, Form, ParticipationService, StaffRef } from './participation.service.ts';
import { cleanText, isUuid, pollState, RATE_MAX, RATE_WINDOW_MS, tehranDay, textHash, type PollState } from './participation.rules.ts';

/** A citizen may have at most this many projects pending moderation in one budget (then PARTICIPATION_TOO_MANY). */
export const PENDING_MAX = 5;
/** Staff see the oldest this many pending (and rejected) projects at a time; listing or rejecting them shows the next. */
const STAFF_PAGE = 100;

/** Rials, in digits (Persian or ASCII; separators allowed), positive and at most 10^15. */
export function parseRials(v: unknown): number {
  const s = typeof v === 'string' ? toAsciiDigits(v).replace(/[\s,٬_]/g, '') : '';
  if (!/^\d{1,16}$/.test(s)) throw new AppError('PARTICIPATION_AMOUNT_INVALID');
  const n = Number(s);
  if (n <= 0 || n > 1e15) throw new AppError('PARTICIPATION_AMOUNT_INVALID');
  return n;
}

export interface BudgetProject {
  id: string;
  title: string;
  body: string;
  cost: number;
  byCitizen: boolean;
  status: BudgetProjectRow['status'];
  reason: string | null;
  /** Only once voting has closed. */
  votes: number | null;
  winner: boolean;
}

/** The winners: most votes first (then the earlier listed), each taken if its cost fits what remains. */
export function budgetWinners(amount: number, projects: { id: string; cost: number; votes: number }[]): Set<string> {
  const order = [...projects].sort((a, b) => b.votes - a.votes);
  const won = new Set<string>();
  let left = amount;
  for (const p of order)
    if (p.votes > 0 && p.cost <= left) {
      won.add(p.id);
      left -= p.cost;
    }
  return won;
}

export interface BudgetView {
  budget: BudgetRow;
  amount: number;
  state: PollState;
  projects: BudgetProject[];
  /** Closed only: people who cast a ballot, and the winners' total cost. */
  voters: number | null;
  spent: number | null;
  voted: boolean;
}

export class ParticipationBudget {
  readonly repo: BudgetRepository;

  constructor(
    db: Kysely<Database>,
    private readonly participation: ParticipationService,
    private readonly audit: AuditLog,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.repo = new BudgetRepository(db);
  }

  /** The budget of a process as shown (pending projects only to staff), or null when it has none. */
  /** Whether the process has a participatory budget (its pages link to it). */
  async exists(processId: string): Promise<boolean> {
    return !!(await this.repo.budgetOf(processId));
  }

  async view(processId: string, o: { citizenId?: string; staff?: boolean } = {}): Promise<BudgetView | null> {
    const budget = await this.repo.budgetOf(processId);
    if (!budget) return null;
    const state = pollState(budget, this.now());
    const amount = Number(budget.amount_rials);
    const rows = [
      ...(await this.repo.listed(budget.id)),
      ...(o.staff ? await this.repo.unlisted(budget.id, 'pending', STAFF_PAGE) : []),
      ...(o.staff ? await this.repo.unlisted(budget.id, 'rejected', STAFF_PAGE) : []),
    ];
    const closed = state === 'closed';
    const listed = rows.filter((p) => p.status === 'listed').map((p) => ({ id: p.id, cost: Number(p.cost_rials), votes: p.votes }));
    const won = closed ? budgetWinners(amount, listed) : new Set<string>();
    const projects: BudgetProject[] = rows.map((p) => ({
      id: p.id,
      title: p.title,
      body: p.body,
      cost: Number(p.cost_rials),
      byCitizen: p.citizen_id !== null,
      status: p.status,
      reason: p.status_reason,
      votes: closed && p.status === 'listed' ? p.votes : null,
      winner: won.has(p.id),
    }));
    if (closed) projects.sort((a, b) => Number(b.winner) - Number(a.winner) || (b.votes ?? 0) - (a.votes ?? 0));
    return {
      budget,
      amount,
      state,
      projects,
      voters: closed ? await this.repo.voters(budget.id) : null,
      spent: closed ? projects.filter((p) => p.winner).reduce((a, p) => a + p.cost, 0) : null,
      voted: o.citizenId ? await this.repo.hasVoted(budget.id, o.citizenId) : false,
    };
  }

  async #budget(slug: string) {
    const p = await this.participation.process(slug);
    const b = await this.repo.budgetOf(p.id);
    if (!b) throw new AppError('PARTICIPATION_NOT_FOUND');
    return { p, b };
  }

  async page(slug: string, citizenId?: string, staff = false) {
    const process = await this.participation.process(slug);
    const view = await this.view(process.id, { citizenId, staff });
    if (!view && !staff) throw new AppError('PARTICIPATION_NOT_FOUND');
    return { process, view };
  }

  // staff

  async create(staff: StaffRef, slug: string, f: Form): Promise<BudgetRow> {
    const p = await this.participation.managed(staff, slug);
    const amount = parseRials(f.amount);
    const opens = tehranDay(f.opens);
    const closes = tehranDay(f.closes, true);
    if (closes <= opens) throw new AppError('VALIDATION_FAILED');
    return this.repo.transaction(async (tx) => {
      const b = await this.repo.insertBudget(tx, { process_id: p.id, amount_rials: amount, opens_at: opens, closes_at: closes });
      if (!b) throw new AppError('PARTICIPATION_BUDGET_EXISTS');
      await this.audit.record(
        { actor: `staff:${staff.id}`, action: 'participation.budget.create', subject: `participation:${p.id}`, detail: { amount } },
        tx,
      );
      return b;
    });
  }

  /** The agency lists a project (listed at once) while voting has not closed. */
  async addProject(staff: StaffRef, slug: string, f: Form) {
    await this.participation.managed(staff, slug);
    const { b } = await this.#budget(slug);
    if (pollState(b, this.now()) === 'closed') throw new AppError('PARTICIPATION_BUDGET_NOT_OPEN');
    const title = cleanText(f.title, 200);
    const body = cleanText(f.body);
    const cost = parseRials(f.cost);
    if (cost > Number(b.amount_rials)) throw new AppError('PARTICIPATION_OVER_BUDGET');
    await this.repo.transaction(async (tx) => {
      const pr = await this.repo.insertProject(tx, {
        budget_id: b.id,
        title,
        body,
        cost_rials: cost,
        citizen_id: null,
        body_hash: textHash(`${title}\n${body}`),
        status: 'listed',
      });
      await this.audit.record(
        { actor: `staff:${staff.id}`, action: 'participation.budget.project.add', subject: `participation-project:${pr.id}` },
        tx,
      );
    });
  }

  /** A pending (citizen's) project is listed or rejected with a reason shown to everyone. */
  async moderate(staff: StaffRef, slug: string, id: unknown, decision: unknown, reason: unknown) {
    await this.participation.managed(staff, slug);
    const { b } = await this.#budget(slug);
    const pr = isUuid(id) ? await this.repo.project(id) : undefined;
    if (!pr || pr.budget_id !== b.id) throw new AppError('PARTICIPATION_NOT_FOUND');
    if (decision !== 'listed' && decision !== 'rejected') throw new AppError('VALIDATION_FAILED');
    const why = typeof reason === 'string' && reason.trim() ? reason.trim().slice(0, 500) : null;
    if (decision === 'rejected' && !why) throw new AppError('PARTICIPATION_REASON_REQUIRED');
    await this.repo.transaction(async (tx) => {
      if (!(await this.repo.moderate(tx, pr.id, decision, why))) return;
      await this.audit.record(
        {
          actor: `staff:${staff.id}`,
          action: 'participation.budget.project.moderate',
          subject: `participation-project:${pr.id}`,
          detail: { decision },
        },
        tx,
      );
    });
  }

  /** Closes voting now: the winners are computed from the counters and published at once. */
  async close(staff: StaffRef, slug: string) {
    await this.participation.managed(staff, slug);
    const { b } = await this.#budget(slug);
    if (pollState(b, this.now()) === 'closed') return;
    const at = this.now();
    await this.repo.transaction(async (tx) => {
      await this.repo.closeBudget(tx, b.id, at < b.opens_at ? new Date(b.opens_at.getTime() + 1) : at);
      await this.audit.record(
        { actor: `staff:${staff.id}`, action: 'participation.budget.close', subject: `participation-budget:${b.id}` },
        tx,
      );
    });
  }

  // citizens

  /** A citizen proposes a project (pending until moderated); the same text twice is refused, and so are more than
   * RATE_MAX proposals in RATE_WINDOW_MS or more than PENDING_MAX pending in this budget (PARTICIPATION_TOO_MANY). */
  async propose(citizen: CitizenRef, slug: string, f: Form) {
    const { b } = await this.#budget(slug);
    if (pollState(b, this.now()) === 'closed') throw new AppError('PARTICIPATION_BUDGET_NOT_OPEN');
    const title = cleanText(f.title, 200);
    const body = cleanText(f.body);
    const cost = parseRials(f.cost);
    if (cost > Number(b.amount_rials)) throw new AppError('PARTICIPATION_OVER_BUDGET');
    const mine = await this.repo.proposedBy(b.id, citizen.id, new Date(this.now().getTime() - RATE_WINDOW_MS));
    if (mine.recent >= RATE_MAX || mine.pending >= PENDING_MAX) throw new AppError('PARTICIPATION_TOO_MANY');
    const hash = textHash(`${title}\n${body}`);
    if (await this.repo.hasProject(b.id, citizen.id, hash)) throw new AppError('PARTICIPATION_DUPLICATE');
    await this.repo.transaction((tx) =>
      this.repo.insertProject(tx, { budget_id: b.id, title, body, cost_rials: cost, citizen_id: citizen.id, body_hash: hash }),
    );
  }

  /** One ballot per person: listed projects of this budget whose total cost fits the budget. */
  async vote(citizen: CitizenRef, slug: string, chosen: unknown) {
    const { b } = await this.#budget(slug);
    if (pollState(b, this.now()) !== 'open') throw new AppError('PARTICIPATION_BUDGET_NOT_OPEN');
    const ids = [...new Set((Array.isArray(chosen) ? chosen : [chosen]).filter((x) => x !== undefined && x !== ''))];
    if (ids.length === 0 || ids.length > 500 || !ids.every(isUuid)) throw new AppError('PARTICIPATION_CHOOSE_PROJECT');
    const listed = new Map((await this.repo.listed(b.id)).map((p) => [p.id, Number(p.cost_rials)]));
    if (!ids.every((id) => listed.has(id))) throw new AppError('PARTICIPATION_CHOOSE_PROJECT');
    const total = ids.reduce((a, id) => a + (listed.get(id) ?? 0), 0);
    if (total > Number(b.amount_rials)) throw new AppError('PARTICIPATION_OVER_BUDGET');
    if (await this.repo.hasVoted(b.id, citizen.id)) throw new AppError('PARTICIPATION_ALREADY_VOTED');
    await this.repo.transaction(async (tx) => {
      // checked again under a share lock: a close that committed meanwhile is seen, one that comes later waits
      const locked = await this.repo.lockBudget(tx, b.id);
      if (!locked || pollState(locked, this.now()) !== 'open') throw new AppError('PARTICIPATION_BUDGET_NOT_OPEN');
      const counted = await this.repo.castBallot(tx, b.id, citizen.id, ids);
      if (counted === null) throw new AppError('PARTICIPATION_ALREADY_VOTED');
      if (counted !== ids.length) throw new AppError('PARTICIPATION_CHOOSE_PROJECT'); // one stopped being listed meanwhile: nothing kept
    });
  }
}
