// All SQL of the representation module (Kysely): the checks that an applicant may apply for the person
// a form names (table application_representations, migration 0021), and the grants a company's
// signatory makes to colleagues (company_grants, migration 0025).
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { ApplicationRepresentationTable, CompanyGrantTable, Database, LocalText } from '../../db/schema.ts';

export type RepresentationRow = Selectable<ApplicationRepresentationTable>;
export type NewRepresentation = Insertable<ApplicationRepresentationTable>;
export type GrantRow = Selectable<CompanyGrantTable>;

export class RepresentationRepository {
  constructor(readonly db: Kysely<Database>) {}

  transaction<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  insert(tx: Transaction<Database>, row: NewRepresentation): Promise<RepresentationRow> {
    return tx.insertInto('application_representations').values(row).returningAll().executeTakeFirstOrThrow();
  }

  /** The application's record: its latest confirmed check at submission (none: not made for someone else, or not yet submitted). */
  confirmedAtSubmission(
    applicationId: string,
    db: Kysely<Database> | Transaction<Database> = this.db,
  ): Promise<RepresentationRow | undefined> {
    return db
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

  /** The service an application is for: its slug and categories (the scope of grants and powers of attorney). */
  serviceOf(
    serviceId: string,
    db: Kysely<Database> | Transaction<Database> = this.db,
  ): Promise<{ slug: string; categories: string[]; name: LocalText } | undefined> {
    return db.selectFrom('services').select(['slug', 'categories', 'name']).where('id', '=', serviceId).executeTakeFirst();
  }

  /** Services whose form lets a company's representative apply for the company (what a grant can name). */
  async companyServices(): Promise<{ slug: string; name: LocalText }[]> {
    const rows = await this.db
      .selectFrom('application_forms')
      .innerJoin('services', 'services.id', 'application_forms.service_id')
      .select(['services.slug', 'services.name'])
      .where(sql<string>`application_forms.definition->'actingFor'->>'relation'`, '=', 'company-representative')
      .distinct()
      .orderBy('services.slug')
      .execute();
    return rows;
  }

  insertGrant(tx: Transaction<Database>, row: Insertable<CompanyGrantTable>): Promise<GrantRow> {
    return tx.insertInto('company_grants').values(row).returningAll().executeTakeFirstOrThrow();
  }

  /** Ends a grant its maker made (null: no such grant of theirs still in force). */
  revokeGrant(tx: Transaction<Database>, id: string, citizenId: string, at: Date): Promise<GrantRow | undefined> {
    return tx
      .updateTable('company_grants')
      .set({ revoked_at: at, revoked_by: citizenId })
      .where('id', '=', id)
      .where('granted_by', '=', citizenId)
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
  }

  /** A grant still in force, whoever made it. */
  grantInForce(id: string): Promise<GrantRow | undefined> {
    return this.db.selectFrom('company_grants').selectAll().where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  }

  /** Ends a grant of this company, by any of its current signatories (checked with the registry by the caller). */
  revokeCompanyGrant(tx: Transaction<Database>, id: string, legalId: string, citizenId: string, at: Date): Promise<GrantRow | undefined> {
    return tx
      .updateTable('company_grants')
      .set({ revoked_at: at, revoked_by: citizenId })
      .where('id', '=', id)
      .where('company_legal_id', '=', legalId)
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
  }

  /** The grants in force of these companies (what their signatories may end). */
  grantsOfCompanies(legalIds: string[]): Promise<GrantRow[]> {
    if (!legalIds.length) return Promise.resolve([]);
    return this.db
      .selectFrom('company_grants')
      .selectAll()
      .where('company_legal_id', 'in', legalIds)
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'desc')
      .execute();
  }

  grantsMadeBy(citizenId: string): Promise<GrantRow[]> {
    return this.db
      .selectFrom('company_grants')
      .selectAll()
      .where('granted_by', '=', citizenId)
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'desc')
      .execute();
  }

  /** Grants in force to this person (optionally for one company). */
  grantsTo(nationalId: string, legalId?: string): Promise<GrantRow[]> {
    let q = this.db.selectFrom('company_grants').selectAll().where('grantee_national_id', '=', nationalId).where('revoked_at', 'is', null);
    if (legalId) q = q.where('company_legal_id', '=', legalId);
    return q.orderBy('created_at', 'desc').execute();
  }

  /** Citizens with a Panjereh account among these national IDs (the people to tell), who can be texted. */
  accountsOf(tx: Transaction<Database>, nationalIds: string[]) {
    if (!nationalIds.length) return Promise.resolve([]);
    return tx
      .selectFrom('citizens')
      .select(['id', 'national_id', 'mobile'])
      .where('national_id', 'in', nationalIds)
      .where('contactable', '=', true)
      .execute();
  }

  /** Applications made for this person as a principal (an attorney's confirmed check at submission), newest first. */
  madeFor(nationalId: string, limit = 100): Promise<RepresentationRow[]> {
    return this.db
      .selectFrom('application_representations')
      .selectAll()
      .where('subject_national_id', '=', nationalId)
      .where('stage', '=', 'submission')
      .where('outcome', '=', 'confirmed')
      .where('declared_relation', '=', 'attorney')
      .orderBy('checked_at', 'desc')
      .limit(limit)
      .execute();
  }

  /** Records a principal's objection (null: they had already objected to this application). */
  insertObjection(
    tx: Transaction<Database>,
    row: { application_id: string; citizen_id: string; national_id: string; reason: string },
  ): Promise<{ id: string } | undefined> {
    return tx
      .insertInto('representation_objections')
      .values(row)
      .onConflict((oc) => oc.columns(['application_id', 'citizen_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
  }

  /** The applications (of these) this citizen has objected to. */
  async objectedBy(citizenId: string, applicationIds: string[]): Promise<Set<string>> {
    if (!applicationIds.length) return new Set();
    const rows = await this.db
      .selectFrom('representation_objections')
      .select('application_id')
      .where('citizen_id', '=', citizenId)
      .where('application_id', 'in', applicationIds)
      .execute();
    return new Set(rows.map((r) => r.application_id));
  }
}
