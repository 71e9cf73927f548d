import { sql, type Kysely } from 'kysely';

// The audit log's signed batches (like the exchange's message log): every few seconds the entries not
// yet covered are signed with the platform's audit key, naming the range, the count, the chain head and
// a short hash of every entry, so a removed tail or a rewritten and re-chained entry is named by verify.
// The key pair is kept like the other platform keys: the private half sealed under SESSION_SECRET.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table platform_keys (
    id text primary key,
    purpose text not null,
    public_pem text not null,
    private_sealed text not null,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create table audit_log_batches (
    id bigint primary key,
    from_seq bigint not null,
    to_seq bigint not null,
    count integer not null,
    last_hash text not null,
    digests text not null,
    signed_at timestamptz not null,
    key_id text not null references platform_keys(id),
    signature text not null
  )`.execute(db);
}
