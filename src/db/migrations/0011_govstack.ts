import { sql, type Kysely } from 'kysely';

// The GovStack Registration building block API (src/modules/govstack) maps GovStack's words onto the
// applications model: services and forms are services and application_forms, an "application file" is an
// application. These tables hold only what GovStack has and the model lacks: the ids GovStack clients use,
// their metadata, documents uploaded before an application exists, and workflow tasks.
export async function up(db: Kysely<any>): Promise<void> {
  // A person record made for a GovStack applicant Panjereh does not know has no mobile number of theirs:
  // nothing may be sent to it (the e-box still gets every message).
  await sql`alter table citizens add column contactable boolean not null default true`.execute(db);

  // A GovStack applicantId that is not a Panjereh citizen id or national ID: the person record made for it.
  await sql`create table govstack_applicants (
    applicant_id text primary key check (length(applicant_id) between 1 and 200),
    citizen_id uuid not null unique references citizens(id),
    created_at timestamptz not null default now()
  )`.execute(db);

  // An eForm id a GovStack client knows, for a service's form version (ids of native forms are derived).
  await sql`create table govstack_eforms (
    eform_id text not null check (length(eform_id) between 1 and 200),
    service_id uuid not null references services(id),
    form_version integer not null,
    name text not null,
    description text not null default '',
    primary key (eform_id, service_id),
    foreign key (service_id, form_version) references application_forms (service_id, version)
  )`.execute(db);

  // The GovStack side of an application ("application file"): its fileId and what the client sent.
  await sql`create table govstack_files (
    file_id text primary key check (length(file_id) between 1 and 200),
    application_id uuid not null unique references applications(id) on delete cascade,
    applicant_id text not null,
    application_name text,
    client_created_at timestamptz,
    eform_id text,
    document_urls jsonb not null default '[]',
    operator_data jsonb,
    operator_eform_id text,
    description text,
    main_task_id text,
    task_title text,
    role_id text,
    role_name text,
    assignee_id text,
    operator_name text,
    client text,
    updated_at timestamptz not null default now()
  )`.execute(db);

  // Documents uploaded through POST /documents, before (or without) an application; attached to one
  // application when a submission lists its URL (then also an application_files row).
  await sql`create table govstack_documents (
    id uuid primary key default gen_random_uuid(),
    original_name text not null,
    content_type text not null,
    size_bytes integer not null check (size_bytes > 0),
    sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
    storage_key text not null unique,
    metadata text,
    agency_id text references agencies(id),
    uploaded_by text not null,
    application_id uuid references applications(id) on delete set null,
    created_at timestamptz not null default now()
  )`.execute(db);

  // Workflow user tasks: one per application submitted (the agency's review), plus tasks loaded from
  // GovStack data. The status of a task of an application follows the application.
  await sql`create table govstack_tasks (
    task_id text primary key check (length(task_id) between 1 and 200),
    main_task_id text,
    task_name text,
    name text,
    description text,
    application_id uuid references applications(id) on delete cascade,
    agency_id text references agencies(id),
    file_id text,
    service_id text,
    service_name text,
    eform_id text,
    role_id text,
    assignee_id text,
    status text not null default 'PENDING' check (status in ('PENDING', 'APPROVED', 'SENDBACK', 'REJECTED')),
    form_variables jsonb not null default '{}',
    data jsonb not null default '{}',
    created_at timestamptz not null default now(),
    completed_at timestamptz,
    completed_by text
  )`.execute(db);
  await sql`create unique index govstack_tasks_app_idx on govstack_tasks (application_id) where application_id is not null`.execute(db);
  await sql`create index govstack_tasks_file_idx on govstack_tasks (file_id)`.execute(db);
}
