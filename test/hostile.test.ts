// Hostile input over EVERY route the app serves (ctx.routes): generated values (NUL, lone surrogates,
// bidi overrides, invalid UTF-8 and percent-encodings, numbers and dates out of range, huge and deeply
// nested JSON, malformed multipart) in path parameters, repeated query parameters and bodies, sent as a
// signed-in citizen, a platform admin, an agency admin and an agency API key with every scope. Path
// parameters are real seeded ids except the one under attack, and session callers send a real CSRF
// token, so the values reach the handlers. The property: no answer is a 5xx.
// HOSTILE_SEED and HOSTILE_RUNS (cases per route and caller, default 3) reproduce or widen a run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { testApp, type TestApp } from './helpers/app.ts';
import { citizenSession, staffSession } from './helpers/people.ts';

const SEED = Number(process.env.HOSTILE_SEED ?? 20261203);
const RUNS = Number(process.env.HOSTILE_RUNS ?? 3);

let t: TestApp;
before(async () => (t = await testApp({ NOTIFICATIONS_WORKER: false, WEBHOOK_WORKER: false, APPLICATION_JOBS: false })));
after(() => t.close());

const SPECIAL = [
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF',
  'x\uDBFFy',
  '\uDC00\uD800',
  '\u202Eevil\u202C',
  '\u2066x\u2069',
  '\u200B',
  '\uFEFF',
  '\u2060',
  '-1',
  '0',
  '1.5',
  '1e309',
  '-1e309',
  '99999999999999999999999',
  '-9223372036854775809',
  '2147483648',
  'NaN',
  'Infinity',
  '2026-02-30T00:00:00Z',
  '2026-13-01',
  '275760-09-13T00:00:00Z',
  '0000-01-01',
  '1970-01-01 00:00:00+99',
  'Tue, 31 Feb 2026',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffffff',
  "'; drop table staff;--",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  ' ',
  '',
  'a'.repeat(3000),
  'ی'.repeat(1000),
];
/** A string with the characters that break databases and parsers, mixed with ordinary ones. */
const hostileString = fc.oneof(
  fc.constantFrom(...SPECIAL),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc
    .array(
      fc.oneof(
        fc.constantFrom('\u0000', '\u202E', '\u200B', 'a', 'ی', '7', '-', '%', '\n'),
        fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
      ),
      { minLength: 1, maxLength: 12 },
    )
    .map((a) => a.join('')),
);
const hostileNumber = fc.oneof(
  fc.constantFrom(-1, 0, 1e308, -1e308, 2 ** 63, 2 ** 31, 1.5, Number.MAX_SAFE_INTEGER + 2),
  fc.integer(),
  fc.double({ noNaN: true }),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 1, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, [], {}, ['a', 'b'], { value: '\u0000' }, [{ '\uD800': 1 }]) },
);

/** Percent-encodes a string byte for byte, a lone surrogate as its (invalid) three UTF-8-style bytes. */
function wtf8(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff;
    if (pair) out += encodeURIComponent(s.slice(i, ++i + 1));
    else if (c >= 0xd800 && c <= 0xdfff)
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    else out += encodeURIComponent(s[i]);
  }
  return out;
}
/** What goes into a URL: an encoded hostile string, or raw bytes no decoder should choke on. */
const urlPart = fc.oneof(
  { weight: 3, arbitrary: hostileString.map(wtf8) },
  { weight: 1, arbitrary: fc.constantFrom('%00', '%FF', '%C3%28', '%E0%A4%A', '%', '%%25', '%ED%A0%80', '%2e%2e%2f', '%EF%BF%BF') },
);

const QUERY_NAMES = [
  'cursor',
  'q',
  'page',
  'pageSize',
  'lang',
  'status',
  'sort',
  'updatedSince',
  'submittedSince',
  'serviceId',
  'fileId',
  'applicantId',
  'firstResult',
  'maxResult',
  'sortBy',
  'additionalMetadata',
  'startDate',
  'endDate',
  'timeframe',
  'next',
  'return',
  'agency',
  'category',
  'year',
  'from',
  'to',
  'format',
  'limit',
  'after',
];
const BODY_NAMES = [
  'text',
  'reply',
  'response',
  'comment',
  'operator',
  'assignee',
  'reason',
  'data',
  'name',
  'email',
  'password',
  'code',
  'nationalId',
  'mobile',
  'url',
  'events',
  'score',
  'status',
  'fullName',
  'purpose',
  'formData',
  'applicantId',
  'documentUrls',
  'subject',
  'body',
  'title',
  'date',
  'description',
  'value',
  'role',
  'scopes',
  'file',
];

type BodyKind =
  | 'none'
  | 'json'
  | 'form'
  | 'multipart'
  | 'multipart-unclosed'
  | 'multipart-no-boundary'
  | 'multipart-garbage'
  | 'invalid-utf8'
  | 'deep-json'
  | 'huge-json';
const caseArb = fc.record({
  param: fc.nat(), // which path parameter is attacked (n >= count: none)
  paramValue: urlPart,
  query: fc.array(fc.tuple(fc.constantFrom(...QUERY_NAMES), urlPart), { maxLength: 3 }),
  repeat: fc.boolean(), // send the first query parameter twice
  bodyKind: fc.constantFrom<BodyKind>(
    'json',
    'json',
    'form',
    'multipart',
    'multipart-unclosed',
    'multipart-no-boundary',
    'multipart-garbage',
    'invalid-utf8',
    'deep-json',
    'huge-json',
  ),
  fields: fc.dictionary(
    fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...BODY_NAMES) }, { weight: 1, arbitrary: hostileString }),
    hostileValue,
    { maxKeys: 5 },
  ),
});

function body(kind: BodyKind, fields: Record<string, unknown>, csrf: string): { payload?: string | Buffer; contentType?: string } {
  const text = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
  const boundary = '----hostile0123456789';
  const parts = () =>
    [['_csrf', csrf], ...Object.entries(fields)]
      .map(
        ([k, v]) =>
          `--${boundary}\r\nContent-Disposition: form-data; name="${k}"${k === 'file' ? '; filename="a\u0000.pdf"\r\nContent-Type: application/pdf' : ''}\r\n\r\n${text(v)}\r\n`,
      )
      .join('');
  switch (kind) {
    case 'json':
      return { payload: JSON.stringify(fields), contentType: 'application/json' };
    case 'form': {
      const p = [`_csrf=${encodeURIComponent(csrf)}`, ...Object.entries(fields).map(([k, v]) => `${wtf8(k)}=${wtf8(text(v))}`)];
      return { payload: p.join('&'), contentType: 'application/x-www-form-urlencoded' };
    }
    case 'multipart':
      return { payload: Buffer.from(`${parts()}--${boundary}--\r\n`), contentType: `multipart/form-data; boundary=${boundary}` };
    case 'multipart-unclosed':
      return { payload: Buffer.from(parts()), contentType: `multipart/form-data; boundary=${boundary}` };
    case 'multipart-no-boundary':
      return { payload: Buffer.from(`${parts()}--${boundary}--\r\n`), contentType: 'multipart/form-data' };
    case 'multipart-garbage':
      return {
        payload: Buffer.from([0x00, 0xff, 0x2d, 0x2d, 0x0d, 0x0a, 0xfe, 0x41, 0x0d]),
        contentType: `multipart/form-data; boundary=${boundary}`,
      };
    case 'invalid-utf8':
      return {
        payload: Buffer.concat([
          Buffer.from('{"text":"'),
          Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]),
          Buffer.from('","data":{"a":"\\u0000","b":"\\ud800"}}'),
        ]),
        contentType: 'application/json',
      };
    case 'deep-json':
      return { payload: `${'{"data":'.repeat(3000)}1${'}'.repeat(3000)}`, contentType: 'application/json' };
    case 'huge-json':
      return { payload: JSON.stringify({ text: 'x'.repeat(1_100_000) }), contentType: 'application/json' };
    default:
      return {};
  }
}

test('hostile values in path, query and body reach no 5xx on any route, for any caller', async () => {
  const db = t.ctx.database.db;
  const citizen = await citizenSession(t.ctx);
  const draft = await t.ctx.applications.startDraft(
    { id: citizen.id, national_id: citizen.nationalId, mobile: citizen.mobile },
    'certificate-of-single-status',
    'en',
  );
  await t.ctx.applications.saveAnswers(draft, { fullName: 'Maryam Ahmadi', purpose: 'employment', email: 'maryam@example.ir' });
  const submitted = await t.ctx.applications.submit(
    { id: citizen.id, national_id: citizen.nationalId, mobile: citizen.mobile },
    draft.id,
    draft.submission_token,
  );
  assert.ok('app' in submitted);
  const draft2 = await t.ctx.applications.startDraft(
    { id: citizen.id, national_id: citizen.nationalId, mobile: citizen.mobile },
    'certificate-of-single-status',
    'en',
  );
  const admin = await staffSession(t.ctx, 'platform-admin', null);
  const agencyAdmin = await staffSession(t.ctx, 'agency-admin', 'ir-nocr');
  const decoy = await staffSession(t.ctx, 'operator', 'ir-nocr');
  const key = (
    await t.ctx.agencyApi.create(
      'ir-nocr',
      'Hostile tester',
      ['applications:read', 'applications:write', 'messages:write', 'documents:issue', 'webhooks:manage', 'govstack'],
      'test',
    )
  ).key;
  const card = (await t.ctx.catalog.agencyCards('ir-nocr'))[0];
  const service = await db
    .selectFrom('services')
    .select(['id', 'slug'])
    .where('slug', '=', 'certificate-of-single-status')
    .executeTakeFirstOrThrow();
  const task = await db.selectFrom('govstack_tasks').select(['task_id']).executeTakeFirst();
  const real: Record<string, (url: string, who: string) => string> = {
    lang: () => 'en',
    id: (url, who) =>
      /applications/.test(url) ? (who === 'citizen' && !/staff|agency/.test(url) ? draft2.id : submitted.app.id) : submitted.app.id,
    agency: () => 'ir-nocr',
    agencyId: () => 'ir-nocr',
    slug: (url) => (url.endsWith('/apply') || /form/.test(url) ? service.slug : card.slug),
    staffId: () => decoy.id,
    iso3: () => 'IRN',
    code: () => 'identity-civil-status',
    round: () => 'demo-1404-h1',
    subject: () => 'ir-nocr',
    ext: () => 'json',
    serviceId: () => service.id,
    fileId: () => submitted.app.id,
    taskId: () => task?.task_id ?? 'x',
    day: () => '2027-03-21',
  };

  // session callers carry a real CSRF token (one page view each)
  const csrfOf = async (cookie: string, page: string) => {
    const res = await t.app.inject({ url: page, headers: { cookie } });
    const csrfCookie = res.cookies.find((c) => c.name === 'csrf');
    return {
      cookie: csrfCookie ? `${cookie}; csrf=${csrfCookie.value}` : cookie,
      token: /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1] ?? '',
    };
  };
  const callers: { name: string; headers: Record<string, string>; token: string }[] = [];
  for (const [name, cookie, page] of [
    ['citizen', citizen.cookie, '/en/account'],
    ['platform-admin', admin.cookie, '/en/staff'],
    ['agency-admin', agencyAdmin.cookie, '/en/staff'],
  ] as const) {
    const c = await csrfOf(cookie, page);
    assert.ok(c.token, `a CSRF token for ${name}`);
    callers.push({ name, headers: { cookie: c.cookie, 'x-csrf-token': c.token }, token: c.token });
  }
  callers.push({
    name: 'api-key',
    headers: { authorization: `Bearer ${key}`, 'information-mediator-client': 'IR/GOV/ir-nocr/test' },
    token: '',
  });

  // signing out ends the sessions the later calls need: those routes go last
  const last = (r: { url: string }) => (/sign-out$/.test(r.url) ? 1 : 0);
  const routes = t.ctx.routes.filter((r) => r.method !== 'OPTIONS').sort((a, b) => last(a) - last(b));
  assert.ok(routes.length > 150, `the route table is there (${routes.length} routes)`);
  const problems: string[] = [];
  let requests = 0;
  for (const [ri, route] of routes.entries()) {
    const params = [...route.url.matchAll(/:([A-Za-z0-9]+)/g)].map((m) => m[1]);
    const cases = fc.sample(caseArb, { numRuns: RUNS * callers.length, seed: SEED + ri });
    for (const [ci, c] of cases.entries()) {
      const who = callers[ci % callers.length];
      const attacked = params.length ? c.param % (params.length + 1) : -1; // == params.length: only query and body are hostile
      let i = 0;
      const url = route.url
        .replace(/:([A-Za-z0-9]+)/g, (_m, name: string) =>
          i++ === attacked ? c.paramValue : encodeURIComponent((real[name] ?? (() => 'x'))(route.url, who.name)),
        )
        .replace('*', attacked === params.length ? c.paramValue : 'jwks');
      const query = c.query.map(([k, v]) => `${k}=${v}`);
      if (c.repeat && query.length) query.push(query[0]);
      const withBody = route.method !== 'GET' && route.method !== 'DELETE';
      const b = withBody ? body(c.bodyKind, c.fields as Record<string, unknown>, who.token) : {};
      const res = await t.app.inject({
        method: route.method as 'GET',
        url: query.length ? `${url}?${query.join('&')}` : url,
        headers: { ...who.headers, ...(b.contentType ? { 'content-type': b.contentType } : {}) },
        ...(b.payload !== undefined ? { payload: b.payload } : {}),
      });
      requests++;
      if (res.statusCode >= 500)
        problems.push(
          `${route.method} ${route.url} as ${who.name}: ${res.statusCode} ${res.body.slice(0, 160)}\n   url ${JSON.stringify(query.length ? `${url}?${query.join('&')}` : url)} body ${withBody ? c.bodyKind : '-'} ${withBody ? JSON.stringify(c.fields).slice(0, 200) : ''}`,
        );
    }
  }
  assert.ok(requests > 2000, `${requests} requests`);
  assert.deepEqual(problems.slice(0, 40), [], `${problems.length} of ${requests} hostile requests got a 5xx`);
});

test("the issue's cases: NUL and lone surrogates in path parameters, answers, messages and queries are 400 INVALID_TEXT and store nothing", async () => {
  const db = t.ctx.database.db;
  const citizen = await citizenSession(t.ctx);
  const person = { id: citizen.id, national_id: citizen.nationalId, mobile: citizen.mobile };
  const draft = await t.ctx.applications.startDraft(person, 'certificate-of-single-status', 'en');
  const def = await t.ctx.applications.formOf(draft);
  const page = def.pages.find((p) => p.fields.some((f) => f.type === 'text'))!;
  const textField = page.fields.find((f) => f.type === 'text')!;
  const b = (await import('./helpers/people.ts')).client(t.app, citizen.cookie);
  await b.get(`/en/applications/${draft.id}/questions/${page.id}`);
  for (const bad of ['a\u0000b', '\u0000']) {
    await b.get(`/en/applications/${draft.id}/questions/${page.id}`);
    const r = await b.post(`/en/applications/${draft.id}/questions/${page.id}`, { [textField.name]: bad });
    assert.equal(r.statusCode, 400, JSON.stringify(bad));
    assert.match(r.body, /not valid Unicode/);
  }
  // a form whose percent-encoding is not UTF-8 (a lone surrogate as bytes, a cut sequence)
  for (const raw of ['x%ED%A0%80', '%C3%28', '%FF']) {
    await b.get(`/en/applications/${draft.id}/questions/${page.id}`);
    const cookie = [...b.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const r = await t.app.inject({
      method: 'POST',
      url: `/en/applications/${draft.id}/questions/${page.id}`,
      payload: `_csrf=${encodeURIComponent(b.token)}&${textField.name}=${raw}`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(r.statusCode, 400, raw);
  }
  assert.deepEqual((await t.ctx.applications.own(citizen.id, draft.id)).answers, draft.answers, 'no answer stored');
  const path = await b.get(`/en/applications/${draft.id}%00/questions/${page.id}`);
  assert.equal(path.statusCode, 400);

  // an agency API message with NUL or a lone surrogate in its JSON text
  await t.ctx.applications.saveAnswers(draft, { fullName: 'Maryam Ahmadi', purpose: 'employment', email: 'maryam@example.ir' });
  const sent = await t.ctx.applications.submit(person, draft.id, draft.submission_token);
  assert.ok('app' in sent);
  const key = (await t.ctx.agencyApi.create('ir-nocr', 'Messenger', ['applications:read', 'messages:write'], 'test')).key;
  const count = async () => (await db.selectFrom('ebox_messages').select('id').where('application_id', '=', draft.id).execute()).length;
  const before = await count();
  for (const payload of ['{"text":"hello\\u0000"}', '{"text":"hello\\ud800"}', '{"text":"ok","x":{"\\udc00":1}}']) {
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/agency/v1/applications/${draft.id}/messages`,
      payload,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    });
    assert.equal(r.statusCode, 400, payload);
    assert.equal(r.json().code, 'INVALID_TEXT');
  }
  assert.equal(await count(), before, 'no message stored');
  const q = await t.app.inject({ url: `/api/agency/v1/applications?updatedSince=%00`, headers: { authorization: `Bearer ${key}` } });
  assert.equal(q.json().code, 'INVALID_TEXT');
  const deep = await t.app.inject({
    method: 'POST',
    url: `/api/agency/v1/applications/${draft.id}/messages`,
    payload: `${'{"a":'.repeat(100)}1${'}'.repeat(100)}`,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  });
  assert.equal(deep.json().code, 'JSON_TOO_DEEP');
});
