// Polls of a participatory process: a question with options, open between dates, one vote per signed-in
// person (the voters table's primary key refuses a second vote, also when two requests race), optionally
// for adults only (age from the civil registry's birth date, asked through the exchange). Ballot secrecy:
// who voted is a row per person (no time, no choice); what was voted is only a counter per option, and a
// vote rewrites every option's counter row, so in the stored data no row, column, order or timestamp ties
// a voter to a choice (participation.repository.ts castVote). Not hidden: the voter row and the counters
// are written in one transaction (same xmin), so someone reading the database live between two votes, or
// the WAL, can see which counter grew with whose voter row; closing that needs mixing (batched, delayed
// counting) or cryptographic ballots, which this does not do. Results stay hidden until the poll closes,
// then show counts and the check that the counters add up to the number of voters; a voter sees on the
// page that their vote was recorded (not what it was).
import type { LocalText } from '../../db/schema.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import type { PollRow } from './participation.repository.ts';
import type { CitizenRef, Form, ParticipationService, StaffRef } from './participation.service.ts';
import { isAdult, isUuid, localText, parseOptions, pollState, tehranDay, tehranToday, type PollState } from './participation.rules.ts';

/** The person's birth date from the civil registry (through the exchange). */
export type BirthDateOf = (
  citizen: CitizenRef,
) => Promise<{ outcome: 'ok'; birthDate: string } | { outcome: 'unknown' } | { outcome: 'unavailable' }>;

export interface PollResults {
  options: { key: string; label: LocalText; count: number }[];
  /** The sum of the option counters. */
  ballots: number;
  voters: number;
  /** The counters add up to the people recorded as having voted. */
  consistent: boolean;
}

export interface PollView {
  poll: PollRow;
  state: PollState;
  /** Only once the poll has closed. */
  results: PollResults | null;
  voted: boolean;
}

export class ParticipationPolls {
  /**
   * Citizens the registry already said are adults (an adult stays one): later adults-only votes ask the
   * registry nothing, so its exchange log does not gain an entry, with the citizen and the time, per vote.
   * In memory, per process, bounded (emptied when full); nothing else about the person is kept.
   */
  readonly #adults = new Set<string>();

  constructor(
    private readonly participation: ParticipationService,
    private readonly audit: AuditLog,
    private readonly birthDateOf: BirthDateOf,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get repo() {
    return this.participation.repo;
  }

  async results(poll: PollRow): Promise<PollResults | null> {
    if (pollState(poll, this.now()) !== 'closed') return null;
    const t = await this.repo.tally(poll.id);
    return {
      options: poll.options.map((o) => ({ ...o, count: t.counts[o.key] ?? 0 })),
      ballots: t.ballots,
      voters: t.voters,
      consistent: t.ballots === t.voters,
    };
  }

  async viewsOf(processId: string, citizenId?: string): Promise<PollView[]> {
    const polls = await this.repo.polls(processId);
    return Promise.all(
      polls.map(async (poll) => ({
        poll,
        state: pollState(poll, this.now()),
        results: await this.results(poll),
        voted: citizenId ? await this.repo.hasVoted(poll.id, citizenId) : false,
      })),
    );
  }

  async #poll(slug: string, pollId: unknown) {
    const p = await this.participation.process(slug);
    const poll = isUuid(pollId) ? await this.repo.poll(pollId) : undefined;
    if (!poll || poll.process_id !== p.id) throw new AppError('PARTICIPATION_NOT_FOUND');
    return { p, poll };
  }

  async addPoll(staff: StaffRef, slug: string, f: Form): Promise<PollRow> {
    const p = await this.participation.managed(staff, slug);
    const question = localText(f.questionFa, f.questionEn, 500);
    const options = parseOptions(f.options);
    const opens = tehranDay(f.opens);
    const closes = tehranDay(f.closes, true);
    if (closes <= opens) throw new AppError('VALIDATION_FAILED');
    return this.repo.transaction(async (tx) => {
      const poll = await this.repo.insertPoll(
        tx,
        {
          process_id: p.id,
          question: JSON.stringify(question),
          options: JSON.stringify(options),
          opens_at: opens,
          closes_at: closes,
          adults_only: f.adultsOnly === 'yes' || f.adultsOnly === 'on' || f.adultsOnly === true,
        },
        options.map((o) => o.key),
      );
      await this.audit.record(
        { actor: `staff:${staff.id}`, action: 'participation.poll.add', subject: `participation-poll:${poll.id}` },
        tx,
      );
      return poll;
    });
  }

  /** Closes the poll now (its results publish at once). */
  async close(staff: StaffRef, slug: string, pollId: unknown) {
    await this.participation.managed(staff, slug);
    const { poll } = await this.#poll(slug, pollId);
    if (pollState(poll, this.now()) === 'closed') return;
    const at = this.now();
    await this.repo.transaction(async (tx) => {
      await this.repo.closePoll(tx, poll.id, at < poll.opens_at ? new Date(poll.opens_at.getTime() + 1) : at);
      await this.audit.record(
        { actor: `staff:${staff.id}`, action: 'participation.poll.close', subject: `participation-poll:${poll.id}` },
        tx,
      );
    });
  }

  /** One vote per person; for an adults-only poll, 18 or over by the civil registry. */
  async vote(citizen: CitizenRef, slug: string, pollId: unknown, option: unknown): Promise<void> {
    const { poll } = await this.#poll(slug, pollId);
    if (pollState(poll, this.now()) !== 'open') throw new AppError('PARTICIPATION_POLL_NOT_OPEN');
    if (typeof option !== 'string' || !poll.options.some((o) => o.key === option)) throw new AppError('PARTICIPATION_CHOOSE_OPTION');
    if (await this.repo.hasVoted(poll.id, citizen.id)) throw new AppError('PARTICIPATION_ALREADY_VOTED');
    if (poll.adults_only && !this.#adults.has(citizen.id)) {
      const r = await this.birthDateOf(citizen);
      if (r.outcome === 'unavailable') throw new AppError('PARTICIPATION_REGISTRY_UNAVAILABLE');
      if (r.outcome === 'unknown' || !isAdult(r.birthDate, tehranToday(this.now()))) throw new AppError('PARTICIPATION_ADULTS_ONLY');
      if (this.#adults.size >= 100_000) this.#adults.clear();
      this.#adults.add(citizen.id);
    }
    const keys = poll.options.map((o) => o.key);
    const cast = await this.repo.transaction(async (tx) => {
      // checked again under a share lock: a close that committed meanwhile is seen, one that comes later waits
      const locked = await this.repo.lockPoll(tx, poll.id);
      if (!locked || pollState(locked, this.now()) !== 'open') throw new AppError('PARTICIPATION_POLL_NOT_OPEN');
      return this.repo.castVote(tx, poll.id, keys, citizen.id, option);
    });
    if (!cast) throw new AppError('PARTICIPATION_ALREADY_VOTED');
  }
}
