// SQL for the monitoring tables (monitor_*). Kysely only; no rules here.
import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, MonitorAnswerTable, MonitorEvidenceTable, MonitorIndicatorSetTable, MonitorRoundTable, MonitorSubjectTable } from '../../db/schema.ts';
import type { IndicatorSetInput } from './monitoring.schema.ts';

export type SetRow = Omit<Selectable<MonitorIndicatorSetTable>, 'criteria' | 'indicators'> & Pick<IndicatorSetInput, 'criteria' | 'indicators'>;
export type RoundRow = Selectable<MonitorRoundTable>;
export type SubjectRow = Selectable<MonitorSubjectTable>;
export type AnswerRow = Selectable<MonitorAnswerTable>;
export type EvidenceMeta = Omit<Selectable<MonitorEvidenceTable>, 'content'>;
type Db = Kysely<Database> | Transaction<Database>;

const j = (v: unknown) => JSON.stringify(v);

export class MonitoringRepository {
  constructor(readonly db: Kysely<Database>) {}

  transaction<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  async latestSet(key: string, db: Db = this.db): Promise<SetRow | undefined> {
    return (await db.selectFrom('monitor_indicator_sets').selectAll().where('key', '=', key).orderBy('version', 'desc').limit(1).executeTakeFirst()) as SetRow | undefined;
  }

  async setById(id: string): Promise<SetRow | undefined> {
    return (await this.db.selectFrom('monitor_indicator_sets').selectAll().where('id', '=', id).executeTakeFirst()) as SetRow | undefined;
  }

  async setVersion(key: string, version: number): Promise<SetRow | undefined> {
    return (await this.db.selectFrom('monitor_indicator_sets').selectAll().where('key', '=', key).where('version', '=', version).executeTakeFirst()) as SetRow | undefined;
  }

  async sets(): Promise<SetRow[]> {
    return (await this.db.selectFrom('monitor_indicator_sets').selectAll().orderBy('key').orderBy('version', 'desc').execute()) as SetRow[];
  }

  async insertSet(db: Db, s: IndicatorSetInput, version: number, by: string): Promise<SetRow> {
    return (await db
      .insertInto('monitor_indicator_sets')
      .values({ key: s.key, version, name: j(s.name), scope: s.scope, rollup: s.rollup, criteria: j(s.criteria), indicators: j(s.indicators), created_by: by })
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
    return db.updateTable('monitor_rounds').set(set).where('id', '=', id).execute();
  }

  async insertSubjects(db: Db, rows: Insertable<MonitorSubjectTable>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) await db.insertInto('monitor_subjects').values(rows.slice(i, i + 500)).execute();
  }

  subjects(roundId: string, db: Db = this.db): Promise<SubjectRow[]> {
    return db.selectFrom('monitor_subjects').selectAll().where('round_id', '=', roundId).orderBy('subject').execute();
  }

  subject(roundId: string, subject: string, db: Db = this.db): Promise<SubjectRow | undefined> {
    return db.selectFrom('monitor_subjects').selectAll().where('round_id', '=', roundId).where('subject', '=', subject).executeTakeFirst();
  }

  updateSubject(db: Db, roundId: string, subject: string, set: Partial<Omit<SubjectRow, 'round_id' | 'subject' | 'scores'>> & { scores?: string | null }): Promise<unknown> {
    return db.updateTable('monitor_subjects').set(set as never).where('round_id', '=', roundId).where('subject', '=', subject).execute();
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
  }

  answers(roundId: string, subject?: string, db: Db = this.db): Promise<AnswerRow[]> {
    let q = db.selectFrom('monitor_answers').selectAll().where('round_id', '=', roundId);
    if (subject) q = q.where('subject', '=', subject);
    return q.execute();
  }

  insertEvidence(db: Db, row: Insertable<MonitorEvidenceTable>): Promise<EvidenceMeta> {
    return db.insertInto('monitor_evidence').values(row).returning(['id', 'round_id', 'subject', 'code', 'filename', 'media_type', 'size', 'sha256', 'uploaded_by', 'uploaded_at']).executeTakeFirstOrThrow();
  }

  evidence(roundId: string, subject: string, db: Db = this.db): Promise<EvidenceMeta[]> {
    return db.selectFrom('monitor_evidence').select(['id', 'round_id', 'subject', 'code', 'filename', 'media_type', 'size', 'sha256', 'uploaded_by', 'uploaded_at']).where('round_id', '=', roundId).where('subject', '=', subject).orderBy('uploaded_at').execute();
  }

  evidenceFile(id: string) {
    if (!/^[0-9a-f-]{36}$/.test(id)) return Promise.resolve(undefined);
    return this.db.selectFrom('monitor_evidence').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Copies a round's subjects, answers and evidence into its correction. */
  async copyRound(tx: Db, from: string, to: string): Promise<void> {
    await sql`insert into monitor_subjects (round_id, subject, agency_id, name, url, assessor_id, status, reviewer_id, review_note, reviewed_at)
      select ${to}::uuid, subject, agency_id, name, url, assessor_id, status, reviewer_id, review_note, reviewed_at from monitor_subjects where round_id = ${from}::uuid`.execute(tx);
    await sql`insert into monitor_answers (round_id, subject, code, value, state, origin, note, link, detail, answered_by, answered_at)
      select ${to}::uuid, subject, code, value, state, origin, note, link, detail, answered_by, answered_at from monitor_answers where round_id = ${from}::uuid`.execute(tx);
    await sql`insert into monitor_evidence (round_id, subject, code, filename, media_type, size, sha256, content, uploaded_by, uploaded_at)
      select ${to}::uuid, subject, code, filename, media_type, size, sha256, content, uploaded_by, uploaded_at from monitor_evidence where round_id = ${from}::uuid`.execute(tx);
  }

  insertPortalCheck(row: { url: string; round_id: string | null; subject: string | null; result: string }) {
    return this.db.insertInto('monitor_portal_checks').values(row).returning(['id', 'checked_at']).executeTakeFirstOrThrow();
  }

  latestPortalCheck(roundId: string, subject: string) {
    return this.db.selectFrom('monitor_portal_checks').selectAll().where('round_id', '=', roundId).where('subject', '=', subject).orderBy('checked_at', 'desc').limit(1).executeTakeFirst();
  }
}
