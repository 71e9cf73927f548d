import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // One form definition per service version. Applications keep the version they were made on, so
  // publishing a new version never changes them.
  await sql`create table application_forms (
    service_id uuid not null references services(id),
    version integer not null check (version > 0),
    definition jsonb not null,
    author text not null,
    published_at timestamptz not null default now(),
    primary key (service_id, version)
  )`.execute(db);

  // An application: a draft until submitted (no reference yet), then a case an agency works on.
  await sql`create table applications (
    id uuid primary key default gen_random_uuid(),
    reference text unique check (reference ~ '^PJ-[A-HJ-NPR-Y2-9]{4}-[A-HJ-NPR-Y2-9]{4}$'),
    service_id uuid not null,
    form_version integer not null,
    agency_id text not null references agencies(id),
    citizen_id uuid not null references citizens(id),
    status text not null check (status in ('draft', 'submitted', 'in-review', 'info-requested', 'resubmitted', 'approved', 'rejected')),
    answers jsonb not null default '{}',
    submission_token text not null unique,
    lang text not null default 'fa' check (lang in ('fa', 'en')),
    assigned_to uuid references staff(id),
    decided_by uuid references staff(id),
    submitted_at timestamptz,
    due_at timestamptz,
    decided_at timestamptz,
    decision_reason text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    foreign key (service_id, form_version) references application_forms (service_id, version)
  )`.execute(db);
  await sql`create unique index applications_one_draft_idx on applications (citizen_id, service_id) where status = 'draft'`.execute(db);
  await sql`create index applications_citizen_idx on applications (citizen_id, created_at desc)`.execute(db);
  await sql`create index applications_queue_idx on applications (agency_id, status, submitted_at)`.execute(db);
  await sql`create index applications_due_idx on applications (agency_id, due_at) where status not in ('draft', 'approved', 'rejected')`.execute(
    db,
  );
  await sql`create index applications_service_idx on applications (service_id, status)`.execute(db);

  // Uploaded files: content lives in the file storage under storage_key; the name is for display only.
  await sql`create table application_files (
    id uuid primary key default gen_random_uuid(),
    application_id uuid not null references applications(id) on delete cascade,
    field text not null,
    original_name text not null,
    content_type text not null,
    size_bytes integer not null check (size_bytes > 0),
    sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    storage_key text not null unique,
    uploaded_by text not null,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index application_files_app_idx on application_files (application_id)`.execute(db);

  // Every status change and message, in order: the timeline, and the durable event feed other parts
  // (result documents, webhooks) read by id.
  await sql`create table application_events (
    id bigint generated always as identity primary key,
    application_id uuid not null references applications(id) on delete cascade,
    type text not null,
    from_status text,
    to_status text,
    actor text not null,
    data jsonb not null default '{}',
    at timestamptz not null default now()
  )`.execute(db);
  await sql`create index application_events_app_idx on application_events (application_id, id)`.execute(db);

  // The citizen's e-box: status changes and agency messages, with sent/read times and replies.
  await sql`create table ebox_messages (
    id uuid primary key default gen_random_uuid(),
    citizen_id uuid not null references citizens(id),
    application_id uuid references applications(id) on delete cascade,
    agency_id text references agencies(id),
    sender text not null check (sender in ('agency', 'citizen', 'platform')),
    kind text not null check (kind in ('status', 'message', 'info-request', 'reply')),
    subject jsonb not null,
    body jsonb not null,
    file_ids jsonb not null default '[]',
    in_reply_to uuid references ebox_messages(id),
    sent_at timestamptz not null default now(),
    read_at timestamptz
  )`.execute(db);
  await sql`create index ebox_citizen_idx on ebox_messages (citizen_id, sent_at desc)`.execute(db);
  await sql`create index ebox_app_idx on ebox_messages (application_id, sent_at)`.execute(db);

  // Notifications to send, written in the same transaction as the change they announce.
  await sql`create table notification_outbox (
    id bigint generated always as identity primary key,
    dedupe_key text not null unique,
    channel text not null check (channel in ('sms', 'email')),
    recipient text not null,
    subject text not null default '',
    body text not null,
    status text not null default 'pending' check (status in ('pending', 'sent', 'dead')),
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error text,
    created_at timestamptz not null default now(),
    sent_at timestamptz
  )`.execute(db);
  await sql`create index notification_outbox_due_idx on notification_outbox (next_attempt_at) where status = 'pending'`.execute(db);

  // Satisfaction after a decision (raw data kept for SDG 16.6.2: share with rating >= 4).
  await sql`create table application_ratings (
    application_id uuid primary key references applications(id) on delete cascade,
    service_id uuid not null,
    agency_id text not null,
    score smallint not null check (score between 1 and 5),
    comment text not null default '' check (length(comment) <= 2000),
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index application_ratings_service_idx on application_ratings (service_id)`.execute(db);
  await sql`create index application_ratings_agency_idx on application_ratings (agency_id)`.execute(db);
}
