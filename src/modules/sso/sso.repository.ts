// SQL for the OpenID Connect provider's tables: clients, signing keys and the provider's payloads.
import crypto from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { exportJWK, generateKeyPair } from 'jose';
import type { Database } from '../../db/schema.ts';
import { seal, unseal } from '../../platform/crypto.ts';

/** Every reason a portal's registration is not acceptable (redirect URIs must be https, except on localhost). */
export function clientProblems(name: string, uris: string[], scopes: string[], allowed: string[]): string[] {
  const out: string[] = [];
  if (!name.trim()) out.push('Give the portal a name');
  if (!uris.length) out.push('Give at least one redirect URI');
  for (const u of uris) {
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      out.push(`"${u}" is not a URL`);
      continue;
    }
    if (url.protocol !== 'https:' && !['localhost', '127.0.0.1'].includes(url.hostname))
      out.push(`"${u}" must use https (http only for localhost)`);
    if (url.hash) out.push(`"${u}" must not have a #fragment`);
  }
  const unknown = scopes.filter((s) => !allowed.includes(s));
  if (unknown.length) out.push(`Unknown scope(s): ${unknown.join(', ')}. Use ${allowed.filter((s) => s !== 'openid').join(', ')}`);
  return out;
}

export class SsoRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly secret: string,
  ) {}

  /** Registers a relying party; returns its id and (only now) its secret. */
  /** Registers a portal; `within` runs in the same transaction (the caller's audit entry). */
  async addClient(
    name: string,
    redirectUris: string[],
    scopes: string[],
    postLogoutRedirectUris: string[] = [],
    within?: (tx: Transaction<Database>, clientId: string) => Promise<void>,
  ) {
    const clientId = `rp-${crypto.randomBytes(9).toString('base64url')}`;
    const clientSecret = crypto.randomBytes(32).toString('base64url');
    const metadata = {
      client_id: clientId,
      client_name: name,
      redirect_uris: redirectUris,
      post_logout_redirect_uris: postLogoutRedirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      subject_type: 'pairwise',
      scope: ['openid', ...scopes.filter((s) => s !== 'openid')].join(' '),
    };
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('oidc_clients')
        .values({
          client_id: clientId,
          name,
          metadata: JSON.stringify(metadata),
          secret_sealed: seal(this.secret, 'oidc-client', clientSecret),
        })
        .execute();
      await within?.(tx, clientId);
    });
    return { clientId, clientSecret, metadata };
  }

  async client(clientId: string): Promise<Record<string, unknown> | undefined> {
    const row = await this.db.selectFrom('oidc_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
    return row ? { ...row.metadata, client_secret: unseal(this.secret, 'oidc-client', row.secret_sealed) } : undefined;
  }

  clients() {
    return this.db.selectFrom('oidc_clients').select(['client_id', 'name', 'metadata', 'created_at']).orderBy('created_at').execute();
  }

  /** Adds a new RS256 signing key: it signs from now on; the older keys stay published for verification. */
  async rotateKey(): Promise<string> {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = await exportJWK(privateKey);
    const kid = crypto.randomBytes(8).toString('hex');
    await this.db
      .insertInto('oidc_keys')
      .values({ kid, private_jwk_sealed: seal(this.secret, 'oidc-key', JSON.stringify({ ...jwk, kid, alg: 'RS256', use: 'sig' })) })
      .execute();
    return kid;
  }

  /** Active private keys, newest first (the provider signs with the first). */
  async keys(): Promise<Record<string, unknown>[]> {
    const rows = await this.db.selectFrom('oidc_keys').selectAll().where('retired_at', 'is', null).orderBy('created_at', 'desc').execute();
    return rows.map((r) => JSON.parse(unseal(this.secret, 'oidc-key', r.private_jwk_sealed)));
  }

  // --- the provider's adapter
  async upsert(model: string, id: string, payload: Record<string, unknown>, expiresIn?: number) {
    const values = {
      model,
      id,
      payload: JSON.stringify(payload),
      grant_id: (payload.grantId as string) ?? null,
      uid: (payload.uid as string) ?? null,
      user_code: (payload.userCode as string) ?? null,
      expires_at: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
    };
    await this.db
      .insertInto('oidc_payloads')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['model', 'id']).doUpdateSet({
          payload: values.payload,
          grant_id: values.grant_id,
          uid: values.uid,
          user_code: values.user_code,
          expires_at: values.expires_at,
        }),
      )
      .execute();
  }

  async find(model: string, where: { id?: string; uid?: string; userCode?: string }) {
    let q = this.db.selectFrom('oidc_payloads').selectAll().where('model', '=', model);
    if (where.id) q = q.where('id', '=', where.id);
    if (where.uid) q = q.where('uid', '=', where.uid);
    if (where.userCode) q = q.where('user_code', '=', where.userCode);
    const row = await q.where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', new Date())])).executeTakeFirst();
    if (!row) return undefined;
    return { ...row.payload, ...(row.consumed_at ? { consumed: Math.floor(new Date(row.consumed_at).getTime() / 1000) } : {}) };
  }

  async consume(model: string, id: string) {
    await this.db
      .updateTable('oidc_payloads')
      .set({ consumed_at: sql`now()` })
      .where('model', '=', model)
      .where('id', '=', id)
      .execute();
  }

  async destroy(model: string, id: string) {
    await this.db.deleteFrom('oidc_payloads').where('model', '=', model).where('id', '=', id).execute();
  }

  async revokeByGrantId(grantId: string) {
    await this.db.deleteFrom('oidc_payloads').where('grant_id', '=', grantId).execute();
  }
}
