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

export type StaffRole = 'platform-admin' | 'oversight-analyst' | 'agency-admin' | 'service-editor' | 'operator';

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
  setup_token_hash: string | null;
  setup_expires_at: Date | null;
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

export interface Database {
  agencies: AgencyTable;
  services: ServiceTable;
  service_versions: ServiceVersionTable;
  catalog_state: CatalogStateTable;
  un_countries: UnCountryTable;
  un_egov_scores: UnEgovScoreTable;
  citizens: CitizenTable;
  sign_in_challenges: SignInChallengeTable;
  sessions: SessionTable;
  audit_log: AuditLogTable;
  staff: StaffTable;
  staff_sessions: StaffSessionTable;
  oidc_clients: OidcClientTable;
  oidc_keys: OidcKeyTable;
  oidc_payloads: OidcPayloadTable;
  monitor_indicator_sets: MonitorIndicatorSetTable;
  monitor_rounds: MonitorRoundTable;
  monitor_subjects: MonitorSubjectTable;
  monitor_answers: MonitorAnswerTable;
  monitor_evidence: MonitorEvidenceTable;
  monitor_portal_checks: MonitorPortalCheckTable;
}
