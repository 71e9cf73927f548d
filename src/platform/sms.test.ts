import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { FileSmsGateway, HttpSmsGateway } from './sms.ts';

test('the file gateway appends one JSON line per message', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sms-'));
  const g = new FileSmsGateway(dir);
  await g.send('09121234567', 'first');
  await g.send('09121234568', 'دوم');
  const lines = fs
    .readFileSync(path.join(dir, 'outbox', 'sms.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    lines.map((l) => [l.to, l.text]),
    [
      ['09121234567', 'first'],
      ['09121234568', 'دوم'],
    ],
  );
  assert.ok(!Number.isNaN(Date.parse(lines[0].at)));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the HTTP gateway posts JSON with the bearer token, and reports a provider failure', async () => {
  const received: { auth?: string; body: unknown }[] = [];
  let status = 200;
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      received.push({ auth: req.headers.authorization, body: JSON.parse(data) });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/send`;
  try {
    await new HttpSmsGateway(url, 'secret-token').send('09121234567', 'کد ۱۲۳');
    assert.deepEqual(received[0], { auth: 'Bearer secret-token', body: { to: '09121234567', text: 'کد ۱۲۳' } });
    status = 503;
    await assert.rejects(new HttpSmsGateway(url).send('09121234567', 'x'), /SMS provider answered 503/);
  } finally {
    server.close();
  }
});
