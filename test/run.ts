// `npm test`: builds the template database once (migrated, demo data loaded), then runs every
// *.test.ts / *.test.tsx file under src/ and test/ with node's test runner, one file at a time.
// On PostgreSQL (DATABASE_URL set) the template is a database next to the given one; all databases
// the run made are dropped at the end.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adminQuery, buildTemplate, withDatabase } from './helpers/db.ts';

const root = path.resolve(import.meta.dirname, '..');
const only = process.argv.slice(2);

function findTests(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : findTests(p);
    return /\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

const files = (
  only.length ? only.map((f) => path.resolve(f)) : [...findTests(path.join(root, 'src')), ...findTests(path.join(root, 'test'))]
).sort();
const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' };
const url = process.env.DATABASE_URL;
const started = Date.now();
let cleanup: () => Promise<unknown>;

if (url) {
  const base = new URL(url).pathname.slice(1) || 'postgres';
  const template = `${base}_template`;
  await adminQuery(url, `drop database if exists "${template}" with (force)`);
  await adminQuery(url, `create database "${template}"`);
  await buildTemplate({ databaseUrl: withDatabase(url, template) });
  env.PANJEREH_TEST_PG_TEMPLATE = template;
  cleanup = () => adminQuery(url, `drop database if exists "${template}" with (force)`);
  console.log(`test: PostgreSQL template ${template} ready in ${Date.now() - started} ms`);
} else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-test-'));
  const file = path.join(dir, 'template.tar');
  fs.writeFileSync(file, Buffer.from(await (await buildTemplate({}))!.arrayBuffer()));
  env.PANJEREH_TEST_PGLITE_DUMP = file;
  cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  console.log(`test: PGlite template ready in ${Date.now() - started} ms`);
}

// Files that drive Chromium, kill processes or restart a database run one at a time, alone; the rest run
// TEST_CONCURRENCY at a time (default: 2 when the machine has 2 or more cores). Each file has its own
// database, so files do not share state.
const serialOnly = /(\.browser|\.kill|\.restart)\.test\.tsx?$/;
const concurrency = Number(process.env.TEST_CONCURRENCY ?? (os.availableParallelism() >= 2 ? 2 : 1));
const run = (list: string[], n: number) =>
  list.length === 0
    ? 0
    : (spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${n}`, '--test-force-exit', ...list], {
        stdio: 'inherit',
        env,
        cwd: root,
      }).status ?? 1);
const parallelStatus = run(
  files.filter((f) => !serialOnly.test(f)),
  concurrency,
);
const serialStatus = run(
  files.filter((f) => serialOnly.test(f)),
  1,
);
await cleanup();
process.exit(parallelStatus || serialStatus);
