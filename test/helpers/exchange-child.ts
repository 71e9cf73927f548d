// A separate process running the app with the exchange port, for the SIGKILL test. Prints its port.
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/connect.ts';
import { buildApp } from '../../src/server.ts';
import { startExchange } from '../../src/modules/exchange/exchange.runtime.ts';

const config = loadConfig(process.env);
const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, poolSize: 10 });
const { ctx } = await buildApp(config, database);
const running = await startExchange(ctx, 0, '127.0.0.1');
process.stdout.write(JSON.stringify({ port: running.port }) + '\n');
