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
import { arg, freshDatabase, row, type Row, waitHealthy, writeSection } from './lib.ts';

const root = path.resolve(import.meta.dirname, '..');
const DURATION = Number(arg('duration', '10'));
const CONNECTIONS = Number(arg('connections', '50'));
const PORT = 3991;
const base = `http://127.0.0.1:${PORT}`;

const database = await freshDatabase('documents');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-bench-docs-'));
const env = {
  ...process.env,
  DATABASE_URL: database.url,
  DATA_DIR: dataDir,
  PORT: String(PORT),
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  NODE_ENV: 'development',
  SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
  SMS_GATEWAY: 'file',
  RATE_LIMIT_MAX: '1000000',
  API_KEY_RATE_LIMIT: '1000000',
};
const server = spawn(process.execPath, [path.join(root, 'bin/panjereh.js'), 'serve'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
const rows: Row[] = [];
try {
  await waitHealthy(`${base}/healthz`, server);
  const made = spawnSync(
    process.execPath,
    [path.join(root, 'bin/panjereh.js'), 'apikey', 'create', '--agency', 'ir-nocr', '--scopes', 'documents:issue', '--json'],
    { env, encoding: 'utf8' },
  );
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
          body: JSON.stringify({
            kind: 'certificate',
            lang: 'fa',
            title: 'گواهی ثبت ولادت',
            holderName: `شهروند شماره ${++n}`,
            applicationRef: `BENCH-${n}`,
            fields: [
              { label: 'شماره پرونده', value: `۱۴۰۵/${n}` },
              { label: 'محل تولد', value: 'تهران، منطقه ۶ (آزمایشی)' },
            ],
          }),
        }),
        onResponse: (status: number, body: string) => {
          if (status === 201) issued.push(JSON.parse(body));
        },
      },
    ],
  } as unknown as autocannon.Options);
  rows.push(row('issue', issue, 201));

  let next = 0;
  rows.push(
    row(
      'verify page',
      await autocannon({
        ...opts,
        requests: [
          {
            method: 'GET',
            setupRequest: (req: Record<string, unknown>) => ({ ...req, path: `/fa/verify/${issued[next++ % issued.length].code}` }),
          },
        ],
      } as unknown as autocannon.Options),
      200,
    ),
  );

  const sample = issued.slice(0, 20);
  const files = await Promise.all(
    sample.map(async (d) => ({
      code: d.code,
      pdf: Buffer.from(await (await fetch(d.downloadUrl.replace(/^https?:\/\/[^/]+/, base))).arrayBuffer()),
    })),
  );
  const boundary = '----panjerehbench';
  const bodies = files.map((f) => ({
    code: f.code,
    body: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="document"; filename="d.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
      ),
      f.pdf,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  }));
  let k = 0;
  rows.push(
    row(
      'file check',
      await autocannon({
        ...opts,
        requests: [
          {
            method: 'POST',
            setupRequest: (req: Record<string, unknown>) => {
              const b = bodies[k++ % bodies.length];
              return {
                ...req,
                path: `/en/verify/${b.code}`,
                headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
                body: b.body,
              };
            },
          },
        ],
      } as unknown as autocannon.Options),
      200,
    ),
  );
  console.log(`PDF size: ${Math.round(files[0].pdf.length / 1024)} KiB`);
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  await database.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

writeSection('## Documents (`npm run bench:documents`)', [
  `PostgreSQL 15, autocannon with ${CONNECTIONS} connections, ${DURATION} s per route, measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on the same machine. Issue: a Persian certificate through the agency API (key check, PDF rendering with shaping, bidi and a QR code, SHA-256, Ed25519 signature, insert, audit entry, webhook event). Verify page: the public page for a rotating code. File check: a multipart upload of the issued PDF, hashed and its signature checked.`,
  '',
  '| route | req/s | p50 ms | p99 ms | ratio to baseline | unexpected responses | requests |',
  '|---|---:|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.name} | ${r.reqPerSec.toFixed(0)} | ${r.p50} | ${r.p99} | ${(r.reqPerSec / rows[0].reqPerSec).toFixed(2)} | ${r.errors} | ${r.requests} |`,
  ),
]);
