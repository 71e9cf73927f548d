// Public document check (/verify/{code}, /fa/verify, /en/verify), the holder's download, the signed
// statement and public keys for offline checks, and the staff list with revocation.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../platform/errors.ts';
import { langOf, preferredLang, type Lang } from '../../platform/i18n.ts';
import { sendPage } from '../../web/render.ts';
import { requireStaff, principal } from '../identity/staff.guard.ts';
import { can } from '../identity/identity.policy.ts';
import { parseCode } from './documents.code.ts';
import { DocumentPage, StaffDocumentsPage, UnknownCodePage, VerifyStartPage, type FileError } from './documents.pages.tsx';
import { documentWords } from './documents.words.ts';
import { signedStatement, type CheckOutcome } from './documents.service.ts';
import type { DocumentRow } from './documents.repository.ts';

const MAX_PDF = 10 * 1024 * 1024;

export async function registerDocumentPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const hide = { schema: { hide: true } };
  const agencyName = async (id: string, lang: Lang) => {
    const a = await ctx.catalog.getAgency(id).catch(() => null);
    return (a && (a.name[lang] ?? a.name.fa ?? a.name.en)) || id;
  };
  const show = async (
    reply: FastifyReply,
    lang: Lang,
    doc: DocumentRow,
    extra: { outcome?: CheckOutcome; fileError?: FileError } = {},
    status = 200,
  ) => sendPage(reply, <DocumentPage lang={lang} v={{ doc, agencyName: await agencyName(doc.agency_id, lang), ...extra }} />, status);
  const lang0 = (req: FastifyRequest) => preferredLang(req.cookies?.lang, req.headers['accept-language'], ctx.config.DEFAULT_LANG);

  // Public keys (JWK set) for checking signatures without asking Panjereh each time.
  app.get(
    '/.well-known/panjereh-document-keys.json',
    { schema: { tags: ['Documents'], summary: 'Public keys that sign result documents (JWK set)' } },
    async (_req, reply) => {
      await ctx.documents.keys.active(); // make sure a key exists
      return reply.header('cache-control', 'public, max-age=3600').send(await ctx.documents.keys.jwks());
    },
  );

  app.get('/verify', hide, async (req, reply) => reply.redirect(`/${lang0(req)}/verify`, 302));

  // /verify/{code} (the QR code's target) goes to the visitor's language; {code}.pdf and {code}.json are files.
  app.get<{ Params: { code: string }; Querystring: { t?: string } }>('/verify/:code', hide, async (req, reply) => {
    const m = /^(.*?)(\.pdf|\.json)?$/.exec(req.params.code);
    if (!m) throw new AppError('DOCUMENT_NOT_FOUND'); // a line break in the code
    const code = parseCode(m[1]);
    if (!m[2]) return reply.redirect(`/${lang0(req)}/verify/${code ?? encodeURIComponent(m[1])}`, 302);
    if (!code) throw new AppError('DOCUMENT_NOT_FOUND');
    if (m[2] === '.pdf') {
      // Only the holder: the document carries their name and details, and the short code is printed on it.
      const doc = await ctx.documents.pdfForHolder(code, req.query.t);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="panjereh-${doc.code}.pdf"`)
        .header('cache-control', 'private, no-store')
        .header('x-robots-tag', 'noindex')
        .send(Buffer.from(doc.pdf));
    }
    const doc = await ctx.documents.find(code);
    if (!doc) throw new AppError('DOCUMENT_NOT_FOUND');
    return {
      code: doc.code,
      status: doc.status,
      revokedAt: doc.revoked_at,
      statement: signedStatement(doc),
      signature: doc.signature,
      alg: 'EdDSA',
      kid: doc.kid,
      keys: '/.well-known/panjereh-document-keys.json',
      howToVerify:
        'Ed25519-verify signature (base64url) over the UTF-8 bytes of "panjereh-document-v1." + statement with the key kid; then check that statement.sha256 is the SHA-256 (hex) of the PDF file.',
    };
  });

  app.get<{ Params: { lang: string }; Querystring: { code?: string } }>('/:lang/verify', hide, async (req, reply) => {
    const lang = langOf(req.params);
    if (req.query.code === undefined) return sendPage(reply, <VerifyStartPage lang={lang} />);
    const typed = String(req.query.code).slice(0, 60);
    if (!typed.trim()) return sendPage(reply, <VerifyStartPage lang={lang} error="codeMissing" />, 400);
    const code = parseCode(typed);
    if (!code) return sendPage(reply, <VerifyStartPage lang={lang} value={typed} error="codeFormat" />, 400);
    return reply.redirect(`/${lang}/verify/${code}`, 303);
  });

  app.get<{ Params: { lang: string; code: string } }>('/:lang/verify/:code', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const code = parseCode(req.params.code);
    if (code && code !== req.params.code) return reply.redirect(`/${lang}/verify/${code}`, 301);
    const doc = code ? await ctx.documents.find(code) : null;
    if (!doc) return sendPage(reply, <UnknownCodePage lang={lang} code={req.params.code} />, 404);
    return show(reply, lang, doc);
  });

  // The file check: a multipart upload, only compared (hash and signature), never stored. No CSRF token:
  // the check changes nothing and must also work from a page a visitor keeps open for long.
  await app.register(async (scope) => {
    if (!scope.hasContentTypeParser('multipart/form-data'))
      await scope.register(multipart, { limits: { fileSize: MAX_PDF, files: 1, fields: 5, parts: 6 } });
    scope.post<{ Params: { lang: string; code: string } }>('/:lang/verify/:code', hide, async (req, reply) => {
      const lang = langOf(req.params);
      const code = parseCode(req.params.code);
      const doc = code ? await ctx.documents.find(code) : null;
      if (!doc) return sendPage(reply, <UnknownCodePage lang={lang} code={req.params.code} />, 404);
      if (!req.isMultipart()) return show(reply, lang, doc, { fileError: 'choosePdf' }, 400);
      let bytes: Buffer | null = null;
      try {
        const file = await req.file();
        if (file && file.fieldname === 'document') bytes = await file.toBuffer();
      } catch (e) {
        if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
          return show(
            reply,
            lang,
            doc,
            {
              fileError: 'fileTooLarge',
            },
            413,
          );
        throw e;
      }
      if (!bytes || !bytes.length) return show(reply, lang, doc, { fileError: 'choosePdf' }, 400);
      if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-')
        return show(
          reply,
          lang,
          doc,
          {
            fileError: 'notPdf',
          },
          400,
        );
      const r = await ctx.documents.checkFile(doc.code, bytes);
      return show(reply, lang, r.doc, { outcome: r.outcome });
    });
  });

  // Staff: the agency's issued documents, and revocation (audited).
  app.get<{ Params: { lang: string }; Querystring: { revoked?: string } }>('/:lang/staff/documents', hide, async (req, reply) => {
    const lang = langOf(req.params);
    const staff = await requireStaff(ctx, req, reply, lang, 'documents.list', { agencyId: undefined });
    if (!staff) return reply;
    if (staff.agency_id === null && staff.role !== 'platform-admin' && staff.role !== 'oversight-analyst') throw new AppError('FORBIDDEN');
    const docs = await ctx.documents.list(staff.agency_id, 50);
    const agencyLabel = staff.agency_id ? await agencyName(staff.agency_id, lang) : documentWords(lang)('allAgencies');
    const message = req.query.revoked ? documentWords(lang)('wasRevoked', { code: req.query.revoked.slice(0, 12) }) : undefined;
    return sendPage(
      reply,
      <StaffDocumentsPage
        lang={lang}
        docs={docs}
        token={reply.generateCsrf()}
        agencyLabel={agencyLabel}
        message={message}
        canRevoke={can(principal(staff), 'documents.revoke', { agencyId: staff.agency_id ?? undefined })}
      />,
    );
  });

  app.post<{ Params: { lang: string; code: string }; Body: { reason?: string } }>(
    '/:lang/staff/documents/:code/revoke',
    { ...hide, preHandler: app.csrfProtection },
    async (req, reply) => {
      const lang = langOf(req.params);
      // Signed-in staff first (nobody else learns which codes exist), then the policy for this document's agency.
      if (!(await requireStaff(ctx, req, reply, lang, 'staff.home'))) return reply;
      const code = parseCode(req.params.code);
      const doc = code ? await ctx.documents.find(code) : null;
      if (!doc) throw new AppError('DOCUMENT_NOT_FOUND');
      const staff = await requireStaff(ctx, req, reply, lang, 'documents.revoke', { agencyId: doc.agency_id });
      if (!staff) return reply;
      const reason = String(req.body?.reason ?? '').trim();
      if (!reason) {
        const error = {
          field: `reason-${doc.code}`,
          message: documentWords(lang)('writeReason', { code: doc.code }),
        };
        const docs = await ctx.documents.list(staff.agency_id, 50);
        const agencyLabel = staff.agency_id ? await agencyName(staff.agency_id, lang) : documentWords(lang)('allAgencies');
        return sendPage(
          reply,
          <StaffDocumentsPage lang={lang} docs={docs} token={reply.generateCsrf()} agencyLabel={agencyLabel} canRevoke error={error} />,
          400,
        );
      }
      await ctx.documents.revoke(doc.code, staff.role === 'platform-admin' ? null : staff.agency_id, reason, (tx) =>
        ctx.audit.record(
          { actor: `staff:${staff.id}`, action: 'documents.revoked', subject: doc.code, detail: { agencyId: doc.agency_id } },
          tx,
        ),
      );
      return reply.redirect(`/${lang}/staff/documents?revoked=${doc.code}`, 303);
    },
  );
}
