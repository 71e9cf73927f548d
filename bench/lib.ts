// Shared pieces of the benchmarks: command-line options, a database and a server for the run,
// autocannon run-and-report, and the section of bench/RESULTS.md each bench writes.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';

export function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
}

export async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error('server exited');
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not become healthy');
}

// ---- run-and-report scaffolding (autocannon against a server the bench started) ----

export interface RouteRow {
  name: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  /** Average response size in bytes. */
  bytes: number;
}

/** Measures GET requests over the given paths (round robin): a warm-up run, then the measured run. */
export async function measureRoute(name: string, base: string, paths: string[], o: { connections: number; duration: number; warmup?: number }): Promise<RouteRow> {
  const opts = { url: base, connections: o.connections, pipelining: 1, requests: paths.map((p) => ({ method: 'GET' as const, path: p })) };
  if ((o.warmup ?? 2) > 0) await autocannon({ ...opts, duration: o.warmup ?? 2 });
  const r = await autocannon({ ...opts, duration: o.duration });
  const row = { name, reqPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx + r.timeouts, bytes: Math.round(r.throughput.average / Math.max(1, r.requests.average)) };
  console.log(`${name.padEnd(12)} ${row.reqPerSec.toFixed(0).padStart(7)} req/s  p50 ${row.p50} ms  p99 ${row.p99} ms  errors ${row.errors}`);
  return row;
}

/** A markdown table of rows with their ratio to the first row (the baseline). */
export function routeTable(rows: RouteRow[]): string[] {
  return [
    '| route | req/s | p50 ms | p99 ms | ratio to baseline | errors | bytes/response |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.name} | ${r.reqPerSec.toFixed(0)} | ${r.p50} | ${r.p99} | ${(r.reqPerSec / rows[0].reqPerSec).toFixed(2)} | ${r.errors} | ${r.bytes} |`),
  ];
}

/** Replaces (or adds) the section starting with `heading` in bench/RESULTS.md. */
export function writeResultsSection(heading: string, lines: string[]): string {
  const file = path.resolve(import.meta.dirname, 'RESULTS.md');
  const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const parts = previous.split(/\n(?=## )/).filter((s) => s.trim() && !s.startsWith(heading));
  fs.writeFileSync(file, [...parts.map((p) => p.trimEnd()), [heading, ...lines].join('\n')].join('\n\n') + '\n');
  return file;
}

/** A database for one bench run: PGlite in the data directory (no DATABASE_URL), or a fresh PostgreSQL database dropped afterwards. */
export async function benchDatabase(db: 'pglite' | 'postgres', env: NodeJS.ProcessEnv, prefix: string, adminUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'): Promise<() => Promise<void>> {
  if (db !== 'postgres') {
    delete env.DATABASE_URL;
    return async () => {};
  }
  const name = `${prefix}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  env.DATABASE_URL = u.toString();
  return async () => {
    const a = new pg.Client({ connectionString: adminUrl });
    await a.connect();
    await a.query(`drop database if exists ${name} with (force)`);
    await a.end();
  };
}

/** Starts `panjereh serve` as a child process, waits for /healthz, and returns a stop function. */
export async function startServer(env: NodeJS.ProcessEnv, base: string): Promise<() => Promise<void>> {
  const server = spawn(process.execPath, [path.resolve(import.meta.dirname, '..', 'bin/panjereh.js'), 'serve'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const stop = async () => {
    if (server.exitCode !== null) return;
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  };
  try {
    await waitHealthy(`${base}/healthz`, server);
  } catch (e) {
    await stop();
    throw e;
  }
  return stop;
}
