// API keys for agency back-end systems: `pjk_<prefix>_<secret>`, shown once, stored as a SHA-256
// hash (the secret has 256 random bits, so a fast hash is enough), found by the prefix, scoped to
// one agency and a set of scopes, revocable, with the time of last use.
import crypto from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';

export const API_SCOPES = ['applications:read', 'applications:write', 'messages:write', 'documents:issue', 'webhooks:manage', 'govstack'] as const;
export type ApiScope = (typeof API_SCOPES)[number];
export const isApiScope = (v: unknown): v is ApiScope => (API_SCOPES as readonly unknown[]).includes(v);

/** The agency system a request comes from, once its key is checked. */
export interface AgencyPrincipal {
  keyId: string;
  agencyId: string;
  scopes: ApiScope[];
}

const KEY = /^pjk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const hash = (key: string) => crypto.createHash('sha256').update(key).digest('hex');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The prefix of a well-formed key (used to rate-limit per key before the database is asked). */
export const keyPrefix = (key: string): string | null => KEY.exec(key)?.[1] ?? null;

export function keyProblems(name: string, scopes: string[]): string[] {
  const p: string[] = [];
  if (!name.trim() || name.length > 100) p.push('Give the key a name of at most 100 characters (for example the system that uses it)');
  if (!scopes.length) p.push(`Choose at least one scope: ${API_SCOPES.join(', ')}`);
  const unknown = scopes.filter((s) => !isApiScope(s));
  if (unknown.length) p.push(`Unknown scope(s): ${unknown.join(', ')}. Use ${API_SCOPES.join(', ')}`);
  return p;
}

export class AgencyApiService {
  constructor(private readonly db: Kysely<Database>) {}

  /** Creates a key; the full key is returned only here. */
  async create(agencyId: string, name: string, scopes: string[], actor: string): Promise<{ id: string; key: string; prefix: string }> {
    const problems = keyProblems(name, scopes);
    if (problems.length) throw new AppError('VALIDATION_FAILED', problems.join('; '), { problems });
    const agency = await this.db.selectFrom('agencies').select('id').where('id', '=', agencyId).executeTakeFirst();
    if (!agency) throw new AppError('AGENCY_NOT_FOUND');
    const prefix = crypto.randomBytes(6).toString('hex');
    const key = `pjk_${prefix}_${crypto.randomBytes(32).toString('base64url')}`;
    const row = await this.db.insertInto('agency_api_keys').values({ agency_id: agencyId, name: name.trim(), prefix, secret_hash: hash(key), scopes: [...new Set(scopes)], created_by: actor }).returning('id').executeTakeFirstOrThrow();
    return { id: row.id, key, prefix };
  }

  list(agencyId: string | null) {
    let q = this.db.selectFrom('agency_api_keys').select(['id', 'agency_id', 'name', 'prefix', 'scopes', 'created_by', 'created_at', 'last_used_at', 'revoked_at']).orderBy('created_at', 'desc');
    if (agencyId) q = q.where('agency_id', '=', agencyId);
    return q.execute();
  }

  async revoke(id: string, agencyId: string | null): Promise<{ prefix: string; agencyId: string }> {
    const row = UUID.test(id) ? await this.db.selectFrom('agency_api_keys').select(['agency_id', 'prefix', 'revoked_at']).where('id', '=', id).executeTakeFirst() : undefined;
    if (!row || row.revoked_at) throw new AppError('NOT_FOUND', 'There is no active key with this id.');
    if (agencyId && row.agency_id !== agencyId) throw new AppError('OTHER_AGENCY');
    await this.db.updateTable('agency_api_keys').set({ revoked_at: sql`now()` }).where('id', '=', id).execute();
    return { prefix: row.prefix, agencyId: row.agency_id };
  }

  /** The principal for a presented key, or null (unknown, malformed, wrong secret or revoked). */
  async authenticate(key: string): Promise<AgencyPrincipal | null> {
    const prefix = keyPrefix(key);
    if (!prefix) return null;
    const row = await this.db.selectFrom('agency_api_keys').select(['id', 'agency_id', 'secret_hash', 'scopes', 'revoked_at', 'last_used_at']).where('prefix', '=', prefix).executeTakeFirst();
    if (!row || row.revoked_at) return null;
    if (!crypto.timingSafeEqual(Buffer.from(hash(key)), Buffer.from(row.secret_hash))) return null;
    // Last use to the minute: one write a minute per key at most.
    if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > 60_000) {
      await this.db.updateTable('agency_api_keys').set({ last_used_at: sql`now()` }).where('id', '=', row.id).execute();
    }
    return { keyId: row.id, agencyId: row.agency_id, scopes: row.scopes.filter(isApiScope) };
  }
}
