// The exchange is killed with SIGKILL under load: after the restart the message log still verifies
// and every request that got a complete answer is in it. PostgreSQL only (PGlite is one process).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type DatabaseHandle } from '../src/db/connect.ts';
import { buildApp } from '../src/server.ts';
import type { AppContext } from '../src/context.ts';
import { startDemoRegistries, startExchange } from '../src/modules/exchange/exchange.runtime.ts';
import { adminQuery, onPostgres, withDatabase } from './helpers/db.ts';

const url = process.env.DATABASE_URL;
const name = `${url ? new URL(url).pathname.slice(1) : 'x'}_kill_${crypto.randomBytes(3).toString('hex')}`;
const secret = crypto.randomBytes(32).toString('base64url');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-kill-'));
let h: DatabaseHandle;
let ctx: AppContext;
let registries: Awaited<ReturnType<typeof startDemoRegistries>>;
let child: ChildProcess | null = null;

before(async () => {
  if (!onPostgres()) return;
  const template = process.env.PANJEREH_TEST_PG_TEMPLATE;
  if (!template) throw new Error('run through test/run.ts');
  await adminQuery(url!, `create database "${name}" template "${template}"`);
  h = await openDatabase({ databaseUrl: withDatabase(url!, name), dataDir });
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    SESSION_SECRET: secret,
    DATABASE_URL: withDatabase(url!, name),
  });
  ({ ctx } = await buildApp(config, h));
  registries = await startDemoRegistries(0);
  await h.db
    .updateTable('exchange_services')
    .set({ upstream_url: `http://127.0.0.1:${registries.civil}` })
    .where('id', '=', 'GOV/NOCR/REGISTRY/person')
    .execute();
});
after(async () => {
  if (!onPostgres()) return;
  child?.kill('SIGKILL');
  await registries?.stop();
  await ctx?.exchange.close();
  await h?.close();
  await adminQuery(url!, `drop database if exists "${name}" with (force)`);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test(
  'SIGKILL under load: the chain verifies after restart and every answered request is logged',
  { skip: !onPostgres() && 'needs PostgreSQL (DATABASE_URL): PGlite is open in one process only' },
  async () => {
    const cert = await ctx.exchange.issueCert('test', 'GOV/TAX/PORTAL');
    child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'helpers', 'exchange-child.ts')], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATA_DIR: dataDir,
        SESSION_SECRET: secret,
        DATABASE_URL: withDatabase(url!, name),
        EXCHANGE_LOG_SIGN_MS: '200',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      let buf = '';
      child!.stdout!.on('data', (c: Buffer) => {
        buf += c.toString();
        const m = /"port":(\d+)/.exec(buf);
        if (m) resolve(Number(m[1]));
      });
      child!.once('exit', (code) => reject(new Error(`the exchange process ended early (${code})`)));
    });
    const agent = new https.Agent({ keepAlive: true, maxSockets: 50, key: cert.keyPem, cert: cert.certPem, ca: cert.caPem });
    const answered: string[] = [];
    let failed = 0;
    let stop = false;
    const one = (id: string) =>
      new Promise<void>((resolve) => {
        const req = https.request(
          {
            host: '127.0.0.1',
            port,
            path: '/r1/IR/GOV/NOCR/REGISTRY/person/persons/0499370899',
            agent,
            headers: { 'x-road-client': 'IR/GOV/TAX/PORTAL', 'x-road-id': id },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              try {
                if (res.statusCode === 200 && JSON.parse(Buffer.concat(chunks).toString()).nationalId === '0499370899') answered.push(id);
              } catch {
                failed++; // cut short: not a complete answer
              }
              resolve();
            });
            res.on('error', () => (failed++, resolve()));
          },
        );
        req.on('error', () => (failed++, resolve()));
        req.end();
      });
    const loops = Array.from({ length: 50 }, async (_, n) => {
      for (let i = 0; !stop; i++) await one(`kill-${n}-${i}`);
    });
    // run until a good number of requests were answered (a loaded machine is slower), then kill
    const deadline = Date.now() + 30_000;
    while (answered.length <= 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(answered.length > 20, `load was running (${answered.length} answered)`);
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    stop = true;
    await Promise.all(loops);
    agent.destroy();
    child = null;

    const logged = new Set(
      (await h.db.selectFrom('exchange_log').select('x_road_id').where('x_road_id', 'like', 'kill-%').execute()).map((r) => r.x_road_id),
    );
    const missing = answered.filter((id) => !logged.has(id));
    assert.deepEqual(missing, [], `${missing.length} of ${answered.length} answered requests are not in the log`);
    const v1 = await ctx.exchange.log.verify();
    assert.equal(v1.ok, true, JSON.stringify(v1));

    // Restart (here, in this process) and carry on: the chain continues and verifies, signed.
    const again = await startExchange(ctx, 0, '127.0.0.1');
    const res = await new Promise<number>((resolve, reject) => {
      https
        .get(
          {
            host: '127.0.0.1',
            port: again.port,
            path: '/r1/IR/GOV/NOCR/REGISTRY/person/persons/0499370899',
            key: cert.keyPem,
            cert: cert.certPem,
            ca: cert.caPem,
            agent: false,
            headers: { 'x-road-client': 'IR/GOV/TAX/PORTAL' },
          },
          (r) => (r.resume(), r.on('end', () => resolve(r.statusCode ?? 0))),
        )
        .on('error', reject);
    });
    assert.equal(res, 200);
    await again.stop();
    const v2 = await ctx.exchange.log.verify();
    assert.equal(v2.ok, true, JSON.stringify(v2));
    assert.equal(v2.ok && v2.unsignedTail, 0);
    assert.ok(v2.ok && v2.records >= answered.length + 1);
    process.stdout.write(`# ${answered.length} answered before SIGKILL, ${failed} cut short; ${v2.ok && v2.records} records verify\n`);
  },
);
