import { sql, type Kysely } from 'kysely';

// Acting for others (issue 14): a person an application was made for (the principal of a power of
// attorney) objects to it from their own account: one objection per person and application, with the
// reason, shown on the application's timeline to the agency.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table representation_objections (
    id uuid primary key default gen_random_uuid(),
    application_id uuid not null references applications(id) on delete cascade,
    citizen_id uuid not null references citizens(id),
    national_id text not null,
    reason text not null check (length(reason) between 1 and 2000),
    created_at timestamptz not null default now(),
    unique (application_id, citizen_id)
  )`.execute(db);
  await sql`create index application_representations_subject on application_representations (subject_national_id) where stage = 'submission' and outcome = 'confirmed'`.execute(
    db,
  );
}
