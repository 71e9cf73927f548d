// The agency API on applications (/api/agency/v1/applications): an agency's back-end system lists and
// reads its applications and works them with an API key. Every change goes through the same
// ApplicationsService methods as the back office (rules, timeline, e-box, notifications, webhooks and
// audit alike; the actor is recorded as apikey:<id>). Another agency's application is 404, like one
// that does not exist. Scopes: applications:read, applications:write, messages:write.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { ApplicationStatus } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { agencyOf, apiKeyRouteConfig, requireApiKey } from '../agencyapi/agencyapi.guard.ts';
import type { AgencyPrincipal } from '../agencyapi/agencyapi.service.ts';
import type { ApplicationRow } from './applications.repository.ts';
import { AGENCY_SORTS, isOverdue, RESPONSE_FILE, type AgencyActor, type AgencySort } from './applications.types.ts';
import { relevantAnswers } from './forms.ts';
import { sendFile } from './files.http.ts';
import { cleanText } from './validate.ts';
import { STATUSES, UUID, MAX_TEXT, errors, idParams, summarySchema, detailSchema, textBody } from './applications.api.schema.ts';

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
const summary = (a: ApplicationRow) => ({
  id: a.id,
  reference: a.reference,
  serviceId: a.service_id,
  status: a.status,
  formVersion: a.form_version,
  lang: a.lang,
  assignedTo: a.assigned_to,
  submittedAt: iso(a.submitted_at),
  dueAt: iso(a.due_at),
  decidedAt: iso(a.decided_at),
  decisionReason: a.decision_reason,
  updatedAt: iso(a.updated_at),
  overdue: isOverdue(a),
});

/**
 * A timestamptz exactly as PostgreSQL writes it (`2026-01-31 12:00:00.123456+00`), with a real
 * calendar date and time. Date.parse is no test: it takes 2026-02-30, 24:00 and years past 9999,
 * which PostgreSQL refuses.
 */
export function isPgTimestamp(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?([+-])(\d{2})(?::(\d{2}))?$/.exec(v);
  if (!m) return false;
  const [y, mo, d, h, mi, s, tzh, tzm] = [m[1], m[2], m[3], m[4], m[5], m[6], m[9], m[10] ?? '0'].map(Number);
  const day = new Date(Date.UTC(y, mo - 1, d));
  return (
    y >= 1 &&
    day.getUTCFullYear() === y &&
    day.getUTCMonth() === mo - 1 &&
    day.getUTCDate() === d &&
    h < 24 &&
    mi < 60 &&
    s < 60 &&
    tzh <= 15 &&
    tzm < 60
  );
}

const cursorOf = (sort: AgencySort, next: { value: string; id: string }) =>
  Buffer.from(JSON.stringify([sort, next.value, next.id])).toString('base64url');
function parseCursor(raw: string, sort: AgencySort): { value: string; id: string } {
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v.length === 3 &&
      v[0] === sort &&
      typeof v[1] === 'string' &&
      isPgTimestamp(v[1]) &&
      typeof v[2] === 'string' &&
      UUID.test(v[2])
    )
      return { value: v[1], id: v[2] };
  } catch {
    /* below */
  }
  throw new AppError('VALIDATION_FAILED', 'cursor is not one this API gave out for this sort; start again without it.', {
    field: 'cursor',
  });
}

/** A JSON body's text field, cleaned; '' when absent. 400 when it is not text or too long. */
function textOf(body: unknown, name: string, required: boolean): string {
  const b = (body && typeof body === 'object' && !Array.isArray(body) ? body : null) as Record<string, unknown> | null;
  if (!b) throw new AppError('VALIDATION_FAILED', 'Send a JSON object.');
  const raw = b[name];
  if (raw !== undefined && raw !== null && typeof raw !== 'string')
    throw new AppError('VALIDATION_FAILED', `${name} must be text.`, { field: name });
  const t = cleanText(raw ?? '', true);
  if (required && !t) throw new AppError('VALIDATION_FAILED', `${name} is required.`, { field: name });
  if (t.length > MAX_TEXT) throw new AppError('VALIDATION_FAILED', `${name} must be ${MAX_TEXT} characters or fewer.`, { field: name });
  return t;
}

const actor = (p: AgencyPrincipal): AgencyActor => ({ apiKeyId: p.keyId, agencyId: p.agencyId });

export function registerApplicationsApi(app: FastifyInstance, ctx: AppContext): void {
  const config = apiKeyRouteConfig(ctx);
  const tags = ['Agency API'];
  const A = () => ctx.applications;
  const base = '/api/agency/v1/applications';
  const own = (req: FastifyRequest<{ Params: { id: string } }>) => A().backoffice.forAgency(req.params.id, agencyOf(req).agencyId);

  app.get<{ Querystring: Record<string, string | undefined> }>(
    base,
    {
      config,
      preValidation: requireApiKey(ctx, 'applications:read'),
      schema: {
        tags,
        summary: "List this agency's applications (scope applications:read)",
        description:
          'Submitted applications only (never drafts). Keyset paging: pass nextCursor back as cursor with the same filters and sort until it is null. To keep a system in step, poll with sort=updated and updatedSince.',
        querystring: {
          type: 'object',
          properties: {
            status: {
              type: 'string',
              enum: [...STATUSES, 'open'],
              description: 'One status, or open (submitted, in-review, info-requested, resubmitted)',
            },
            service: { type: 'string', description: 'A service id (UUID) of this agency' },
            updatedSince: { type: 'string', description: 'ISO 8601 date-time: only applications changed at or after it' },
            sort: {
              type: 'string',
              enum: [...AGENCY_SORTS],
              default: 'updated',
              description: 'updated (oldest change first), -updated, submitted, -submitted or due (soonest deadline first)',
            },
            limit: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
            cursor: { type: 'string', maxLength: 300 },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: summarySchema }, nextCursor: { type: 'string', nullable: true } },
          },
          ...errors,
        },
      },
    },
    async (req) => {
      const p = agencyOf(req);
      const q = req.query;
      const sort = (q.sort ?? 'updated') as AgencySort;
      if (q.service !== undefined && !UUID.test(q.service))
        throw new AppError('VALIDATION_FAILED', 'service must be a service id (UUID).', { field: 'service' });
      let updatedSince: Date | undefined;
      if (q.updatedSince !== undefined) {
        updatedSince = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(q.updatedSince)
          ? new Date(q.updatedSince)
          : new Date(NaN);
        if (Number.isNaN(updatedSince.getTime()))
          throw new AppError('VALIDATION_FAILED', 'updatedSince must be an ISO 8601 date-time, for example 2026-01-31T12:00:00Z.', {
            field: 'updatedSince',
          });
      }
      const after = q.cursor !== undefined ? parseCursor(q.cursor, sort) : undefined;
      const limit = Number(q.limit ?? 50);
      const { items, next } = await A().backoffice.agencyList({
        agencyId: p.agencyId,
        status: q.status as ApplicationStatus | 'open' | undefined,
        serviceId: q.service,
        updatedSince,
        sort,
        after,
        limit,
      });
      return { items: items.map(summary), nextCursor: next ? cursorOf(sort, next) : null };
    },
  );

  app.get<{ Params: { id: string } }>(
    `${base}/:id`,
    {
      config,
      preValidation: requireApiKey(ctx, 'applications:read'),
      schema: {
        tags,
        summary: 'One application: answers, files, timeline, messages and documents (scope applications:read)',
        params: idParams,
        response: { 200: detailSchema, ...errors },
      },
    },
    async (req) => {
      const a = await own(req);
      const [def, files, events, messages, citizen] = await Promise.all([
        A().formOf(a),
        A().files(a),
        A().timeline(a),
        A().messagesOf(a),
        A().applicantOf(a),
      ]);
      const issued = events.filter((e) => e.type === 'document.issued').map((e) => e.data as { code?: string });
      const docs = (await Promise.all(issued.flatMap((d) => (d.code ? [ctx.documents.find(d.code.replace('-', ''))] : [])))).filter(
        (d) => !!d,
      );
      return {
        ...summary(a),
        applicant: { nationalId: citizen?.national_id ?? '' },
        answers: relevantAnswers(def, a.answers),
        files: files.map((f) => ({
          id: f.id,
          field: f.field,
          name: f.original_name,
          contentType: f.content_type,
          size: f.size_bytes,
          sha256: f.sha256,
          uploadedBy: f.uploaded_by,
          uploadedAt: iso(f.created_at),
          downloadUrl: `${base}/${a.id}/files/${f.id}`,
        })),
        timeline: events.map((e) => ({
          id: String(e.id),
          type: e.type,
          from: e.from_status,
          to: e.to_status,
          actor: e.actor,
          at: iso(e.at),
          data: e.data,
        })),
        messages: messages.map((m) => ({
          id: m.id,
          sender: m.sender,
          kind: m.kind,
          subject: m.subject,
          body: m.body,
          fileIds: m.file_ids,
          inReplyTo: m.in_reply_to,
          sentAt: iso(m.sent_at),
          readAt: iso(m.read_at),
        })),
        documents: docs.map((d) => ({
          code: d.code,
          verifyUrl: `${ctx.documents.baseUrl()}/verify/${d.code}`,
          issuedAt: iso(d.issued_at),
        })),
      };
    },
  );

  app.get<{ Params: { id: string; file: string } }>(
    `${base}/:id/files/:file`,
    {
      config,
      preValidation: requireApiKey(ctx, 'applications:read'),
      schema: {
        tags,
        summary: "Download one of the application's files (scope applications:read)",
        params: { type: 'object', properties: { id: { type: 'string' }, file: { type: 'string' } }, required: ['id', 'file'] },
        response: { 200: { description: 'The file as uploaded (PDF, PNG or JPEG)', type: 'string', format: 'binary' }, ...errors },
      },
    },
    async (req, reply) => {
      const p = agencyOf(req);
      const a = await own(req);
      const f = await A().file(a, req.params.file);
      await ctx.audit.record({
        actor: `apikey:${p.keyId}`,
        action: 'application.file-download',
        subject: a.id,
        detail: { agencyId: p.agencyId, file: f.row.id },
      });
      return sendFile(reply, f);
    },
  );

  // the key is checked before the body is validated, so a caller without one learns nothing from a 400
  const write = requireApiKey(ctx, 'applications:write');
  const changed = async (id: string) => ({ application: summary(await A().backoffice.forAgency(id)) });
  const changeResponse = { 200: { type: 'object', properties: { application: summarySchema } }, ...errors };

  app.post<{ Params: { id: string } }>(
    `${base}/:id/assign`,
    {
      config,
      preValidation: write,
      schema: {
        tags,
        summary: 'Assign to an officer (scope applications:write)',
        description:
          'Moves a submitted or resubmitted application to in-review, like an officer claiming it in the back office. operator: the staff id or e-mail of an active operator or agency admin of this agency.',
        params: idParams,
        body: { type: 'object', properties: { operator: { type: 'string', maxLength: 320 } }, required: ['operator'] },
        response: changeResponse,
      },
    },
    async (req) => {
      const p = agencyOf(req);
      const b = req.body as Record<string, unknown>;
      const a = await own(req);
      const officer = typeof b.operator === 'string' ? await A().backoffice.findAssignable(p.agencyId, b.operator) : undefined;
      if (!officer)
        throw new AppError('VALIDATION_FAILED', 'operator must be the id or e-mail of an active operator of your agency.', {
          field: 'operator',
        });
      await A().backoffice.claim(actor(p), a.id, officer);
      return changed(a.id);
    },
  );

  app.post<{ Params: { id: string } }>(
    `${base}/:id/request-info`,
    {
      config,
      preValidation: write,
      schema: {
        tags,
        summary: 'Ask the citizen for more information (scope applications:write); the text goes to their e-box',
        params: idParams,
        body: textBody('text', 'What the citizen must send (at most 2000 characters)', true),
        response: changeResponse,
      },
    },
    async (req) => {
      const p = agencyOf(req);
      const text = textOf(req.body, 'text', true);
      const a = await own(req);
      await A().backoffice.requestInfo(actor(p), a.id, text);
      return changed(a.id);
    },
  );

  app.post<{ Params: { id: string } }>(
    `${base}/:id/approve`,
    {
      config,
      preValidation: write,
      schema: {
        tags,
        summary: 'Approve (scope applications:write); the platform then issues the signed result document',
        params: idParams,
        body: { ...textBody('note', 'Optional note with the approval (at most 2000 characters)', false), nullable: true },
        response: changeResponse,
      },
    },
    async (req) => {
      const p = agencyOf(req);
      const note = textOf(req.body ?? {}, 'note', false);
      const a = await own(req);
      await A().backoffice.decide(actor(p), a.id, 'approved', note);
      return changed(a.id);
    },
  );

  app.post<{ Params: { id: string } }>(
    `${base}/:id/reject`,
    {
      config,
      preValidation: write,
      schema: {
        tags,
        summary: 'Reject with a reason the citizen sees (scope applications:write)',
        params: idParams,
        body: textBody('reason', 'Why (at most 2000 characters)', true),
        response: changeResponse,
      },
    },
    async (req) => {
      const p = agencyOf(req);
      const reason = textOf(req.body, 'reason', true);
      const a = await own(req);
      await A().backoffice.decide(actor(p), a.id, 'rejected', reason);
      return changed(a.id);
    },
  );

  app.post<{ Params: { id: string } }>(
    `${base}/:id/messages`,
    {
      config,
      preValidation: requireApiKey(ctx, 'messages:write'),
      schema: {
        tags,
        summary: "Send a message to the citizen's e-box (scope messages:write)",
        description:
          'Optional attachment: a PDF, PNG or JPEG as base64 (the JSON body is limited to 1 MB). The citizen is notified by SMS (and e-mail when they gave one) and can reply.',
        params: idParams,
        body: {
          type: 'object',
          properties: {
            text: { type: 'string', maxLength: MAX_TEXT * 2 },
            attachment: {
              type: 'object',
              properties: { name: { type: 'string', maxLength: 200 }, contentBase64: { type: 'string' } },
              required: ['name', 'contentBase64'],
            },
          },
          required: ['text'],
        },
        response: {
          201: { type: 'object', properties: { messageId: { type: 'string' }, fileId: { type: 'string', nullable: true } } },
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const p = agencyOf(req);
      const text = textOf(req.body, 'text', true);
      const att = (req.body as { attachment?: { name: string; contentBase64: string } }).attachment;
      let upload: { bytes: Buffer; name: string } | null = null;
      if (att) {
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(att.contentBase64.replace(/\s+/g, '')) || !att.contentBase64.trim())
          throw new AppError('VALIDATION_FAILED', 'attachment.contentBase64 must be base64.', { field: 'attachment' });
        upload = { bytes: Buffer.from(att.contentBase64, 'base64'), name: att.name };
      }
      const a = await own(req);
      let fileId: string | null = null;
      if (upload) {
        const r = await A().storeFile(a, RESPONSE_FILE, Readable.from([upload.bytes]), upload.name, `apikey:${p.keyId}`);
        if (!r.ok)
          throw new AppError(
            'VALIDATION_FAILED',
            r.reason === 'too-large'
              ? 'The attachment is too large.'
              : r.reason === 'empty'
                ? 'The attachment is empty.'
                : 'The attachment must be a PDF, PNG or JPEG.',
            { field: 'attachment', reason: r.reason },
          );
        fileId = r.answer.fileId;
      }
      let messageId: string;
      try {
        messageId = await A().backoffice.message(actor(p), a.id, text, fileId ? [fileId] : []);
      } catch (e) {
        if (fileId) await A().dropFile(a.id, fileId);
        throw e;
      }
      return reply.code(201).send({ messageId, fileId });
    },
  );
}
