// The serving process survives a stray database connection error (an 'error' event nobody listened to,
// a rejected promise nobody awaited) and still ends on any other unhandled error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const guard = path.join(import.meta.dirname, 'process-guard.ts');

function run(script: string) {
  const code = `import { EventEmitter } from 'node:events';
import { guardProcess } from ${JSON.stringify(guard)};
guardProcess({ warn: (_d, m) => console.log('warn: ' + m), fatal: (_d, m) => console.log('fatal: ' + m) });
const dbError = () => Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
${script}`;
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 20_000 });
}

test('a database connection error nobody handled is logged and the process goes on', () => {
  const r = run(`Promise.reject(dbError());
setTimeout(() => new EventEmitter().emit('error', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })), 10);
setTimeout(() => console.log('still serving'), 200);`);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /warn: database unavailable/);
  assert.match(r.stdout, /warn: database connection error/);
  assert.match(r.stdout, /still serving/);
});

test('any other unhandled rejection or exception still ends the process (exit 1)', () => {
  const rejection = run(`Promise.reject(new TypeError('a bug'));
setTimeout(() => console.log('still serving'), 500);`);
  assert.equal(rejection.status, 1);
  assert.match(rejection.stdout, /fatal: unhandled promise rejection/);
  assert.doesNotMatch(rejection.stdout, /still serving/);
  assert.match(rejection.stderr, /a bug/);
  const exception = run(`setTimeout(() => { throw new Error('another bug'); }, 10);
setTimeout(() => console.log('still serving'), 500);`);
  assert.equal(exception.status, 1);
  assert.match(exception.stdout, /fatal: uncaught exception/);
  assert.doesNotMatch(exception.stdout, /still serving/);
});
