// API keys for agency back-end systems: `pjk_<prefix>_<secret>`, shown once, stored as a SHA-256
// hash (the secret has 256 random bits, so a fast hash is enough), found by the prefix, scoped to
// one agency and a set of scopes, revocable, with the time of last use. Creating and revoking a key are
// audited in the same transaction as the change.
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { cleanText } from '../../platform/persian.ts';
import { AgencyApiRepository } from './agencyapi.repository.ts';

export const API_SCOPES = [
  'applications:read',
  'applications:write',
  'messages:write',
  'documents:issue',
  'webhooks:manage',
  'govstack',
] as const;
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
  private readonly repo: AgencyApiRepository;
  constructor(
    db: Kysely<Database>,
    private readonly audit: AuditLog,
  ) {
    this.repo = new AgencyApiRepository(db);
  }

  /** Creates a key; the full key is returned only here. */
  async create(agencyId: string, name: string, scopes: string[], actor: string): Promise<{ id: string; key: string; prefix: string }> {
    const clean = cleanText(name).trim();
    const problems = keyProblems(clean, scopes);
    if (problems.length) throw new AppError('VALIDATION_FAILED', problems.join('; '), { problems });
    if (!(await this.repo.agencyExists(agencyId))) throw new AppError('AGENCY_NOT_FOUND');
    const prefix = crypto.randomBytes(6).toString('hex');
    const key = `pjk_${prefix}_${crypto.randomBytes(32).toString('base64url')}`;
    const chosen = [...new Set(scopes)];
    const row = await this.repo.transaction(async (tx) => {
      const r = await this.repo.insert(tx, {
        agency_id: agencyId,
        name: clean,
        prefix,
        secret_hash: hash(key),
        scopes: chosen,
        created_by: actor,
      });
      await this.audit.record({ actor, action: 'apikeys.created', subject: prefix, detail: { agencyId, scopes: chosen } }, tx);
      return r;
    });
    return { id: row.id, key, prefix };
  }

  list(agencyId: string | null) {
    return this.repo.list(agencyId);
  }

  async revoke(id: string, agencyId: string | null, actor: string): Promise<{ prefix: string; agencyId: string }> {
    const row = UUID.test(id) ? await this.repo.byId(id) : undefined;
    if (!row || row.revoked_at) throw new AppError('NOT_FOUND', 'There is no active key with this id.');
    if (agencyId && row.agency_id !== agencyId) throw new AppError('OTHER_AGENCY');
    const done = await this.repo.transaction(async (tx) => {
      if (!(await this.repo.revoke(tx, id))) return false;
      await this.audit.record({ actor, action: 'apikeys.revoked', subject: row.prefix, detail: { agencyId: row.agency_id } }, tx);
      return true;
    });
    if (!done) throw new AppError('NOT_FOUND', 'There is no active key with this id.');
    return { prefix: row.prefix, agencyId: row.agency_id };
  }

  /** The principal for a presented key, or null (unknown, malformed, wrong secret or revoked). */
  async authenticate(key: string): Promise<AgencyPrincipal | null> {
    const prefix = keyPrefix(key);
    if (!prefix) return null;
    const row = await this.repo.byPrefix(prefix);
    if (!row || row.revoked_at) return null;
    if (!crypto.timingSafeEqual(Buffer.from(hash(key)), Buffer.from(row.secret_hash))) return null;
    // Last use to the minute: one write a minute per key at most.
    if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > 60_000) {
      await this.repo.touch(row.id);
    }
    return { keyId: row.id, agencyId: row.agency_id, scopes: row.scopes.filter(isApiScope) };
  }
}
