// Starting and stopping the exchange's TLS port and the demo registries next to the web server.
import type { AppContext } from '../../context.ts';
import { ExchangeProxy, type ExchangeLogger } from './exchange.proxy.ts';
import { startCivilRegistry } from './registries/civil-registry.ts';
import { startShahkar } from './registries/shahkar.ts';
import { startCompanyRegistry } from './registries/company-registry.ts';
import { startNotaryRegistry } from './registries/notary-registry.ts';

/** How often the statistics roll-up catches up with the message log (ms). */
const ROLLUP_MS = 5000;

/** Listens on the exchange port (0: any free port); returns the port and a stop function. */
export async function startExchange(
  ctx: AppContext,
  port: number,
  host = ctx.config.EXCHANGE_HOST,
  logger?: ExchangeLogger,
): Promise<{ port: number; proxy: ExchangeProxy; stop: () => Promise<void> }> {
  const ex = ctx.exchange;
  const hosts = ctx.config.EXCHANGE_HOSTNAMES.split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  const server = await ex.ca.issueServer(hosts.length ? hosts : ['localhost', '127.0.0.1']);
  const proxy = new ExchangeProxy(ex, { key: server.keyPem, cert: server.certPem, ca: await ex.ca.caPem() }, logger);
  const actual = await proxy.listen(port, host);
  ex.proxyUrl ??= `https://127.0.0.1:${actual}`;
  const log = (msg: string, detail?: Record<string, unknown>) =>
    logger
      ? logger.warn(detail ?? {}, `exchange: ${msg}`)
      : process.stderr.write(`exchange: ${msg}${detail?.err ? `: ${String(detail.err)}` : ''}\n`);
  ex.log.start(ctx.config.EXCHANGE_LOG_SIGN_MS, log);
  ex.rollups.start(ROLLUP_MS, log);
  return {
    port: actual,
    proxy,
    stop: async () => {
      await proxy.close();
      await ex.log.stop();
      await ex.log.signPending().catch(() => null);
      await ex.rollups.stop();
    },
  };
}

/** The two demo registries, each a separate HTTP service on its own port. */
export async function startDemoRegistries(
  port: number,
): Promise<{ civil: number; shahkar: number; companies: number; notary: number; stop: () => Promise<void> }> {
  const civil = await startCivilRegistry(port);
  const shahkar = await startShahkar(port === 0 ? 0 : port + 1);
  // acting for others (src/modules/representation/): companies and their signatories, powers of attorney
  const companies = await startCompanyRegistry(port === 0 ? 0 : port + 2);
  const notary = await startNotaryRegistry(port === 0 ? 0 : port + 3);
  return {
    civil: civil.port,
    shahkar: shahkar.port,
    companies: companies.port,
    notary: notary.port,
    stop: async () => void (await Promise.all([civil.close(), shahkar.close(), companies.close(), notary.close()])),
  };
}
