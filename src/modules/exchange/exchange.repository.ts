// SQL for the exchange's registry tables (Kysely only). The message log and its statistics have their
// own file (exchange.log.repository.ts).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, LocalText, SubjectLocation } from '../../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;
/** Runs in the change's transaction, after it (the service writes its audit entry there). */
export type Then<T> = (tx: Transaction<Database>, result: T) => Promise<unknown>;
const none = async () => {};

export interface RegistrySnapshot {
  revision: number;
  members: MemberRow[];
  subsystems: SubsystemRow[];
  services: ServiceRow[];
  grants: GrantRow[];
  groupMembers: { group_code: string; subsystem_id: string }[];
  certs: CertRow[];
}
export interface MemberRow {
  id: string;
  member_class: string;
  member_code: string;
  name: LocalText;
  agency_id: string | null;
}
export interface SubsystemRow {
  id: string;
  member_id: string;
  subsystem_code: string;
}
export interface ServiceRow {
  id: string;
  subsystem_id: string;
  service_code: string;
  title: LocalText;
  upstream_url: string;
  timeout_ms: number;
  openapi: string | null;
  subject_location: SubjectLocation | null;
  log_bodies: boolean;
}
export interface GrantRow {
  id: string;
  service_id: string;
  client_subsystem_id: string | null;
  group_code: string | null;
  method: string;
  path: string;
  created_by: string;
  created_at: Date;
}
export interface CertRow {
  serial: string;
  subsystem_id: string;
  fingerprint: string;
  not_after: Date;
  issued_at: Date;
  revoked_at: Date | null;
}

export class ExchangeRepository {
  constructor(readonly db: Kysely<Database>) {}

  async revision(): Promise<number> {
    const r = await this.db.selectFrom('exchange_state').select('revision').where('id', '=', 1).executeTakeFirst();
    return Number(r?.revision ?? 0);
  }

  bump(tx: Db) {
    return tx
      .updateTable('exchange_state')
      .set({ revision: sql`revision + 1` })
      .where('id', '=', 1)
      .execute();
  }

  async snapshot(): Promise<RegistrySnapshot> {
    const revision = await this.revision();
    const [members, subsystems, services, grants, groupMembers, certs] = await Promise.all([
      this.db.selectFrom('exchange_members').select(['id', 'member_class', 'member_code', 'name', 'agency_id']).orderBy('id').execute(),
      this.db.selectFrom('exchange_subsystems').select(['id', 'member_id', 'subsystem_code']).orderBy('id').execute(),
      this.db
        .selectFrom('exchange_services')
        .select(['id', 'subsystem_id', 'service_code', 'title', 'upstream_url', 'timeout_ms', 'openapi', 'subject_location', 'log_bodies'])
        .orderBy('id')
        .execute(),
      this.db.selectFrom('exchange_grants').selectAll().orderBy('created_at').execute(),
      this.db.selectFrom('exchange_group_members').selectAll().execute(),
      this.db.selectFrom('exchange_certs').selectAll().execute(),
    ]);
    return { revision, members, subsystems, services, grants, groupMembers, certs };
  }

  async addMember(
    m: { id: string; member_class: string; member_code: string; name: LocalText; agency_id: string | null },
    then: Then<boolean> = none,
  ): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const r = await tx
        .insertInto('exchange_members')
        .values({ ...m, name: JSON.stringify(m.name) })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      await this.bump(tx);
      const created = Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
      await then(tx, created);
      return created;
    });
  }

  async addSubsystem(s: { id: string; member_id: string; subsystem_code: string }, then: Then<boolean> = none): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const r = await tx
        .insertInto('exchange_subsystems')
        .values(s)
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      await this.bump(tx);
      const created = Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
      await then(tx, created);
      return created;
    });
  }

  /** Inserts or updates a service (by id). */
  async putService(s: ServiceRow, then: Then<'created' | 'updated'> = none): Promise<'created' | 'updated'> {
    return this.db.transaction().execute(async (tx) => {
      const values = { ...s, title: JSON.stringify(s.title), subject_location: JSON.stringify(s.subject_location) };
      const existed = await tx.selectFrom('exchange_services').select('id').where('id', '=', s.id).executeTakeFirst();
      if (existed)
        await tx
          .updateTable('exchange_services')
          .set({ ...values, updated_at: new Date() })
          .where('id', '=', s.id)
          .execute();
      else await tx.insertInto('exchange_services').values(values).execute();
      await this.bump(tx);
      const result = existed ? 'updated' : 'created';
      await then(tx, result);
      return result;
    });
  }

  async addGroup(code: string, description: string, subsystems: string[], then: Then<void> = none): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('exchange_groups')
        .values({ code, description })
        .onConflict((oc) => oc.column('code').doUpdateSet({ description }))
        .execute();
      if (subsystems.length)
        await tx
          .insertInto('exchange_group_members')
          .values(subsystems.map((s) => ({ group_code: code, subsystem_id: s })))
          .onConflict((oc) => oc.doNothing())
          .execute();
      await this.bump(tx);
      await then(tx, undefined);
    });
  }

  groups() {
    return this.db.selectFrom('exchange_groups').selectAll().orderBy('code').execute();
  }

  async addGrant(
    g: {
      service_id: string;
      client_subsystem_id: string | null;
      group_code: string | null;
      method: string;
      path: string;
      created_by: string;
    },
    then: Then<{ id: string; created: boolean }> = none,
  ): Promise<{ id: string; created: boolean }> {
    return this.db.transaction().execute(async (tx) => {
      const existing = await tx
        .selectFrom('exchange_grants')
        .select('id')
        .where('service_id', '=', g.service_id)
        .where(sql<boolean>`coalesce(client_subsystem_id, '') = ${g.client_subsystem_id ?? ''}`)
        .where(sql<boolean>`coalesce(group_code, '') = ${g.group_code ?? ''}`)
        .where('method', '=', g.method)
        .where('path', '=', g.path)
        .executeTakeFirst();
      if (existing) return { id: existing.id, created: false };
      const r = await tx.insertInto('exchange_grants').values(g).returning('id').executeTakeFirstOrThrow();
      await this.bump(tx);
      await then(tx, { id: r.id, created: true });
      return { id: r.id, created: true };
    });
  }

  async revokeGrant(id: string, then: Then<GrantRow> = none): Promise<GrantRow | undefined> {
    return this.db.transaction().execute(async (tx) => {
      const r = await tx.deleteFrom('exchange_grants').where('id', '=', id).returningAll().executeTakeFirst();
      await this.bump(tx);
      if (r) await then(tx, r);
      return r;
    });
  }

  async recordCert(
    c: { serial: string; subsystem_id: string; fingerprint: string; not_after: Date },
    then: Then<void> = none,
  ): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto('exchange_certs').values(c).execute();
      await this.bump(tx);
      await then(tx, undefined);
    });
  }

  async revokeCerts(subsystemId: string, then: Then<number> = none): Promise<number> {
    return this.db.transaction().execute(async (tx) => {
      const r = await tx
        .updateTable('exchange_certs')
        .set({ revoked_at: new Date() })
        .where('subsystem_id', '=', subsystemId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      await this.bump(tx);
      const n = Number(r.numUpdatedRows);
      await then(tx, n);
      return n;
    });
  }

  key(id: string) {
    return this.db.selectFrom('exchange_keys').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Stores a key unless one with this id exists (another node made it first); returns the stored one. */
  async putKeyOnce(k: { id: string; kind: string; certificate_pem: string | null; public_pem: string; private_sealed: string }) {
    await this.db
      .insertInto('exchange_keys')
      .values(k)
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    const stored = await this.key(k.id);
    if (!stored) throw new Error(`The exchange key ${k.id} was not stored.`);
    return stored;
  }

  publicKeys() {
    return this.db.selectFrom('exchange_keys').select(['id', 'kind', 'public_pem']).execute();
  }

  /** Members linked to a catalogue agency. */
  async membersWithAgency(): Promise<{ id: string; agency_id: string }[]> {
    const rows = await this.db.selectFrom('exchange_members').select(['id', 'agency_id']).where('agency_id', 'is not', null).execute();
    return rows as { id: string; agency_id: string }[];
  }

  /** Members that provide at least one service, members whose subsystems may call one, and all members. */
  async organisationCounts(): Promise<{ servers: number; clients: number; members: number }> {
    const r = await sql<{ servers: number; clients: number; members: number }>`
      select
        (select count(distinct s.member_id) from exchange_services v join exchange_subsystems s on s.id = v.subsystem_id) as servers,
        (select count(distinct s.member_id) from exchange_subsystems s
           where exists (select 1 from exchange_grants g where g.client_subsystem_id = s.id)
              or exists (select 1 from exchange_group_members gm join exchange_grants g on g.group_code = gm.group_code where gm.subsystem_id = s.id)) as clients,
        (select count(*) from exchange_members) as members`.execute(this.db);
    return r.rows[0];
  }
}
