import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // The agency API lists an agency's applications changed since a time, in that order (keyset paging).
  await sql`create index applications_agency_updated_idx on applications (agency_id, updated_at, id) where status <> 'draft'`.execute(db);
  // The draft clean-up job finds abandoned drafts by their last change.
  await sql`create index applications_draft_updated_idx on applications (updated_at) where status = 'draft'`.execute(db);
  // The document sweeper looks at approvals' document requests only.
  await sql`create index application_events_doc_requested_idx on application_events (id) where type = 'document.requested'`.execute(db);
  // One result document per approval's request, whichever node issues it.
  await sql`create unique index application_events_doc_issued_once_idx on application_events (application_id, (data->>'requestId')) where type = 'document.issued' and data ? 'requestId'`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists application_events_doc_issued_once_idx`.execute(db);
  await sql`drop index if exists application_events_doc_requested_idx`.execute(db);
  await sql`drop index if exists applications_draft_updated_idx`.execute(db);
  await sql`drop index if exists applications_agency_updated_idx`.execute(db);
}
