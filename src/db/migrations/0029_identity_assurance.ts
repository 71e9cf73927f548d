import { sql, type Kysely } from 'kysely';

// Identity assurance per service (issue 14): a service declares the level of sign-in it needs (low: mobile
// and SMS code; substantial: plus a check of the citizen's particulars against the civil registry; high:
// in person at a counter office), a citizen session carries the level it reached, and every check against
// the civil registry is recorded (for the rate limit on failed matches and for the citizen's record).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table services add column assurance text not null default 'low' check (assurance in ('low', 'substantial', 'high'))`.execute(
    db,
  );
  await sql`alter table sessions add column assurance text not null default 'low' check (assurance in ('low', 'substantial', 'high'))`.execute(
    db,
  );
  await sql`alter table sessions add column assurance_at timestamptz`.execute(db);
  await sql`create table assurance_checks (
    id uuid primary key default gen_random_uuid(),
    citizen_id uuid not null references citizens(id) on delete cascade,
    session_id uuid not null references sessions(id) on delete cascade,
    outcome text not null check (outcome in ('matched', 'mismatch', 'not-found', 'unavailable', 'replayed')),
    exchange_request_id text,
    ip_hash text,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index assurance_checks_citizen on assurance_checks (citizen_id, created_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table assurance_checks`.execute(db);
  await sql`alter table sessions drop column assurance_at`.execute(db);
  await sql`alter table sessions drop column assurance`.execute(db);
  await sql`alter table services drop column assurance`.execute(db);
}
