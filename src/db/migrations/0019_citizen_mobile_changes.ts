import { sql, type Kysely } from 'kysely';

// Every change of a citizen's mobile number at sign-in (the ownership check of the new number
// decided it): who, from which number to which, when and from which address (a keyed hash). The old
// number is told by SMS in the same transaction (notification_outbox), so a hijack does not go unseen.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table citizen_mobile_changes (
    id bigint generated always as identity primary key,
    citizen_id uuid not null references citizens(id) on delete cascade,
    old_mobile text not null,
    new_mobile text not null,
    ip_hash text,
    changed_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index citizen_mobile_changes_citizen_idx on citizen_mobile_changes (citizen_id, changed_at)`.execute(db);
}
