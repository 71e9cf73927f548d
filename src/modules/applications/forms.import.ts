// Reading form definition files for `panjereh forms import` and the demo seed: JSON parse errors and
// definition problems are reported with the line (and JSON path) they are on.
import fs from 'node:fs';
import path from 'node:path';
import { findNodeAtLocation, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { canonicalJson } from '../../platform/json.ts';
import type { ApplicationsService } from './applications.service.ts';

export interface ImportProblem {
  line: number;
  path: string;
  message: string;
}

const lineAt = (text: string, offset: number) => text.slice(0, offset).split('\n').length;

/** Parses a definition file; problems carry line numbers. */
export function parseFormFile(
  text: string,
): { ok: true; value: unknown; lineOf: (pointer: string) => number } | { ok: false; problems: ImportProblem[] } {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length || !tree)
    return {
      ok: false,
      problems: (errors.length ? errors : [{ error: 1, offset: 0, length: 0 } as ParseError]).map((e) => ({
        line: lineAt(text, e.offset),
        path: '',
        message: `JSON syntax: ${printParseErrorCode(e.error)}`,
      })),
    };
  const lineOf = (pointer: string) => {
    const segs = pointer
      .split('/')
      .slice(1)
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    // the deepest node that exists on the path (a missing key points at its parent object)
    for (let n = segs.length; n >= 0; n--) {
      const node = findNodeAtLocation(tree, segs.slice(0, n));
      if (node) return lineAt(text, node.offset);
    }
    return 1;
  };
  return { ok: true, value: JSON.parse(text), lineOf };
}

export async function importFormText(
  service: ApplicationsService,
  text: string,
  author: string,
  opts: { onlyIfChanged?: boolean } = {},
): Promise<{ ok: true; slug: string; version: number; unchanged?: boolean } | { ok: false; problems: ImportProblem[] }> {
  const parsed = parseFormFile(text);
  if (!parsed.ok) return parsed;
  if (opts.onlyIfChanged) {
    const v = parsed.value as { service?: string };
    const slug = typeof v?.service === 'string' ? v.service : null;
    const current = slug ? await service.currentFormBySlug(slug) : null;
    const { version: _v, $schema: _s, ...clean } = parsed.value as Record<string, unknown>;
    if (slug && current && canonicalJson(current.def) === canonicalJson(clean))
      return { ok: true, slug, version: current.version, unchanged: true };
  }
  const r = await service.publishForm(parsed.value, author);
  if (!r.ok) return { ok: false, problems: r.problems.map((p) => ({ ...p, line: parsed.lineOf(p.path) })) };
  return { ok: true, slug: r.slug, version: r.version };
}

export const DEMO_FORMS_DIR = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..', 'datasets', 'demo', 'forms');

/** Publishes the demo forms (a new version only where the file differs from the latest). */
export async function loadDemoForms(service: ApplicationsService, dir = DEMO_FORMS_DIR): Promise<{ published: number; unchanged: number }> {
  let published = 0;
  let unchanged = 0;
  for (const f of fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    const r = await importFormText(service, fs.readFileSync(path.join(dir, f), 'utf8'), 'seed:demo', { onlyIfChanged: true });
    if (!r.ok) throw new Error(`${f}: ${r.problems.map((p) => `line ${p.line} ${p.path}: ${p.message}`).join('; ')}`);
    if (r.unchanged) unchanged++;
    else published++;
  }
  return { published, unchanged };
}
