// Shared set-up of the agency API tests: an app with API keys of two agencies, and a submitted application.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { citizenSession, PDF } from '../../../test/helpers/people.ts';
import { RESPONSE_FILE } from './applications.types.ts';

export const SLUG = 'certificate-of-single-status'; // ir-nocr
export const BASE = '/api/agency/v1/applications';

export interface ApiFixture {
  t: TestApp;
  keys: { read: string; write: string; all: string; tax: string };
  /** A citizen's submitted application (with an uploaded PDF when `file`). */
  submitted: (opts?: { file?: boolean }) => ReturnType<typeof submittedIn>;
  /** A request to the app with this API key (none: no authorization header). */
  api: (key: string | null, method: 'GET' | 'POST', url: string, body?: unknown) => Promise<Awaited<ReturnType<TestApp['app']['inject']>>>;
}

async function submittedIn(t: TestApp, opts: { file?: boolean } = {}) {
  const who = await citizenSession(t.ctx);
  const citizen = { id: who.id, national_id: who.nationalId, mobile: who.mobile };
  const draft = await t.ctx.applications.startDraft(citizen, SLUG, 'fa');
  await t.ctx.applications.saveAnswers(draft, { fullName: 'مریم احمدی', purpose: 'employment', email: 'maryam@example.ir' });
  let fileId: string | undefined;
  if (opts.file) {
    const r = await t.ctx.applications.storeFile(draft, RESPONSE_FILE, Readable.from([PDF]), 'گواهی.pdf', 'citizen');
    assert.ok(r.ok);
    fileId = r.answer.fileId;
  }
  const r = await t.ctx.applications.submit(citizen, draft.id, draft.submission_token);
  assert.ok('app' in r);
  return { who, citizen, app: r.app as { id: string; reference: string; service_id: string }, fileId };
}

export async function apiFixture(): Promise<ApiFixture> {
  const t = await testApp({
    NOTIFICATIONS_WORKER: false,
    WEBHOOK_WORKER: false,
    APPLICATION_JOBS: false,
    WEBHOOK_ALLOW_PRIVATE_TARGETS: true,
  });
  const everything = ['applications:read', 'applications:write', 'messages:write', 'documents:issue'];
  const keys = {
    read: (await t.ctx.agencyApi.create('ir-nocr', 'Registry reader', ['applications:read'], 'test')).key,
    write: (await t.ctx.agencyApi.create('ir-nocr', 'Registry writer', ['applications:write'], 'test')).key,
    all: (await t.ctx.agencyApi.create('ir-nocr', 'Registry system', everything, 'test')).key,
    tax: (await t.ctx.agencyApi.create('ir-tax', 'Tax system', everything, 'test')).key,
  };
  return {
    t,
    keys,
    submitted: (opts) => submittedIn(t, opts),
    api: (key, method, url, body) =>
      t.app.inject({
        method,
        url,
        ...(body !== undefined ? { payload: body as object } : {}),
        headers: key ? { authorization: `Bearer ${key}` } : {},
      }),
  };
}
