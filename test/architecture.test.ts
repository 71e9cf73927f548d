// Architecture checks over the source tree (no app, no database):
//  - no import cycles among src/ files (type-only and dynamic imports count: they are dependencies too);
//  - SQL only in *.repository.ts files and src/db/ (connection, schema, migrations): Kysely query
//    builders (selectFrom/insertInto/updateTable/deleteFrom) and raw sql`...` queries alike;
//  - no source file over 500 lines, except the database schema;
//  - no two files in src/ that compile to the same dist/ file (x.ts and x.tsx).
// What breaks a rule today is listed in an allowlist below. The lists may only shrink: a test fails on a
// new offender AND on a listed one that no longer offends (then delete its line), so they stay exact.
// Imports are read with the TypeScript compiler's own pre-processor (ts.preProcessFile), tests and test
// fixtures (*.test.ts, *.fixture.ts, *.testkit.ts) left out of the import and SQL checks.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const root = path.resolve(import.meta.dirname, '..');
const rel = (f: string) => path.relative(root, f).split(path.sep).join('/');
const walk = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : walk(p);
    return /\.tsx?$/.test(e.name) ? [p] : [];
  });
const lineCount = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
const isTestCode = (f: string) => /\.(test|fixture|testkit)\.tsx?$/.test(f);
const product = walk(path.join(root, 'src'))
  .filter((f) => !isTestCode(f))
  .map(rel)
  .sort();

/** Import edges among product files in src/ ("from -> to"), static, type-only and dynamic alike. */
export function importGraph(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(path.join(root, f), 'utf8'), true, true);
    const targets = importedFiles
      .map((i) => i.fileName)
      .filter((n) => n.startsWith('.'))
      .map((n) => rel(path.resolve(root, path.dirname(f), n)))
      .filter((n) => n.startsWith('src/') && n !== f);
    graph.set(f, [...new Set(targets)].sort());
  }
  return graph;
}

/** Strongly connected components of more than one file (Tarjan): each is a set of files importing each other in a ring. */
export function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

/** The import edges that lie on a cycle (both ends in the same component): removing them all breaks every cycle. */
export function cycleEdges(graph: Map<string, string[]>): string[] {
  const edges: string[] = [];
  for (const scc of cycles(graph)) {
    const members = new Set(scc);
    for (const from of scc) for (const to of graph.get(from) ?? []) if (members.has(to)) edges.push(`${from} -> ${to}`);
  }
  return edges.sort();
}

/** Compares what offends today with the allowlist: new offenders, and listed ones that no longer offend. */
function checkAllowlist(what: string, found: string[], allowed: readonly string[]): void {
  const allowedSet = new Set(allowed);
  const foundSet = new Set(found);
  const added = found.filter((x) => !allowedSet.has(x));
  const gone = allowed.filter((x) => !foundSet.has(x));
  const msg = [
    added.length ? `new ${what} (fix them; the allowlist only shrinks):\n  ${added.join('\n  ')}` : '',
    gone.length ? `no longer ${what}, delete from the allowlist:\n  ${gone.join('\n  ')}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  assert.equal(msg, '', msg);
}

test('the import-graph walker finds a ring of three and ignores a chain (a check that can fail)', () => {
  const g = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a', 'd']],
    ['d', []],
    ['e', ['d']],
  ]);
  assert.deepEqual(cycles(g), [['a', 'b', 'c']]);
  assert.deepEqual(cycleEdges(g), ['a -> b', 'b -> c', 'c -> a']);
  assert.deepEqual(
    cycles(
      new Map([
        ['a', ['b']],
        ['b', []],
      ]),
    ),
    [],
  );
});

test('the walker reads type-only, re-exported and dynamic imports of real files', () => {
  const g = importGraph(product);
  assert.ok(g.get('src/cli.ts')?.includes('src/config.ts'), 'static import');
  assert.ok(g.get('src/cli.ts')?.includes('src/server.ts'), 'dynamic import()');
  assert.ok(g.get('src/cli.ts')?.includes('src/db/schema.ts'), 'import type');
  for (const [from, tos] of g)
    for (const to of tos) assert.ok(fs.existsSync(path.join(root, to)), `${from} imports ${to}, which does not exist`);
});

test('no new import cycles among src/ files', () => {
  checkAllowlist('import edges on a cycle', cycleEdges(importGraph(product)), CYCLE_EDGES);
});

test('SQL (Kysely query builders and raw sql`...` queries) only in repositories and src/db/', () => {
  const builder = /\.(selectFrom|insertInto|updateTable|deleteFrom)\s*\(|\bsql(<[^>`]*>)?`/;
  const offenders = product.filter(
    (f) => !f.endsWith('.repository.ts') && !f.startsWith('src/db/') && builder.test(fs.readFileSync(path.join(root, f), 'utf8')),
  );
  checkAllowlist('files with SQL outside a repository', offenders, SQL_OUTSIDE_REPOSITORIES);
});

// A route file declares routes (app.get/post/...); it may import another route file only to register
// its routes (a register* function). Anything else it wants from there (a view, a helper, a schema) lives
// in a non-route file both can import, so a page never depends on another page's route handlers.
const routeDecl = /^\s*app\.(get|post|put|delete|patch|route)\s*[<(]/m;
test('a route file imports from another route file only its register* functions', () => {
  const routeFiles = new Set(product.filter((f) => routeDecl.test(fs.readFileSync(path.join(root, f), 'utf8'))));
  const offenders: string[] = [];
  for (const f of routeFiles) {
    const text = fs.readFileSync(path.join(root, f), 'utf8');
    for (const m of text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+'(\.[^']+)'/g)) {
      const target = rel(path.resolve(root, path.dirname(f), m[3]!));
      if (!routeFiles.has(target) || m[1]) continue;
      const names = m[2]!
        .split(',')
        .map(
          (n) =>
            n
              .trim()
              .replace(/^type\s+/, '')
              .split(/\s+as\s+/)[0]!,
        )
        .filter(Boolean);
      for (const n of names)
        if (!/^register[A-Z]/.test(n) && !m[2]!.includes(`type ${n}`)) offenders.push(`${f} imports ${n} from ${target}`);
    }
  }
  assert.deepEqual(offenders, [], 'move what is shared into a non-route file');
});

test('no source file over 500 lines (except the database schema)', () => {
  const all = ['src', 'test', 'bench', 'bin', 'scripts']
    .flatMap((d) => (fs.existsSync(path.join(root, d)) ? walk(path.join(root, d)) : []))
    .map(rel);
  const long = all.filter((f) => f !== 'src/db/schema.ts' && lineCount(fs.readFileSync(path.join(root, f), 'utf8')) > 500).sort();
  checkAllowlist('files over 500 lines', long, LONG_FILES);
});

test('no two files in src/ compile to the same dist/ file', () => {
  const seen = new Map<string, string>();
  for (const f of walk(path.join(root, 'src')).map(rel)) {
    const out = f.replace(/\.tsx?$/, '.js');
    assert.equal(seen.get(out), undefined, `${f} and ${seen.get(out)} would both become ${out}`);
    seen.set(out, f);
  }
});

// ---- Allowlists: what breaks a rule today. All empty now; keep them so (a new offender fails the test). ----

const CYCLE_EDGES: readonly string[] = [];
const SQL_OUTSIDE_REPOSITORIES: readonly string[] = [];
const LONG_FILES: readonly string[] = [];

// A route file depends on services only: it reaches a repository neither by importing one (a type-only
// import of a row type is fine: it is the shape of what a service returns) nor through a service's
// `.repo` (ctx.x.repo.y(...)). What a page needs from the database comes from one service method.
test('route files reach no repository (routes depend on services only)', () => {
  const offenders: string[] = [];
  for (const f of product.filter((p) => routeDecl.test(fs.readFileSync(path.join(root, p), 'utf8')))) {
    const text = fs.readFileSync(path.join(root, f), 'utf8');
    for (const m of text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s+from\s+'(\.[^']+\.repository\.ts)'/g)) {
      const values = m[1]
        ? []
        : (m[2] ?? '')
            .split(',')
            .map((n) => n.trim())
            .filter((n) => n && !n.startsWith('type '));
      if (values.length) offenders.push(`${f} imports ${values.join(', ')} from ${path.basename(m[3] ?? '')}`);
    }
    if (/\.repo\.\w+/.test(text)) offenders.push(`${f} calls a service's .repo`);
  }
  checkAllowlist('route files that reach a repository', offenders.sort(), ROUTES_REACHING_REPOSITORIES);
});

// Route files not yet in this shape (their pages still read through `.repo`, or build a repository);
// none of applications, documents, exchange, agencyapi or govstack is listed, and none may be.
const ROUTES_REACHING_REPOSITORIES: readonly string[] = [
  "src/modules/counter/counter.routes.ts calls a service's .repo",
  "src/modules/identity/identity.pages.tsx calls a service's .repo",
  "src/modules/monitoring/monitoring.checkjobs.tsx calls a service's .repo",
  "src/modules/monitoring/monitoring.pages.tsx calls a service's .repo",
  "src/modules/monitoring/monitoring.routes.ts calls a service's .repo",
  "src/modules/monitoring/monitoring.staff.tsx calls a service's .repo",
  "src/modules/monitoring/monitoring.subject.tsx calls a service's .repo",
  "src/modules/participation/participation.staff.routes.ts calls a service's .repo",
  "src/modules/payments/finance.routes.ts calls a service's .repo",
  'src/modules/sso/sso.admin.tsx imports clientProblems, SsoRepository from sso.repository.ts',
];
