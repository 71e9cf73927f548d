// Shared pieces of the benchmarks: command-line options, waiting for a started server, a fresh
// PostgreSQL database, autocannon run-and-report, and sections of bench/RESULTS.md.
import type { ChildProcess } from 'node:child_process';
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

// ---- autocannon run-and-report, a fresh PostgreSQL database, and RESULTS.md sections ----

export interface Row {
  name: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  /** Transport errors, timeouts and responses with another status than expected. */
  errors: number;
  requests: number;
}

/** Runs autocannon (after an optional warm-up) and prints and returns one row. */
export async function measure(name: string, opts: autocannon.Options, { expected = 200, warmup = 0 }: { expected?: number; warmup?: number } = {}): Promise<Row> {
  if (warmup > 0) await autocannon({ ...opts, duration: warmup });
  return row(name, await autocannon(opts), expected);
}

export function row(name: string, r: autocannon.Result, expected = 200): Row {
  const wrong = Object.entries(r.statusCodeStats ?? {})
    .filter(([code]) => Number(code) !== expected)
    .reduce((n, [, v]) => n + (v as { count: number }).count, 0);
  const out = { name, reqPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts + wrong, requests: r.requests.total };
  console.log(`${name.padEnd(14)} ${out.reqPerSec.toFixed(0).padStart(6)} req/s  p50 ${out.p50} ms  p99 ${out.p99} ms  unexpected ${out.errors} of ${out.requests}`);
  return out;
}

/** A fresh PostgreSQL database next to BENCH_PG_URL; drop() removes it. */
export async function freshDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `${prefix}_${Date.now()}`;
  const run = async (q: string) => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  await run(`create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}

/** Replaces the section starting with `## {title}` in bench/RESULTS.md (or appends it). */
export function writeSection(title: string, body: string): string {
  const file = path.resolve(import.meta.dirname, 'RESULTS.md');
  const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmark results\n';
  const kept = previous.split(/\n(?=## )/).filter((s) => !s.startsWith(`## ${title}`));
  fs.writeFileSync(file, [...kept.map((s) => s.trimEnd()), `## ${title}\n\n${body.trim()}`].join('\n\n') + '\n');
  return file;
}
