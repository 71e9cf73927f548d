// Automated portal checks against fixture websites this test serves itself: a good one, a bad one
// and one on HTTPS with a self-signed certificate; then the same checks from a round, and the CLI.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { PortalChecker } from './monitoring.checks.ts';
import { PortalCheckWorker } from './monitoring.jobs.ts';
import { signedInStaff } from './monitoring.testkit.ts';

const GOOD = `<!doctype html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>سازمان نمونه</title></head>
<body><header><nav aria-label="اصلی"><a href="/services">فهرست خدمات</a> <a href="/privacy">حریم خصوصی</a> <a href="/contact">تماس با ما</a></nav></header>
<main><h1>سازمان نمونه</h1><form role="search" action="/search"><label for="q">جست‌وجو</label><input type="search" id="q" name="q"><button>جست‌وجو</button></form>
<p>تلفن: <a href="tel:+982112345678">۰۲۱-۱۲۳۴۵۶۷۸</a></p></main></body></html>`;
const BAD = `<!doctype html><html lang="fa"><head><meta charset="utf-8"><title>bad</title></head><body>
<div style="color:#bbb;background:#fff">متن کم‌رنگ</div><img src="/logo.png"><a href="/x"></a><input type="text"></body></html>`;

let good: http.Server;
let bad: http.Server;
let secure: https.Server;
let goodUrl = '';
let badUrl = '';
let secureUrl = '';
let t: TestApp;
let worker: PortalCheckWorker;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-portals-'));
const checker = new PortalChecker({ chromiumPath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', timeoutMs: 15_000 });

const listen = async (s: http.Server | https.Server, proto: string) => {
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `${proto}://127.0.0.1:${(s.address() as AddressInfo).port}/`;
};

before(async () => {
  const page = (html: string) => (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.url === '/logo.png') return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  };
  good = http.createServer(page(GOOD));
  bad = http.createServer(page(BAD));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      path.join(work, 'key.pem'),
      '-out',
      path.join(work, 'cert.pem'),
      '-days',
      '30',
      '-subj',
      '/CN=127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  secure = https.createServer(
    { key: fs.readFileSync(path.join(work, 'key.pem')), cert: fs.readFileSync(path.join(work, 'cert.pem')) },
    page(GOOD),
  );
  goodUrl = await listen(good, 'http');
  badUrl = await listen(bad, 'http');
  secureUrl = await listen(secure, 'https');
  // The in-process worker is off: this test runs the same worker class by hand, pass by pass.
  t = await testApp({ MONITORING_CHECK_WORKER: false });
  worker = new PortalCheckWorker(t.ctx.monitoring, () => ({ check: (u) => checker.check(u), close: async () => {} }), 120);
});

after(async () => {
  await checker.close();
  await t.close();
  for (const s of [good, bad, secure]) s.close();
  fs.rmSync(work, { recursive: true, force: true });
});

test('the good site passes every check; the bad one fails them, with axe violations named', async () => {
  const g = await checker.check(goodUrl);
  assert.equal(g.reachable, true);
  assert.equal(g.status, 200);
  assert.equal(g.https, false);
  assert.equal(g.langDirOk, true);
  assert.equal(g.viewport, true);
  assert.equal(g.search, true);
  assert.equal(g.contact, true);
  assert.equal(g.privacy, true);
  assert.equal(g.servicesList, true);
  assert.equal(g.axe?.violations, 0, JSON.stringify(g.axe));
  assert.ok(g.pageKb! > 0 && g.pageKb! < 10);
  assert.ok(g.responseMs! >= 0);

  const b = await checker.check(badUrl);
  assert.equal(b.langDirOk, false, 'Persian without dir="rtl"');
  assert.equal(b.viewport, false);
  assert.equal(b.search, false);
  assert.equal(b.contact, false);
  assert.equal(b.privacy, false);
  assert.ok(b.axe!.violations >= 3);
  for (const rule of ['image-alt', 'color-contrast', 'link-name']) assert.ok(b.axe!.rules.includes(rule), rule);
});

test('HTTPS with a self-signed certificate: served over HTTPS, certificate not valid, expiry read', async () => {
  const s = await checker.check(secureUrl);
  assert.equal(s.reachable, true);
  assert.equal(s.https, true);
  assert.equal(s.certificate?.valid, false);
  assert.match(s.certificate?.error ?? '', /SELF_SIGNED/);
  assert.ok(s.certificate!.daysLeft! >= 28 && s.certificate!.daysLeft! <= 30);
  const gone = await checker.check('http://127.0.0.1:1/');
  assert.equal(gone.reachable, false);
  assert.equal((await checker.check('ftp://example.ir')).error, 'not a web address (it must start with http:// or https://)');
});

test('from a round: the check proposes answers; the assessor confirms them before submitting', async () => {
  const admin = await signedInStaff(t, 'padmin@example.ir', 'platform-admin', null);
  const analyst = await signedInStaff(t, 'panalyst@example.ir', 'oversight-analyst', null);
  await admin.b.get('/en/staff/monitoring/rounds/new');
  const today = new Date().toISOString().slice(0, 10);
  const res = await admin.b.post('/en/staff/monitoring/rounds/new', {
    titleFa: 'درگاه‌ها',
    titleEn: 'Portals',
    slug: 'portals-1404',
    cutoff: today,
    setKey: 'portal-checklist',
    portals: `Sample city | ${badUrl}\nwrong line`,
  });
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /Write each portal as/);
  const ok = await admin.b.post('/en/staff/monitoring/rounds/new', {
    titleFa: 'درگاه‌ها',
    titleEn: 'Portals',
    slug: 'portals-1404',
    cutoff: today,
    setKey: 'portal-checklist',
    portals: `Sample city | ${badUrl}`,
  });
  assert.equal(ok.statusCode, 303);
  const round = await t.ctx.monitoring.round('portals-1404');
  const [subject] = await t.ctx.monitoring.repo.subjects(round.id);
  assert.equal(subject.subject, 'portal-127-0-0-1');
  await admin.b.get('/en/staff/monitoring/rounds/portals-1404');
  await admin.b.post('/en/staff/monitoring/rounds/portals-1404/assign', { subject: subject.subject, assessor: analyst.id });
  const base = `/en/staff/monitoring/rounds/portals-1404/subjects/${subject.subject}`;
  await analyst.b.get(base);
  const checked = await analyst.b.post(`${base}/check`, {});
  assert.equal(checked.statusCode, 303);
  // queued, not run in the request: the page says so and offers a Refresh link
  const queued = await analyst.b.get(base);
  assert.match(
    queued.body,
    /<div role="status" aria-live="polite" id="portal-check-status"><p><strong class="tag tag-blue">Queued<\/strong> Queued since /,
  );
  assert.match(queued.body, /<a href="[^"]+#portal-check-title">Refresh<\/a>/);
  assert.doesNotMatch(queued.body, /Run the automated portal check/, 'no second request while one waits');
  await analyst.b.post(`${base}/check`, {});
  assert.equal((await t.ctx.monitoring.repo.latestChecks(round.id)).length, 1);
  assert.equal(await worker.runOnce(), 1);
  const [job] = await t.ctx.monitoring.repo.latestChecks(round.id);
  assert.equal(job.status, 'done');
  assert.equal(job.proposed, 12);
  assert.equal(job.attempts, 1);
  const done = await analyst.b.get(base);
  assert.match(done.body, /tag-green">Done<\/strong> Done at .*; it proposed 12 answers/);
  assert.match(done.body, /Run the automated portal check again/);
  const answers = await t.ctx.monitoring.repo.answers(round.id, subject.subject);
  const v = (code: string) => answers.find((a) => a.code === code)!;
  assert.equal(v('PC-ACC-2').state, 'proposed');
  assert.equal(v('PC-ACC-2').value, 0, 'no viewport');
  assert.equal(v('PC-SEC-1').value, 0, 'no HTTPS');
  assert.ok(v('PC-ACC-3').value! >= 3, 'violations counted');
  assert.match(v('PC-CON-3').note!, /privacy policy: no/);
  const page = await analyst.b.get(base);
  assert.match(page.body, /Proposed by portal check/);
  assert.match((await analyst.b.post(`${base}/submit`, {})).headers.location as string, /missing=PC-SEC-1/);
  await analyst.b.get(`${base}/indicators/PC-ACC-2`);
  assert.equal((await analyst.b.multipart(`${base}/indicators/PC-ACC-2`, { value: 'no', note: v('PC-ACC-2').note! })).statusCode, 303);
  const confirmed = (await t.ctx.monitoring.repo.answers(round.id, subject.subject)).find((a) => a.code === 'PC-ACC-2')!;
  assert.equal(confirmed.state, 'answered');
  assert.equal(confirmed.detail.confirmedFrom, 'portal-check');
  // a new check never overwrites a confirmed answer
  await t.ctx.monitoring.applyPortalCheck(round.id, subject.subject, await checker.check(goodUrl), {
    id: analyst.id,
    role: 'oversight-analyst',
    agencyId: null,
  });
  const after2 = await t.ctx.monitoring.repo.answers(round.id, subject.subject);
  assert.equal(after2.find((a) => a.code === 'PC-ACC-2')!.value, 0);
  assert.equal(after2.find((a) => a.code === 'PC-ACC-1')!.value, 1, 'proposals follow the latest check');
});

test("the check queue: every portal of a round at once, a dead worker's job comes back, a round published meanwhile fails its job", async () => {
  const admin = await signedInStaff(t, 'qadmin@example.ir', 'platform-admin', null);
  const outsider = await signedInStaff(t, 'qnocr@example.ir', 'agency-admin', 'ir-nocr');
  await admin.b.get('/en/staff/monitoring/rounds/new');
  const today = new Date().toISOString().slice(0, 10);
  const made = await admin.b.post('/en/staff/monitoring/rounds/new', {
    titleFa: 'صف',
    titleEn: 'Queue',
    slug: 'portals-q',
    cutoff: today,
    setKey: 'portal-checklist',
    portals: `Good | ${goodUrl}\nLocal | ${badUrl.replace('127.0.0.1', 'localhost')}`,
  });
  assert.equal(made.statusCode, 303, made.body.slice(0, 300));
  const round = await t.ctx.monitoring.round('portals-q');
  const url = '/en/staff/monitoring/rounds/portals-q/checks';
  assert.equal((await outsider.b.get(url)).statusCode, 403);
  const empty = await admin.b.get(url);
  assert.equal(empty.statusCode, 200);
  assert.match(empty.body, /Queued: 0, running: 0, done: 0, failed: 0; of 2 portals/);
  assert.equal((await admin.b.post(url, {})).statusCode, 303);
  assert.match((await admin.b.get(url)).body, /Queued: 2, running: 0, done: 0, failed: 0/);
  await admin.b.post(url, {});
  assert.match((await admin.b.get(url)).body, /Queued: 2,/, 'asking again queues nothing twice');

  // A worker claims the first job and dies: its lease (0 s here) runs out and the next pass takes the job again.
  const repo = t.ctx.monitoring.repo;
  const [claimed] = await repo.claimChecks(1, 0);
  assert.equal(claimed.status, 'running');
  const fa = await admin.b.get('/fa/staff/monitoring/rounds/portals-q/checks');
  assert.match(fa.body, /در صف: ۱، در حال اجرا: ۱، انجام‌شده: ۰، ناموفق: ۰؛ از ۲ درگاه/);
  assert.equal(await worker.runOnce(1), 1);
  const retaken = (await repo.latestChecks(round.id)).find((j) => j.id === claimed.id)!;
  assert.equal(retaken.status, 'done');
  assert.equal(retaken.attempts, 2);
  assert.ok(retaken.check_id);

  // The round is published before the other check runs: the job fails and says why.
  await repo.updateRound(repo.db, round.id, { status: 'published', published_at: new Date(), published_by: 'test' });
  assert.equal(await worker.runOnce(), 1);
  const other = (await repo.latestChecks(round.id)).find((j) => j.id !== claimed.id)!;
  assert.equal(other.status, 'failed');
  assert.equal(other.last_error, 'the round was published before the check ran');
  const page = await admin.b.get(url);
  assert.match(page.body, /Queued: 0, running: 0, done: 1, failed: 1/);
  assert.match(page.body, /Failed at .*: the round was published before the check ran/);
  assert.doesNotMatch(page.body, /Check every portal still being assessed/, 'a published round queues nothing');
  assert.equal(await worker.runOnce(), 0, 'nothing left');
});

test('the in-process worker runs a queued check by itself; the page shows it done on reload', async () => {
  const t2 = await testApp({ MONITORING_CHECK_POLL_MS: 50, CHROMIUM_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
  try {
    const admin = await signedInStaff(t2, 'wadmin@example.ir', 'platform-admin', null);
    await admin.b.get('/en/staff/monitoring/rounds/new');
    const today = new Date().toISOString().slice(0, 10);
    assert.equal(
      (
        await admin.b.post('/en/staff/monitoring/rounds/new', {
          titleFa: 'کارگر',
          titleEn: 'Worker',
          slug: 'portals-w',
          cutoff: today,
          setKey: 'portal-checklist',
          portals: `Good | ${goodUrl}`,
        })
      ).statusCode,
      303,
    );
    const round = await t2.ctx.monitoring.round('portals-w');
    const [subject] = await t2.ctx.monitoring.repo.subjects(round.id);
    const base = `/en/staff/monitoring/rounds/portals-w/subjects/${subject.subject}`;
    await admin.b.get(base);
    const posted = await admin.b.post(`${base}/check`, {});
    assert.equal(posted.statusCode, 303);
    assert.match(posted.headers.location as string, /#portal-check-title$/);
    // Reload until the worker has finished (it polls every 50 ms; a check takes seconds).
    let body = '';
    for (let i = 0; i < 300 && !/tag-green">Done</.test(body); i++) {
      body = (await admin.b.get(base)).body;
      if (!/tag-green">Done</.test(body)) await new Promise((r) => setTimeout(r, 200));
    }
    assert.match(body, /Done at .*; it proposed 12 answers/);
    const answers = await t2.ctx.monitoring.repo.answers(round.id, subject.subject);
    assert.equal(answers.find((a) => a.code === 'PC-ACC-2')?.state, 'proposed');
    assert.equal(answers.find((a) => a.code === 'PC-ACC-2')?.value, 1, 'the good site has a viewport');
  } finally {
    await t2.close();
  }
});

/** The CLI in a child process, without blocking this process (it serves the fixture sites). */
function runAsync(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, args, { env });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    c.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

test('CLI: check-portal prints results and exits 2 when a site is unreachable; indicator import refuses bad files with line numbers', async () => {
  const bin = path.resolve(import.meta.dirname, '../../../bin/panjereh.js');
  const env = { ...process.env, LOG_LEVEL: 'silent', DATA_DIR: path.join(work, 'data') };
  const r = await runAsync([bin, 'monitor', 'check-portal', goodUrl, '--json'], env);
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout.trim());
  assert.equal(result.viewport, true);
  assert.equal(result.axe.violations, 0);
  const down = spawnSync(process.execPath, [bin, 'monitor', 'check-portal', 'http://127.0.0.1:1/'], { env, encoding: 'utf8' });
  assert.equal(down.status, 2);
  assert.match(down.stdout, /Not reachable/);
  if (process.env.DATABASE_URL) return; // the import below uses the embedded database in DATA_DIR
  const file = path.join(work, 'bad.csv');
  fs.writeFileSync(
    file,
    'code,criterion,criterion_fa,criterion_en,criterion_weight,description_fa,description_en,type,weight,answered_by,metric,check,rule\nA,c,م,C,1,ت,D,yesno,1,assessor,,,\nA,c,م,C,1,ت,D,yesno,1,assessor,,,\nB,c,م,C,1,ت,D,percent,1,assessor,,,\n',
  );
  const imp = spawnSync(
    process.execPath,
    [bin, 'monitor', 'indicators', 'import', file, '--key', 'mine', '--name-fa', 'من', '--name-en', 'Mine'],
    { env, encoding: 'utf8' },
  );
  assert.equal(imp.status, 1, imp.stderr);
  assert.match(imp.stdout, /rejected: line 3: duplicate code "A" \(first on line 2\)/);
  assert.match(imp.stdout, /rejected: line 4: type "percent" must be one of/);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').split('\n').slice(0, 2).join('\n') + '\n');
  const good2 = spawnSync(
    process.execPath,
    [bin, 'monitor', 'indicators', 'import', file, '--key', 'mine', '--name-fa', 'من', '--name-en', 'Mine', '--json'],
    { env, encoding: 'utf8' },
  );
  assert.equal(good2.status, 0, good2.stderr);
  assert.deepEqual(JSON.parse(good2.stdout), { ok: true, key: 'mine', version: 1, created: true, indicators: 1, criteria: 1 });
  const exp = spawnSync(process.execPath, [bin, 'monitor', 'indicators', 'export', 'un-losi-2024'], { env, encoding: 'utf8' });
  assert.equal(exp.stdout.trim().split('\n').length, 96);
});
