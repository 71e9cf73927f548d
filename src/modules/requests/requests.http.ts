// Reading a requests form that may carry files: a urlencoded body as it is, or a multipart body through
// the applications module's streaming reader (CSRF first, each file checked and staged as it arrives, a
// refused body leaves nothing in storage). At most MAX_FILES files; a bad file is a field problem.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StagedFile } from '../applications/applications.types.ts';
import { readMultipart } from '../applications/multipart.ts';
import { MAX_FILES, TOO_MANY, type RequestFiles } from './requests.files.ts';
import type { FieldProblem } from './requests.text.ts';

export interface FormWithFiles {
  fields: Record<string, string | undefined>;
  staged: StagedFile[];
  problem?: FieldProblem;
}

export async function readForm(
  app: FastifyInstance,
  req: FastifyRequest,
  reply: FastifyReply,
  files: RequestFiles,
): Promise<FormWithFiles> {
  const staged: StagedFile[] = [];
  let problem: FieldProblem | undefined;
  let raw: Record<string, unknown> = (req.body ?? {}) as Record<string, unknown>;
  if (req.isMultipart())
    raw = await readMultipart(app, req, reply, async (part) => {
      if (part.fieldname !== 'attachment' || problem) return;
      if (staged.length >= MAX_FILES) return void (problem = TOO_MANY);
      const r = await files.stage(part.file, part.filename);
      if (!r.ok) return void (problem = r.problem);
      staged.push(r.staged);
      return () => files.discard([r.staged]).then(() => {});
    });
  const fields: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(raw)) fields[k] = typeof v === 'string' ? v : undefined;
  // several values of one name (the files to publish): kept as a comma list of ids
  for (const [k, v] of Object.entries(raw)) if (Array.isArray(v)) fields[k] = v.filter((x) => typeof x === 'string').join(',');
  if (problem && staged.length) {
    await files.discard(staged);
    staged.length = 0;
  }
  return { fields, staged, problem };
}
