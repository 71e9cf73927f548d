import { sql, type Kysely } from 'kysely';

// Acting for others (src/modules/representation/): every check that the applicant may apply for the
// person a form's "actingFor" field names, made through the exchange with the civil registry, when the
// page is saved and again at submission, with its outcome. The confirmed check at submission is the
// application's record of who applied, for whom and in what relation.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table application_representations (
    id uuid primary key default gen_random_uuid(),
    application_id uuid not null references applications(id) on delete cascade,
    citizen_id uuid not null references citizens(id),
    applicant_national_id text not null,
    subject_national_id text not null,
    declared_relation text not null,
    stage text not null check (stage in ('page', 'submission')),
    outcome text not null check (outcome in ('confirmed', 'not-related', 'adult', 'unavailable')),
    relation text check (relation in ('child', 'ward')),
    subject_name jsonb,
    subject_birth_date text,
    exchange_service text not null,
    exchange_request_id text,
    purpose text not null,
    checked_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index application_representations_application on application_representations (application_id, checked_at desc)`.execute(
    db,
  );
}
