// The exchange's own certificate authority (ECDSA P-256, @peculiar/x509 on Node's WebCrypto) and the
// message log's signing key (Ed25519). Private keys live in the database sealed with SESSION_SECRET.
// A client certificate names its subsystem in the subject CN and as a URI SAN "xroad:INSTANCE/CLASS/MEMBER/SUB".
import 'reflect-metadata';
import crypto, { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { seal, unseal } from '../../platform/crypto.ts';
import type { ExchangeRepository } from './exchange.repository.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

export interface IssuedCert {
  keyPem: string;
  certPem: string;
  serial: string;
  fingerprint: string;
  notAfter: Date;
}

const toPem = (der: ArrayBuffer, label: string) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;

export class ExchangeCa {
  #ca: Promise<{ cert: x509.X509Certificate; certPem: string; key: CryptoKey }> | null = null;
  #signer: Promise<{ id: string; key: crypto.KeyObject }> | null = null;

  constructor(
    private readonly repo: ExchangeRepository,
    private readonly secret: string,
    private readonly instance: string,
  ) {}

  /** The CA, made on first use (and stored; a second node reads the first's). */
  ca() {
    this.#ca ??= (async () => {
      let row = await this.repo.key('ca');
      if (!row) {
        const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
        const cert = await x509.X509CertificateGenerator.createSelfSigned({
          serialNumber: crypto.randomBytes(8).toString('hex'),
          name: `CN=${this.instance} Panjereh exchange CA, O=${this.instance}`,
          notBefore: new Date(Date.now() - DAY),
          notAfter: new Date(Date.now() + 20 * 365 * DAY),
          signingAlgorithm: ALG,
          keys,
          extensions: [
            new x509.BasicConstraintsExtension(true, 0, true),
            new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
          ],
        });
        const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
        row = await this.repo.putKeyOnce({
          id: 'ca',
          kind: 'ca',
          certificate_pem: cert.toString('pem'),
          public_pem: toPem(await webcrypto.subtle.exportKey('spki', keys.publicKey), 'PUBLIC KEY'),
          private_sealed: seal(this.secret, 'exchange-ca', pkcs8),
        });
      }
      const key = await webcrypto.subtle.importKey(
        'pkcs8',
        Buffer.from(unseal(this.secret, 'exchange-ca', row.private_sealed), 'base64'),
        ALG,
        false,
        ['sign'],
      );
      const certPem = row.certificate_pem;
      if (!certPem) throw new Error('The exchange CA key is stored without its certificate.');
      return { cert: new x509.X509Certificate(certPem), certPem, key };
    })();
    this.#ca.catch(() => (this.#ca = null));
    return this.#ca;
  }

  async caPem(): Promise<string> {
    return (await this.ca()).certPem;
  }

  async #issue(subject: string, extensions: x509.Extension[], days: number): Promise<IssuedCert> {
    const ca = await this.ca();
    const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
    const serial = crypto.randomBytes(12).toString('hex');
    const notAfter = new Date(Date.now() + days * DAY);
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial,
      subject,
      issuer: ca.cert.subject,
      notBefore: new Date(Date.now() - 60_000),
      notAfter,
      signingAlgorithm: ALG,
      publicKey: keys.publicKey,
      signingKey: ca.key,
      extensions,
    });
    const certPem = cert.toString('pem');
    const keyPem = toPem(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
    const fingerprint = new crypto.X509Certificate(certPem).fingerprint256;
    // Node reports serials in upper-case hex without leading zeros; store them the same way.
    return { keyPem, certPem, serial: new crypto.X509Certificate(certPem).serialNumber.toUpperCase(), fingerprint, notAfter };
  }

  /** A client certificate for a subsystem ("CLASS/MEMBER/SUB"). The caller records it. */
  issueClient(subsystemId: string, days = 365): Promise<IssuedCert> {
    const full = `${this.instance}/${subsystemId}`;
    return this.#issue(
      `CN=${full}, O=${this.instance}`,
      [
        new x509.BasicConstraintsExtension(false),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
        new x509.SubjectAlternativeNameExtension([{ type: 'url', value: `xroad:${full}` }]),
      ],
      days,
    );
  }

  /** The exchange's own TLS server certificate for the given host names and addresses. */
  issueServer(hosts: string[], days = 365): Promise<IssuedCert> {
    const names = hosts.map((h) => (/^[\d.]+$|:/.test(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h }));
    return this.#issue(
      `CN=${hosts[0]}, O=${this.instance}`,
      [
        new x509.BasicConstraintsExtension(false),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(names),
      ],
      days,
    );
  }

  /** The Ed25519 key that signs message-log batches. */
  signer() {
    this.#signer ??= (async () => {
      let row = await this.repo.key('log-signing-1');
      if (!row) {
        const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
        row = await this.repo.putKeyOnce({
          id: 'log-signing-1',
          kind: 'log-signing',
          certificate_pem: null,
          public_pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
          private_sealed: seal(this.secret, 'exchange-log-signing', privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
        });
      }
      return { id: row.id, key: crypto.createPrivateKey(unseal(this.secret, 'exchange-log-signing', row.private_sealed)) };
    })();
    this.#signer.catch(() => (this.#signer = null));
    return this.#signer;
  }
}

/** The subsystem id ("CLASS/MEMBER/SUB") and instance a client certificate names, from its URI SAN. */
export function subsystemOfCert(cert: { subjectaltname?: string }): { instance: string; subsystemId: string } | null {
  const m = /URI:xroad:([^,\s]+)/.exec(cert.subjectaltname ?? '');
  if (!m) return null;
  const parts = m[1].split('/');
  if (parts.length !== 4) return null;
  return { instance: parts[0], subsystemId: parts.slice(1).join('/') };
}
