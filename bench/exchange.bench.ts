// npm run bench:exchange [-- --duration 10 --connections 50 --profile DIR]
// On PostgreSQL (a fresh database), with `panjereh serve` as a child process (exchange port and the
// demo registries on), in one run:
//   direct      GET http://127.0.0.1:<civil registry>/persons/0499370899 (the upstream, no exchange)
//   exchange    the same request through the exchange: mutual TLS on keep-alive connections (each of
//               the 50 connections does one TLS handshake, then carries many requests, as an agency
//               system's connection pool would), X-Road-Client and grant checks, streaming to the
//               registry, message log (metadata + encrypted bodies, hash chain, group commit before
//               the last byte is sent), signed batches every 5 s
// Then verifies the message log with the CLI. Writes req/s, p50, p99 and the ratio into bench/RESULTS.md.
// --profile DIR: the server runs with --cpu-prof and writes its CPU profile into DIR on exit.
// --before DIR: also measure the exchange of another checkout (its node_modules in place) first, as
//   "exchange before"; --only direct|exchange: one row, RESULTS.md untouched.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type autocannon from 'autocannon';
import { arg, freshDatabase, measure, waitHealthy, writeSection, type Row } from './lib.ts';

const root = path.resolve(import.meta.dirname, '..');
const DURATION = Number(arg('duration', '10'));
const CONNECTIONS = Number(arg('connections', '50'));
const PROFILE = arg('profile', '');
const ONLY = arg('only', '');
const BEFORE = arg('before', ''); // a checkout to measure first as "exchange before" // direct | exchange: measure one row (for profiling); RESULTS.md is not written
const PORT = 3979;
const EXCHANGE_PORT = 3980;
const REGISTRY_PORT = 3981;

/** One `panjereh serve` from a checkout (with its own fresh database), a client certificate, and the log check. */
async function startServer(checkout: string, profileDir: string) {
  const db = await freshDatabase('panjereh_bench_exchange');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-bench-ex-'));
  const env = {
    ...process.env,
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    PORT: String(PORT),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
    SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    EXCHANGE_PORT: String(EXCHANGE_PORT),
    EXCHANGE_HOST: '127.0.0.1',
    EXCHANGE_DEMO_REGISTRY_PORT: String(REGISTRY_PORT),
    RATE_LIMIT_MAX: '1000000',
  };
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(checkout, 'bin/panjereh.js'), ...args], { env, encoding: 'utf8' });
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`] : [];
  const server = spawn(process.execPath, [...nodeArgs, path.join(checkout, 'bin/panjereh.js'), 'serve'], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const stop = async () => {
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitHealthy(`http://127.0.0.1:${PORT}/healthz`, server);
    const certDir = path.join(dataDir, 'cert');
    const issued = cli('exchange', 'cert', 'issue', '--subsystem', 'GOV/TAX/PORTAL', '--out', certDir);
    if (issued.status !== 0) throw new Error(issued.stderr);
    await new Promise((r) => setTimeout(r, 1500)); // the server's registry copy refreshes every second
    const tlsOptions = {
      key: fs.readFileSync(path.join(certDir, 'key.pem')),
      cert: fs.readFileSync(path.join(certDir, 'cert.pem')),
      ca: fs.readFileSync(path.join(certDir, 'ca.pem')),
    };
    const verify = () => {
      const v = cli('exchange', 'verify-log');
      console.log(v.stdout.trim());
      if (v.status !== 0) throw new Error('the message log did not verify');
      return v.stdout.trim();
    };
    return { tlsOptions, verify, stop, pid: server.pid! };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); null elsewhere. */
function cpuSeconds(pid: number): number | null {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return null;
  }
}

/** measure(), plus the server's CPU milliseconds per request: on a shared machine, the steadier figure. */
const cpuPerRequest = new Map<string, number>();
async function measureCpu(name: string, pid: number, opts: autocannon.Options): Promise<Row> {
  await measure(`${name} warm-up`, { ...opts, duration: 2 });
  const before = cpuSeconds(pid);
  const r = await measure(name, opts);
  const after = cpuSeconds(pid);
  if (before !== null && after !== null && r.requests) {
    cpuPerRequest.set(name, (1000 * (after - before)) / r.requests);
    console.log(`${name.padEnd(14)} server CPU ${cpuPerRequest.get(name)!.toFixed(2)} ms per request`);
  }
  return r;
}

const headers = { 'x-road-client': 'IR/GOV/TAX/PORTAL', 'x-road-issue': 'bench' };
const exchangeOpts = (tlsOptions: object) =>
  ({
    url: `https://127.0.0.1:${EXCHANGE_PORT}/r1/IR/GOV/NOCR/REGISTRY/person/persons/0499370899`,
    headers,
    tlsOptions,
  }) as autocannon.Options;
const rows: Row[] = [];
let records: string;
// --before DIR: first the same measurement with the server from another checkout (e.g. the commit
// before a change), so before and after are measured in one run on the same machine state.
if (BEFORE) {
  const s = await startServer(path.resolve(BEFORE), '');
  try {
    if (!ONLY || ONLY === 'exchange')
      rows.push(
        await measureCpu('exchange before', s.pid, { ...exchangeOpts(s.tlsOptions), connections: CONNECTIONS, duration: DURATION }),
      );
    s.verify();
  } finally {
    await s.stop();
  }
}
const s = await startServer(root, PROFILE);
try {
  const targets: { name: string; opts: autocannon.Options }[] = [
    { name: 'direct', opts: { url: `http://127.0.0.1:${REGISTRY_PORT}/persons/0499370899` } },
    { name: 'exchange', opts: exchangeOpts(s.tlsOptions) },
  ];
  for (const t of targets.filter((x) => !ONLY || x.name === ONLY))
    rows.push(await measureCpu(t.name, s.pid, { ...t.opts, connections: CONNECTIONS, duration: DURATION }));
  records = s.verify();
} finally {
  await s.stop();
}

if (ONLY) process.exit(0);
const direct = rows.find((r) => r.name === 'direct')!;
const through = rows.find((r) => r.name === 'exchange')!;
const file = writeSection(
  'Exchange (`npm run bench:exchange`)',
  [
    `PostgreSQL 15, autocannon with ${CONNECTIONS} connections, ${DURATION} s per row after a 2 s warm-up, measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on the same machine (server, demo registry and load generator share its 2 cores). Direct: the demo civil registry (a separate HTTP service) called over plain HTTP. Exchange: the same request through the exchange's TLS port with a client certificate (keep-alive connections), X-Road-Client and grant checks, streaming to the registry, and a message-log record per request (metadata, encrypted bodies, hash chain; the last bytes of each answer wait for its commit). ${records}`,
    '',
    `Load average when the run ended: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(
        ', ',
      )} (${os.cpus().length} cores). Server CPU per request: the server process's user + system CPU time during the row divided by its requests (it includes the demo registry, which runs in the same process); it depends less on what else the machine is doing than req/s.`,
    '',
    '| route | req/s | p50 ms | p99 ms | ratio to direct | added p99 ms | server CPU ms per request | unexpected responses | requests |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.reqPerSec.toFixed(0)} | ${r.p50} | ${r.p99} | ${(r.reqPerSec / direct.reqPerSec).toFixed(2)} | ${r === direct ? '–' : r.p99 - direct.p99} | ${cpuPerRequest.get(r.name)?.toFixed(2) ?? '–'} | ${r.errors} | ${r.requests} |`,
    ),
  ].join('\n'),
);
console.log(`\nratio ${(through.reqPerSec / direct.reqPerSec).toFixed(2)}; wrote ${file}`);
