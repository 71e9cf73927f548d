// A PostgreSQL host that accepts the connection and never answers (a half-dead server, a black-holed
// network) must not hold a request for good: opening the connection times out and the query fails as
// "database unavailable" (a 503 for a request, a back-off for a worker). Without the pool's connect
// timeout the query below never settles and the test fails on its own deadline.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from './connect.ts';
import { isDatabaseUnavailable } from './unavailable.ts';

test('a server that never answers: the query fails as unavailable after the connect timeout', async () => {
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((s) => void sockets.add(s)); // accepts, reads, never writes
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (silent.address() as net.AddressInfo).port;
  const handle = await openDatabase({
    databaseUrl: `postgres://postgres@127.0.0.1:${port}/none`,
    dataDir: '/nonexistent',
    connectTimeoutMs: 300,
  });
  try {
    const started = Date.now();
    const outcome = await Promise.race([
      sql`select 1`.execute(handle.db).then(
        () => 'answered',
        (e: unknown) => e,
      ),
      new Promise((r) => setTimeout(() => r('still waiting'), 5000).unref()),
    ]);
    assert.notEqual(outcome, 'still waiting', 'the query must not wait for good');
    assert.notEqual(outcome, 'answered');
    assert.ok(isDatabaseUnavailable(outcome), `an "unavailable" error, got ${String(outcome)}`);
    assert.ok(Date.now() - started < 3000);
  } finally {
    for (const s of sockets) s.destroy();
    silent.close();
    await Promise.race([handle.close().catch(() => {}), new Promise((r) => setTimeout(r, 1000).unref())]);
  }
});
