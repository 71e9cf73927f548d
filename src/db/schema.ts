// Table types for Kysely. A module owns its tables; only its repository touches them.
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** Text in the languages a record has: fa and en, and fr for Canada's bilingual catalogue. */
export interface LocalText {
  fa?: string;
  en?: string;
  fr?: string;
}

export interface Channel {
  type: 'window' | 'online' | 'mobile-app' | 'in-person' | 'phone';
  url?: string;
  phone?: string;
  name?: LocalText;
  where?: LocalText;
}

export interface Fee {
  /** Iranian rials for domestic services; null when the source says only that a fee applies. */
  amount: number | null;
  currency?: string;
  description: LocalText;
}

export interface AgencyContact {
  phone?: string;
  email?: string;
  address?: LocalText;
}

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface AgencyTable {
  id: string;
  name: JSONColumnType<LocalText>;
  parent_ministry: JSONColumnType<LocalText | null>;
  website: string | null;
  contact: JSONColumnType<AgencyContact>;
  connected: boolean;
  connected_since: string | null;
  source: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ServiceTable {
  id: Generated<string>;
  slug: string;
  source: string;
  source_key: string;
  agency_id: string;
  name: JSONColumnType<LocalText>;
  summary: JSONColumnType<LocalText>;
  description: JSONColumnType<LocalText>;
  categories: string[];
  life_events: string[];
  audience: string[];
  channels: JSONColumnType<Channel[]>;
  maturity: number;
  fees: JSONColumnType<Fee[]>;
  processing_days: number | null;
  processing_time: JSONColumnType<LocalText>;
  documents: JSONColumnType<LocalText[]>;
  eligibility: JSONColumnType<LocalText>;
  legal_basis: JSONColumnType<LocalText>;
  extra: JSONColumnType<Record<string, unknown>>;
  status: 'draft' | 'published' | 'retired';
  /** The identity assurance a citizen's sign-in needs to use the service online (0029). */
  assurance: Generated<'low' | 'substantial' | 'high'>;
  version: ColumnType<number, number | undefined, unknown>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ServiceVersionTable {
  service_id: string;
  version: number;
  snapshot: JSONColumnType<Record<string, unknown>>;
  author: string;
  changed_at: Timestamp;
}

export interface SearchSynonymTable {
  id: Generated<string>;
  term: string;
  expansions: string[];
  author: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface SearchQueryCountTable {
  day: string;
  lang: string;
  query: string;
  searches: number;
  zero_results: number;
}

export interface CatalogStateTable {
  id: number;
  revision: ColumnType<number, number, number>;
}

export interface UnCountryTable {
  iso3: string;
  name_en: string;
  name_fa: string;
  region: string;
}

export interface UnEgovScoreTable {
  iso3: string;
  year: number;
  egdi: number | null;
  osi: number | null;
  hci: number | null;
  tii: number | null;
  epi: number | null;
  rank: number | null;
}

export interface CitizenTable {
  id: Generated<string>;
  national_id: string;
  mobile: string;
  created_at: Generated<Date>;
  last_sign_in_at: Date | null;
  /** False for person records made for GovStack applicants without contact details: no SMS or email. */
  contactable: Generated<boolean>;
}

/** A change of a citizen's mobile number at sign-in (the old number was told by SMS). */
export interface CitizenMobileChangeTable {
  id: Generated<number>;
  citizen_id: string;
  old_mobile: string;
  new_mobile: string;
  ip_hash: string | null;
  changed_at: Generated<Date>;
}

export interface SignInChallengeTable {
  id: Generated<string>;
  national_id: string;
  mobile: string;
  ip_hash: string;
  code_hash: string;
  attempts: Generated<number>;
  created_at: Generated<Date>;
  expires_at: Date;
  consumed_at: Date | null;
}

export interface SessionTable {
  id: Generated<string>;
  token_hash: string;
  citizen_id: string;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Date;
  revoked_at: Date | null;
  user_agent: string | null;
  ip_hash: string | null;
  /** The identity assurance the session reached (0029): low after the SMS code, substantial after a civil-registry check. */
  assurance: Generated<'low' | 'substantial' | 'high'>;
  assurance_at: Date | null;
}

export interface AuditLogTable {
  seq: Generated<number>;
  at: ColumnType<Date, string, never>;
  actor: string;
  action: string;
  subject: string | null;
  ip_hash: string | null;
  detail: JSONColumnType<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
}

/** One signed batch of the audit log: entries from_seq..to_seq, `count` of them, `digests` "seq:hash16,...". */
export interface AuditLogBatchTable {
  id: number;
  from_seq: number;
  to_seq: number;
  count: number;
  last_hash: string;
  digests: string;
  signed_at: Date;
  key_id: string;
  signature: string;
}

/** Platform key pairs (the audit log's signing key); the private key sealed under SESSION_SECRET. */
export interface PlatformKeyTable {
  id: string;
  purpose: string;
  public_pem: string;
  private_sealed: string;
  created_at: Generated<Date>;
}

export type StaffRole =
  | 'platform-admin'
  | 'oversight-analyst'
  | 'agency-admin'
  | 'service-editor'
  | 'operator'
  | 'finance-officer'
  | 'participation-editor'
  /** works at one counter office (counter_operators), never for an agency */
  | 'counter-operator';

export interface StaffTable {
  id: Generated<string>;
  email: string;
  name: Generated<string>;
  role: StaffRole;
  agency_id: string | null;
  password_hash: string | null;
  totp_secret: string | null;
  totp_enabled: Generated<boolean>;
  totp_last_step: Generated<number>;
  recovery_codes: ColumnType<string[], string | undefined, string>;
  failed_attempts: Generated<number>;
  locked_until: Date | null;
  created_at: Generated<Date>;
  deactivated_at: Date | null;
}

export type StaffTokenPurpose = 'invitation' | 'password-reset' | 'authenticator';

export interface StaffTokenTable {
  token_hash: string;
  staff_id: string;
  purpose: StaffTokenPurpose;
  expires_at: Date;
  used_at: Date | null;
  created_at: Generated<Date>;
}

export interface StaffSessionTable {
  id: Generated<string>;
  token_hash: string;
  staff_id: string;
  mfa_passed: Generated<boolean>;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Date;
  revoked_at: Date | null;
}

export interface OidcClientTable {
  client_id: string;
  name: string;
  metadata: JSONColumnType<Record<string, unknown>>;
  secret_sealed: string;
  created_at: Generated<Date>;
}

export interface OidcKeyTable {
  kid: string;
  private_jwk_sealed: string;
  created_at: Generated<Date>;
  retired_at: Date | null;
}

export interface OidcPayloadTable {
  model: string;
  id: string;
  payload: JSONColumnType<Record<string, unknown>>;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  expires_at: Date | null;
  consumed_at: Date | null;
}

export interface DocumentKeyTable {
  kid: string;
  public_jwk: JSONColumnType<Record<string, unknown>>;
  private_sealed: string;
  created_at: Generated<Date>;
  retired_at: Date | null;
}

export interface DocumentTable {
  id: Generated<string>;
  code: string;
  agency_id: string;
  service_id: string | null;
  application_ref: string | null;
  kind: 'certificate' | 'licence' | 'letter';
  lang: 'fa' | 'en';
  title: string;
  holder_name: string;
  fields: JSONColumnType<{ label: string; value: string }[]>;
  issued_at: Date;
  sha256: string;
  kid: string;
  signature: string;
  pdf: Buffer;
  download_token_hash: string;
  status: Generated<'valid' | 'revoked'>;
  revoked_at: Date | null;
  revoke_reason: string | null;
  created_at: Generated<Date>;
}

export interface AgencyApiKeyTable {
  id: Generated<string>;
  agency_id: string;
  name: string;
  prefix: string;
  secret_hash: string;
  scopes: string[];
  created_by: string;
  created_at: Generated<Date>;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface WebhookEndpointTable {
  id: Generated<string>;
  agency_id: string;
  url: string;
  events: string[];
  secret_sealed: string;
  created_by: string;
  created_at: Generated<Date>;
  disabled_at: Date | null;
}

export interface WebhookDeliveryTable {
  id: Generated<string>;
  endpoint_id: string;
  agency_id: string;
  event: string;
  payload: JSONColumnType<Record<string, unknown>>;
  status: Generated<'pending' | 'delivered' | 'dead'>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Generated<Date>;
  delivered_at: Date | null;
}

export interface WebhookAttemptTable {
  id: Generated<string>;
  delivery_id: string;
  attempt: number;
  at: Generated<Date>;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  response_excerpt: string | null;
}

export type ApplicationStatus = 'draft' | 'submitted' | 'in-review' | 'info-requested' | 'resubmitted' | 'approved' | 'rejected';

export interface ApplicationFormTable {
  service_id: string;
  version: number;
  definition: JSONColumnType<Record<string, unknown>>;
  author: string;
  published_at: Generated<Date>;
}

export interface ApplicationTable {
  id: Generated<string>;
  reference: string | null;
  service_id: string;
  form_version: number;
  agency_id: string;
  citizen_id: string;
  status: ApplicationStatus;
  answers: JSONColumnType<Record<string, unknown>>;
  submission_token: string;
  lang: 'fa' | 'en';
  assigned_to: string | null;
  decided_by: string | null;
  submitted_at: Date | null;
  due_at: Date | null;
  decided_at: Date | null;
  decision_reason: string | null;
  /** At submission: fields that declare a prefill source, and how many of them kept the prefilled value. */
  prefill_offered: number | null;
  prefill_filled: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** A citizen's yes or no to prefilling an application from a registry, and what came of a yes. */
export interface ApplicationPrefillTable {
  id: Generated<string>;
  application_id: string;
  citizen_id: string;
  source: string;
  exchange_service: string;
  decision: 'accepted' | 'declined';
  outcome: 'filled' | 'not-found' | 'unavailable' | null;
  purpose: string;
  fields_offered: number;
  /** Field name -> SHA-256 of the value the registry gave (to mark it prefilled while unchanged). */
  filled: JSONColumnType<Record<string, string>>;
  exchange_request_id: string | null;
  created_at: Generated<Date>;
}

/** Applications made at a counter (paper or in person) per service and month, recorded by the agency. */
export interface OfflineApplicationCountTable {
  id: Generated<string>;
  agency_id: string;
  service_id: string;
  /** The Gregorian month, YYYY-MM. */
  month: string;
  count: number;
  recorded_by: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** Where the data subject's national ID appears in a request to an exchange service. */
export type SubjectLocation = { in: 'path'; index: number } | { in: 'query'; name: string } | { in: 'json'; field: string };

export interface ExchangeMemberTable {
  id: string;
  member_class: string;
  member_code: string;
  name: JSONColumnType<LocalText>;
  agency_id: string | null;
  created_at: Generated<Date>;
}

export interface ExchangeSubsystemTable {
  id: string;
  member_id: string;
  subsystem_code: string;
  created_at: Generated<Date>;
}

export interface ExchangeServiceTable {
  id: string;
  subsystem_id: string;
  service_code: string;
  title: JSONColumnType<LocalText>;
  upstream_url: string;
  timeout_ms: number;
  openapi: string | null;
  subject_location: JSONColumnType<SubjectLocation | null>;
  log_bodies: boolean;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ApplicationFileTable {
  id: Generated<string>;
  application_id: string;
  field: string;
  original_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  uploaded_by: string;
  created_at: Generated<Date>;
}

export interface ApplicationEventTable {
  id: Generated<number>;
  application_id: string;
  type: string;
  from_status: string | null;
  to_status: string | null;
  actor: string;
  data: JSONColumnType<Record<string, unknown>>;
  at: Generated<Date>;
}

export interface EboxMessageTable {
  id: Generated<string>;
  citizen_id: string;
  application_id: string | null;
  agency_id: string | null;
  sender: 'agency' | 'citizen' | 'platform';
  kind: 'status' | 'message' | 'info-request' | 'reply';
  subject: JSONColumnType<LocalText>;
  body: JSONColumnType<LocalText>;
  file_ids: JSONColumnType<string[]>;
  in_reply_to: string | null;
  sent_at: Generated<Date>;
  read_at: Date | null;
}

export interface NotificationOutboxTable {
  id: Generated<number>;
  dedupe_key: string;
  channel: 'sms' | 'email';
  recipient: string;
  subject: Generated<string>;
  body: string;
  status: Generated<'pending' | 'sent' | 'dead'>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  last_error: string | null;
  created_at: Generated<Date>;
  sent_at: Date | null;
}

export interface ApplicationRatingTable {
  application_id: string;
  service_id: string;
  agency_id: string;
  score: number;
  comment: Generated<string>;
  created_at: Generated<Date>;
}

export interface ExchangeGroupTable {
  code: string;
  description: string;
  created_at: Generated<Date>;
}

export interface ExchangeGroupMemberTable {
  group_code: string;
  subsystem_id: string;
}

export interface ExchangeGrantTable {
  id: Generated<string>;
  service_id: string;
  client_subsystem_id: string | null;
  group_code: string | null;
  method: string;
  path: string;
  created_by: string;
  created_at: Generated<Date>;
}

export interface ExchangeKeyTable {
  id: string;
  kind: string;
  certificate_pem: string | null;
  public_pem: string;
  private_sealed: string;
  created_at: Generated<Date>;
}

export interface ExchangeCertTable {
  serial: string;
  subsystem_id: string;
  fingerprint: string;
  not_after: Date;
  issued_at: Generated<Date>;
  revoked_at: Date | null;
}

export interface ExchangeStateTable {
  id: number;
  revision: number;
}

export interface ExchangeLogTable {
  seq: number;
  at: Date;
  x_road_id: string;
  request_id: string;
  client_id: string | null;
  service_id: string;
  method: string;
  status: number;
  error_type: string | null;
  duration_ms: number;
  request_bytes: number;
  response_bytes: number;
  request_hash: string;
  response_hash: string;
  subject_hash: string | null;
  issue: string | null;
  detail_sealed: string;
  prev_hash: string;
  hash: string;
}

export interface ExchangeLogBatchTable {
  id: number;
  from_seq: number;
  to_seq: number;
  last_hash: string;
  signed_at: Date;
  key_id: string;
  signature: string;
}

export interface PublicHolidayTable {
  day: string;
  name_fa: string;
  name_en: string;
  added_by: string | null;
  created_at: Generated<Date>;
}

export interface GovstackApplicantTable {
  applicant_id: string;
  citizen_id: string;
  created_at: Generated<Date>;
}
export interface GovstackEformTable {
  eform_id: string;
  service_id: string;
  form_version: number;
  name: string;
  description: Generated<string>;
}
export interface GovstackFileTable {
  file_id: string;
  application_id: string;
  applicant_id: string;
  application_name: string | null;
  client_created_at: Date | null;
  eform_id: string | null;
  document_urls: ColumnType<string[], string | undefined, string>;
  operator_data: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  operator_eform_id: string | null;
  description: string | null;
  main_task_id: string | null;
  task_title: string | null;
  role_id: string | null;
  role_name: string | null;
  assignee_id: string | null;
  operator_name: string | null;
  client: string | null;
  updated_at: Generated<Date>;
}
export interface GovstackDocumentTable {
  id: Generated<string>;
  original_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  metadata: string | null;
  agency_id: string | null;
  uploaded_by: string;
  application_id: string | null;
  created_at: Generated<Date>;
}
export type GovstackStatus = 'PENDING' | 'APPROVED' | 'SENDBACK' | 'REJECTED';
export interface GovstackTaskTable {
  task_id: string;
  main_task_id: string | null;
  task_name: string | null;
  name: string | null;
  description: string | null;
  application_id: string | null;
  agency_id: string | null;
  file_id: string | null;
  service_id: string | null;
  service_name: string | null;
  eform_id: string | null;
  role_id: string | null;
  assignee_id: string | null;
  status: ColumnType<GovstackStatus, GovstackStatus | undefined, GovstackStatus>;
  form_variables: ColumnType<Record<string, unknown>, string | undefined, string>;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  completed_at: Date | null;
  completed_by: string | null;
}

/** One UTC day, service and client subsystem ('' when unauthenticated) of the message log, rolled up. */
export interface ExchangeStatsDailyTable {
  day: string;
  service_id: string;
  client_id: string;
  transactions: number;
  errors: number;
  duration_sum: number;
  /** Latency histogram: bucket index (see exchange.rollups.ts) -> count. */
  histogram: Record<string, number>;
}

export interface ExchangeStatsStateTable {
  id: number;
  rolled_seq: number;
  rolled_at: Date | null;
}

export interface Database {
  public_holidays: PublicHolidayTable;
  govstack_applicants: GovstackApplicantTable;
  govstack_eforms: GovstackEformTable;
  govstack_files: GovstackFileTable;
  govstack_documents: GovstackDocumentTable;
  govstack_tasks: GovstackTaskTable;
  agencies: AgencyTable;
  citizen_requests: CitizenRequestTable;
  citizen_request_events: CitizenRequestEventTable;
  citizen_request_files: CitizenRequestFileTable;
  citizen_request_deadlines: CitizenRequestDeadlineTable;
  services: ServiceTable;
  service_versions: ServiceVersionTable;
  catalog_state: CatalogStateTable;
  search_synonyms: SearchSynonymTable;
  search_query_counts: SearchQueryCountTable;
  un_countries: UnCountryTable;
  un_egov_scores: UnEgovScoreTable;
  citizens: CitizenTable;
  citizen_mobile_changes: CitizenMobileChangeTable;
  sign_in_challenges: SignInChallengeTable;
  sessions: SessionTable;
  assurance_checks: AssuranceCheckTable;
  audit_log: AuditLogTable;
  audit_log_batches: AuditLogBatchTable;
  platform_keys: PlatformKeyTable;
  staff: StaffTable;
  staff_sessions: StaffSessionTable;
  staff_tokens: StaffTokenTable;
  oidc_clients: OidcClientTable;
  oidc_keys: OidcKeyTable;
  oidc_payloads: OidcPayloadTable;
  document_keys: DocumentKeyTable;
  documents: DocumentTable;
  agency_api_keys: AgencyApiKeyTable;
  webhook_endpoints: WebhookEndpointTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_attempts: WebhookAttemptTable;
  application_forms: ApplicationFormTable;
  applications: ApplicationTable;
  counter_offices: CounterOfficeTable;
  counter_operators: CounterOperatorTable;
  counter_sessions: CounterSessionTable;
  application_files: ApplicationFileTable;
  application_events: ApplicationEventTable;
  ebox_messages: EboxMessageTable;
  notification_outbox: NotificationOutboxTable;
  application_ratings: ApplicationRatingTable;
  application_prefills: ApplicationPrefillTable;
  offline_application_counts: OfflineApplicationCountTable;
  exchange_members: ExchangeMemberTable;
  exchange_subsystems: ExchangeSubsystemTable;
  exchange_services: ExchangeServiceTable;
  exchange_groups: ExchangeGroupTable;
  exchange_group_members: ExchangeGroupMemberTable;
  exchange_grants: ExchangeGrantTable;
  exchange_keys: ExchangeKeyTable;
  exchange_certs: ExchangeCertTable;
  exchange_state: ExchangeStateTable;
  exchange_log: ExchangeLogTable;
  exchange_log_batches: ExchangeLogBatchTable;
  exchange_stats_daily: ExchangeStatsDailyTable;
  exchange_stats_state: ExchangeStatsStateTable;
  monitor_indicator_sets: MonitorIndicatorSetTable;
  monitor_rounds: MonitorRoundTable;
  monitor_subjects: MonitorSubjectTable;
  monitor_answers: MonitorAnswerTable;
  monitor_evidence: MonitorEvidenceTable;
  monitor_portal_checks: MonitorPortalCheckTable;
  monitor_check_jobs: MonitorCheckJobTable;
  // payments (migration 0020)
  treasury_accounts: TreasuryAccountTable;
  payments: PaymentTable;
  paid_applications: PaidApplicationTable;
  payment_ledger: PaymentLedgerTable;
  bills: BillTable;
  p2g_banks: P2gBankTable;
  payment_refunds: PaymentRefundTable;
  // representation (migration 0021)
  application_representations: ApplicationRepresentationTable;
  company_grants: CompanyGrantTable;
  representation_objections: RepresentationObjectionTable;
  payment_reconciliations: PaymentReconciliationTable;
  // participation (migration 0024)
  participation_processes: ParticipationProcessTable;
  participation_sections: ParticipationSectionTable;
  participation_comments: ParticipationCommentTable;
  participation_comment_supports: ParticipationSupportTable;
  participation_flags: ParticipationFlagTable;
  participation_proposals: ParticipationProposalTable;
  participation_proposal_supports: ParticipationProposalSupportTable;
  participation_polls: ParticipationPollTable;
  participation_poll_voters: ParticipationPollVoterTable;
  participation_poll_tallies: ParticipationPollTallyTable;
  participation_budgets: ParticipationBudgetTable;
  participation_budget_projects: ParticipationBudgetProjectTable;
  participation_budget_voters: ParticipationBudgetVoterTable;
  life_event_steps: LifeEventStepTable;
}

export interface MonitorIndicatorSetTable {
  id: Generated<string>;
  key: string;
  version: number;
  name: JSONColumnType<LocalText>;
  scope: 'agency' | 'portal';
  rollup: 'criteria' | 'pooled';
  criteria: JSONColumnType<unknown[]>;
  indicators: JSONColumnType<unknown[]>;
  created_by: string;
  created_at: Generated<Date>;
}

export interface MonitorRoundTable {
  id: Generated<string>;
  slug: string;
  title: JSONColumnType<LocalText>;
  set_id: string;
  cutoff: ColumnType<string, string, string>;
  status: 'open' | 'published' | 'superseded';
  supersedes: string | null;
  correction_note: string | null;
  created_by: string;
  created_at: Generated<Date>;
  published_at: Date | null;
  published_by: string | null;
  /** Bumped by every change to the round's subjects or answers (cache key of its results). */
  revision: ColumnType<number, never, number>;
}

export interface MonitorSubjectTable {
  round_id: string;
  subject: string;
  agency_id: string | null;
  name: JSONColumnType<LocalText>;
  url: string | null;
  assessor_id: string | null;
  status: Generated<'open' | 'submitted' | 'approved'>;
  reviewer_id: string | null;
  review_note: string | null;
  reviewed_at: Date | null;
  scores: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
}

export interface MonitorAnswerTable {
  round_id: string;
  subject: string;
  code: string;
  value: number | null;
  state: 'answered' | 'no-data' | 'proposed';
  origin: 'assessor' | 'auto' | 'portal-check';
  note: string | null;
  link: string | null;
  detail: JSONColumnType<Record<string, unknown>>;
  answered_by: string;
  answered_at: Generated<Date>;
}

export interface MonitorEvidenceTable {
  id: Generated<string>;
  round_id: string;
  subject: string;
  code: string;
  filename: string;
  media_type: string;
  size: number;
  sha256: string;
  content: Buffer;
  uploaded_by: string;
  uploaded_at: Generated<Date>;
}

export interface MonitorPortalCheckTable {
  id: Generated<string>;
  url: string;
  round_id: string | null;
  subject: string | null;
  result: JSONColumnType<Record<string, unknown>>;
  checked_at: Generated<Date>;
}

export interface MonitorCheckJobTable {
  id: Generated<string>;
  round_id: string;
  subject: string;
  url: string;
  status: Generated<'queued' | 'running' | 'done' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  requested_by: string;
  requested_at: Generated<Date>;
  started_at: Date | null;
  finished_at: Date | null;
  check_id: string | null;
  proposed: number | null;
  last_error: string | null;
}

// ---------------------------------------------------------------- payments (migration 0020)
/** Amounts are whole rials; bigint columns come back from pg as strings, so they are read as such. */
type Rials = ColumnType<string, number | string, number | string>;
export type PaymentStatus = 'created' | 'started' | 'submitted' | 'success' | 'failed' | 'cancelled' | 'error';
export type PaymentChannel = 'card' | 'bill';

export interface TreasuryAccountTable {
  id: Generated<string>;
  agency_id: string;
  service_id: string | null;
  iban: string;
  holder: JSONColumnType<LocalText>;
  bill_company_code: Generated<string>;
  created_by: string;
  created_at: Generated<Date>;
}

export interface PaymentTable {
  id: Generated<string>;
  order_id: ColumnType<string, never, never>;
  application_id: string;
  agency_id: string;
  service_id: string;
  citizen_id: string;
  channel: PaymentChannel;
  gateway: string;
  amount: Rials;
  iban: string;
  status: PaymentStatus;
  token: string | null;
  reference: string | null;
  trace: string | null;
  card_mask: string | null;
  failure: string | null;
  duplicate: Generated<boolean>;
  settled_at: Date | null;
  verified_at: Date | null;
  refunded_amount: ColumnType<string, number | string | undefined, number | string>;
  inquiries: Generated<number>;
  /** The signed receipt (documents module): its verify code and the holder's download URL. */
  receipt_code: string | null;
  receipt_url: string | null;
  created_at: Generated<Date>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface PaidApplicationTable {
  application_id: string;
  payment_id: string;
  paid_at: Generated<Date>;
}

export interface PaymentLedgerTable {
  id: Generated<string>;
  payment_id: string;
  application_id: string;
  agency_id: string;
  service_id: string;
  channel: PaymentChannel;
  kind: 'attempt' | 'confirmation' | 'failure' | 'reversal' | 'refund';
  amount: Rials;
  reference: string | null;
  actor: string;
  detail: JSONColumnType<Record<string, unknown>>;
  at: Generated<Date>;
}

export interface BillTable {
  id: Generated<string>;
  application_id: string;
  agency_id: string;
  bill_id: string;
  payment_id: string;
  amount: Rials;
  status: Generated<'open' | 'paid' | 'cancelled'>;
  paid_payment: string | null;
  bank: string | null;
  bank_reference: string | null;
  created_at: Generated<Date>;
  paid_at: Date | null;
}

export interface P2gBankTable {
  id: Generated<string>;
  code: string;
  name: JSONColumnType<LocalText>;
  key_hash: string;
  key_prefix: string;
  created_by: string;
  created_at: Generated<Date>;
  revoked_at: Date | null;
}

export interface PaymentRefundTable {
  id: Generated<string>;
  payment_id: string;
  amount: Rials;
  reason: 'duplicate' | 'rejection' | 'officer';
  note: string | null;
  requested_by: string;
  status: Generated<'pending' | 'done' | 'failed'>;
  gateway_reference: string | null;
  attempts: Generated<number>;
  created_at: Generated<Date>;
  done_at: Date | null;
}

export interface PaymentReconciliationTable {
  id: Generated<string>;
  gateway: string;
  day: ColumnType<string, string, string>;
  matched: number;
  mismatches: JSONColumnType<unknown[]>;
  run_at: Generated<Date>;
}

// ---------------------------------------------------------------- representation (migration 0021)

/** One check that the applicant may apply for the person a form's "actingFor" field names (see src/modules/representation/). */
export interface ApplicationRepresentationTable {
  id: Generated<string>;
  application_id: string;
  citizen_id: string;
  applicant_national_id: string;
  subject_national_id: string;
  /** What the form asked for ("parent-or-guardian-of-minor"). */
  declared_relation: string;
  stage: 'page' | 'submission';
  outcome:
    | 'confirmed'
    | 'not-related'
    | 'adult'
    | 'unavailable'
    | 'invalid-id'
    | 'not-signatory'
    | 'role-revoked'
    | 'no-power'
    | 'out-of-scope'
    | 'expired';
  /** What the registry answered the subject is to the applicant (null: not related, or no answer). */
  relation: 'child' | 'ward' | 'signatory' | 'grant' | 'attorney' | null;
  subject_name: ColumnType<LocalText | null, string | null, string | null>;
  subject_birth_date: string | null;
  exchange_service: string;
  exchange_request_id: string | null;
  purpose: string;
  checked_at: Generated<Date>;
  /** National IDs to tell, once submitted, that someone applied on their behalf (migration 0025). */
  notify: ColumnType<string[] | null, string | null | undefined, string | null>;
}

/** A company signatory's grant to a colleague: they may apply for the company for these services (migration 0025). */
export interface CompanyGrantTable {
  id: Generated<string>;
  company_legal_id: string;
  company_name: ColumnType<LocalText, string, string>;
  granted_by: string;
  granted_by_national_id: string;
  grantee_national_id: string;
  /** Service slugs. */
  services: ColumnType<string[], string, string>;
  created_at: Generated<Date>;
  revoked_at: Date | null;
  revoked_by: string | null;
}

// an objection by the person an application was made for (migration 0028, src/modules/representation/)
export interface RepresentationObjectionTable {
  id: Generated<string>;
  application_id: string;
  citizen_id: string;
  national_id: string;
  reason: string;
  created_at: Generated<Date>;
}

// participation (migration 0024, src/modules/participation/)
export type ParticipationPhase = 'information' | 'consultation' | 'decision' | 'follow-up';

export interface ParticipationProcessTable {
  id: Generated<string>;
  slug: string;
  agency_id: string;
  title: JSONColumnType<LocalText>;
  summary: JSONColumnType<LocalText>;
  phase: ColumnType<ParticipationPhase, ParticipationPhase | undefined, ParticipationPhase>;
  phases: ColumnType<{ phase: ParticipationPhase; from: string; to: string }[], string | undefined, string>;
  opens_at: Date;
  closes_at: Date;
  outcome: ColumnType<{ received: LocalText; changed: LocalText; notChanged: LocalText } | null, string | null | undefined, string | null>;
  outcome_published_at: Date | null;
  created_by: string | null;
  created_at: Generated<Date>;
  /** Top-level comments (kept by the comment insert; migration 0027). */
  top_comments: Generated<number>;
}

export interface ParticipationSectionTable {
  id: Generated<string>;
  process_id: string;
  position: number;
  title: JSONColumnType<LocalText>;
  body: JSONColumnType<LocalText>;
}

export interface ParticipationCommentTable {
  id: Generated<string>;
  process_id: string;
  section_id: string | null;
  parent_id: string | null;
  citizen_id: string | null;
  staff_id: string | null;
  author_kind: 'citizen' | 'agency';
  body: string;
  addenda: ColumnType<{ at: string; text: string }[], string | undefined, string>;
  body_hash: string;
  supports: Generated<number>;
  replies: Generated<number>;
  flags: Generated<number>;
  hidden_reason: string | null;
  hidden_at: Date | null;
  created_at: Generated<Date>;
}

export interface ParticipationSupportTable {
  comment_id: string;
  citizen_id: string;
  created_at: Generated<Date>;
}

export interface ParticipationFlagTable {
  comment_id: string;
  citizen_id: string;
  reason: string;
  created_at: Generated<Date>;
}

export type ProposalStatus = 'open' | 'accepted' | 'in-progress' | 'done' | 'rejected';

export interface ParticipationProposalTable {
  id: Generated<string>;
  process_id: string;
  citizen_id: string;
  title: string;
  body: string;
  supports: Generated<number>;
  status: ColumnType<ProposalStatus, ProposalStatus | undefined, ProposalStatus>;
  status_reason: string | null;
  status_at: Date | null;
  created_at: Generated<Date>;
}

export interface ParticipationProposalSupportTable {
  proposal_id: string;
  citizen_id: string;
  created_at: Generated<Date>;
}

export interface ParticipationPollTable {
  id: Generated<string>;
  process_id: string;
  question: JSONColumnType<LocalText>;
  options: JSONColumnType<{ key: string; label: LocalText }[]>;
  opens_at: Date;
  closes_at: Date;
  adults_only: Generated<boolean>;
  created_at: Generated<Date>;
}

/** Who voted in a poll (nothing else: no date, no choice). */
export interface ParticipationPollVoterTable {
  poll_id: string;
  citizen_id: string;
}

/** What was voted: one counter per option (migration 0027; no per-ballot row). */
export interface ParticipationPollTallyTable {
  poll_id: string;
  option_key: string;
  votes: number;
}

/** A participatory budget of a process (migration 0027): the amount in rials and the voting dates. */
export interface ParticipationBudgetTable {
  id: Generated<string>;
  process_id: string;
  amount_rials: ColumnType<string, string | number, string | number>;
  opens_at: Date;
  closes_at: Date;
  created_at: Generated<Date>;
}

export type BudgetProjectStatus = 'pending' | 'listed' | 'rejected';

export interface ParticipationBudgetProjectTable {
  id: Generated<string>;
  budget_id: string;
  title: string;
  body: string;
  cost_rials: ColumnType<string, string | number, string | number>;
  /** The citizen who proposed it (null: listed by the agency). */
  citizen_id: string | null;
  body_hash: string;
  status: ColumnType<BudgetProjectStatus, BudgetProjectStatus | undefined, BudgetProjectStatus>;
  status_reason: string | null;
  /** The project's vote counter (no per-ballot row). */
  votes: Generated<number>;
  created_at: Generated<Date>;
}

/** Who voted on a budget (nothing else). */
export interface ParticipationBudgetVoterTable {
  budget_id: string;
  citizen_id: string;
}

/** A citizen's request to government (src/modules/requests/): a complaint, a public demand or an FOI request. */
export type CitizenRequestKind = 'complaint' | 'demand' | 'foi';
export type CitizenRequestStatus = 'open' | 'clarification' | 'answered' | 'partial' | 'refused' | 'closed' | 'vexatious-review';
export interface CitizenRequestTable {
  id: Generated<string>;
  reference: string;
  kind: CitizenRequestKind;
  citizen_id: string;
  requester_national_id: string;
  agency_id: string;
  service_id: string | null;
  application_id: string | null;
  category: string | null;
  subject: string;
  body: string;
  body_hash: string;
  withhold_identity: Generated<boolean>;
  keep_private: Generated<boolean>;
  status: CitizenRequestStatus;
  outcome: string | null;
  exemption: string | null;
  answer: string | null;
  answer_public: string | null;
  publication: Generated<'none' | 'pending' | 'published' | 'rejected'>;
  assigned_to: string | null;
  escalation: Generated<number>;
  escalate_at: Date | null;
  received_at: Date;
  due_at: Date;
  paused_at: Date | null;
  days_left: number | null;
  answered_at: Date | null;
  appeal_status: 'open' | 'upheld' | 'dismissed' | null;
  appeal_text: string | null;
  appealed_at: Date | null;
  appeal_due_at: Date | null;
  rating: number | null;
  created_at: Generated<Date>;
  /** The title as the officer redacted it for the public register (migration 0030). */
  subject_public: Generated<string | null>;
  /** The request this one was split from (migration 0030). */
  parent_id: Generated<string | null>;
}
export interface CitizenRequestEventTable {
  id: Generated<string>;
  request_id: string;
  at: Date;
  actor: 'citizen' | 'agency' | 'oversight' | 'system';
  staff_id: string | null;
  kind: string;
  note: string | null;
  agency_id: string | null;
}

/** A registered counter office (دفتر پیشخوان دولت); its legal counter fee is apart from the government fee. */
export interface CounterOfficeTable {
  id: Generated<string>;
  code: string;
  name: LocalText;
  province: string;
  city: string;
  address: string;
  licence_number: string;
  licence_expires_on: string | null;
  counter_fee_rials: ColumnType<string, number | string | undefined, number | string>;
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface CounterOperatorTable {
  staff_id: string;
  office_id: string;
  created_at: Generated<Date>;
}

export type CounterSessionStatus = 'code-sent' | 'active' | 'submitted' | 'ended' | 'refused';

/** One assisted application: the code sent, then a session limited to one citizen's draft of one service. */
export interface CounterSessionTable {
  id: Generated<string>;
  office_id: string;
  operator_id: string;
  national_id: string;
  service_id: string;
  challenge_id: string;
  status: Generated<CounterSessionStatus>;
  citizen_id: string | null;
  citizen_session_id: string | null;
  token_hash: string | null;
  application_id: string | null;
  counter_fee_rials: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  created_at: Generated<Date>;
  verified_at: Date | null;
  expires_at: Date | null;
  ended_at: Date | null;
}

/** A file attached to a citizen's request, by the citizen on filing or by the agency on a reply (migration 0030). */
export interface CitizenRequestFileTable {
  id: Generated<string>;
  request_id: string;
  side: 'citizen' | 'agency';
  uploaded_by: string;
  original_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  published: Generated<boolean>;
  created_at: Generated<Date>;
}
/** An agency's own deadline for one kind of citizens' request, in working days (migration 0030). */
export interface CitizenRequestDeadlineTable {
  agency_id: string;
  kind: CitizenRequestKind;
  days: number;
}
export interface AssuranceCheckTable {
  id: Generated<string>;
  citizen_id: string;
  session_id: string;
  outcome: 'matched' | 'mismatch' | 'not-found' | 'unavailable' | 'replayed';
  exchange_request_id: string | null;
  ip_hash: string | null;
  created_at: Generated<Date>;
}

/** One step of a life event's journey (issue 17 s.2): after the one before ('then'), alongside it ('and') or instead of it ('or'). */
export interface LifeEventStepTable {
  id: Generated<string>;
  life_event: string;
  position: number;
  connector: 'then' | 'and' | 'or';
  title: ColumnType<LocalText, string, string>;
  note: ColumnType<LocalText | null, string | null, string | null>;
  service_slugs: string[];
  updated_at: Generated<Date>;
  updated_by: string | null;
}
