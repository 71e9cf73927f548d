// The platform's document-signing key: Ed25519. From DOCUMENT_SIGNING_KEY when set (kept only in the
// environment), otherwise made once and stored sealed (AES-GCM under SESSION_SECRET) in the database.
// Public keys are published as a JWK set so anyone can check a signature without asking Panjereh.
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { seal, unseal } from '../../platform/crypto.ts';
import { documentKeysRepo } from './documents.repository.ts';

export interface SigningKey {
  kid: string;
  privateKey: crypto.KeyObject;
}

const kidOf = (publicKey: crypto.KeyObject) =>
  crypto
    .createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('base64url')
    .slice(0, 16);
const FROM_ENV = 'env';

function parsePrivateKey(raw: string): crypto.KeyObject {
  const text = raw.includes('-----BEGIN') ? raw : Buffer.from(raw, 'base64').toString('utf8');
  const key = text.includes('-----BEGIN')
    ? crypto.createPrivateKey(text)
    : crypto.createPrivateKey({ key: Buffer.from(raw, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error('DOCUMENT_SIGNING_KEY must be an Ed25519 private key (openssl genpkey -algorithm ed25519)');
  return key;
}

export class DocumentKeys {
  #active: Promise<SigningKey> | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly secret: string,
    private readonly envKey?: string,
  ) {}

  /** The key that signs new documents (created on first use when no key exists). */
  active(): Promise<SigningKey> {
    this.#active ??= this.#load().catch((e) => {
      this.#active = null;
      throw e;
    });
    return this.#active;
  }

  async #load(): Promise<SigningKey> {
    if (this.envKey) {
      const privateKey = parsePrivateKey(this.envKey);
      const publicKey = crypto.createPublicKey(privateKey);
      const kid = kidOf(publicKey);
      await documentKeysRepo.insertIfAbsent(this.db, {
        kid,
        public_jwk: JSON.stringify(this.#jwk(publicKey, kid)),
        private_sealed: FROM_ENV,
      });
      return { kid, privateKey };
    }
    const row = await documentKeysRepo.newestStored(this.db, FROM_ENV);
    if (row) return { kid: row.kid, privateKey: crypto.createPrivateKey(unseal(this.secret, 'document-key', row.private_sealed)) };
    return this.rotate();
  }

  /** Makes a new key that signs from now on; earlier keys stay published so their documents still verify. */
  async rotate(): Promise<SigningKey> {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
    const kid = kidOf(publicKey);
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await documentKeysRepo.insert(this.db, {
      kid,
      public_jwk: JSON.stringify(this.#jwk(publicKey, kid)),
      private_sealed: seal(this.secret, 'document-key', pem),
    });
    const key = { kid, privateKey };
    this.#active = Promise.resolve(key);
    return key;
  }

  #jwk(publicKey: crypto.KeyObject, kid: string) {
    return { ...publicKey.export({ format: 'jwk' }), kid, alg: 'EdDSA', use: 'sig' };
  }

  /** Every published public key (JWK set), the retired ones included. */
  async jwks(): Promise<{ keys: Record<string, unknown>[] }> {
    const rows = await documentKeysRepo.publicJwks(this.db);
    return { keys: rows.map((r) => r.public_jwk) };
  }

  async publicKey(kid: string): Promise<crypto.KeyObject | null> {
    const row = await documentKeysRepo.publicJwk(this.db, kid);
    return row ? crypto.createPublicKey({ key: row.public_jwk as crypto.JsonWebKey, format: 'jwk' }) : null;
  }
}
