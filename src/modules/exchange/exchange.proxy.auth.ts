// The exchange proxy's checks before a request is forwarded: the r1 request path (instance, client
// class/member/subsystem, service code, service path) and the client's identity (the TLS certificate
// from the exchange's CA, registered and not revoked, and the X-Road-Client header that must name the
// certificate's subsystem). Each failure is an XRoadError with X-Road's type and message.
import type http from 'node:http';
import type { X509Certificate } from 'node:crypto';
import type { Registry } from './exchange.service.ts';
import { CODE_RE, parseClientHeader } from './exchange.schema.ts';
import { XRoadError, type Exchange, type Peer } from './exchange.envelope.ts';

/** What the request path names: the subsystem part (class/member/subsystem) and the service code. */
export interface R1Target {
  isListClients: boolean;
  subsystemPart: string;
  serviceCode: string;
}

/**
 * Parses /r1/{instance}/{class}/{member}/{subsystem}/{service}[/path][?query] (or /r1/{instance}/listClients),
 * filling the query, service id and service path of `x` as it goes (what is known when a check fails is logged).
 */
export function parseR1Path(url: string, exchangeInstance: string, x: Pick<Exchange, 'query' | 'serviceId' | 'path'>): R1Target {
  const [rawPath, ...q] = url.split('?');
  x.query = q.join('?');
  if (rawPath.length > 2000) throw new XRoadError('Client.BadRequest', 'The request URI is longer than 2000 characters.');
  const segs = rawPath.split('/');
  if (segs[1] !== 'r1')
    throw new XRoadError(
      'Client.BadRequest',
      'Error parsing the client’s REST request: the path must start with /r1/ (X-Road Message Protocol for REST r1).',
    );
  const decoded: string[] = [];
  for (const s of segs.slice(2, 7)) {
    try {
      decoded.push(decodeURIComponent(s));
    } catch {
      throw new XRoadError('Client.BadRequest', 'An identifier in the path is not valid percent-encoding.');
    }
  }
  const instance = decoded[0];
  if (instance !== exchangeInstance)
    throw new XRoadError('Client.BadRequest', `This exchange serves instance ${exchangeInstance}, not "${(instance ?? '').slice(0, 40)}".`);
  const isListClients = decoded.length === 2 && decoded[1] === 'listClients';
  if (!isListClients && (decoded.length < 5 || !decoded.slice(1, 5).every((p) => CODE_RE.test(p))))
    throw new XRoadError(
      'Client.BadRequest',
      'Error parsing the client’s REST request: expected /r1/{instance}/{class}/{member}/{subsystem}/{service}[/path].',
    );
  const subsystemPart = decoded.slice(1, 4).join('/');
  x.serviceId = isListClients ? 'listClients' : `${subsystemPart}/${decoded[4]}`;
  x.path = isListClients ? '' : segs.slice(7).length ? '/' + segs.slice(7).join('/') : '';
  for (const s of x.path.split('/')) {
    let d: string;
    try {
      d = decodeURIComponent(s);
    } catch {
      throw new XRoadError('Client.BadRequest', 'The service path is not valid percent-encoding.');
    }
    if (d === '.' || d === '..' || d.includes('/') || d.includes('\\'))
      throw new XRoadError('Client.BadRequest', 'The service path may not contain "." or ".." segments or encoded slashes.');
  }
  return { isListClients, subsystemPart, serviceCode: decoded[4] ?? '' };
}

/** The client subsystem the (already checked) certificate proves and the header names; or an XRoadError. */
export function clientSubsystem(req: http.IncomingMessage, reg: Registry, peer: Peer, instance: string): string {
  if (!peer.serial)
    throw new XRoadError(
      'Server.ClientProxy.SslAuthenticationFailed',
      'The client did not present a TLS certificate. Use the key and certificate from `panjereh exchange cert issue`.',
    );
  if (!peer.authorized)
    throw new XRoadError(
      'Server.ClientProxy.SslAuthenticationFailed',
      `The client certificate was not issued by this exchange’s certificate authority (${peer.error ?? 'unknown issuer'}).`,
    );
  // The registry is consulted on every request, so a revoked certificate is refused on a
  // connection that is already open too.
  const known = reg.certs.get(peer.serial);
  if (!known || known.fingerprint !== peer.fingerprint)
    throw new XRoadError('Server.ClientProxy.SslAuthenticationFailed', 'The client certificate is not registered with this exchange.');
  if (known.revoked_at)
    throw new XRoadError('Server.ClientProxy.SslAuthenticationFailed', `The client certificate ${known.serial} was revoked.`);
  const header = req.headers['x-road-client'] ?? req.headers['information-mediator-client'];
  if (typeof header !== 'string' || !header)
    throw new XRoadError('Client.BadRequest', 'The X-Road-Client header (or Information-Mediator-Client) is missing.');
  const claimed = parseClientHeader(header);
  if (!claimed) throw new XRoadError('Client.BadRequest', 'The X-Road-Client header must be INSTANCE/CLASS/MEMBER/SUBSYSTEM.');
  if (claimed.instance !== instance || claimed.subsystemId !== known.subsystem_id)
    throw new XRoadError(
      'Client.InvalidClientIdentifier',
      `X-Road-Client ${header.slice(0, 200)} does not match the client certificate (SUBSYSTEM:${instance}/${known.subsystem_id}).`,
    );
  if (!reg.subsystems.has(known.subsystem_id))
    throw new XRoadError('Client.InvalidClientIdentifier', `The subsystem ${known.subsystem_id} is no longer registered.`);
  return known.subsystem_id;
}

/** Was this certificate issued (signed) by the exchange's CA, and is it within its validity period? */
export function checkPeer(ca: readonly X509Certificate[], cert: X509Certificate | undefined): Peer {
  if (!cert) return { serial: null, fingerprint: null, authorized: false, error: null };
  const base = { serial: cert.serialNumber.toUpperCase(), fingerprint: cert.fingerprint256 };
  const issuer = ca.find((c) => cert.checkIssued(c));
  let signed: boolean;
  try {
    signed = !!issuer && cert.verify(issuer.publicKey);
  } catch {
    signed = false;
  }
  if (!signed) return { ...base, authorized: false, error: issuer ? 'certificate signature failure' : 'unable to get issuer certificate' };
  const now = Date.now();
  if (now < Date.parse(cert.validFrom)) return { ...base, authorized: false, error: 'certificate is not yet valid' };
  if (now > Date.parse(cert.validTo)) return { ...base, authorized: false, error: 'certificate has expired' };
  return { ...base, authorized: true, error: null };
}
