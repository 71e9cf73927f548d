// SQL for the monitoring tables (monitor_*). Kysely only; no rules here.
import type { Scores } from './monitoring.schema.ts';
import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type {
  Database,
  MonitorAnswerTable,
  MonitorCheckJobTable,
  MonitorEvidenceTable,
  MonitorIndicatorSetTable,
  MonitorRoundTable,
  MonitorSubjectTable,
} from '../../db/schema.ts';
import type { IndicatorSetInput } from './monitoring.schema.ts';
import { jobsRepo, type JobTable } from '../../platform/jobs.repository.ts';

export type SetRow = Omit<Selectable<MonitorIndicatorSetTable>, 'criteria' | 'indicators'> &
  Pick<IndicatorSetInput, 'criteria' | 'indicators'>;
export type RoundRow = Selectable<MonitorRoundTable>;
/** A subject of a round; `scores` is written only by storeScores, from the Scores rollUp computed at publication. */
export type SubjectRow = Omit<Selectable<MonitorSubjectTable>, 'scores'> & { scores: Scores | null };
export type AnswerRow = Selectable<MonitorAnswerTable>;
export type CheckJobRow = Selectable<MonitorCheckJobTable>;
export type EvidenceMeta = Omit<Selectable<MonitorEvidenceTable>, 'content'>;

/** Portal check jobs for the job primitive: 'failed' is their dead letter (the page shows its last_error). */
export const CHECK_JOBS: JobTable = {
  table: 'monitor_check_jobs',
  claimable: ['queued', 'running'],
  running: 'running',
  waiting: 'queued',
  done: 'done',
  dead: 'failed',
  orderBy: 'requested_at',
  startedAt: 'started_at',
  endedAt: 'finished_at',
};
type Db = Kysely<Database> | Transaction<Database>;

const j = (v: unknown) => JSON.stringify(v);

export class MonitoringRepository {
  constructor(readonly db: Kysely<Database>) {}

  transaction<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  async latestSet(key: string, db: Db = this.db): Promise<SetRow | undefined> {
    return (await db
      .selectFrom('monitor_indicator_sets')
      .selectAll()
      .where('key', '=', key)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst()) as SetRow | undefined;
  }

  async setById(id: string): Promise<SetRow | undefined> {
    return (await this.db.selectFrom('monitor_indicator_sets').selectAll().where('id', '=', id).executeTakeFirst()) as SetRow | undefined;
  }

  async setVersion(key: string, version: number): Promise<SetRow | undefined> {
    return (await this.db
      .selectFrom('monitor_indicator_sets')
      .selectAll()
      .where('key', '=', key)
      .where('version', '=', version)
      .executeTakeFirst()) as SetRow | undefined;
  }

  async sets(): Promise<SetRow[]> {
    return (await this.db.selectFrom('monitor_indicator_sets').selectAll().orderBy('key').orderBy('version', 'desc').execute()) as SetRow[];
  }

  async insertSet(db: Db, s: IndicatorSetInput, version: number, by: string): Promise<SetRow> {
    return (await db
      .insertInto('monitor_indicator_sets')
      .values({
        key: s.key,
        version,
        name: j(s.name),
        scope: s.scope,
        rollup: s.rollup,
        criteria: j(s.criteria),
        indicators: j(s.indicators),
        created_by: by,
      })
      .returningAll()
      .executeTakeFirstOrThrow()) as SetRow;
  }

  insertRound(db: Db, r: Insertable<MonitorRoundTable>): Promise<RoundRow> {
    return db.insertInto('monitor_rounds').values(r).returningAll().executeTakeFirstOrThrow();
  }

  round(id: string, db: Db = this.db): Promise<RoundRow | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return db.selectFrom('monitor_rounds').selectAll().where('slug', '=', id).executeTakeFirst();
    return db.selectFrom('monitor_rounds').selectAll().where('id', '=', id).executeTakeFirst();
  }

  rounds(status?: RoundRow['status'][]): Promise<RoundRow[]> {
    let q = this.db.selectFrom('monitor_rounds').selectAll().orderBy('cutoff', 'desc').orderBy('created_at', 'desc');
    if (status) q = q.where('status', 'in', status);
    return q.execute();
  }

  slugTaken(slug: string): Promise<boolean> {
    return this.db.selectFrom('monitor_rounds').select('id').where('slug', '=', slug).executeTakeFirst().then(Boolean);
  }

  /** Locks the round row for the rest of the transaction (PostgreSQL); PGlite has one connection anyway. */
  async lockRound(tx: Db, id: string): Promise<RoundRow | undefined> {
    return tx.selectFrom('monitor_rounds').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  updateRound(db: Db, id: string, set: Partial<Pick<RoundRow, 'status' | 'published_at' | 'published_by'>>): Promise<unknown> {
    return db
      .updateTable('monitor_rounds')
      .set(set)
      .set((eb) => ({ revision: eb('revision', '+', 1) }))
      .where('id', '=', id)
      .execute();
  }

  /** Marks a round's results as changed (its cached results are recomputed on the next read). */
  bump(db: Db, roundId: string): Promise<unknown> {
    return db
      .updateTable('monitor_rounds')
      .set((eb) => ({ revision: eb('revision', '+', 1) }))
      .where('id', '=', roundId)
      .execute();
  }

  /** Rounds by id, in one query. */
  roundsByIds(ids: string[]): Promise<RoundRow[]> {
    return ids.length ? this.db.selectFrom('monitor_rounds').selectAll().where('id', 'in', ids).execute() : Promise.resolve([]);
  }

  /** Set rows by id, in one query. */
  async setsByIds(ids: string[]): Promise<SetRow[]> {
    return ids.length
      ? ((await this.db
          .selectFrom('monitor_indicator_sets')
          .selectAll()
          .where('id', 'in', [...new Set(ids)])
          .execute()) as SetRow[])
      : [];
  }

  /** Stored total scores of several rounds' subjects, in one query (for ranks of previous rounds). */
  storedTotals(roundIds: string[]) {
    if (!roundIds.length) return Promise.resolve([] as { round_id: string; subject: string; total: number | null }[]);
    return this.db
      .selectFrom('monitor_subjects')
      .select(['round_id', 'subject', sql<number | null>`(scores->>'total')::double precision`.as('total')])
      .where('round_id', 'in', roundIds)
      .execute();
  }

  async insertSubjects(db: Db, rows: Insertable<MonitorSubjectTable>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500)
      await db
        .insertInto('monitor_subjects')
        .values(rows.slice(i, i + 500))
        .execute();
  }

  subjects(roundId: string, db: Db = this.db): Promise<SubjectRow[]> {
    return db.selectFrom('monitor_subjects').selectAll().where('round_id', '=', roundId).orderBy('subject').$castTo<SubjectRow>().execute();
  }

  subject(roundId: string, subject: string, db: Db = this.db): Promise<SubjectRow | undefined> {
    return db
      .selectFrom('monitor_subjects')
      .selectAll()
      .where('round_id', '=', roundId)
      .where('subject', '=', subject)
      .$castTo<SubjectRow>()
      .executeTakeFirst();
  }

  async updateSubject(
    db: Db,
    roundId: string,
    subject: string,
    set: Partial<Omit<SubjectRow, 'round_id' | 'subject' | 'scores'>> & { scores?: string | null },
  ): Promise<unknown> {
    await db
      .updateTable('monitor_subjects')
      .set(set as never)
      .where('round_id', '=', roundId)
      .where('subject', '=', subject)
      .execute();
    return this.bump(db, roundId);
  }

  /** Stores every subject's scores in one statement (publication). */
  async storeScores(db: Db, roundId: string, rows: { subject: string; scores: unknown }[]): Promise<void> {
    if (rows.length)
      await sql`update monitor_subjects s set scores = x.scores
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(subject text, scores jsonb)
        where s.round_id = ${roundId}::uuid and s.subject = x.subject`.execute(db);
    await this.bump(db, roundId);
  }

  /** Every answer of a round grouped by subject and code. */
  async answersBySubject(roundId: string, db: Db = this.db): Promise<Map<string, Map<string, AnswerRow>>> {
    const out = new Map<string, Map<string, AnswerRow>>();
    for (const a of await this.answers(roundId, undefined, db)) {
      let m = out.get(a.subject);
      if (!m) out.set(a.subject, (m = new Map()));
      m.set(a.code, a);
    }
    return out;
  }

  /** Rounds (with subjects) a staff member assesses. */
  assignments(staffId: string) {
    return this.db
      .selectFrom('monitor_subjects as s')
      .innerJoin('monitor_rounds as r', 'r.id', 's.round_id')
      .select(['r.id as round_id', 'r.slug', 'r.title', 'r.status as round_status', 's.subject', 's.name', 's.status'])
      .where('s.assessor_id', '=', staffId)
      .where('r.status', '=', 'open')
      .orderBy('r.cutoff', 'desc')
      .execute();
  }

  async upsertAnswers(db: Db, rows: Insertable<MonitorAnswerTable>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      await db
        .insertInto('monitor_answers')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) =>
          oc.columns(['round_id', 'subject', 'code']).doUpdateSet((eb) => ({
            value: eb.ref('excluded.value'),
            state: eb.ref('excluded.state'),
            origin: eb.ref('excluded.origin'),
            note: eb.ref('excluded.note'),
            link: eb.ref('excluded.link'),
            detail: eb.ref('excluded.detail'),
            answered_by: eb.ref('excluded.answered_by'),
            answered_at: sql`now()`,
          })),
        )
        .execute();
    }
    for (const id of new Set(rows.map((r) => r.round_id))) await this.bump(db, id);
  }

  answers(roundId: string, subject?: string, db: Db = this.db): Promise<AnswerRow[]> {
    let q = db.selectFrom('monitor_answers').selectAll().where('round_id', '=', roundId);
    if (subject) q = q.where('subject', '=', subject);
    return q.execute();
  }

  async insertEvidence(db: Db, row: Insertable<MonitorEvidenceTable>): Promise<EvidenceMeta> {
    await this.bump(db, row.round_id);
    return db
      .insertInto('monitor_evidence')
      .values(row)
      .returning(['id', 'round_id', 'subject', 'code', 'filename', 'media_type', 'size', 'sha256', 'uploaded_by', 'uploaded_at'])
      .executeTakeFirstOrThrow();
  }

  evidence(roundId: string, subject: string, db: Db = this.db): Promise<EvidenceMeta[]> {
    return db
      .selectFrom('monitor_evidence')
      .select(['id', 'round_id', 'subject', 'code', 'filename', 'media_type', 'size', 'sha256', 'uploaded_by', 'uploaded_at'])
      .where('round_id', '=', roundId)
      .where('subject', '=', subject)
      .orderBy('uploaded_at')
      .execute();
  }

  evidenceFile(id: string) {
    if (!/^[0-9a-f-]{36}$/.test(id)) return Promise.resolve(undefined);
    return this.db.selectFrom('monitor_evidence').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Copies a round's subjects, answers and evidence into its correction. */
  async copyRound(tx: Db, from: string, to: string): Promise<void> {
    await sql`insert into monitor_subjects (round_id, subject, agency_id, name, url, assessor_id, status, reviewer_id, review_note, reviewed_at)
      select ${to}::uuid, subject, agency_id, name, url, assessor_id, status, reviewer_id, review_note, reviewed_at from monitor_subjects where round_id = ${from}::uuid`.execute(
      tx,
    );
    await sql`insert into monitor_answers (round_id, subject, code, value, state, origin, note, link, detail, answered_by, answered_at)
      select ${to}::uuid, subject, code, value, state, origin, note, link, detail, answered_by, answered_at from monitor_answers where round_id = ${from}::uuid`.execute(
      tx,
    );
    await sql`insert into monitor_evidence (round_id, subject, code, filename, media_type, size, sha256, content, uploaded_by, uploaded_at)
      select ${to}::uuid, subject, code, filename, media_type, size, sha256, content, uploaded_by, uploaded_at from monitor_evidence where round_id = ${from}::uuid`.execute(
      tx,
    );
  }

  insertPortalCheck(row: { url: string; round_id: string | null; subject: string | null; result: string }, db: Db = this.db) {
    return db.insertInto('monitor_portal_checks').values(row).returning(['id', 'checked_at']).executeTakeFirstOrThrow();
  }

  latestPortalCheck(roundId: string, subject: string) {
    return this.db
      .selectFrom('monitor_portal_checks')
      .selectAll()
      .where('round_id', '=', roundId)
      .where('subject', '=', subject)
      .orderBy('checked_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  // ---- portal check jobs (claimed by the worker with FOR UPDATE SKIP LOCKED) ----

  /** Queues a check unless one for the same subject is already waiting or running; returns the job either way. */
  /** Queues a check unless one waits; `then` runs in the same transaction after a job was queued (the audit entry). */
  async enqueueCheck(
    row: { round_id: string; subject: string; url: string; requested_by: string },
    then: (tx: Transaction<Database>, job: CheckJobRow) => Promise<unknown> = async () => {},
  ): Promise<{ job: CheckJobRow; created: boolean }> {
    return this.transaction(async (tx) => {
      await this.lockRound(tx, row.round_id);
      const waiting = await tx
        .selectFrom('monitor_check_jobs')
        .selectAll()
        .where('round_id', '=', row.round_id)
        .where('subject', '=', row.subject)
        .where('status', 'in', ['queued', 'running'])
        .executeTakeFirst();
      if (waiting) return { job: waiting, created: false };
      const job = await tx.insertInto('monitor_check_jobs').values(row).returningAll().executeTakeFirstOrThrow();
      await then(tx, job);
      return { job, created: true };
    });
  }

  /** Claims due jobs (queued, or running under an expired lease: a worker that died) for `leaseSeconds`. */
  claimChecks(limit: number, leaseSeconds: number): Promise<CheckJobRow[]> {
    return jobsRepo.claim<CheckJobRow>(this.db, CHECK_JOBS, limit, leaseSeconds);
  }

  /** The latest job of each subject of a round (for the pages). */
  latestChecks(roundId: string): Promise<CheckJobRow[]> {
    return this.db
      .selectFrom('monitor_check_jobs')
      .selectAll()
      .distinctOn('subject')
      .where('round_id', '=', roundId)
      .orderBy('subject')
      .orderBy('requested_at', 'desc')
      .execute();
  }
}
