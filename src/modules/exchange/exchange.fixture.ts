// Test fixture: an app with the exchange on a free TLS port, the two demo registries on free ports,
// certificates for the demo consumers, and an HTTPS client that speaks X-Road REST.
import type http from 'node:http';
import https from 'node:https';
import { sql } from 'kysely';
import { testApp, type TestApp } from '../../../test/helpers/app.ts';
import type { Config } from '../../config.ts';
import { ExchangeCa } from './exchange.ca.ts';
import type { ExchangeRepository } from './exchange.repository.ts';
import { startDemoRegistries, startExchange } from './exchange.runtime.ts';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: unknown;
}

/** A reply's X-Road error body ({type, message, detail}; a demo registry answers {error}). */
export const errorOf = (r: Reply) => r.json as { type: string; message: string; detail: string; error?: string };
/** A reply's JSON body, read as the shape the test expects. */
export const bodyOf = <T>(r: Reply) => r.json as T;

export interface Creds {
  key: string;
  cert: string;
}

export async function exchangeFixture(overrides: Partial<Config> = {}) {
  const t: TestApp = await testApp(overrides);
  const registries = await startDemoRegistries(0);
  const ex = t.ctx.exchange;
  await setUpstream(t, 'GOV/NOCR/REGISTRY/person', `http://127.0.0.1:${registries.civil}`);
  await setUpstream(t, 'GOV/CRA/SHAHKAR/mobile-ownership', `http://127.0.0.1:${registries.shahkar}`);
  await setUpstream(t, 'GOV/SSAA/COMPANIES/company', `http://127.0.0.1:${registries.companies}`);
  await setUpstream(t, 'GOV/SSAA/NOTARIES/power-of-attorney', `http://127.0.0.1:${registries.notary}`);
  const running = await startExchange(t.ctx, 0, '127.0.0.1');
  const caPem = await ex.ca.caPem();
  const tax = await ex.issueCert('test', 'GOV/TAX/PORTAL');
  const panjereh = await ex.issueCert('test', 'GOV/ITO/PANJEREH');
  const base = `https://127.0.0.1:${running.port}`;

  /** One X-Road REST request over mutual TLS (no connection reuse, so each call has its own TLS session). */
  function call(
    path: string,
    opts: { creds?: Creds | null; headers?: Record<string, string>; method?: string; body?: string | Buffer; client?: string | null } = {},
  ): Promise<Reply> {
    const creds = opts.creds === undefined ? { key: tax.keyPem, cert: tax.certPem } : opts.creds;
    const headers: Record<string, string> = {
      ...(opts.client === null ? {} : { 'x-road-client': opts.client ?? `IR/GOV/TAX/PORTAL` }),
      ...opts.headers,
    };
    return new Promise((resolve, reject) => {
      const req = https.request(
        {
          host: '127.0.0.1',
          port: running.port,
          path,
          method: opts.method ?? 'GET',
          headers,
          ca: caPem,
          agent: false,
          ...(creds ? { key: creds.key, cert: creds.cert } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown = null;
            try {
              json = JSON.parse(text);
            } catch {
              /* not JSON */
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
          });
        },
      );
      req.on('error', reject);
      req.end(opts.body);
    });
  }

  return {
    t,
    ex,
    base,
    port: running.port,
    caPem,
    tax: { key: tax.keyPem, cert: tax.certPem },
    panjereh: { key: panjereh.keyPem, cert: panjereh.certPem },
    call,
    close: async () => {
      await running.stop();
      await registries.stop();
      await t.close();
    },
  };
}

export async function setUpstream(t: TestApp, serviceId: string, url: string, timeoutMs?: number): Promise<void> {
  const db = t.ctx.database.db;
  await db
    .updateTable('exchange_services')
    .set({ upstream_url: url, ...(timeoutMs ? { timeout_ms: timeoutMs } : {}) })
    .where('id', '=', serviceId)
    .execute();
  await db
    .updateTable('exchange_state')
    .set({ revision: sql`revision + 1` })
    .where('id', '=', 1)
    .execute();
  t.ctx.exchange.invalidate();
}

/** A certificate from a different CA (same subsystem name): the exchange must not accept it. */
export async function foreignCert(subsystemId: string): Promise<Creds> {
  type KeyRow = Parameters<ExchangeRepository['putKeyOnce']>[0];
  const keys = new Map<string, KeyRow>();
  const repo = {
    key: async (id: string) => keys.get(id),
    putKeyOnce: async (k: KeyRow) => (keys.set(k.id, k), k),
  } as unknown as ExchangeRepository;
  const c = await new ExchangeCa(repo, 'x'.repeat(40), 'IR').issueClient(subsystemId);
  return { key: c.keyPem, cert: c.certPem };
}
