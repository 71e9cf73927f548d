// A tiny HTTP server for the demo registries: JSON in, JSON out, nothing shared with Panjereh but the
// network. Each registry is a separate HTTP service on its own port, as an agency's system would be.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { LocalText } from '../../../db/schema.ts';

export interface DemoPerson {
  nationalId: string;
  firstName: LocalText;
  lastName: LocalText;
  fatherName: LocalText;
  birthDate: string;
  gender: 'female' | 'male';
  birthPlace: LocalText;
  mobiles: string[];
  alive: boolean;
  /** A child's registered parents (national IDs). */
  parents?: string[];
  /** A ward's legal guardians by court order (national IDs), while the guardianship lasts. */
  guardians?: string[];
  /** The serial on the back of the national smart card: only ever compared (card-check), never returned. */
  cardSerial: string;
}

export function demoPeople(): DemoPerson[] {
  return (JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'demo-people.json'), 'utf8')) as { people: DemoPerson[] }).people;
}

export type Handler = (
  req: http.IncomingMessage,
  url: URL,
) => { status: number; body: unknown } | Promise<{ status: number; body: unknown }>;

export async function startJsonServer(
  port: number,
  host: string,
  handler: Handler,
): Promise<{ server: http.Server; port: number; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    void (async () => {
      let out: { status: number; body: unknown };
      try {
        out = await handler(req, new URL(req.url ?? '/', 'http://registry.local'));
      } catch {
        out = { status: 500, body: { error: 'internal' } };
      }
      req.resume();
      const text = JSON.stringify(out.body);
      res.writeHead(out.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    })();
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  return {
    server,
    port: typeof addr === 'object' && addr ? addr.port : port,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections?.();
        server.close(() => r());
      }),
  };
}
