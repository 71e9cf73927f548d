// Which webhook addresses Panjereh will call: http(s) only, no credentials in the URL, and (in
// production) never loopback, private, link-local or other internal networks, checked on the URL and
// again on every address DNS gives at delivery time (so a name cannot be re-pointed inside later).
import dns from 'node:dns';
import net from 'node:net';
import { AppError } from '../../platform/errors.ts';

const blocked = new net.BlockList();
for (const [a, p] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(a, p, 'ipv4');
for (const [a, p] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const)
  blocked.addSubnet(a, p, 'ipv6');

/** True for addresses a webhook must not reach in production (IPv4-mapped IPv6 included). */
export function isPrivateAddress(ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return blocked.check(mapped[1], 'ipv4');
  const family = net.isIP(ip);
  if (family === 4) return blocked.check(ip, 'ipv4');
  if (family === 6) return blocked.check(ip, 'ipv6');
  return true;
}

/** The URL when Panjereh may call it; otherwise a 400 with WEBHOOK_URL_INVALID or WEBHOOK_URL_PRIVATE. */
export function checkWebhookUrl(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(String(raw ?? '').trim());
  } catch {
    throw new AppError('WEBHOOK_URL_INVALID', 'The webhook address is not a URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new AppError('WEBHOOK_URL_INVALID', 'The webhook address must start with https:// or http://.');
  if (url.username || url.password)
    throw new AppError('WEBHOOK_URL_INVALID', 'The webhook address must not contain a user name or password.');
  if (url.href.length > 500) throw new AppError('WEBHOOK_URL_INVALID', 'The webhook address is longer than 500 characters.');
  if (!allowPrivate) {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (net.isIP(host) ? isPrivateAddress(host) : /(^|\.)(localhost|local|internal|localdomain)$/i.test(host))
      throw new AppError('WEBHOOK_URL_PRIVATE');
  }
  return url;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** A dns.lookup for http.request that refuses private addresses (unless allowed). */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: dns.LookupOptions, cb: LookupCallback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return cb(err, '');
      const list = addresses as dns.LookupAddress[];
      if (!allowPrivate && list.some((a) => isPrivateAddress(a.address))) {
        return cb(Object.assign(new Error(`${hostname} resolves to a private address`), { code: 'EPRIVATE' }), '');
      }
      if (options.all) return cb(null, list);
      cb(null, list[0].address, list[0].family);
    });
  };
}
