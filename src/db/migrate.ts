import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './schema.ts';
import * as m0001 from './migrations/0001_catalog.ts';
import * as m0002 from './migrations/0002_un_egov.ts';
import * as m0003 from './migrations/0003_identity.ts';
import * as m0004 from './migrations/0004_staff.ts';
import * as m0005 from './migrations/0005_oidc.ts';
import * as m0006 from './migrations/0006_applications.ts';
import * as m0007 from './migrations/0007_exchange.ts';
import * as m0008 from './migrations/0008_monitoring.ts';
import * as m0009 from './migrations/0009_documents.ts';
import * as m0010 from './migrations/0010_staff_status.ts';
import * as m0011 from './migrations/0011_govstack.ts';
import * as m0012 from './migrations/0012_applications_api.ts';
import * as m0013 from './migrations/0013_forms_prefill.ts';
import * as m0014 from './migrations/0014_exchange_rollups.ts';
import * as m0015 from './migrations/0015_monitoring_more.ts';
import * as m0016 from './migrations/0016_calendar.ts';
import * as m0017 from './migrations/0017_audit_batches.ts';
import * as m0018 from './migrations/0018_staff_tokens.ts';
import * as m0019 from './migrations/0019_citizen_mobile_changes.ts';
import * as m0020 from './migrations/0020_payments.ts';
import * as m0021 from './migrations/0021_representation.ts';
import * as m0022 from './migrations/0022_search_dictionary.ts';
import * as m0023 from './migrations/0023_requests.ts';
import * as m0024 from './migrations/0024_participation.ts';
import * as m0025 from './migrations/0025_companies_attorneys.ts';
import * as m0026 from './migrations/0026_counter_offices.ts';
import * as m0027 from './migrations/0027_participation_secrecy.ts';
import * as m0028 from './migrations/0028_representation_objections.ts';
import * as m0029 from './migrations/0029_identity_assurance.ts';
import * as m0030 from './migrations/0030_requests_trust.ts';
import * as m0031 from './migrations/0031_life_event_steps.ts';
import * as m0032 from './migrations/0032_counter_end_unmarked_sessions.ts';

// Linear, in code order. Add a new file and one line here; never edit a migration that has shipped.
const migrations: Record<string, Migration> = {
  '0001_catalog': m0001,
  '0002_un_egov': m0002,
  '0003_identity': m0003,
  '0004_staff': m0004,
  '0005_oidc': m0005,
  '0006_applications': m0006,
  '0007_exchange': m0007,
  '0008_monitoring': m0008,
  '0009_documents': m0009,
  '0010_staff_status': m0010,
  '0011_govstack': m0011,
  '0012_applications_api': m0012,
  '0013_forms_prefill': m0013,
  '0014_exchange_rollups': m0014,
  '0015_monitoring_more': m0015,
  '0016_calendar': m0016,
  '0017_audit_batches': m0017,
  '0018_staff_tokens': m0018,
  '0019_citizen_mobile_changes': m0019,
  '0020_payments': m0020,
  '0021_representation': m0021,
  '0022_search_dictionary': m0022,
  '0023_requests': m0023,
  '0024_participation': m0024,
  '0025_companies_attorneys': m0025,
  '0026_counter_offices': m0026,
  '0027_participation_secrecy': m0027,
  '0028_representation_objections': m0028,
  '0029_identity_assurance': m0029,
  '0030_requests_trust': m0030,
  '0031_life_event_steps': m0031,
  '0032_counter_end_unmarked_sessions': m0032,
};

class StaticProvider implements MigrationProvider {
  async getMigrations() {
    return migrations;
  }
}

export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
