// npm run bench:documents [-- --duration 10 --connections 50]
// On PostgreSQL (a fresh database), with the server as a child process, in one run:
//   baseline     GET /api/v1/catalog/state (one row by primary key)
//   issue        POST /api/agency/v1/documents with an API key: a Persian certificate rendered to PDF
//                (shaping, bidi, QR code), hashed, Ed25519-signed, stored, audited, webhook event queued
//   verify page  GET /fa/verify/{code}, rotating over the documents issued in the run
//   file check   POST /en/verify/{code}: multipart upload of the PDF, hash and signature check
// Writes req/s, p50, p99 and the ratio to the baseline into bench/RESULTS.md.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { arg, waitHealthy } from './lib.ts';

const root = path.resolve(import.meta.dirname, '..');
const DURATION = Number(arg('duration', '10'));
const CONNECTIONS = Number(arg('connections', '50'));
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PORT = 3991;
const base = `http://127.0.0.1:${PORT}`;

interface Row {
  name: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
}
function row(name: string, r: autocannon.Result, expected: number): Row {
  const wrong = Object.entries(r.statusCodeStats ?? {}).filter(([code]) => Number(code) !== expected).reduce((n, [, v]) => n + (v as { count: number }).count, 0);
  const out = { name, reqPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts + wrong, requests: r.requests.total };
  console.log(`${name.padEnd(12)} ${out.reqPerSec.toFixed(0).padStart(6)} req/s  p50 ${out.p50} ms  p99 ${out.p99} ms  unexpected ${out.errors} of ${out.requests}`);
  return out;
}

const name = `panjereh_bench_documents_${Date.now()}`;
const admin = new pg.Client({ connectionString: PG_URL });
await admin.connect();
await admin.query(`create database ${name}`);
await admin.end();
const dbUrl = new URL(PG_URL);
dbUrl.pathname = `/${name}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-bench-docs-'));
const env = { ...process.env, DATABASE_URL: dbUrl.toString(), DATA_DIR: dataDir, PORT: String(PORT), HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'production', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0123', SMS_GATEWAY: 'file', RATE_LIMIT_MAX: '1000000', API_KEY_RATE_LIMIT: '1000000' };
const server = spawn(process.execPath, [path.join(root, 'bin/panjereh.js'), 'serve'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
const rows: Row[] = [];
try {
  await waitHealthy(`${base}/healthz`, server);
  const made = spawnSync(process.execPath, [path.join(root, 'bin/panjereh.js'), 'apikey', 'create', '--agency', 'ir-nocr', '--scopes', 'documents:issue', '--json'], { env, encoding: 'utf8' });
  if (made.status !== 0) throw new Error(made.stderr);
  const key = JSON.parse(made.stdout).key as string;
  const opts = { url: base, connections: CONNECTIONS, duration: DURATION };

  rows.push(row('baseline', await autocannon({ ...opts, requests: [{ method: 'GET', path: '/api/v1/catalog/state' }] }), 200));

  const issued: { code: string; downloadUrl: string }[] = [];
  let n = 0;
  const issue = await autocannon({
    ...opts,
    requests: [
      {
        method: 'POST',
        path: '/api/agency/v1/documents',
        setupRequest: (req: Record<string, unknown>) => ({
          ...req,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ kind: 'certificate', lang: 'fa', title: 'گواهی ثبت ولادت', holderName: `شهروند شماره ${++n}`, applicationRef: `BENCH-${n}`, fields: [{ label: 'شماره پرونده', value: `۱۴۰۵/${n}` }, { label: 'محل تولد', value: 'تهران، منطقه ۶ (آزمایشی)' }] }),
        }),
        onResponse: (status: number, body: string) => {
          if (status === 201) issued.push(JSON.parse(body));
        },
      },
    ],
  } as unknown as autocannon.Options);
  rows.push(row('issue', issue, 201));

  let next = 0;
  rows.push(row('verify page', await autocannon({ ...opts, requests: [{ method: 'GET', setupRequest: (req: Record<string, unknown>) => ({ ...req, path: `/fa/verify/${issued[next++ % issued.length].code}` }) }] } as unknown as autocannon.Options), 200));

  const sample = issued.slice(0, 20);
  const files = await Promise.all(sample.map(async (d) => ({ code: d.code, pdf: Buffer.from(await (await fetch(d.downloadUrl.replace(/^https?:\/\/[^/]+/, base))).arrayBuffer()) })));
  const boundary = '----panjerehbench';
  const bodies = files.map((f) => ({ code: f.code, body: Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="document"; filename="d.pdf"\r\nContent-Type: application/pdf\r\n\r\n`), f.pdf, Buffer.from(`\r\n--${boundary}--\r\n`)]) }));
  let k = 0;
  rows.push(
    row(
      'file check',
      await autocannon({ ...opts, requests: [{ method: 'POST', setupRequest: (req: Record<string, unknown>) => { const b = bodies[k++ % bodies.length]; return { ...req, path: `/en/verify/${b.code}`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body: b.body }; } }] } as unknown as autocannon.Options),
      200,
    ),
  );
  console.log(`PDF size: ${Math.round(files[0].pdf.length / 1024)} KiB`);
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  const a = new pg.Client({ connectionString: PG_URL });
  await a.connect();
  await a.query(`drop database if exists ${name} with (force)`);
  await a.end();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const section = [
  '## Documents (`npm run bench:documents`)',
  '',
  `PostgreSQL 15, autocannon with ${CONNECTIONS} connections, ${DURATION} s per route, measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on the same machine. Issue: a Persian certificate through the agency API (key check, PDF rendering with shaping, bidi and a QR code, SHA-256, Ed25519 signature, insert, audit entry, webhook event). Verify page: the public page for a rotating code. File check: a multipart upload of the issued PDF, hashed and its signature checked.`,
  '',
  '| route | req/s | p50 ms | p99 ms | ratio to baseline | unexpected responses | requests |',
  '|---|---:|---:|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.name} | ${r.reqPerSec.toFixed(0)} | ${r.p50} | ${r.p99} | ${(r.reqPerSec / rows[0].reqPerSec).toFixed(2)} | ${r.errors} | ${r.requests} |`),
].join('\n');
const file = path.join(root, 'bench', 'RESULTS.md');
const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmark results\n';
const kept = previous.split(/\n(?=## )/).filter((s) => !s.startsWith('## Documents'));
fs.writeFileSync(file, [...kept.map((s) => s.trimEnd()), section].join('\n\n') + '\n');
console.log(`\nWrote ${file}`);
