// Shared pieces of the benchmarks: command-line options, a fresh PostgreSQL database, waiting for a
// started server, autocannon run-and-report as table rows, and writing a section of bench/RESULTS.md.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';

export function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
}

export const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A new empty PostgreSQL database next to BENCH_PG_URL for one run: its URL, and `drop()` to remove it afterwards. */
export async function freshDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix.startsWith('panjereh_bench_') ? prefix : `panjereh_bench_${prefix}`}_${Date.now()}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
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

export interface Row {
  name: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  /** Transport errors, timeouts and responses with another status than expected. */
  errors: number;
  requests: number;
}

/** One autocannon run as a row (printed as it is made); any status but `expected` counts as an error. */
export function row(name: string, r: autocannon.Result, expected = 200): Row {
  const wrong = Object.entries(r.statusCodeStats ?? {})
    .filter(([code]) => Number(code) !== expected)
    .reduce((n, [, v]) => n + (v as { count: number }).count, 0);
  const out = {
    name,
    reqPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts + wrong,
    requests: r.requests.total,
  };
  console.log(
    `${name.padEnd(16)} ${out.reqPerSec.toFixed(0).padStart(7)} req/s  p50 ${out.p50} ms  p99 ${out.p99} ms  unexpected ${out.errors} of ${out.requests}`,
  );
  return out;
}

/** Runs autocannon (after an optional warm-up of that many seconds) and prints and returns one row. */
export async function measure(
  name: string,
  opts: autocannon.Options,
  { expected = 200, warmup = 0 }: { expected?: number; warmup?: number } = {},
): Promise<Row> {
  if (warmup > 0) await autocannon({ ...opts, duration: warmup });
  return row(name, await autocannon(opts), expected);
}

/** "2026-11-23 13:30 UTC on 2 cores, Node v20…": when and where a run was measured. */
export const measuredOn = () =>
  `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${os.cpus().length} cores, Node ${process.version}`;

/** Replaces (or appends) the section of bench/RESULTS.md whose heading starts with `heading` ("## " optional); returns the file. */
export function writeSection(heading: string, body: string | string[]): string {
  const h = heading.startsWith('## ') ? heading : `## ${heading}`;
  const file = path.resolve(import.meta.dirname, 'RESULTS.md');
  const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmark results\n';
  const kept = previous.split(/\n(?=## )/).filter((s) => !s.startsWith(h));
  const text = Array.isArray(body) ? body.join('\n') : body;
  fs.writeFileSync(file, [...kept.map((s) => s.trimEnd()), `${h}\n\n${text.trim()}`].join('\n\n') + '\n');
  console.log(`\nWrote ${file}`);
  return file;
}

export interface RouteRow {
  name: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  /** Average response size in bytes. */
  bytes: number;
}

/** GET routes (rotating over `paths`) after a warm-up: one row with the average response size; non-2xx count as errors. */
export async function measureRoute(
  name: string,
  base: string,
  paths: string[],
  o: { connections: number; duration: number; warmup?: number },
): Promise<RouteRow> {
  const opts = { url: base, connections: o.connections, pipelining: 1, requests: paths.map((p) => ({ method: 'GET' as const, path: p })) };
  if ((o.warmup ?? 2) > 0) await autocannon({ ...opts, duration: o.warmup ?? 2 });
  const r = await autocannon({ ...opts, duration: o.duration });
  const out = {
    name,
    reqPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx + r.timeouts,
    bytes: Math.round(r.throughput.average / Math.max(1, r.requests.average)),
  };
  console.log(
    `${name.padEnd(16)} ${out.reqPerSec.toFixed(0).padStart(7)} req/s  p50 ${out.p50} ms  p99 ${out.p99} ms  errors ${out.errors}`,
  );
  return out;
}

/** A markdown table of rows with their ratio to the first row (the baseline). */
export function routeTable(rows: RouteRow[]): string[] {
  return [
    '| route | req/s | p50 ms | p99 ms | ratio to baseline | errors | bytes/response |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.reqPerSec.toFixed(0)} | ${r.p50} | ${r.p99} | ${(r.reqPerSec / rows[0].reqPerSec).toFixed(2)} | ${r.errors} | ${r.bytes} |`,
    ),
  ];
}

/** A database for one bench run: PGlite in the data directory (no DATABASE_URL), or a fresh PostgreSQL database; returns its cleanup. */
export async function benchDatabase(db: 'pglite' | 'postgres', env: NodeJS.ProcessEnv, prefix: string): Promise<() => Promise<void>> {
  if (db !== 'postgres') {
    delete env.DATABASE_URL;
    return async () => {};
  }
  const fresh = await freshDatabase(prefix);
  env.DATABASE_URL = fresh.url;
  return fresh.drop;
}

/** Starts `panjereh serve` as a child process, waits for /healthz, and returns a stop function. */
export async function startServer(env: NodeJS.ProcessEnv, base: string): Promise<() => Promise<void>> {
  const server = spawn(process.execPath, [path.resolve(import.meta.dirname, '..', 'bin/panjereh.js'), 'serve'], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
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

export const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

/** The p-th percentile of a list of milliseconds, to one decimal (0 for an empty list). */
export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] * 10) / 10 : 0;
};

/** The n-th made-up national ID with a valid check digit (for bench citizens). */
export function nationalId(n: number): string {
  const body = String(100000000 + n).slice(0, 9);
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (10 - i), 0) % 11;
  return body + String(sum < 2 ? sum : 11 - sum);
}

/** A free port of our own (a fixed one may be another run's server on a shared machine). */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

/**
 * The environment of a bench server (development mode, no demo data, no background workers, rate limits
 * out of the way, every side service on a free port), plus `extra`.
 */
export function benchServerEnv(
  o: { port: number; databaseUrl: string; dataDir: string },
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'development',
    DATABASE_URL: o.databaseUrl,
    DATA_DIR: o.dataDir,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: '1000000',
    PORT: String(o.port),
    HOST: '127.0.0.1',
    SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    DATABASE_POOL_SIZE: '20',
    PUBLIC_URL: `http://127.0.0.1:${o.port}`,
    EXCHANGE_PORT: '0',
    EXCHANGE_DEMO_REGISTRY_PORT: '0',
    PAYMENTS_SANDBOX_PORT: '0',
    SEED_DEMO: 'never',
    PAYMENTS_JOBS: 'false',
    NOTIFICATIONS_WORKER: 'false',
    WEBHOOK_WORKER: 'false',
    MONITORING_CHECK_WORKER: 'false',
    ...extra,
  };
}
