import { sql, type Kysely } from 'kysely';

// Payments (issue 13): where an agency's money goes (treasury accounts), each payment attempt and its
// state, the append-only ledger every balance is derived from, bills (شناسه قبض / شناسه پرداخت), the
// banks that may call the P2G bill API, refunds and the daily reconciliation with the gateway.
export async function up(db: Kysely<any>): Promise<void> {
  // A new agency staff role: the finance officer (refunds, reconciliation, payment reports).
  await sql`alter table staff drop constraint staff_role_check`.execute(db);
  await sql`alter table staff add constraint staff_role_check check (role in ('platform-admin', 'oversight-analyst', 'agency-admin', 'service-editor', 'operator', 'finance-officer'))`.execute(
    db,
  );

  // One account per agency (service_id null) and optionally one per service; IBAN checked in code (mod 97).
  await sql`create table treasury_accounts (
    id uuid primary key default gen_random_uuid(),
    agency_id text not null references agencies(id),
    service_id uuid references services(id),
    iban text not null check (iban ~ '^IR[0-9]{24}$'),
    holder jsonb not null default '{}',
    bill_company_code text not null default '101' check (bill_company_code ~ '^[0-9]{3}$'),
    created_by text not null,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create unique index treasury_accounts_scope on treasury_accounts (agency_id, coalesce(service_id, '00000000-0000-0000-0000-000000000000'::uuid))`.execute(
    db,
  );

  await sql`create sequence payment_order_ids start 100000001`.execute(db);
  await sql`create table payments (
    id uuid primary key default gen_random_uuid(),
    order_id bigint not null unique default nextval('payment_order_ids'),
    application_id uuid not null references applications(id) on delete restrict,
    agency_id text not null references agencies(id),
    service_id uuid not null references services(id),
    citizen_id uuid not null references citizens(id),
    channel text not null check (channel in ('card', 'bill')),
    gateway text not null,
    amount bigint not null check (amount > 0),
    iban text not null,
    status text not null check (status in ('created', 'started', 'submitted', 'success', 'failed', 'cancelled', 'error')),
    token text unique,
    reference text,
    trace text,
    card_mask text,
    failure text,
    duplicate boolean not null default false,
    settled_at timestamptz,
    verified_at timestamptz,
    refunded_amount bigint not null default 0 check (refunded_amount >= 0 and refunded_amount <= amount),
    inquiries int not null default 0,
    receipt_code text,
    receipt_url text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index payments_application on payments (application_id, created_at)`.execute(db);
  await sql`create index payments_pending on payments (updated_at) where status in ('created', 'started', 'submitted')`.execute(db);
  await sql`create unique index payments_reference on payments (gateway, reference) where reference is not null`.execute(db);

  // The first successful payment of an application; a later one finds this row and is refunded.
  await sql`create table paid_applications (
    application_id uuid primary key references applications(id) on delete restrict,
    payment_id uuid not null unique references payments(id),
    paid_at timestamptz not null default now()
  )`.execute(db);

  // Append-only: attempts, confirmations, reversals, refunds. amount is signed (what it adds to the
  // money the agency holds for the application): confirmation +, refund -, the others 0.
  await sql`create table payment_ledger (
    id bigserial primary key,
    payment_id uuid not null references payments(id),
    application_id uuid not null,
    agency_id text not null,
    service_id uuid not null,
    channel text not null,
    kind text not null check (kind in ('attempt', 'confirmation', 'failure', 'reversal', 'refund')),
    amount bigint not null,
    reference text,
    actor text not null,
    detail jsonb not null default '{}',
    at timestamptz not null default now()
  )`.execute(db);
  await sql`create index payment_ledger_payment on payment_ledger (payment_id)`.execute(db);
  await sql`create index payment_ledger_day on payment_ledger (agency_id, at)`.execute(db);
  await sql`create function payment_ledger_append_only() returns trigger language plpgsql as $$
    begin raise exception 'payment_ledger is append-only'; end $$`.execute(db);
  await sql`create trigger payment_ledger_no_change before update or delete on payment_ledger for each row execute function payment_ledger_append_only()`.execute(
    db,
  );

  await sql`create sequence bill_serials start 1000`.execute(db);
  await sql`create table bills (
    id uuid primary key default gen_random_uuid(),
    application_id uuid not null unique references applications(id) on delete restrict,
    agency_id text not null references agencies(id),
    bill_id text not null unique check (bill_id ~ '^[0-9]{6,13}$'),
    payment_id text not null check (payment_id ~ '^[0-9]{6,13}$'),
    amount bigint not null check (amount > 0),
    status text not null default 'open' check (status in ('open', 'paid', 'cancelled')),
    paid_payment uuid references payments(id),
    bank text,
    bank_reference text,
    created_at timestamptz not null default now(),
    paid_at timestamptz
  )`.execute(db);

  // Banks allowed to call /api/p2g/v1 (bill inquiry and payment notification), with a hashed API key.
  await sql`create table p2g_banks (
    id uuid primary key default gen_random_uuid(),
    code text not null unique check (code ~ '^[A-Z0-9-]{2,20}$'),
    name jsonb not null default '{}',
    key_hash text not null unique,
    key_prefix text not null,
    created_by text not null,
    created_at timestamptz not null default now(),
    revoked_at timestamptz
  )`.execute(db);

  await sql`create table payment_refunds (
    id uuid primary key default gen_random_uuid(),
    payment_id uuid not null references payments(id),
    amount bigint not null check (amount > 0),
    reason text not null check (reason in ('duplicate', 'rejection', 'officer')),
    note text,
    requested_by text not null,
    status text not null default 'pending' check (status in ('pending', 'done', 'failed')),
    gateway_reference text,
    attempts int not null default 0,
    created_at timestamptz not null default now(),
    done_at timestamptz
  )`.execute(db);
  await sql`create unique index payment_refunds_one_automatic on payment_refunds (payment_id) where reason in ('duplicate', 'rejection')`.execute(
    db,
  );

  // One row per gateway and day compared; mismatches are listed, never fixed here.
  await sql`create table payment_reconciliations (
    id uuid primary key default gen_random_uuid(),
    gateway text not null,
    day date not null,
    matched int not null,
    mismatches jsonb not null default '[]',
    run_at timestamptz not null default now(),
    unique (gateway, day)
  )`.execute(db);
}
