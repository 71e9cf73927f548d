// `panjereh documents ...` and `panjereh apikey ...`: check a PDF against the register, rotate the
// signing key, issue a demo document; create, list and revoke agency API keys.
import fs from 'node:fs';
import type { Command } from 'commander';
import type { Config } from '../../config.ts';
import type { DatabaseHandle } from '../../db/connect.ts';
import { AppError } from '../../platform/errors.ts';
import { AuditLog } from '../../platform/audit.ts';
import { AgencyApiService, API_SCOPES } from '../agencyapi/agencyapi.service.ts';
import { WebhookService } from '../webhooks/webhooks.service.ts';
import { formatCode, parseCode } from './documents.code.ts';
import { DocumentKeys } from './documents.keys.ts';
import { DocumentService } from './documents.service.ts';
import { issueDemoDocument } from './documents.demo.ts';

type WithDatabase = <T>(fn: (h: DatabaseHandle, cfg: Config) => Promise<T>) => Promise<T>;

export const documentService = (h: DatabaseHandle, cfg: Config) =>
  new DocumentService(h.db, cfg, new DocumentKeys(h.db, cfg.SESSION_SECRET, cfg.DOCUMENT_SIGNING_KEY), new WebhookService(h.db, cfg));

/** The code Panjereh writes into each PDF's Keywords. */
export function codeInPdf(bytes: Buffer): string | null {
  const m = /\(panjereh-document:([A-Z2-9]{10})\)/.exec(bytes.toString('latin1'));
  return m ? m[1] : null;
}

export function registerDocumentCommands(program: Command, withDatabase: WithDatabase): void {
  const docs = program.command('documents').description('Signed result documents');
  docs
    .command('verify')
    .description('Check a PDF against the register: exit code 0 only when it is genuine, unaltered and not revoked')
    .argument('<file>', 'the PDF file')
    .option('--code <code>', 'the document code, when the file does not carry it')
    .option('--json', 'machine-readable output')
    .action((file: string, opts: { code?: string; json?: boolean }) =>
      withDatabase(async (h, cfg) => {
        let bytes: Buffer;
        try {
          bytes = fs.readFileSync(file);
        } catch {
          throw new AppError('VALIDATION_FAILED', `Cannot read ${file}`);
        }
        if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw new AppError('NOT_A_PDF');
        const code = (opts.code ? parseCode(opts.code) : null) ?? codeInPdf(bytes);
        if (!code) throw new AppError('DOCUMENT_NOT_FOUND', 'The file carries no Panjereh document code; give it with --code.');
        const r = await documentService(h, cfg).checkFile(code, bytes);
        const summary = {
          code: formatCode(code),
          outcome: r.outcome,
          agencyId: r.doc.agency_id,
          kind: r.doc.kind,
          issuedAt: new Date(r.doc.issued_at).toISOString(),
          status: r.doc.status,
        };
        if (opts.json) process.stdout.write(JSON.stringify(summary) + '\n');
        else {
          const words = {
            genuine: 'GENUINE: the file is the issued document, unaltered, and valid',
            altered: 'ALTERED: the file is not the document that was issued',
            revoked: 'REVOKED: the file is unaltered but the document has been revoked',
            'signature-invalid': 'NOT CONFIRMED: the register entry fails its signature check',
          };
          process.stdout.write(
            `${words[r.outcome]}\n  code ${summary.code}, ${summary.kind} issued by ${summary.agencyId} on ${summary.issuedAt}\n`,
          );
        }
        if (r.outcome !== 'genuine') process.exitCode = 1;
      }),
    );
  docs
    .command('keys')
    .description('The platform signing key')
    .command('rotate')
    .description('Make a new signing key (earlier keys stay published so their documents still verify)')
    .action(() =>
      withDatabase(async (h, cfg) => {
        if (cfg.DOCUMENT_SIGNING_KEY)
          throw new AppError('VALIDATION_FAILED', 'DOCUMENT_SIGNING_KEY is set: rotate it in the environment instead.');
        const k = await new DocumentKeys(h.db, cfg.SESSION_SECRET).rotate();
        process.stdout.write(`New document signing key ${k.kid}. Restart the app nodes to sign with it.\n`);
      }),
    );
  docs
    .command('demo')
    .description('Issue a demo certificate and print its code and links')
    .option('--out <file>', 'also write the PDF to this file')
    .action((opts: { out?: string }) =>
      withDatabase(async (h, cfg) => {
        const service = documentService(h, cfg);
        const d = await issueDemoDocument(service);
        if (opts.out) fs.writeFileSync(opts.out, (await service.pdfForHolder(d.code, d.downloadToken)).pdf);
        process.stdout.write(`Demo document ${formatCode(d.code)}\n  check:    ${d.verifyUrl}\n  download: ${d.downloadUrl}\n`);
      }),
    );

  const apikey = program.command('apikey').description('API keys for agencies’ back-end systems');
  apikey
    .command('create')
    .description('Create a key for an agency; prints it once')
    .requiredOption('--agency <id>', 'the agency id (as in the catalogue)')
    .requiredOption('--scopes <list>', `comma-separated: ${API_SCOPES.join(', ')}`)
    .option('--name <name>', 'what uses the key', 'created from the command line')
    .option('--json', 'machine-readable output')
    .action((opts: { agency: string; scopes: string; name: string; json?: boolean }) =>
      withDatabase(async (h) => {
        const scopes = opts.scopes
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const k = await new AgencyApiService(h.db, new AuditLog(h.db)).create(opts.agency, opts.name, scopes, 'cli');
        if (opts.json)
          process.stdout.write(JSON.stringify({ id: k.id, key: k.key, prefix: k.prefix, agencyId: opts.agency, scopes }) + '\n');
        else process.stdout.write(`API key for ${opts.agency} (shown only now; keep it secret):\n${k.key}\nscopes: ${scopes.join(', ')}\n`);
      }),
    );
  apikey
    .command('list')
    .description('List keys (prefixes only)')
    .option('--agency <id>', 'only this agency')
    .action((opts: { agency?: string }) =>
      withDatabase(async (h) => {
        for (const k of await new AgencyApiService(h.db, new AuditLog(h.db)).list(opts.agency ?? null)) {
          process.stdout.write(
            `${k.id}  pjk_${k.prefix}_…  ${k.agency_id}  ${k.scopes.join(',')}  ${k.revoked_at ? 'revoked' : 'active'}  last used ${k.last_used_at ? new Date(k.last_used_at).toISOString() : 'never'}  ${k.name}\n`,
          );
        }
      }),
    );
  apikey
    .command('revoke')
    .description('Revoke a key by its id')
    .argument('<id>', 'the key id (from apikey list)')
    .action((id: string) =>
      withDatabase(async (h) => {
        const r = await new AgencyApiService(h.db, new AuditLog(h.db)).revoke(id, null, 'cli');
        process.stdout.write(`Revoked pjk_${r.prefix}_… of ${r.agencyId}.\n`);
      }),
    );
}
