// Small secrets at rest (TOTP seeds): AES-256-GCM with a key derived from SESSION_SECRET.
import crypto from 'node:crypto';

// Derived keys are remembered: HKDF on every seal was ~3% of the exchange's CPU (one seal per message).
const keys = new Map<string, Buffer>();
function key(secret: string, purpose: string): Buffer {
  const id = `${purpose}\u0000${secret}`;
  let k = keys.get(id);
  if (!k) {
    k = Buffer.from(crypto.hkdfSync('sha256', secret, 'panjereh', purpose, 32));
    if (keys.size > 100) keys.clear();
    keys.set(id, k);
  }
  return k;
}

export function seal(secret: string, purpose: string, plain: string): string {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', key(secret, purpose), iv);
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return [iv, c.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

export function unseal(secret: string, purpose: string, sealed: string): string {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  const d = crypto.createDecipheriv('aes-256-gcm', key(secret, purpose), iv);
  d.setAuthTag(tag);
  return Buffer.concat([d.update(body), d.final()]).toString('utf8');
}

export const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
export const randomToken = (bytes = 32) => crypto.randomBytes(bytes).toString('base64url');
