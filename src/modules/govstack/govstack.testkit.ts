// Test helpers for the GovStack Registration BB API tests (not a test file): the spec's own response
// schemas compiled with Ajv, the Information Mediator client header, multipart bodies and the error check.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { Ajv } from 'ajv';
import { registrationSpec, statisticsSpec } from './govstack.routes.ts';

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
ajv.addSchema({ ...registrationSpec, $id: 'reg' });
ajv.addSchema({ ...statisticsSpec, $id: 'stat' });
export const schema = (ref: string, array = false) =>
  ajv.compile(array ? { type: 'array', items: { $ref: ref } } : { allOf: [{ $ref: ref }], type: 'object' });
export const v = {
  services: schema('reg#/components/schemas/service', true),
  service: schema('reg#/components/schemas/service'),
  eFormList: schema('reg#/components/schemas/EFormListItem', true),
  eForm: schema('reg#/components/schemas/EForm'),
  file: schema('reg#/components/schemas/applicationFileResponse'),
  files: schema('reg#/components/schemas/applicantApplicationFileListResponse', true),
  upload: schema('reg#/components/schemas/uploadResponse'),
  error: schema('reg#/components/schemas/systemError'),
  tasks: schema('reg#/components/schemas/userTaskResponse', true),
  task: schema('reg#/components/schemas/dataUserTaskResponse'),
  completed: schema('reg#/components/schemas/completedTaskResponse'),
  stats: schema('stat#/components/schemas/inline_response_200', true),
};
// the conformance suite's stricter checks: no extra keys in eForm list items and statistics
export const noExtra = (o: Record<string, unknown>, keys: string[]) =>
  assert.deepEqual(
    Object.keys(o).filter((k) => !keys.includes(k)),
    [],
  );
export function valid(check: ReturnType<typeof schema>, body: unknown, label: string) {
  assert.ok(check(body), `${label}: ${JSON.stringify(check.errors)} in ${JSON.stringify(body).slice(0, 400)}`);
}

export const IMC = { 'information-mediator-client': 'eGovStack/GOV/90000009/eregistrations-dev' };
export const P = '/govstack/registration';
export function multipart(fields: [string, string][], files: [string, string, Buffer][] = []) {
  const boundary = `----gs${crypto.randomBytes(6).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, val] of fields) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${val}\r\n`));
  for (const [k, name, data] of files)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${k}"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      data,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
export function expectError(res: { statusCode: number; json(): unknown; headers: Record<string, unknown> }, status: number, code: string) {
  assert.equal(res.statusCode, status, JSON.stringify(res.json()));
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const body = res.json() as { code: string; traceId: string };
  valid(v.error, body, code);
  assert.equal(body.code, code);
  assert.ok(body.traceId);
}
