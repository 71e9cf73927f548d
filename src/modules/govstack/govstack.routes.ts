// The GovStack Registration building block API (spec/govstack-registration-bb-api-0.1.1.json) and its
// statistics API (spec/govstack-registration-bb-statistics-1.0.0.json) under /govstack/registration/.
// Bodies: JSON, application/x-www-form-urlencoded and multipart/form-data (nested names as a.b.c or
// a[b][c]). Errors: JSON in the spec's systemError shape {traceId, code, message, localizedMessage}.
// Access (GOVSTACK_ACCESS): services, eForms and statistics are open; applications, documents and tasks
// need an agency API key with the `govstack` scope (scoped to the key's agency), or are open with
// GOVSTACK_ACCESS=open in a conformance-test sandbox.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { Ajv } from 'ajv';
import type { AppContext } from '../../context.ts';
import { AppError, errorRegistry, fromDatabaseError, fromMultipartError, type ErrorCode } from '../../platform/errors.ts';
import { assertCleanInput } from '../../platform/http.ts';
import { MAX_FILE_BYTES } from '../applications/forms.ts';
import { apiKeyRouteConfig, requireApiKey } from '../agencyapi/agencyapi.guard.ts';
import { GovstackService, type Caller, type Lang, type ListQuery, type StatisticsQuery, type SubmitInput } from './govstack.service.ts';

export const GOVSTACK_PREFIX = '/govstack/registration';
const SPEC_DIR = path.join(import.meta.dirname, 'spec');
export const registrationSpec = JSON.parse(fs.readFileSync(path.join(SPEC_DIR, 'govstack-registration-bb-api-0.1.1.json'), 'utf8'));
export const statisticsSpec = JSON.parse(fs.readFileSync(path.join(SPEC_DIR, 'govstack-registration-bb-statistics-1.0.0.json'), 'utf8'));

// Request bodies are checked against the spec's own schemas. Two documented relaxations: ids are opaque
// strings (GovStack's conformance data uses ids that are not UUIDs), and a formData.data value may be any
// JSON value (the spec says object; form answers are text, numbers and lists, or {"value": ...}).
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
ajv.addSchema({ ...registrationSpec, $id: 'registration' }, 'registration');
const relaxed = JSON.parse(JSON.stringify(registrationSpec.components.schemas));
relaxed.formData.properties.data = { type: 'object' };
relaxed.additionalData.properties.data = { type: 'object' };
ajv.addSchema({ $id: 'relaxed', components: { schemas: relaxed } });
const checkSubmit = ajv.compile({ $ref: 'relaxed#/components/schemas/applicationFileSubmit', type: 'object' });
const checkAdditional = ajv.compile({ $ref: 'relaxed#/components/schemas/additionalData', type: 'object' });

const IM_CLIENT = /^[^/\s]{1,100}\/[^/\s]{1,100}\/[^/\s]{1,100}\/[^/\s]{1,100}$/;
const ID = /^[\x21-\x7e]{1,200}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const SORT_BY = [
  'instanceId',
  'caseInstanceId',
  'dueDate',
  'executionId',
  'caseExecutionId',
  'assignee',
  'created',
  'description',
  'id',
  'name',
  'nameCaseInsensitive',
  'priority',
];

type Q = Record<string, string | string[] | undefined>;

function systemError(req: FastifyRequest, reply: FastifyReply, err: AppError) {
  const body: Record<string, unknown> = {
    traceId: req.id,
    code: err.code,
    message: err.message,
    localizedMessage: errorRegistry[err.code].fa,
  };
  if (err.details) body.details = err.details;
  return reply.code(err.status).type('application/json; charset=utf-8').send(body);
}

/** Turns a flat form (a.b.c / a[b][c] names, repeated names) into the nested JSON object the spec describes. */
export function expandForm(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(flat)) {
    const keys = name.replace(/\]/g, '').split(/[.[]/).filter(Boolean);
    if (!keys.length || keys.some((k) => k === '__proto__' || k === 'constructor' || k === 'prototype'))
      throw new AppError('GOVSTACK_INVALID_BODY', `The field name "${name.slice(0, 80)}" is not allowed.`);
    const last = keys[keys.length - 1];
    let node = out;
    keys.slice(0, -1).forEach((k) => {
      if (typeof node[k] !== 'object' || node[k] === null || Array.isArray(node[k])) node[k] = {};
      node = node[k] as Record<string, unknown>;
    });
    node[last] = value;
  }
  // lists the spec defines as arrays may come as one field
  if (typeof out.documentUrls === 'string') out.documentUrls = [out.documentUrls];
  return out;
}

export async function registerGovstack(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const govstack = new GovstackService(ctx.database.db, ctx.applications, ctx.audit);
  const open = ctx.config.GOVSTACK_ACCESS === 'open';
  const keyed = requireApiKey(ctx, 'govstack');
  const config = apiKeyRouteConfig(ctx);
  if (open)
    app.log.warn(
      'GOVSTACK_ACCESS=open: the GovStack application, document and task operations need no API key (conformance-test sandbox only)',
    );

  await app.register(
    async (scope) => {
      await scope.register(multipart, {
        limits: { fileSize: MAX_FILE_BYTES, files: 5, fields: 100, fieldSize: 100_000, parts: 110, headerPairs: 50 },
      });
      scope.setErrorHandler((error, req, reply) => {
        if (error instanceof AppError) return systemError(req, reply, error);
        const e = error as { statusCode?: number; code?: string; message?: string };
        // values the database refuses and malformed multipart bodies: the platform's mapping (4xx)
        const known = fromDatabaseError(e) ?? fromMultipartError(e);
        if (known) return systemError(req, reply, known);
        if (e.code === 'FST_REQ_FILE_TOO_LARGE' || e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e.statusCode === 413)
          return systemError(req, reply, new AppError('PAYLOAD_TOO_LARGE'));
        if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || e.statusCode === 415)
          return systemError(
            req,
            reply,
            new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send JSON, application/x-www-form-urlencoded or multipart/form-data.'),
          );
        if (e.statusCode === 429) return systemError(req, reply, new AppError('RATE_LIMITED'));
        if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500)
          return systemError(req, reply, new AppError('GOVSTACK_INVALID_BODY', e.message?.slice(0, 300)));
        req.log.error({ err: error }, 'unexpected error');
        return systemError(req, reply, new AppError('INTERNAL'));
      });
      scope.setNotFoundHandler((req, reply) => systemError(req, reply, new AppError('NOT_FOUND')));

      const lang = (req: FastifyRequest): Lang => (/^fa\b/i.test(String(req.headers['accept-language'] ?? '')) ? 'fa' : 'en');
      /** The Information-Mediator-Client header: required where the spec says so, checked wherever it is sent. */
      const client = (req: FastifyRequest, required: boolean): string | null => {
        const h = req.headers['information-mediator-client'];
        if (h === undefined && !required) return null;
        if (typeof h !== 'string' || !IM_CLIENT.test(h.trim())) throw new AppError('GOVSTACK_CLIENT_HEADER');
        return h.trim();
      };
      const caller = (req: FastifyRequest, required: boolean): Caller => {
        const c = client(req, required);
        const p = req.agencyPrincipal;
        return p
          ? { agencyId: p.agencyId, actor: `apikey:${p.keyId}`, client: c }
          : { agencyId: null, actor: `govstack:${c ?? 'anonymous'}`, client: c };
      };
      const guarded = open ? {} : { preHandler: keyed, config };
      const one = (q: Q, name: string): string | undefined => {
        // a parameter sent twice keeps its last value, as common gateways do
        const v = q[name];
        return Array.isArray(v) ? v.at(-1) : v;
      };
      const pathId = (v: string, name: string): string => {
        if (!ID.test(v)) throw new AppError('GOVSTACK_INVALID_PARAMETER', `${name} must be 1 to 200 visible ASCII characters.`);
        return v;
      };
      const id = (v: string | undefined, name: string): string | undefined => (v === undefined ? undefined : pathId(v, name));
      const list = (q: Q): ListQuery => {
        const int = (name: string, min: number, max: number, dflt: number) => {
          const v = one(q, name);
          if (v === undefined || v === '') return dflt;
          if (!/^\d{1,9}$/.test(v) || Number(v) < min || Number(v) > max)
            throw new AppError('GOVSTACK_INVALID_PARAMETER', `${name} must be a whole number from ${min} to ${max}.`);
          return Number(v);
        };
        const sortBy = one(q, 'sortBy') ?? 'created';
        if (!SORT_BY.includes(sortBy)) throw new AppError('GOVSTACK_INVALID_PARAMETER', `sortBy must be one of ${SORT_BY.join(', ')}.`);
        const sortOrder = one(q, 'sortOrder') ?? (one(q, 'sortBy') ? 'asc' : 'desc');
        if (sortOrder !== 'asc' && sortOrder !== 'desc') throw new AppError('GOVSTACK_INVALID_PARAMETER', 'sortOrder must be asc or desc.');
        return { firstResult: int('firstResult', 0, 1_000_000, 0), maxResult: int('maxResult', 1, 1000, 100), sortBy, sortOrder };
      };

      /** Any of the three encodings into one object (multipart files go to onFile). */
      const body = async (
        req: FastifyRequest,
        onFile?: (file: Readable, name: string, field: string) => Promise<void>,
      ): Promise<Record<string, unknown>> => {
        if (req.isMultipart()) {
          const flat: Record<string, unknown> = {};
          try {
            for await (const part of req.parts()) {
              assertCleanInput([part.fieldname, part.type === 'file' ? part.filename : String(part.value)]);
              if (part.type === 'file') {
                if (!onFile) {
                  part.file.resume();
                  throw new AppError('GOVSTACK_INVALID_BODY', 'This operation takes no files; upload documents with POST /documents.');
                }
                await onFile(part.file, part.filename, part.fieldname);
                if (part.file.truncated) throw new AppError('PAYLOAD_TOO_LARGE');
                part.file.resume();
              } else {
                const prev = flat[part.fieldname];
                const v = String(part.value);
                flat[part.fieldname] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
              }
            }
          } catch (e) {
            if (e instanceof AppError) throw e;
            const known = fromMultipartError(e as Error);
            if (known?.code === 'PAYLOAD_TOO_LARGE') throw known;
            throw new AppError('GOVSTACK_INVALID_BODY', 'The multipart body is malformed.');
          }
          return expandForm(flat);
        }
        const b = req.body;
        if (b === undefined || b === null) return {};
        if (typeof b === 'string' || Buffer.isBuffer(b))
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send JSON, application/x-www-form-urlencoded or multipart/form-data.');
        if (typeof b !== 'object' || Array.isArray(b)) throw new AppError('GOVSTACK_INVALID_BODY', 'Send a JSON object.');
        return String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
          ? expandForm(b as Record<string, unknown>)
          : (b as Record<string, unknown>);
      };
      const problems = (errors: typeof checkSubmit.errors) =>
        (errors ?? []).map((e) => ({ path: e.instancePath || '/', message: e.message ?? 'invalid' }));
      const submitInput = (b: Record<string, unknown>): SubmitInput => {
        // form encodings carry text: accept "data" given as JSON text
        const fd = b.formData as Record<string, unknown> | undefined;
        if (fd && typeof fd.data === 'string') {
          try {
            fd.data = JSON.parse(fd.data);
          } catch {
            throw new AppError('GOVSTACK_INVALID_BODY', 'formData.data is not JSON.');
          }
        }
        if (!checkSubmit(b))
          throw new AppError(
            'GOVSTACK_INVALID_BODY',
            problems(checkSubmit.errors)
              .map((p) => `${p.path} ${p.message}`)
              .join('; '),
            { problems: problems(checkSubmit.errors) },
          );
        const i = b as unknown as SubmitInput;
        if (!ID.test(i.applicantId)) throw new AppError('GOVSTACK_INVALID_BODY', 'applicantId must be 1 to 200 visible ASCII characters.');
        if (i.created !== undefined && (!/^\d{4}-\d{2}-\d{2}T/.test(i.created) || Number.isNaN(Date.parse(i.created))))
          throw new AppError('GOVSTACK_INVALID_BODY', 'created must be a date-time such as 2000-10-23T00:00:00.000Z.');
        if (i.applicationName !== undefined && i.applicationName.length > 500)
          throw new AppError('GOVSTACK_INVALID_BODY', 'applicationName must be at most 500 characters.');
        if ((i.documentUrls ?? []).length > 20 || (i.documentUrls ?? []).some((u) => u.length > 500))
          throw new AppError('GOVSTACK_INVALID_BODY', 'documentUrls: at most 20 URLs of at most 500 characters.');
        if (i.formData?.eFormId !== undefined && !ID.test(i.formData.eFormId))
          throw new AppError('GOVSTACK_INVALID_BODY', 'formData.eFormId must be 1 to 200 visible ASCII characters.');
        return i;
      };
      const tags = ['GovStack Registration'];

      // ---------------------------------------------------------------- services and eForms (open)
      scope.get<{ Querystring: Q }>(
        '/services',
        { schema: { tags, summary: 'Services that take applications online (GovStack getServiceList)' } },
        async (req) => {
          const c = caller(req, false);
          const name = one(req.query, 'name');
          if (name !== undefined && name.length > 200)
            throw new AppError('GOVSTACK_INVALID_PARAMETER', 'name must be at most 200 characters.');
          const rows = await govstack.services(name || undefined, { ...c, agencyId: null });
          return Promise.all(rows.map((s) => govstack.serviceJson(s, lang(req))));
        },
      );
      scope.get<{ Params: { serviceId: string } }>(
        '/services/:serviceId',
        { schema: { tags, summary: 'A service (GovStack getService)' } },
        async (req) => {
          client(req, false);
          const s = await govstack.service(pathId(req.params.serviceId, 'serviceId'));
          if (!s || s.status !== 'published') throw new AppError('GOVSTACK_SERVICE_NOT_FOUND');
          return govstack.serviceJson(s, lang(req));
        },
      );
      scope.get<{ Params: { serviceId: string } }>(
        '/services/:serviceId/eForms',
        { schema: { tags, summary: "A service's eForms (GovStack getServiceSchemaByServiceKey)" } },
        async (req) => {
          client(req, false);
          const s = await govstack.service(pathId(req.params.serviceId, 'serviceId'));
          if (!s || s.status !== 'published') throw new AppError('GOVSTACK_SERVICE_NOT_FOUND');
          return (await govstack.eForms(s, lang(req))).map(({ def: _d, ...f }) => f);
        },
      );
      scope.get<{ Params: { eFormId: string } }>(
        '/eForms/:eFormId',
        { schema: { tags, summary: 'An eForm with its JSON schema' } },
        async (req) => {
          client(req, false);
          const f = await govstack.eForm(pathId(req.params.eFormId, 'eFormId'), lang(req), {
            agencyId: null,
            actor: 'anonymous',
            client: null,
          });
          if (!f) throw new AppError('GOVSTACK_EFORM_NOT_FOUND');
          return f;
        },
      );

      // ---------------------------------------------------------------- applications, documents, tasks
      scope.post<{ Params: { serviceId: string } }>(
        '/services/:serviceId/applications',
        { ...guarded, schema: { tags, summary: 'Submit an application file (applicant)' } },
        async (req) => {
          const c = caller(req, true);
          const sid = pathId(req.params.serviceId, 'serviceId');
          const b = await body(req);
          return govstack.submit(sid, submitInput(b), c, lang(req));
        },
      );

      scope.post<{ Querystring: Q }>(
        '/documents',
        {
          ...guarded,
          bodyLimit: Math.ceil((MAX_FILE_BYTES * 4) / 3) + 64 * 1024,
          schema: { tags, summary: 'Upload a document (uploadFile); any media type, at most 10 MB' },
        },
        async (req) => {
          const c = caller(req, false);
          const meta = one(req.query, 'additionalMetadata');
          if (meta !== undefined && meta.length > 1000)
            throw new AppError('GOVSTACK_INVALID_PARAMETER', 'additionalMetadata must be at most 1000 characters.');
          const stored: { id: string; url: string }[] = [];
          // a refused upload (a limit, a malformed body, too many documents) keeps none of its documents
          try {
            const b = await body(req, async (file, name, field) => {
              if (field !== 'file') {
                file.resume();
                throw new AppError('GOVSTACK_DOCUMENT_MISSING', `Send the document in the field "file", not "${field.slice(0, 40)}".`);
              }
              stored.push(await govstack.storeDocument(file, name, meta ?? null, c));
            });
            // base64 text (the spec's format: base64), in JSON, urlencoded or multipart text fields
            // file, file[] or file[0], file[1] ... (clients encode arrays in forms differently)
            const texts =
              b.file === undefined
                ? []
                : Array.isArray(b.file)
                  ? b.file
                  : b.file !== null && typeof b.file === 'object'
                    ? Object.values(b.file)
                    : [b.file];
            for (const t of texts) {
              if (typeof t !== 'string' || !/^[A-Za-z0-9+/=_\s-]+$/.test(t))
                throw new AppError('GOVSTACK_DOCUMENT_MISSING', 'file must be base64 text (or a multipart file).');
              const bytes = Buffer.from(t.replace(/\s/g, ''), /[-_]/.test(t) ? 'base64url' : 'base64');
              if (!bytes.length) throw new AppError('GOVSTACK_DOCUMENT_MISSING', 'The document is empty.');
              stored.push(await govstack.storeDocument(Readable.from([bytes]), 'document', meta ?? null, c));
            }
            if (!stored.length) throw new AppError('GOVSTACK_DOCUMENT_MISSING');
            if (stored.length > 5) throw new AppError('PAYLOAD_TOO_LARGE', 'At most 5 documents at a time.');
          } catch (e) {
            for (const d of stored) await govstack.discardDocument(d.id).catch(() => {});
            throw e;
          }
          await ctx.audit.record({
            actor: c.actor,
            action: 'govstack.documents.uploaded',
            subject: stored[0].id,
            detail: { count: stored.length, client: c.client },
          });
          return {
            code: 200,
            type: 'success',
            message: stored.length === 1 ? 'Document uploaded' : `${stored.length} documents uploaded`,
            url: stored.map((s) => s.url).join(','),
          };
        },
      );
      // not an operation of the spec: where a document URL leads (same access as the upload), as a download
      scope.get<{ Params: { documentId: string } }>(
        '/documents/:documentId',
        { ...guarded, schema: { tags, summary: 'Download an uploaded document (attachment)' } },
        async (req, reply) => {
          const c = caller(req, false);
          const d = await govstack.document(req.params.documentId, c);
          if (!d) throw new AppError('NOT_FOUND', 'There is no document with this id.');
          return reply
            .type(d.row.content_type)
            .header('content-disposition', `attachment; filename="${d.row.original_name.replace(/[^\w.-]/g, '_')}"`)
            .header('x-content-type-options', 'nosniff')
            .header('content-length', d.row.size_bytes)
            .send(d.stream());
        },
      );

      scope.get<{ Querystring: Q }>(
        '/applications',
        { ...guarded, schema: { tags, summary: 'Application files (getApplicantFileList)' } },
        async (req) => {
          const c = caller(req, true);
          return govstack.files(
            {
              serviceId: id(one(req.query, 'serviceId'), 'serviceId'),
              applicantId: id(one(req.query, 'applicantId'), 'applicantId'),
              ...list(req.query),
            },
            c,
            lang(req),
          );
        },
      );
      scope.get<{ Params: { fileId: string } }>(
        '/applications/:fileId',
        { ...guarded, schema: { tags, summary: 'An application file (getApplicationFileById)' } },
        async (req) => {
          const c = caller(req, true);
          return govstack.file(pathId(req.params.fileId, 'fileId'), c, lang(req));
        },
      );
      scope.put<{ Params: { fileId: string } }>(
        '/applications/:fileId',
        { ...guarded, schema: { tags, summary: "Update an application file with the operator's form data" } },
        async (req) => {
          const c = caller(req, true);
          const fid = pathId(req.params.fileId, 'fileId');
          const b = await body(req);
          return govstack.update(fid, submitInput(b), c, lang(req));
        },
      );

      scope.get<{ Querystring: Q }>('/tasks', { ...guarded, schema: { tags, summary: 'Tasks (getTasks)' } }, async (req) => {
        const c = caller(req, false);
        return govstack.tasks(
          {
            mainTaskId: id(one(req.query, 'mainTaskId'), 'mainTaskId'),
            fileId: id(one(req.query, 'fileId'), 'fileId'),
            assigneeId: id(one(req.query, 'assigneeId'), 'assigneeId'),
            ...list(req.query),
          },
          c,
          lang(req),
        );
      });
      scope.get<{ Params: { taskId: string } }>(
        '/tasks/:taskId',
        { ...guarded, schema: { tags, summary: 'A task (getTaskById)' } },
        async (req) => {
          const c = caller(req, false);
          return govstack.task(pathId(req.params.taskId, 'taskId'), c, lang(req));
        },
      );
      scope.post<{ Params: { taskId: string } }>(
        '/tasks/:taskId/complete',
        { ...guarded, schema: { tags, summary: 'Complete a task (completeTaskById)' } },
        async (req) => {
          const c = caller(req, false);
          const tid = pathId(req.params.taskId, 'taskId');
          const b = await body(req);
          if (typeof b.data === 'string') {
            try {
              b.data = JSON.parse(b.data);
            } catch {
              throw new AppError('GOVSTACK_INVALID_BODY', 'data is not JSON.');
            }
          }
          if (!checkAdditional(b))
            throw new AppError(
              'GOVSTACK_INVALID_BODY',
              problems(checkAdditional.errors)
                .map((p) => `${p.path} ${p.message}`)
                .join('; '),
              { problems: problems(checkAdditional.errors) },
            );
          const data = (b.data ?? {}) as Record<string, unknown>;
          if (JSON.stringify(data).length > 100_000) throw new AppError('PAYLOAD_TOO_LARGE');
          return govstack.complete(tid, data, c, lang(req));
        },
      );

      // ---------------------------------------------------------------- statistics (open, like the spec says)
      const statistics = async (req: FastifyRequest<{ Querystring: Q }>, reply: FastifyReply) => {
        const c = caller(req, true);
        const q: StatisticsQuery = {};
        for (const k of ['startDate', 'endDate'] as const) {
          const v = one(req.query, k);
          if (v === undefined || v === '') continue;
          if (!DATE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)) || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v)
            throw new AppError('GOVSTACK_INVALID_PARAMETER', `${k} must be a date as YYYY-MM-DD.`);
          q[k] = v;
        }
        for (const k of ['registrationName', 'operator', 'role'] as const) {
          const v = one(req.query, k);
          if (v === undefined || v === '') continue;
          if (v.length > 200) throw new AppError('GOVSTACK_INVALID_PARAMETER', `${k} must be at most 200 characters.`);
          q[k] = v;
        }
        const tf = one(req.query, 'timeframe');
        if (tf !== undefined && tf !== '') {
          if (!['day', 'week', 'month', 'year'].includes(tf))
            throw new AppError('GOVSTACK_INVALID_PARAMETER', 'timeframe must be day, week, month or year.');
          q.timeframe = tf as StatisticsQuery['timeframe'];
        }
        const result = await govstack.statistics(q, req.agencyPrincipal ? c : null);
        return reply.type('application/json; charset=utf-8').send(result);
      };
      scope.get('/data/statistics', { schema: { tags, summary: 'Statistics: processed, approved, sent back, rejected' } }, statistics);
      scope.get('/data/statistics/1.0', { schema: { tags, summary: 'Statistics (the path older clients call)' } }, statistics);
    },
    { prefix: GOVSTACK_PREFIX },
  );
}

export type { ErrorCode };
