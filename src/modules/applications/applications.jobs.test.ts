// The periodic applications jobs and storage clean-up: the sweeper issues the document of an approval
// whose process died before issuing it (exactly once, even with two nodes sweeping at the same time);
// a re-uploaded file replaces the old one on disk; abandoned drafts go with their files.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { citizenSession, PDF, PNG } from '../../../test/helpers/people.ts';
import { ApplicationJobs } from './applications.jobs.ts';
import { RESPONSE_FILE } from './applications.types.ts';

let t: TestApp;
before(async () => {
  t = await testApp({
    NOTIFICATIONS_WORKER: false,
    WEBHOOK_WORKER: false,
    APPLICATION_JOBS: false,
    DOCUMENT_SWEEP_AFTER_SECONDS: 60,
    DRAFT_RETENTION_DAYS: 30,
  });
});
after(() => t.close());

const SLUG = 'certificate-of-single-status';
const db = () => t.ctx.database.db;

async function draft() {
  const who = await citizenSession(t.ctx);
  const citizen = { id: who.id, national_id: who.nationalId, mobile: who.mobile };
  return { citizen, app: await t.ctx.applications.startDraft(citizen, SLUG, 'fa') };
}

/** The state a crash leaves: approved and committed, a document.requested event, and no document. */
async function stuckApproval(ageSeconds: number) {
  const { citizen, app } = await draft();
  await t.ctx.applications.saveAnswers(app, { fullName: 'رضا کریمی', purpose: 'employment' });
  const r = await t.ctx.applications.submit(citizen, app.id, app.submission_token);
  assert.ok('app' in r);
  await db().updateTable('applications').set({ status: 'approved', decided_at: new Date() }).where('id', '=', app.id).execute();
  const ev = await db()
    .insertInto('application_events')
    .values({
      application_id: app.id,
      type: 'document.requested',
      from_status: 'approved',
      to_status: 'approved',
      actor: 'staff:crashed',
      data: JSON.stringify({ serviceId: app.service_id }),
      at: sql<Date>`now() - make_interval(secs => ${ageSeconds})`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { app, citizen, requestId: Number(ev.id), reference: r.app.reference! };
}

const issuedEvents = (id: string) =>
  db().selectFrom('application_events').selectAll().where('application_id', '=', id).where('type', '=', 'document.issued').execute();

test('the sweeper issues the document of an approval left without one, once; a fresh request is left to its own node', async () => {
  const stuck = await stuckApproval(600);
  const fresh = await stuckApproval(5);
  const jobs = t.ctx.applicationJobs;
  const pending = (await t.ctx.applications.backoffice.pendingDocumentRequests(60)).map((p) => p.applicationId);
  assert.ok(pending.includes(stuck.app.id));
  assert.ok(!pending.includes(fresh.app.id), 'younger than DOCUMENT_SWEEP_AFTER_SECONDS');

  const first = await jobs.runOnce();
  assert.ok(first.documents >= 1);
  const events = await issuedEvents(stuck.app.id);
  assert.equal(events.length, 1);
  assert.equal(events[0].data.requestId, String(stuck.requestId));
  const code = String(events[0].data.code);
  const doc = await t.ctx.documents.find(code);
  assert.ok(doc, 'a real signed document');
  assert.equal(doc.application_ref, stuck.reference);
  assert.equal((await t.app.inject(`/fa/verify/${code}`)).statusCode, 200);
  const inbox = await t.ctx.applications.inbox(stuck.citizen.id);
  assert.ok(
    inbox.some((m) => m.subject.fa?.includes('صادر شد')),
    'the citizen is told in the e-box',
  );
  assert.equal((await issuedEvents(fresh.app.id)).length, 0);

  // nothing more to do on the next pass
  assert.equal(await jobs.sweepDocuments(), 0);
  assert.equal((await issuedEvents(stuck.app.id)).length, 1);
  assert.equal((await db().selectFrom('documents').select('id').where('application_ref', '=', stuck.reference).execute()).length, 1);
});

test('two nodes sweeping at the same time issue each document once', async () => {
  const stuck = [await stuckApproval(600), await stuckApproval(600), await stuckApproval(600)];
  await t.ctx.documents.keys.active();
  const { issueRequested } = {
    issueRequested: (id: string, req: number, wait?: boolean) =>
      t.ctx.applications.backoffice.issueRequested(
        id,
        req,
        async (app, tx) => {
          const d = await t.ctx.documents.issue(
            {
              agencyId: app.agency_id,
              serviceId: app.service_id,
              applicationRef: app.reference,
              kind: 'certificate',
              lang: 'fa',
              title: 'نتیجه',
              holderName: 'رضا کریمی',
              fields: [],
            },
            tx,
          );
          return { code: d.code, url: d.downloadUrl };
        },
        { wait },
      ),
  };
  const node = () =>
    new ApplicationJobs(db(), t.ctx.applications, t.ctx.applications.storage, issueRequested, {
      intervalSeconds: 60,
      documentGraceSeconds: 60,
      draftRetentionDays: 30,
    });
  const [a, b] = await Promise.all([node().sweepDocuments(), node().sweepDocuments()]);
  assert.equal(a + b, 3, 'three issued between the two');
  for (const s of stuck) {
    assert.equal((await issuedEvents(s.app.id)).length, 1, 'one document.issued per approval');
    assert.equal(
      (await db().selectFrom('documents').select('id').where('application_ref', '=', s.reference).execute()).length,
      1,
      'one document per approval',
    );
  }
  // the in-process path after approval is idempotent too: the request is already fulfilled
  assert.equal(await issueRequested(stuck[0].app.id, stuck[0].requestId), 'already');
  // and the database itself refuses a second issue record for one request
  await assert.rejects(
    db()
      .insertInto('application_events')
      .values({
        application_id: stuck[0].app.id,
        type: 'document.issued',
        from_status: 'approved',
        to_status: 'approved',
        actor: 'platform',
        data: JSON.stringify({ requestId: String(stuck[0].requestId) }),
      })
      .execute(),
    /duplicate key|unique/,
  );
});

test('re-uploading a file for a field deletes the replaced file; files still referenced are kept', async () => {
  const { app } = await draft();
  const A = t.ctx.applications;
  const first = await A.storeFile(app, RESPONSE_FILE, Readable.from([PDF]), 'one.pdf', 'citizen');
  assert.ok(first.ok);
  let answers = await A.saveAnswers(app, { attachment: first.answer });
  const firstKey = (await A.files(app))[0].storage_key;
  assert.ok(await A.storage.exists(firstKey));
  const second = await A.storeFile({ ...app, answers }, RESPONSE_FILE, Readable.from([PNG]), 'two.png', 'citizen');
  assert.ok(second.ok);
  answers = await A.saveAnswers({ ...app, answers }, { attachment: second.answer });
  const files = await A.files(app);
  assert.deepEqual(
    files.map((f) => f.id),
    [second.answer.fileId],
    'the replaced row is gone',
  );
  assert.equal(await A.storage.exists(firstKey), false, 'and its content');
  assert.ok(await A.storage.exists(files[0].storage_key));
  // saving other answers keeps the file
  await A.saveAnswers({ ...app, answers }, { fullName: 'رضا' });
  assert.equal((await A.files(app)).length, 1);
  assert.ok(await A.storage.exists(files[0].storage_key));
  // a file a message refers to stays when the answer moves on
  await db()
    .insertInto('ebox_messages')
    .values({
      citizen_id: app.citizen_id,
      application_id: app.id,
      agency_id: app.agency_id,
      sender: 'citizen',
      kind: 'reply',
      subject: JSON.stringify({ fa: 'x', en: 'x' }),
      body: JSON.stringify({ fa: 'x', en: 'x' }),
      file_ids: JSON.stringify([second.answer.fileId]),
    })
    .execute();
  const third = await A.storeFile({ ...app, answers }, RESPONSE_FILE, Readable.from([PDF]), 'three.pdf', 'citizen');
  assert.ok(third.ok);
  await A.saveAnswers({ ...app, answers }, { attachment: third.answer });
  assert.equal((await A.files(app)).length, 2, 'the referenced file is kept');
  assert.ok(await A.storage.exists(files[0].storage_key));
});

test('abandoned drafts older than DRAFT_RETENTION_DAYS are deleted with their files; recent ones and submitted applications stay', async () => {
  const A = t.ctx.applications;
  const old = await draft();
  const f = await A.storeFile(old.app, RESPONSE_FILE, Readable.from([PDF]), 'old.pdf', 'citizen');
  assert.ok(f.ok);
  await A.saveAnswers(old.app, { attachment: f.answer });
  const key = (await A.files(old.app))[0].storage_key;
  const recent = await draft();
  const submitted = await stuckApproval(0);
  await db()
    .updateTable('applications')
    .set({ updated_at: sql<Date>`now() - interval '31 days'` })
    .where('id', 'in', [old.app.id, submitted.app.id])
    .execute();
  await db()
    .updateTable('applications')
    .set({ updated_at: sql<Date>`now() - interval '29 days'` })
    .where('id', '=', recent.app.id)
    .execute();

  const r = await t.ctx.applicationJobs.purgeDrafts();
  assert.ok(r.drafts >= 1 && r.files >= 1);
  assert.equal(await db().selectFrom('applications').select('id').where('id', '=', old.app.id).executeTakeFirst(), undefined);
  assert.equal((await db().selectFrom('application_files').select('id').where('application_id', '=', old.app.id).execute()).length, 0);
  assert.equal(await A.storage.exists(key), false, 'the stored file is deleted');
  assert.ok(await db().selectFrom('applications').select('id').where('id', '=', recent.app.id).executeTakeFirst(), 'a recent draft stays');
  assert.ok(
    await db().selectFrom('applications').select('id').where('id', '=', submitted.app.id).executeTakeFirst(),
    'a submitted application is never purged',
  );
  assert.deepEqual(await t.ctx.applicationJobs.purgeDrafts(), { drafts: 0, files: 0 });
});

test('discarding a draft deletes its files too', async () => {
  const A = t.ctx.applications;
  const d = await draft();
  const f = await A.storeFile(d.app, RESPONSE_FILE, Readable.from([PDF]), 'x.pdf', 'citizen');
  assert.ok(f.ok);
  const key = (await A.files(d.app))[0].storage_key;
  await A.discard(d.citizen.id, d.app.id);
  assert.equal(await A.storage.exists(key), false);
});
