// Multipart forms with files, streamed: the CSRF token must be the first part and is checked before
// any file is read; each file part goes straight to a handler (storage) without buffering the body.
// A request refused part way (a limit, a malformed body, bad text) leaves nothing behind: each file
// handler may return an undo, run when the body is refused; rows are written only after the whole
// body was read (see ApplicationsService.stageFile / commitFile).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { AppError, fromMultipartError } from '../../platform/errors.ts';
import { assertCleanInput } from '../../platform/http.ts';

export type FileHandler = (part: MultipartFile) => Promise<void | (() => Promise<void>)>;

/** Reads a multipart body: fields into an object (repeated names into arrays), files through onFile. */
export async function readMultipart(
  app: FastifyInstance,
  req: FastifyRequest,
  reply: FastifyReply,
  onFile: FileHandler,
): Promise<Record<string, unknown>> {
  const fields: Record<string, unknown> = {};
  const undo: (() => Promise<void>)[] = [];
  let checked = false;
  try {
    for await (const part of req.parts()) {
      if (!checked) {
        if (part.type !== 'field' || part.fieldname !== '_csrf') throw new AppError('CSRF_FAILED');
        await verifyCsrf(app, req, reply, String(part.value));
        checked = true;
        continue;
      }
      if (part.type === 'file') {
        if (!part.filename) {
          part.file.resume(); // no file chosen: an empty part
          continue;
        }
        assertCleanInput([part.fieldname, part.filename]);
        const u = await onFile(part);
        if (u) undo.push(u);
        part.file.resume();
      } else {
        const v = String(part.value);
        assertCleanInput([part.fieldname, v]);
        const prev = fields[part.fieldname];
        fields[part.fieldname] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
      }
    }
  } catch (e) {
    for (const u of undo.reverse()) await u().catch(() => {});
    if (e instanceof AppError) throw e;
    throw fromMultipartError(e as Error) ?? e;
  }
  if (!checked) throw new AppError('CSRF_FAILED');
  return fields;
}

function verifyCsrf(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, token: string): Promise<void> {
  const saved = req.body;
  (req as { body: unknown }).body = { _csrf: token };
  return new Promise((resolve, reject) => {
    let passed = false;
    const send = reply.send.bind(reply);
    // the plugin answers a bad token with reply.send(error): turn that into a thrown error instead
    (reply as { send: unknown }).send = (err: unknown) => {
      (reply as { send: unknown }).send = send;
      reject(err instanceof Error ? (Object.assign(err, {}) as Error) : new AppError('CSRF_FAILED'));
      return reply;
    };
    app.csrfProtection.call(app, req, reply, () => {
      passed = true;
    });
    (reply as { send: unknown }).send = send;
    (req as { body: unknown }).body = saved;
    if (passed) resolve();
    else reject(new AppError('CSRF_FAILED'));
  });
}

/** preHandler for routes that take either a urlencoded form (CSRF checked here) or multipart (checked while reading). */
export function csrfUnlessMultipart(app: FastifyInstance) {
  return (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    if (req.isMultipart()) return done();
    return app.csrfProtection.call(app, req, reply, done);
  };
}
