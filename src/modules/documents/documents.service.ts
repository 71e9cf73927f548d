// Signed result documents: issue (render the PDF, hash it, sign the hash with the document's
// metadata, store), look up by short code, check a file someone holds, download for the holder, revoke.
import crypto from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { canonicalJson } from '../../platform/json.ts';
import type { WebhookService } from '../webhooks/webhooks.service.ts';
import { newCode } from './documents.code.ts';
import type { DocumentKeys } from './documents.keys.ts';
import { renderDocumentPdf } from './documents.pdf.ts';
import { documentsRepo, type DocumentRow } from './documents.repository.ts';
import type { InTx } from '../../platform/audit.ts';

export type DocumentKind = 'certificate' | 'licence' | 'letter';

export interface IssueDocumentInput {
  agencyId: string;
  serviceId?: string | null;
  applicationRef?: string | null;
  kind: DocumentKind;
  lang: 'fa' | 'en';
  title: string;
  holderName: string;
  fields: { label: string; value: string }[];
  issuedAt?: Date;
}

export interface IssuedDocument {
  id: string;
  code: string;
  sha256: string;
  /** Give this only to the holder: `/verify/{code}.pdf?t={downloadToken}` downloads the PDF. */
  downloadToken: string;
  verifyUrl: string;
  downloadUrl: string;
}

export type CheckOutcome = 'genuine' | 'altered' | 'revoked' | 'signature-invalid';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KINDS: DocumentKind[] = ['certificate', 'licence', 'letter'];
const clean = (s: unknown) =>
  String(s ?? '')
    // eslint-disable-next-line no-control-regex -- deliberately drops control characters (tab and line feed kept) from stored text
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '')
    .trim();
const sha256hex = (b: Buffer | string) => crypto.createHash('sha256').update(b).digest('hex');
export const SIGNATURE_CONTEXT = 'panjereh-document-v1.';

/** Every reason the input cannot be issued (empty when it can). */
export function issueProblems(i: Partial<IssueDocumentInput>): string[] {
  const p: string[] = [];
  if (!clean(i.agencyId)) p.push('agencyId is required');
  if (i.serviceId != null && !UUID.test(String(i.serviceId))) p.push('serviceId must be a service id (UUID)');
  if (i.applicationRef != null && (typeof i.applicationRef !== 'string' || i.applicationRef.length > 100))
    p.push('applicationRef must be text of at most 100 characters');
  if (!KINDS.includes(i.kind as DocumentKind)) p.push('kind must be certificate, licence or letter');
  if (i.lang !== 'fa' && i.lang !== 'en') p.push('lang must be fa or en');
  if (!clean(i.title) || clean(i.title).length > 200) p.push('title is required (at most 200 characters)');
  if (!clean(i.holderName) || clean(i.holderName).length > 200) p.push('holderName is required (at most 200 characters)');
  if (!Array.isArray(i.fields) || i.fields.length > 30) p.push('fields must be a list of at most 30 {label, value}');
  else
    i.fields.forEach((f, n) => {
      if (
        !f ||
        typeof f !== 'object' ||
        !clean(f.label) ||
        clean(f.label).length > 100 ||
        typeof f.value !== 'string' ||
        f.value.length > 1000
      )
        p.push(`fields[${n}] needs a label (at most 100 characters) and a text value (at most 1000)`);
    });
  if (i.issuedAt !== undefined && (!(i.issuedAt instanceof Date) || Number.isNaN(i.issuedAt.getTime()))) p.push('issuedAt must be a date');
  return p;
}

/** The exact text the platform key signs: the PDF's hash, the public facts, and a hash of the personal ones. */
export function signedStatement(
  d: Pick<
    DocumentRow,
    | 'code'
    | 'kid'
    | 'sha256'
    | 'issued_at'
    | 'agency_id'
    | 'kind'
    | 'lang'
    | 'title'
    | 'holder_name'
    | 'fields'
    | 'service_id'
    | 'application_ref'
  >,
): string {
  const personal = canonicalJson({
    title: d.title,
    holderName: d.holder_name,
    fields: d.fields,
    serviceId: d.service_id,
    applicationRef: d.application_ref,
  });
  return canonicalJson({
    v: 1,
    code: d.code,
    kid: d.kid,
    sha256: d.sha256,
    issuedAt: new Date(d.issued_at).toISOString(),
    agencyId: d.agency_id,
    kind: d.kind,
    lang: d.lang,
    metadataSha256: sha256hex(personal),
  });
}

export class DocumentService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly config: Config,
    readonly keys: DocumentKeys,
    private readonly webhooks: WebhookService,
  ) {}

  baseUrl(): string {
    return this.config.PUBLIC_URL;
  }

  /**
   * Issues a signed document. Pass `trx` to issue inside your own transaction (the document, and its
   * `document.issued` webhook event, then commit or roll back with it). Throws VALIDATION_FAILED
   * (details.problems), AGENCY_NOT_FOUND, or OTHER_AGENCY when the service is another agency's.
   */
  async issue(input: IssueDocumentInput, trx?: Transaction<Database>): Promise<IssuedDocument> {
    const problems = issueProblems(input);
    if (problems.length) throw new AppError('VALIDATION_FAILED', problems.join('; '), { problems });
    const db = trx ?? this.db;
    const agencyName = await documentsRepo.agencyName(db, input.agencyId);
    if (!agencyName) throw new AppError('AGENCY_NOT_FOUND');
    if (input.serviceId) {
      const owner = await documentsRepo.serviceAgency(db, input.serviceId);
      if (!owner) throw new AppError('SERVICE_NOT_FOUND');
      if (owner !== input.agencyId) throw new AppError('OTHER_AGENCY', 'The service belongs to another agency.');
    }
    const key = await this.keys.active();
    let code = newCode();
    while (await documentsRepo.codeTaken(db, code)) code = newCode();
    const issuedAt = new Date(Math.floor((input.issuedAt ?? new Date()).getTime() / 1000) * 1000);
    const fields = (input.fields ?? []).map((f) => ({ label: clean(f.label), value: clean(f.value) }));
    const verifyUrl = `${this.baseUrl()}/verify/${code}`;
    const pdf = await renderDocumentPdf({
      code,
      lang: input.lang,
      kind: input.kind,
      agencyName: agencyName[input.lang] ?? agencyName.fa ?? agencyName.en ?? input.agencyId,
      title: clean(input.title),
      holderName: clean(input.holderName),
      fields,
      issuedAt,
      verifyUrl,
    });
    const downloadToken = crypto.randomBytes(24).toString('base64url');
    const row = {
      code,
      agency_id: input.agencyId,
      service_id: input.serviceId ?? null,
      application_ref: input.applicationRef ?? null,
      kind: input.kind,
      lang: input.lang,
      title: clean(input.title),
      holder_name: clean(input.holderName),
      fields,
      issued_at: issuedAt,
      sha256: sha256hex(pdf),
      kid: key.kid,
    };
    const signature = crypto.sign(null, Buffer.from(SIGNATURE_CONTEXT + signedStatement(row)), key.privateKey).toString('base64url');
    const write = async (tx: Transaction<Database>) => {
      const id = await documentsRepo.insert(tx, {
        ...row,
        fields: JSON.stringify(fields),
        signature,
        pdf,
        download_token_hash: sha256hex(downloadToken),
      });
      await this.webhooks.emit(tx, input.agencyId, 'document.issued', {
        documentId: id,
        code,
        kind: input.kind,
        applicationRef: row.application_ref,
        serviceId: row.service_id,
        issuedAt: issuedAt.toISOString(),
        verifyUrl,
      });
      return id;
    };
    const id = trx ? await write(trx) : await this.db.transaction().execute(write);
    return { id, code, sha256: row.sha256, downloadToken, verifyUrl, downloadUrl: `${verifyUrl}.pdf?t=${downloadToken}` };
  }

  async find(code: string): Promise<DocumentRow | null> {
    return (await documentsRepo.byCode(this.db, code)) ?? null;
  }

  /** Whether the stored record still carries a valid platform signature. */
  async signatureHolds(d: DocumentRow): Promise<boolean> {
    const pub = await this.keys.publicKey(d.kid);
    if (!pub) return false;
    try {
      return crypto.verify(null, Buffer.from(SIGNATURE_CONTEXT + signedStatement(d)), pub, Buffer.from(d.signature, 'base64url'));
    } catch {
      return false;
    }
  }

  /** Compares a file someone holds with the issued document. */
  async checkFile(code: string, bytes: Buffer): Promise<{ outcome: CheckOutcome; doc: DocumentRow }> {
    const doc = await this.find(code);
    if (!doc) throw new AppError('DOCUMENT_NOT_FOUND');
    if (!(await this.signatureHolds(doc))) return { outcome: 'signature-invalid', doc };
    if (sha256hex(bytes) !== doc.sha256) return { outcome: 'altered', doc };
    return { outcome: doc.status === 'revoked' ? 'revoked' : 'genuine', doc };
  }

  /** The PDF for its holder (the token from issue()). */
  async pdfForHolder(code: string, token: string | undefined): Promise<DocumentRow> {
    const doc = await this.find(code);
    if (!doc) throw new AppError('DOCUMENT_NOT_FOUND');
    const given = Buffer.from(sha256hex(String(token ?? '')));
    if (!token || !crypto.timingSafeEqual(given, Buffer.from(doc.download_token_hash))) throw new AppError('DOCUMENT_TOKEN_REQUIRED');
    return doc;
  }

  list(agencyId: string | null, limit = 50) {
    return documentsRepo.list(this.db, agencyId, limit);
  }

  /** Revokes a valid document (agencyId, when given, must be the issuer). Emits document.revoked. */
  /** Revokes a document; `then` runs in the same transaction (the audit entry). */
  async revoke(code: string, agencyId: string | null, reason: string, then?: InTx<DocumentRow>): Promise<DocumentRow> {
    const doc = await this.find(code);
    if (!doc) throw new AppError('DOCUMENT_NOT_FOUND');
    if (agencyId && doc.agency_id !== agencyId) throw new AppError('OTHER_AGENCY');
    const why = clean(reason).slice(0, 500);
    if (!why) throw new AppError('VALIDATION_FAILED', 'Give the reason for revoking.');
    await this.db.transaction().execute(async (tx) => {
      if (!(await documentsRepo.revoke(tx, doc.id, why))) throw new AppError('DOCUMENT_ALREADY_REVOKED');
      await this.webhooks.emit(tx, doc.agency_id, 'document.revoked', {
        documentId: doc.id,
        code: doc.code,
        applicationRef: doc.application_ref,
        reason: why,
      });
      await then?.(tx, doc);
    });
    const revoked = await this.find(code);
    if (!revoked) throw new AppError('DOCUMENT_NOT_FOUND');
    return revoked;
  }
}
