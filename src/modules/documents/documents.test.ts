import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import { signedInStaff } from '../../../test/helpers/staff.ts';
import { CODE_ALPHABET, maskName, parseCode } from './documents.code.ts';
import { SIGNATURE_CONTEXT } from './documents.service.ts';

let t: TestApp;
before(async () => (t = await testApp()));
after(() => t.close());

const faDoc = {
  agencyId: 'ir-nocr',
  kind: 'certificate' as const,
  lang: 'fa' as const,
  title: 'گواهی‌نامه ثبت ولادت (آزمایشی)',
  holderName: 'مریم احمدی',
  fields: [
    { label: 'شماره پرونده', value: '۱۴۰۳/۲۵۶-الف' },
    { label: 'نشانی', value: 'تهران، خیابان ولیعصر، پلاک ۱۲' },
  ],
  issuedAt: new Date('2026-11-23T10:00:00Z'),
};

function multipart(name: string, filename: string, bytes: Buffer) {
  const boundary = `----panjereh${crypto.randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
const upload = (code: string, bytes: Buffer, lang = 'en') =>
  t.app.inject({ method: 'POST', url: `/${lang}/verify/${code}`, ...multipart('document', 'doc.pdf', bytes) });

function pdftotext(pdf: Buffer, ...args: string[]): string {
  const f = path.join(os.tmpdir(), `pj-doc-${crypto.randomUUID()}.pdf`);
  fs.writeFileSync(f, pdf);
  try {
    // without the directional marks pdftotext adds around right-to-left and embedded runs
    return execFileSync('pdftotext', [...args, f, '-'], { encoding: 'utf8' }).replace(/[\u200e\u200f\u202a-\u202e]/g, '');
  } finally {
    fs.rmSync(f);
  }
}

test('codes use the alphabet without look-alikes; typed codes are forgiven case, dashes and Persian digits; names are masked', () => {
  for (const c of 'IOQZ01') assert.ok(!CODE_ALPHABET.includes(c));
  assert.equal(parseCode('k7mrt-4xhpa'), 'K7MRT4XHPA');
  assert.equal(parseCode('K۷MRT ۴XHPA'), 'K7MRT4XHPA');
  assert.equal(parseCode('K7MRT-4XHP0'), null, 'zero is not in the alphabet');
  assert.equal(parseCode('K7MRT'), null);
  assert.equal(maskName('مریم احمدی'), 'م••• ا••••');
});

test('issue: a Persian PDF with shaped, correctly ordered text, its hash and an Ed25519 signature the published key verifies', async () => {
  const d = await t.ctx.documents.issue(faDoc);
  assert.match(d.code, new RegExp(`^[${CODE_ALPHABET}]{10}$`));
  const row = (await t.ctx.documents.find(d.code))!;
  const pdf = Buffer.from(row.pdf);
  assert.equal(crypto.createHash('sha256').update(pdf).digest('hex'), d.sha256);
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');

  // Text comes out of the PDF in reading order (pdftotext reorders right-to-left lines itself).
  const text = pdftotext(pdf);
  assert.match(text, /مریم احمدی/);
  assert.match(text, /سازمان ثبت احوال کشور/);
  assert.match(text, /تاریخ صدور/);
  assert.match(text, /آذر ۱۴۰۵/, 'Jalali date in Persian digits');
  assert.match(text, new RegExp(`${d.code.slice(0, 5)}-${d.code.slice(5)}`));
  // Right-to-left layout: on the holder's line the label (first in reading order) is to the right of the name.
  const words = [...pdftotext(pdf, '-bbox').matchAll(/<word xMin="([\d.]+)"[^>]*>([^<]+)<\/word>/g)].map((m) => ({
    x: Number(m[1]),
    w: m[2],
  }));
  const x = (re: RegExp) => words.find((w) => re.test(w.w))!.x;
  assert.ok(x(/^:?هدشرداص|^صادرشده/) > x(/^یدمحا$|^احمدی$/), 'Persian runs are laid out right to left');

  // The signature covers the hash and the metadata, with the key from the public JWK set.
  const jwks = (await t.app.inject('/.well-known/panjereh-document-keys.json')).json();
  const jwk = jwks.keys.find((k: { kid: string }) => k.kid === row.kid);
  assert.equal(jwk.kty, 'OKP');
  assert.equal(jwk.crv, 'Ed25519');
  assert.equal(jwk.d, undefined, 'no private part published');
  const pub = crypto.createPublicKey({ key: jwk, format: 'jwk' });
  const bundle = (await t.app.inject(`/verify/${d.code}.json`)).json();
  assert.ok(crypto.verify(null, Buffer.from(SIGNATURE_CONTEXT + bundle.statement), pub, Buffer.from(bundle.signature, 'base64url')));
  assert.equal(JSON.parse(bundle.statement).sha256, d.sha256);
  assert.doesNotMatch(JSON.stringify(bundle), /مریم/, 'the public statement holds no personal data');
  // A changed statement does not verify.
  assert.ok(
    !crypto.verify(
      null,
      Buffer.from(SIGNATURE_CONTEXT + bundle.statement.replace('certificate', 'licence')),
      pub,
      Buffer.from(bundle.signature, 'base64url'),
    ),
  );
});

test('English documents, and bad input is refused with the reasons', async () => {
  const d = await t.ctx.documents.issue({
    ...faDoc,
    lang: 'en',
    title: 'Birth registration certificate',
    holderName: 'Maryam Ahmadi',
    fields: [{ label: 'File', value: '1403/256' }],
  });
  const text = pdftotext(Buffer.from((await t.ctx.documents.find(d.code))!.pdf));
  assert.match(text, /Birth registration certificate/);
  assert.match(text, /Issued to: Maryam Ahmadi/);
  assert.match(text, /23 November 2026/);
  await assert.rejects(
    t.ctx.documents.issue({ ...faDoc, kind: 'passport' as never, title: '' }),
    (e: { code: string; details: { problems: string[] } }) => e.code === 'VALIDATION_FAILED' && e.details.problems.length === 2,
  );
  await assert.rejects(t.ctx.documents.issue({ ...faDoc, agencyId: 'no-such-agency' }), { code: 'AGENCY_NOT_FOUND' });
});

test('the verify pages: redirect by language, details with a masked holder, unknown and malformed codes', async () => {
  const d = await t.ctx.documents.issue(faDoc);
  const r = await t.app.inject({ url: `/verify/${d.code}`, headers: { 'accept-language': 'fa-IR,fa;q=0.9' } });
  assert.equal(r.statusCode, 302);
  assert.equal(r.headers.location, `/fa/verify/${d.code}`);
  const fa = await t.app.inject(`/fa/verify/${d.code}`);
  assert.equal(fa.statusCode, 200);
  assert.match(fa.body, /معتبر است/);
  assert.match(fa.body, /سازمان ثبت احوال کشور/);
  assert.match(fa.body, /م••• ا••••/);
  assert.doesNotMatch(fa.body, /مریم احمدی/, 'the full name is not public');
  assert.match(fa.body, /۲ آذر ۱۴۰۵/);
  const en = await t.app.inject(`/en/verify/${d.code.toLowerCase()}`);
  assert.equal(en.statusCode, 301, 'a code typed in lower case goes to its canonical address');
  assert.match((await t.app.inject(`/en/verify/${d.code}`)).body, /23 November 2026/);

  const unknown = await t.app.inject('/fa/verify/ABCDEFGHJK');
  assert.equal(unknown.statusCode, 404);
  assert.match(unknown.body, /سندی با این کد پیدا نشد/);
  const form = await t.app.inject(
    `/en/verify?code=${encodeURIComponent(' ' + d.code.slice(0, 5).toLowerCase() + '-' + d.code.slice(5) + ' ')}`,
  );
  assert.equal(form.statusCode, 303);
  assert.equal(form.headers.location, `/en/verify/${d.code}`);
  const bad = await t.app.inject('/en/verify?code=OOPS');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Error:/);
  assert.match(bad.body, /10 characters/);
  assert.equal((await t.app.inject('/en/verify?code=')).statusCode, 400);
});

test('checking a file: the issued PDF is genuine, one altered byte says altered, a revoked one says revoked; non-PDFs and missing files get 400', async () => {
  const d = await t.ctx.documents.issue(faDoc);
  const pdf = Buffer.from((await t.ctx.documents.find(d.code))!.pdf);
  const ok = await upload(d.code, pdf);
  assert.equal(ok.statusCode, 200);
  assert.match(ok.body, /This file is the genuine, unaltered document/);

  const altered = Buffer.from(pdf);
  const i = altered.indexOf('/Title');
  altered[i + 10] ^= 0x01;
  const bad = await upload(d.code, altered);
  assert.equal(bad.statusCode, 200);
  assert.match(bad.body, /This file is not the document that was issued/);

  assert.equal((await upload(d.code, Buffer.from('hello, not a pdf'))).statusCode, 400);
  const none = await t.app.inject({ method: 'POST', url: `/en/verify/${d.code}`, ...multipart('document', 'empty.pdf', Buffer.alloc(0)) });
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /Choose a PDF file/);
  const form = await t.app.inject({
    method: 'POST',
    url: `/en/verify/${d.code}`,
    payload: 'a=b',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(form.statusCode, 400);

  await t.ctx.documents.revoke(d.code, 'ir-nocr', 'Issued in error');
  const revoked = await upload(d.code, pdf);
  assert.match(revoked.body, /The file is unaltered, but the document has been revoked/);
  assert.match((await t.app.inject(`/en/verify/${d.code}`)).body, /This document has been revoked/);
  await assert.rejects(t.ctx.documents.revoke(d.code, 'ir-nocr', 'again'), { code: 'DOCUMENT_ALREADY_REVOKED' });
});

test('a tampered database record fails its signature check', async () => {
  const d = await t.ctx.documents.issue(faDoc);
  await t.ctx.database.db.updateTable('documents').set({ holder_name: 'کسی دیگر' }).where('code', '=', d.code).execute();
  const r = await upload(d.code, Buffer.from((await t.ctx.documents.find(d.code))!.pdf));
  assert.match(r.body, /This document cannot be confirmed/);
});

test('download: only with the holder token', async () => {
  const d = await t.ctx.documents.issue(faDoc);
  const no = await t.app.inject(`/verify/${d.code}.pdf`);
  assert.equal(no.statusCode, 403);
  assert.equal(no.json().code, 'DOCUMENT_TOKEN_REQUIRED');
  assert.equal((await t.app.inject(`/verify/${d.code}.pdf?t=wrong`)).statusCode, 403);
  const yes = await t.app.inject(`/verify/${d.code}.pdf?t=${d.downloadToken}`);
  assert.equal(yes.statusCode, 200);
  assert.equal(yes.headers['content-type'], 'application/pdf');
  assert.equal(crypto.createHash('sha256').update(yes.rawPayload).digest('hex'), d.sha256);
  assert.equal((await t.app.inject('/verify/ABCDEFGHJK.pdf?t=x')).json().code, 'DOCUMENT_NOT_FOUND');
});

test('staff revoke their own agency’s documents (audited); other agencies’ operators cannot', async () => {
  const d = await t.ctx.documents.issue(faDoc);
  const own = await signedInStaff(t, 'operator@nocr.example.ir', 'operator', 'ir-nocr');
  const other = await signedInStaff(t, 'operator@tax.example.ir', 'operator', 'ir-tax');
  const list = await own.client.get('/en/staff/documents');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, new RegExp(d.code.slice(0, 5)));
  assert.doesNotMatch((await other.client.get('/en/staff/documents')).body, new RegExp(`${d.code.slice(0, 5)}-${d.code.slice(5)}`));
  await other.client.get('/en/staff/documents');
  assert.equal((await other.client.post(`/en/staff/documents/${d.code}/revoke`, { reason: 'no' })).statusCode, 403);
  await own.client.get('/en/staff/documents');
  const empty = await own.client.post(`/en/staff/documents/${d.code}/revoke`, { reason: '  ' });
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, new RegExp(`Write the reason for revoking ${d.code}`));
  const done = await own.client.post(`/en/staff/documents/${d.code}/revoke`, { reason: 'Issued to the wrong person' });
  assert.equal(done.statusCode, 303);
  assert.equal((await t.ctx.documents.find(d.code))!.status, 'revoked');
  const audit = await t.ctx.audit.search({ action: 'documents.revoked' });
  assert.equal(audit[0].subject, d.code);
  assert.equal(audit[0].actor, `staff:${own.staffId}`);
});
