// A private PostgreSQL cluster for one test: made with initdb in a temporary folder, on a free port,
// with its socket in that folder, so a test may stop and start it without touching the shared server.
// initdb refuses to run as root: then the cluster runs as the `postgres` OS user (runuser).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The newest PostgreSQL's bin folder under /usr/lib/postgresql, or null when none is installed. */
export function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], 'bin') : null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Cluster {
  port: number;
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database?: string): string;
  start(): void;
  /** pg_ctl -m fast stop: every connection is cut (57P01), as in a restart or failover. */
  stop(): void;
  /** Stops the cluster (if running) and removes its folder. */
  destroy(): void;
}

export async function privateCluster(): Promise<Cluster> {
  const bin = postgresBin();
  if (!bin) throw new Error('no PostgreSQL under /usr/lib/postgresql (initdb, pg_ctl)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panjereh-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) fs.chownSync(dir, Number(run('id', ['-u', 'postgres'], false).trim()), Number(run('id', ['-g', 'postgres'], false).trim()));
  const data = path.join(dir, 'data');
  const port = await freePort();
  function run(cmd: string, args: string[], asPostgres = true): string {
    const [c, a] = asPostgres && asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
    const r = spawnSync(c, a, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
    return r.stdout;
  }
  run(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const pgCtl = (...args: string[]) => run(path.join(bin, 'pg_ctl'), ['-D', data, ...args]);
  let running = false;
  const cluster: Cluster = {
    port,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start() {
      pgCtl(
        '-w',
        '-t',
        '30',
        '-l',
        path.join(dir, 'server.log'),
        '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`,
        'start',
      );
      running = true;
    },
    stop() {
      pgCtl('-w', '-t', '30', '-m', 'fast', 'stop');
      running = false;
    },
    destroy() {
      try {
        if (running || fs.existsSync(path.join(data, 'postmaster.pid'))) pgCtl('-w', '-t', '30', '-m', 'immediate', 'stop');
      } catch {
        /* not running */
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}
