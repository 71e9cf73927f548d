import { sql, type Kysely } from 'kysely';

// One-time staff links with one purpose each: an invitation (set up a new account), a password reset
// (a password only) and an authenticator replacement (after an administrator's reset). Before this, one
// token column on staff served both the invitation and the reset, so a reset link opened the setup
// route and issued a new authenticator key. Each link is used once (used_at, set atomically).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table staff_tokens (
    token_hash text primary key,
    staff_id uuid not null references staff(id) on delete cascade,
    purpose text not null check (purpose in ('invitation', 'password-reset', 'authenticator')),
    expires_at timestamptz not null,
    used_at timestamptz,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index staff_tokens_staff on staff_tokens (staff_id, purpose)`.execute(db);
  // Outstanding links keep working for what they were: a set-up account's token was a reset.
  await sql`insert into staff_tokens (token_hash, staff_id, purpose, expires_at)
    select setup_token_hash, id, case when totp_enabled then 'password-reset' else 'invitation' end, setup_expires_at
    from staff where setup_token_hash is not null and setup_expires_at is not null`.execute(db);
  await sql`alter table staff drop column setup_token_hash, drop column setup_expires_at`.execute(db);
}
