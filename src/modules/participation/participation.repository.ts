// All SQL of the participation module (Kysely): processes, sections, comments with supports and flags,
// proposals, polls with secret ballots (migrations 0024, 0027): who voted is a row per person; what was
// voted is only a counter per option (no per-ballot row, nothing to link back to a voter).
import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type {
  Database,
  ParticipationCommentTable,
  ParticipationPollTable,
  ParticipationProcessTable,
  ParticipationProposalTable,
  ParticipationSectionTable,
} from '../../db/schema.ts';

export type ProcessRow = Selectable<ParticipationProcessTable>;
export type SectionRow = Selectable<ParticipationSectionTable>;
export type CommentRow = Selectable<ParticipationCommentTable>;
export type ProposalRow = Selectable<ParticipationProposalTable>;
export type PollRow = Selectable<ParticipationPollTable>;
type Db = Kysely<Database>;
export type CommentSort = 'newest' | 'supported';

export class ParticipationRepository {
  constructor(readonly db: Db) {}

  transaction<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  // processes
  /** undefined when the slug is taken (also by a create racing this one). */
  async insertProcess(tx: Db, row: Insertable<ParticipationProcessTable>): Promise<ProcessRow | undefined> {
    return tx
      .insertInto('participation_processes')
      .values(row)
      .onConflict((oc) => oc.column('slug').doNothing())
      .returningAll()
      .executeTakeFirst();
  }
  processBySlug(slug: string): Promise<ProcessRow | undefined> {
    return this.db.selectFrom('participation_processes').selectAll().where('slug', '=', slug).executeTakeFirst();
  }
  processes(f: { agencyId?: string; openAt?: Date } = {}): Promise<ProcessRow[]> {
    let q = this.db.selectFrom('participation_processes').selectAll();
    if (f.agencyId) q = q.where('agency_id', '=', f.agencyId);
    if (f.openAt) q = q.where('closes_at', '>', f.openAt);
    return q.orderBy('closes_at', 'desc').limit(500).execute();
  }
  updateProcess(tx: Db, id: string, set: { phase?: ProcessRow['phase']; outcome?: string; outcome_published_at?: Date }) {
    return tx.updateTable('participation_processes').set(set).where('id', '=', id).execute();
  }

  // sections
  sections(processId: string): Promise<SectionRow[]> {
    return this.db.selectFrom('participation_sections').selectAll().where('process_id', '=', processId).orderBy('position').execute();
  }
  async insertSection(tx: Db, processId: string, title: string, body: string): Promise<SectionRow> {
    const last = await tx
      .selectFrom('participation_sections')
      .select((eb) => eb.fn.max('position').as('p'))
      .where('process_id', '=', processId)
      .executeTakeFirst();
    return tx
      .insertInto('participation_sections')
      .values({ process_id: processId, position: Number(last?.p ?? 0) + 1, title, body })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  // comments
  insertComment(tx: Db, row: Insertable<ParticipationCommentTable>): Promise<CommentRow> {
    return tx.insertInto('participation_comments').values(row).returningAll().executeTakeFirstOrThrow();
  }
  comment(id: string, tx: Db = this.db): Promise<CommentRow | undefined> {
    return tx.selectFrom('participation_comments').selectAll().where('id', '=', id).executeTakeFirst();
  }
  countReply(tx: Db, parentId: string) {
    return tx
      .updateTable('participation_comments')
      .set((eb) => ({ replies: eb('replies', '+', 1) }))
      .where('id', '=', parentId)
      .execute();
  }
  /**
   * A page of top-level comments by keyset: those after the comment `after` in the sort's order (newest:
   * created_at, id descending; most supported: supports, created_at, id descending), walked on the index
   * of the same order (migration 0027), so a deep page costs what the first does.
   */
  topComments(processId: string, sort: CommentSort, limit: number, after?: string): Promise<CommentRow[]> {
    let q = this.db.selectFrom('participation_comments').selectAll().where('process_id', '=', processId).where('parent_id', 'is', null);
    if (after)
      q = q.where(
        sort === 'supported'
          ? sql<boolean>`(supports, created_at, id) < (select c.supports, c.created_at, c.id from participation_comments c
              where c.id = ${after} and c.process_id = ${processId} and c.parent_id is null)`
          : sql<boolean>`(created_at, id) < (select c.created_at, c.id from participation_comments c
              where c.id = ${after} and c.process_id = ${processId} and c.parent_id is null)`,
      );
    if (sort === 'supported') q = q.orderBy('supports', 'desc');
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }
  /** The kept count of a process's top-level comments, one more (in the comment's transaction). */
  countTopComment(tx: Db, processId: string) {
    return tx
      .updateTable('participation_processes')
      .set((eb) => ({ top_comments: eb('top_comments', '+', 1) }))
      .where('id', '=', processId)
      .execute();
  }
  repliesOf(parentIds: string[]): Promise<CommentRow[]> {
    if (parentIds.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('participation_comments').selectAll().where('parent_id', 'in', parentIds).orderBy('created_at').execute();
  }
  async recentBy(citizenId: string, since: Date): Promise<{ n: number; hashes: string[] }> {
    const rows = await this.db
      .selectFrom('participation_comments')
      .select('body_hash')
      .where('citizen_id', '=', citizenId)
      .where('created_at', '>', since)
      .execute();
    return { n: rows.length, hashes: rows.map((r) => r.body_hash) };
  }
  async hasDuplicate(processId: string, citizenId: string, hash: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('participation_comments')
      .select('id')
      .where('process_id', '=', processId)
      .where('citizen_id', '=', citizenId)
      .where('body_hash', '=', hash)
      .executeTakeFirst();
    return !!r;
  }
  /** Appends one dated addition in one statement (no lost update); false when the comment has `max` already. */
  async appendTo(tx: Db, id: string, addition: { at: string; text: string }, max: number): Promise<boolean> {
    const r = await sql<{ id: string }>`update participation_comments set addenda = addenda || ${JSON.stringify([addition])}::jsonb
      where id = ${id} and jsonb_array_length(addenda) < ${max} returning id`.execute(tx);
    return r.rows.length > 0;
  }
  hide(tx: Db, id: string, reason: string, at: Date) {
    return tx.updateTable('participation_comments').set({ hidden_reason: reason, hidden_at: at }).where('id', '=', id).execute();
  }
  /** One support per person: the primary key refuses a second; the counter moves only when a row went in. */
  async supportComment(tx: Db, commentId: string, citizenId: string): Promise<boolean> {
    const r = await tx
      .insertInto('participation_comment_supports')
      .values({ comment_id: commentId, citizen_id: citizenId })
      .onConflict((oc) => oc.doNothing())
      .returning('comment_id')
      .executeTakeFirst();
    if (!r) return false;
    await tx
      .updateTable('participation_comments')
      .set((eb) => ({ supports: eb('supports', '+', 1) }))
      .where('id', '=', commentId)
      .execute();
    return true;
  }
  async flag(tx: Db, commentId: string, citizenId: string, reason: string): Promise<boolean> {
    const r = await tx
      .insertInto('participation_flags')
      .values({ comment_id: commentId, citizen_id: citizenId, reason })
      .onConflict((oc) => oc.doNothing())
      .returning('comment_id')
      .executeTakeFirst();
    if (!r) return false;
    await tx
      .updateTable('participation_comments')
      .set((eb) => ({ flags: eb('flags', '+', 1) }))
      .where('id', '=', commentId)
      .execute();
    return true;
  }
  flagged(processId: string): Promise<CommentRow[]> {
    return this.db
      .selectFrom('participation_comments')
      .selectAll()
      .where('process_id', '=', processId)
      .where('flags', '>', 0)
      .where('hidden_at', 'is', null)
      .orderBy('flags', 'desc')
      .limit(100)
      .execute();
  }

  // proposals
  insertProposal(tx: Db, row: Insertable<ParticipationProposalTable>): Promise<ProposalRow> {
    return tx.insertInto('participation_proposals').values(row).returningAll().executeTakeFirstOrThrow();
  }
  proposal(id: string): Promise<ProposalRow | undefined> {
    return this.db.selectFrom('participation_proposals').selectAll().where('id', '=', id).executeTakeFirst();
  }
  proposals(processId: string): Promise<ProposalRow[]> {
    return this.db
      .selectFrom('participation_proposals')
      .selectAll()
      .where('process_id', '=', processId)
      .orderBy('supports', 'desc')
      .orderBy('created_at')
      .limit(200)
      .execute();
  }
  async supportProposal(tx: Db, proposalId: string, citizenId: string): Promise<boolean> {
    const r = await tx
      .insertInto('participation_proposal_supports')
      .values({ proposal_id: proposalId, citizen_id: citizenId })
      .onConflict((oc) => oc.doNothing())
      .returning('proposal_id')
      .executeTakeFirst();
    if (!r) return false;
    await tx
      .updateTable('participation_proposals')
      .set((eb) => ({ supports: eb('supports', '+', 1) }))
      .where('id', '=', proposalId)
      .execute();
    return true;
  }
  setProposalStatus(tx: Db, id: string, status: ProposalRow['status'], reason: string | null, at: Date) {
    return tx.updateTable('participation_proposals').set({ status, status_reason: reason, status_at: at }).where('id', '=', id).execute();
  }

  // polls
  /** The poll and a zero counter per option. */
  async insertPoll(tx: Db, row: Insertable<ParticipationPollTable>, optionKeys: string[]): Promise<PollRow> {
    const poll = await tx.insertInto('participation_polls').values(row).returningAll().executeTakeFirstOrThrow();
    await tx
      .insertInto('participation_poll_tallies')
      .values(optionKeys.map((k) => ({ poll_id: poll.id, option_key: k, votes: 0 })))
      .execute();
    return poll;
  }
  poll(id: string): Promise<PollRow | undefined> {
    return this.db.selectFrom('participation_polls').selectAll().where('id', '=', id).executeTakeFirst();
  }
  polls(processId: string): Promise<PollRow[]> {
    return this.db.selectFrom('participation_polls').selectAll().where('process_id', '=', processId).orderBy('created_at').execute();
  }
  /** The poll row, locked FOR SHARE until the vote's transaction ends: closing (an update) waits for it. */
  lockPoll(tx: Db, id: string): Promise<PollRow | undefined> {
    return tx.selectFrom('participation_polls').selectAll().where('id', '=', id).forShare().executeTakeFirst();
  }
  closePoll(tx: Db, id: string, at: Date) {
    return tx.updateTable('participation_polls').set({ closes_at: at }).where('id', '=', id).execute();
  }
  /**
   * The vote, in the caller's transaction: the voter row (its primary key refuses a second vote, also when
   * two requests race: the later insert waits for the first and then conflicts), then one more on the
   * chosen option's counter. There is no per-ballot row. The counter statement rewrites the counter row of
   * EVERY option of the poll (adding 0 to the others), so at rest all of them carry the last vote's
   * transaction id and none stands out as the one chosen; the voter row has no time and no choice. The voter
   * row shares that transaction id, so a reader watching live transactions (or the WAL) can still link a
   * voter to the counter that grew: see participation.polls.ts.
   */
  async castVote(tx: Db, pollId: string, optionKeys: string[], citizenId: string, optionKey: string): Promise<boolean> {
    const voter = await tx
      .insertInto('participation_poll_voters')
      .values({ poll_id: pollId, citizen_id: citizenId })
      .onConflict((oc) => oc.doNothing())
      .returning('poll_id')
      .executeTakeFirst();
    if (!voter) return false;
    await sql`insert into participation_poll_tallies (poll_id, option_key, votes)
        select ${pollId}::uuid, k, (k = ${optionKey})::int from unnest(${optionKeys}::text[]) as k order by k
        on conflict (poll_id, option_key) do update set votes = participation_poll_tallies.votes + excluded.votes`.execute(tx);
    return true;
  }
  async hasVoted(pollId: string, citizenId: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('participation_poll_voters')
      .select('poll_id')
      .where('poll_id', '=', pollId)
      .where('citizen_id', '=', citizenId)
      .executeTakeFirst();
    return !!r;
  }
  /** Counts per option and the check: the sum of the counters against the people recorded as having voted. */
  async tally(pollId: string): Promise<{ counts: Record<string, number>; ballots: number; voters: number }> {
    const rows = await this.db
      .selectFrom('participation_poll_tallies')
      .select(['option_key', 'votes'])
      .where('poll_id', '=', pollId)
      .execute();
    const v = await this.db
      .selectFrom('participation_poll_voters')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('poll_id', '=', pollId)
      .executeTakeFirstOrThrow();
    const counts: Record<string, number> = {};
    for (const r of rows) counts[r.option_key] = Number(r.votes);
    return { counts, ballots: Object.values(counts).reduce((a, b) => a + b, 0), voters: Number(v.n) };
  }

  // open data and indicators
  allProcesses(): Promise<ProcessRow[]> {
    return this.db.selectFrom('participation_processes').selectAll().orderBy('created_at').execute();
  }
  /** Comments without who wrote them (open data): hidden ones without their text. */
  anonymisedComments(limit: number) {
    return this.db
      .selectFrom('participation_comments')
      .innerJoin('participation_processes as p', 'p.id', 'participation_comments.process_id')
      .select([
        'participation_comments.id',
        'p.slug as process',
        'participation_comments.section_id',
        'participation_comments.parent_id',
        'participation_comments.author_kind',
        sql<string>`case when participation_comments.hidden_at is null then participation_comments.body else '' end`.as('body'),
        'participation_comments.supports',
        'participation_comments.hidden_reason',
        sql<string>`to_char(participation_comments.created_at at time zone 'UTC', 'YYYY-MM-DD')`.as('date'),
      ])
      .orderBy('participation_comments.created_at')
      .limit(limit)
      .execute();
  }
  allPolls(): Promise<PollRow[]> {
    return this.db.selectFrom('participation_polls').selectAll().orderBy('created_at').execute();
  }
  allProposals(): Promise<ProposalRow[]> {
    return this.db.selectFrom('participation_proposals').selectAll().orderBy('created_at').execute();
  }
  async participants(processId: string): Promise<number> {
    const r = await sql<{ n: string }>`select count(*) as n from (
        select citizen_id from participation_comments where process_id = ${processId} and citizen_id is not null
        union select citizen_id from participation_proposals where process_id = ${processId}
        union select v.citizen_id from participation_poll_voters v join participation_polls p on p.id = v.poll_id where p.process_id = ${processId}
      ) x`.execute(this.db);
    return Number(r.rows[0]?.n ?? 0);
  }

  /** Per agency as of `at`: processes held, participants, proposals and those answered, days to publish outcomes. */
  async agencyFigures(at: Date) {
    const r = await sql<{
      agency_id: string;
      processes: string;
      participants: string;
      proposals: string;
      answered: string;
      outcome_days: string | null;
    }>`select p.agency_id,
          count(distinct p.id) as processes,
          (select count(distinct c.citizen_id) from participation_comments c join participation_processes q on q.id = c.process_id
             where q.agency_id = p.agency_id and c.created_at <= ${at} and c.citizen_id is not null) as participants,
          (select count(*) from participation_proposals x join participation_processes q on q.id = x.process_id
             where q.agency_id = p.agency_id and x.created_at <= ${at}) as proposals,
          (select count(*) from participation_proposals x join participation_processes q on q.id = x.process_id
             where q.agency_id = p.agency_id and x.created_at <= ${at} and x.status <> 'open' and x.status_at <= ${at}) as answered,
          avg(extract(epoch from (p.outcome_published_at - p.closes_at)) / 86400) filter (where p.outcome_published_at <= ${at}) as outcome_days
        from participation_processes p
        where p.created_at <= ${at}
        group by p.agency_id`.execute(this.db);
    return r.rows.map((x) => ({
      agencyId: x.agency_id,
      processes: Number(x.processes),
      participants: Number(x.participants),
      proposals: Number(x.proposals),
      answered: Number(x.answered),
      outcomeDays: x.outcome_days === null ? null : Number(x.outcome_days),
    }));
  }
}
