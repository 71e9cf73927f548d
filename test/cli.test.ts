// The command line as a user runs it: real processes, real files, the database chosen by the run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { adminQuery, withDatabase } from './helpers/db.ts';

const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin', 'panjereh.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-cli-'));
const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', DATA_DIR: path.join(work, 'data') };
let dropDatabase = async () => {};

before(async () => {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `${new URL(url).pathname.slice(1)}_cli_${crypto.randomBytes(3).toString('hex')}`;
    await adminQuery(url, `create database "${name}"`);
    env.DATABASE_URL = withDatabase(url, name);
    dropDatabase = () => adminQuery(url, `drop database if exists "${name}" with (force)`);
  }
});
after(async () => {
  await dropDatabase();
  fs.rmSync(work, { recursive: true, force: true });
});

function run(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { env: { ...env, ...extraEnv }, encoding: 'utf8', cwd: work });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('--help lists the commands at every level', () => {
  const top = run(['--help']);
  assert.equal(top.code, 0);
  for (const c of ['serve', 'migrate', 'seed', 'catalog', 'config']) assert.match(top.out, new RegExp(`\\b${c}\\b`));
  const cat = run(['catalog', 'import', '--help']);
  const flat = cat.out.replace(/\s+/g, ' ');
  assert.match(flat, /--format <format> the file format \(choices: "panjereh-csv", "panjereh-json", "kenya-ecitizen", "canada-gc"\)/);
});

test('import reports each rejected row with its line, carries on, and re-import updates instead of duplicating', () => {
  assert.equal(run(['seed', 'demo']).code, 0);
  const file = path.join(work, 'kenya-sample.csv');
  fs.writeFileSync(
    file,
    [
      'service_id,service_name,service_url,agency_name,department_name,ministry_name',
      'k1,Apply for a Fishing Licence,https://kefs.ecitizen.go.ke/,Kenya Fisheries Service,Fisheries,Ministry of Mining',
      'k2,,https://x.go.ke/,Kenya Fisheries Service,Fisheries,Ministry of Mining',
      'k3,Renew a Fishing Licence,https://kefs.ecitizen.go.ke/,Kenya Fisheries Service,Fisheries,Ministry of Mining',
    ].join('\n'),
  );
  const first = run(['catalog', 'import', file, '--format', 'kenya-ecitizen']);
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /rejected: line 3: service_name is empty/);
  assert.match(first.out, /services 2 created, 0 updated, 0 unchanged, 1 rejected/);
  const again = run(['catalog', 'import', file, '--format', 'kenya-ecitizen', '--json']);
  const summary = JSON.parse(again.out);
  assert.deepEqual([summary.created, summary.updated, summary.unchanged], [0, 0, 2]);
});

test('export writes what import reads back unchanged', () => {
  const out = path.join(work, 'catalog.json');
  const exp = run(['catalog', 'export', '--format', 'json', '--out', out]);
  assert.equal(exp.code, 0, exp.err);
  const doc = JSON.parse(fs.readFileSync(out, 'utf8'));
  assert.ok(doc.services.length >= 152 && doc.agencies.length >= 26);
  const back = JSON.parse(run(['catalog', 'import', out, '--format', 'panjereh-json', '--json']).out);
  assert.deepEqual([back.created, back.updated, back.rejected.length], [0, 0, 0]);
  assert.equal(back.unchanged, doc.services.length);
  const csv = run(['catalog', 'export', '--format', 'csv']);
  assert.match(csv.out.split('\n')[0], /^slug,source,source_key,status,agency/);
});

test('audit verify reports an intact chain and names the first altered entry', async () => {
  const ok = run(['audit', 'verify']);
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /Audit log intact: \d+ entries/);
  if (!env.DATABASE_URL) return; // the embedded database is closed to other processes; PostgreSQL lets the test alter a row
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: env.DATABASE_URL });
  await c.connect();
  await c.query(`insert into audit_log (at, actor, action, prev_hash, hash) values (now(), 'x', 'y', 'z', 'w')`);
  await c.end();
  const broken = run(['audit', 'verify']);
  assert.equal(broken.code, 1);
  assert.match(broken.out, /Audit log broken at entry \d+: links to a different previous entry/);
});

test('audit sign and verify --json: a tail removed after signing is named, exit code 1', async () => {
  if (!env.DATABASE_URL) return; // the embedded database is closed to other processes; PostgreSQL lets the test alter rows
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: env.DATABASE_URL });
  await c.connect();
  try {
    await c.query('delete from audit_log'); // the earlier test broke the chain on purpose
    const signed = run(['admin', 'create', '--email', 'audit.sign@example.ir']); // writes an entry
    assert.equal(signed.code, 0, signed.err);
    run(['admin', 'create', '--email', 'audit.sign2@example.ir']);
    const sign = run(['audit', 'sign']);
    assert.equal(sign.code, 0, sign.err);
    assert.match(sign.out, /^Signed 2 entries \(\d+-\d+\) in 1 batch\.\n$/);
    assert.match(run(['audit', 'sign']).out, /Nothing to sign/);
    const ok = JSON.parse(run(['audit', 'verify', '--json']).out);
    assert.deepEqual([ok.ok, ok.entries, ok.batches, ok.unsignedTail], [true, 2, 1, 0]);
    await c.query('delete from audit_log where seq = (select max(seq) from audit_log)');
    const cut = run(['audit', 'verify']);
    assert.equal(cut.code, 1);
    assert.match(
      cut.out,
      /Audit log broken at entry \d+ \(batch 1\): batch 1 signed entries up to \d+ but the log ends at \d+: entries were removed from the end .*1 of them are there/,
    );
    const json = run(['audit', 'verify', '--json']);
    assert.equal(json.code, 1);
    assert.deepEqual((({ ok, kind, batch }) => ({ ok, kind, batch }))(JSON.parse(json.out)), { ok: false, kind: 'removed', batch: 1 });
  } finally {
    await c.end();
  }
});

test('admin create prints a one-time setup link; roles and agencies must fit', () => {
  const ok = run(['admin', 'create', '--email', 'First.Admin@Example.ir']);
  assert.equal(ok.code, 0, ok.err);
  assert.match(
    ok.out,
    /One-time setup link for First\.Admin@Example\.ir \(valid 24 hours\):\nhttp:\/\/localhost:3000\/en\/staff\/setup\/[A-Za-z0-9_-]{43}\n/,
  );
  const scoped = run(['admin', 'create', '--email', 'e@example.ir', '--role', 'service-editor']);
  assert.equal(scoped.code, 1);
  assert.match(scoped.err, /--agency is required for the service-editor role/);
  const unknown = run(['admin', 'create', '--email', 'e@example.ir', '--role', 'service-editor', '--agency', 'ir-nowhere']);
  assert.match(unknown.err, /AGENCY_NOT_FOUND/);
  const badEmail = run(['admin', 'create', '--email', 'not-an-email']);
  assert.match(badEmail.err, /is not an email address/);
  assert.equal(run(['admin', 'create', '--email', 'first.admin@example.ir']).code, 0, 'a pending invitation can be renewed');
  const notSetUp = run(['admin', 'reset-authenticator', '--email', 'first.admin@example.ir']);
  assert.equal(notSetUp.code, 1);
  assert.match(notSetUp.err, /STAFF_NOT_SET_UP/);
  assert.match(
    run(['admin', 'reset-authenticator', '--email', 'nobody@example.ir']).err,
    /NOT_FOUND: There is no staff account nobody@example.ir/,
  );
});

test('oidc client add registers a portal and prints its credentials; bad URIs and scopes are refused', () => {
  const ok = run(
    ['oidc', 'client', 'add', '--name', 'Tax portal', '--redirect-uri', 'https://tax.example.ir/callback', '--scope', 'national_id'],
    { SESSION_SECRET: 'cli-test-secret-cli-test-secret-0123456' },
  );
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /^client_id: rp-[A-Za-z0-9_-]+\nclient_secret: [A-Za-z0-9_-]{43}\nscopes: openid national_id\n$/);
  const http = run(['oidc', 'client', 'add', '--name', 'x', '--redirect-uri', 'http://tax.example.ir/cb']);
  assert.match(http.err, /must use https/);
  const scope = run(['oidc', 'client', 'add', '--name', 'x', '--redirect-uri', 'https://a.ir/cb', '--scope', 'everything']);
  assert.match(scope.err, /Unknown scope\(s\): everything/);
  const rotate = run(['oidc', 'keys', 'rotate']);
  assert.match(rotate.out, /New signing key [0-9a-f]{16}/);
});

test('bad files and arguments are refused with a clear message and a non-zero exit', () => {
  const missing = run(['catalog', 'import', 'nope.csv', '--format', 'kenya-ecitizen']);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /IMPORT_FAILED: There is no file nope.csv/);
  const badFormat = run(['catalog', 'import', 'x.csv', '--format', 'excel']);
  assert.notEqual(badFormat.code, 0);
  assert.match(badFormat.err, /Allowed choices are/);
  const wrongColumns = path.join(work, 'wrong.csv');
  fs.writeFileSync(wrongColumns, 'a,b\n1,2\n');
  const wc = run(['catalog', 'import', wrongColumns, '--format', 'canada-gc']);
  assert.equal(wc.code, 1);
  assert.match(wc.err, /lacks the column\(s\) fiscal_yr, service_id/);
  const badEnv = run(['migrate'], { PORT: 'eighty' });
  assert.equal(badEnv.code, 1);
  assert.match(badEnv.err, /PORT must be a whole number/);
});

test('the embedded database is never opened twice: a command refuses while the server holds it', async () => {
  const dataDir = path.join(work, 'locked');
  const liteEnv = { ...env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', SEED_DEMO: 'never', LOG_LEVEL: 'info' };
  const server = spawn(process.execPath, [bin, 'serve'], { env: liteEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`server did not start: ${seen}`)), 60_000);
      server.stdout!.on('data', (d) => {
        seen += d;
        if (seen.includes('Panjereh is running')) {
          clearTimeout(timer);
          resolve();
        }
      });
      server.once('exit', (code) => reject(new Error(`server exited ${code}: ${seen}`)));
    });
    const refused = run(['migrate'], { DATABASE_URL: '', DATA_DIR: dataDir });
    assert.equal(refused.code, 3);
    assert.match(refused.err, /DATABASE_IN_USE: The embedded database in .* is open in another Panjereh process \(pid \d+\)/);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  const afterStop = run(['migrate'], { DATABASE_URL: '', DATA_DIR: dataDir });
  assert.equal(afterStop.code, 0, afterStop.err);
  assert.match(afterStop.out, /latest migration/);
});

test('config --check lists what a production start would refuse (exit 1), and serve refuses the same', () => {
  const clean: NodeJS.ProcessEnv = {
    NODE_ENV: '',
    DATABASE_URL: '',
    PUBLIC_URL: '',
    SESSION_SECRET: '',
    SMS_GATEWAY: '',
    SMS_HTTP_URL: '',
    SMTP_URL: '',
    MOBILE_OWNERSHIP_CHECK: '',
    GOVSTACK_ACCESS: '',
    SEED_DEMO: '',
  };
  const bad = run(['config', '--check'], { ...clean, SMS_GATEWAY: 'file', GOVSTACK_ACCESS: 'open' });
  assert.equal(bad.code, 1, bad.out + bad.err);
  assert.match(bad.out, /NODE_ENV is not set: checked as NODE_ENV=production/);
  for (const p of [
    /MOBILE_OWNERSHIP_CHECK=development/,
    /SMS_GATEWAY=file/,
    /GOVSTACK_ACCESS=open/,
    /PUBLIC_URL is required/,
    /SESSION_SECRET is required/,
    /SMTP_URL is required/,
    /DATABASE_URL is required/,
  ])
    assert.match(bad.out, p);
  const serve = run(['serve'], { ...clean, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1' });
  assert.equal(serve.code, 1);
  assert.match(serve.err, /MOBILE_OWNERSHIP_CHECK=development \(the default\) lets anyone sign in as any citizen/);
  assert.match(serve.err, /PUBLIC_URL is required in production/);
  const prodEnv: NodeJS.ProcessEnv = {
    ...clean,
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://panjereh@db.example.ir/panjereh',
    PUBLIC_URL: 'https://window.example.ir',
    SESSION_SECRET: crypto.randomBytes(32).toString('base64url'),
    SMS_HTTP_URL: 'https://sms.example.ir/send',
    SMTP_URL: 'smtps://mailer:pw@mail.example.ir:465',
    MOBILE_OWNERSHIP_CHECK: 'exchange',
  };
  const good = run(['config', '--check'], prodEnv);
  assert.equal(good.code, 0, good.out + good.err);
  assert.match(good.out, /Ready for production/);
  const demo = run(['seed', 'demo'], prodEnv);
  assert.equal(demo.code, 1);
  assert.match(demo.err, /demo data .* is not loaded in production/);
});
