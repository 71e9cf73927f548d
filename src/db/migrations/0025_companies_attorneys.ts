import { sql, type Kysely } from 'kysely';

// Acting for others, second slice (src/modules/representation/): a company's signatory applies for the
// company, a colleague applies under a grant a signatory made (company_grants: named services, revocable),
// an attorney applies under a power of attorney from the notary registry. The checks' table takes the
// new outcomes and relations, and whom to tell that someone applied on their behalf.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table application_representations drop constraint application_representations_outcome_check`.execute(db);
  await sql`alter table application_representations add constraint application_representations_outcome_check check (outcome in
    ('confirmed', 'not-related', 'adult', 'unavailable', 'invalid-id', 'not-signatory', 'role-revoked', 'no-power', 'out-of-scope', 'expired'))`.execute(
    db,
  );
  await sql`alter table application_representations drop constraint application_representations_relation_check`.execute(db);
  await sql`alter table application_representations add constraint application_representations_relation_check check (relation in
    ('child', 'ward', 'signatory', 'grant', 'attorney'))`.execute(db);
  // whom to tell, once the application is submitted, that someone applied on their behalf (national IDs)
  await sql`alter table application_representations add column notify jsonb`.execute(db);
  await sql`create table company_grants (
    id uuid primary key default gen_random_uuid(),
    company_legal_id text not null,
    company_name jsonb not null,
    granted_by uuid not null references citizens(id),
    granted_by_national_id text not null,
    grantee_national_id text not null,
    services jsonb not null,
    created_at timestamptz not null default now(),
    revoked_at timestamptz,
    revoked_by uuid references citizens(id)
  )`.execute(db);
  await sql`create index company_grants_grantee on company_grants (grantee_national_id) where revoked_at is null`.execute(db);
  await sql`create index company_grants_granter on company_grants (granted_by, created_at desc)`.execute(db);
}
