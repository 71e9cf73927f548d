import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_BACKOFF_MS, nextDelay, Poller } from './poller.ts';

test('failing passes back off: the wait doubles up to a cap, never below the interval', () => {
  assert.equal(nextDelay(100, 0), 100);
  assert.deepEqual(
    [1, 2, 3, 4].map((n) => nextDelay(100, n)),
    [200, 400, 800, 1600],
  );
  assert.equal(nextDelay(100, 50), MAX_BACKOFF_MS);
  assert.equal(nextDelay(60_000, 3), 60_000, 'a slow job keeps its own interval');
});

test('a worker whose passes fail (the database is away) logs once, keeps trying and logs when it resumes', async () => {
  const logged: string[] = [];
  let calls = 0;
  let afterRecovery = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  const p = new Poller(
    'test worker',
    async () => {
      calls++;
      if (calls <= 4) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      if (++afterRecovery === 3) resolveDone();
    },
    1,
    (msg) => logged.push(msg),
    0,
  );
  p.start();
  await done;
  await p.stop();
  assert.deepEqual(logged, ['test worker pass failed', 'test worker resumed']);
  assert.equal(p.failures, 0);
  const stoppedAt = calls;
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(calls, stoppedAt, 'no pass after stop()');
});
