// All SQL of the representation module (Kysely): the checks that an applicant may apply for the person
// a form names (table application_representations, migration 0021).
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { ApplicationRepresentationTable, Database } from '../../db/schema.ts';

export type RepresentationRow = Selectable<ApplicationRepresentationTable>;
export type NewRepresentation = Insertable<ApplicationRepresentationTable>;

export class RepresentationRepository {
  constructor(readonly db: Kysely<Database>) {}

  transaction<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  insert(tx: Transaction<Database>, row: NewRepresentation): Promise<RepresentationRow> {
    return tx.insertInto('application_representations').values(row).returningAll().executeTakeFirstOrThrow();
  }

  /** The application's record: its latest confirmed check at submission (none: not made for someone else, or not yet submitted). */
  confirmedAtSubmission(applicationId: string): Promise<RepresentationRow | undefined> {
    return this.db
      .selectFrom('application_representations')
      .selectAll()
      .where('application_id', '=', applicationId)
      .where('stage', '=', 'submission')
      .where('outcome', '=', 'confirmed')
      .orderBy('checked_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** Every check made for an application, newest first. */
  checksOf(applicationId: string): Promise<RepresentationRow[]> {
    return this.db
      .selectFrom('application_representations')
      .selectAll()
      .where('application_id', '=', applicationId)
      .orderBy('checked_at', 'desc')
      .execute();
  }
}
