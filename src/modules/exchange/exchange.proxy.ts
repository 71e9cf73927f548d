// The exchange's TLS port: X-Road Message Protocol for REST (r1). Clients authenticate with a
// certificate from the exchange's CA; X-Road-Client (or Information-Mediator-Client) must name the
// same subsystem; the grant decides; the request streams to the provider (no redirects followed),
// the response streams back with X-Road-Id, X-Road-Request-Id and X-Road-Request-Hash; every request
// is recorded in the message log, and the last bytes of a response leave only after that record is
// committed. Errors raised here carry X-Road-Error and X-Road's JSON body {type, message, detail}.
import crypto, { X509Certificate } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { pipeline } from 'node:stream';
import type { ExchangeService, Registry } from './exchange.service.ts';
import { METASERVICES, extractSubject } from './exchange.schema.ts';
import { checkPeer, clientSubsystem, parseR1Path } from './exchange.proxy.auth.ts';
import { listClients, listMethods, getOpenApi } from './exchange.metaservices.ts';
import { isDatabaseUnavailable, describeDatabaseError } from '../../db/unavailable.ts';
import {
  EMPTY_SHA512,
  HOP_BY_HOP,
  HoldLast,
  Meter,
  STATUS,
  XRoadError,
  decodeHeader,
  filterHeaders,
  link,
  pemBlocks,
  requestHash,
  type Exchange,
  type Peer,
} from './exchange.envelope.ts';

export { requestHash, type XRoadErrorType } from './exchange.envelope.ts';

/** What the proxy logs through: the app's pino logger in `panjereh serve`. */
export interface ExchangeLogger {
  warn(detail: object, msg: string): void;
  error(detail: object, msg: string): void;
}
const stderrLogger: ExchangeLogger = {
  warn: (d, msg) => process.stderr.write(`${msg} ${JSON.stringify(d)}\n`),
  error: (d, msg) => process.stderr.write(`${msg}: ${String((d as { err?: unknown }).err)}\n`),
};

export class ExchangeProxy {
  readonly server: https.Server;
  readonly #agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: 256, noDelay: true } as http.AgentOptions),
    https: new https.Agent({ keepAlive: true, maxSockets: 256, noDelay: true } as https.AgentOptions),
  };
  /** What each TLS connection's certificate proved, worked out once per connection (not per request). */
  readonly #peers = new WeakMap<TLSSocket, Peer>();
  readonly #ca: X509Certificate[];

  constructor(
    private readonly ex: ExchangeService,
    tls: { key: string; cert: string; ca: string },
    /** The server's logger (pino): request ids and redaction as for every other log line. */
    private readonly log: ExchangeLogger = stderrLogger,
  ) {
    // The client certificate is checked once per connection, as soon as the handshake is done
    // (checkPeer: issued by our CA, signature, validity; authenticate then pins the registered
    // certificate's fingerprint). Doing it at 'secureConnection' is also the fix for the flaky
    // certificate-refusal test: a client that presents a certificate from another CA with the same
    // name (and sends our CA certificate in its chain) makes OpenSSL check that signature with our
    // key during the handshake; the failed check leaves an error on OpenSSL's per-thread queue, and
    // Node sometimes read it later as a fatal error on that socket, dropping the connection ("socket
    // hang up", about one in three such connections under load) instead of answering X-Road's
    // SslAuthenticationFailed. The X509Certificate calls in checkPeer clear that queue first.
    this.#ca = pemBlocks(tls.ca).map((p) => new X509Certificate(p));
    this.server = https.createServer(
      { ...tls, requestCert: true, rejectUnauthorized: false, keepAliveTimeout: 30_000 },
      (req, res) =>
        void this.handle(req, res).catch((e: unknown) => {
          this.log.error({ err: e }, 'exchange: request failed');
          res.destroy();
        }),
    );
    this.server.on('secureConnection', (s: TLSSocket) => {
      s.setNoDelay(true);
      this.#peers.set(s, checkPeer(this.#ca, s.getPeerX509Certificate?.()));
    });
    this.server.on('tlsClientError', (e) => this.log.warn({ err: e.message }, 'exchange: TLS client error'));
  }

  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const addr = this.server.address();
    return typeof addr === 'object' && addr ? addr.port : port;
  }

  async close(): Promise<void> {
    this.server.closeIdleConnections?.();
    await new Promise<void>((r) => this.server.close(() => r()));
    this.#agents.http.destroy();
    this.#agents.https.destroy();
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const x: Exchange = {
      started: performance.now(),
      at: new Date(),
      requestId: crypto.randomUUID(),
      xRoadId: '',
      clientId: null,
      serviceId: '-',
      method: (req.method ?? 'GET').toUpperCase(),
      path: '',
      query: '',
      userId: null,
      issue: null,
      requestBytes: 0,
      requestHash: '',
      subject: null,
      logBodies: false,
    };
    const given = req.headers['x-road-id'];
    x.xRoadId = typeof given === 'string' && /^[\x21-\x7e]{1,200}$/.test(given) ? given : crypto.randomUUID();
    const userId = req.headers['x-road-userid'];
    x.userId = typeof userId === 'string' ? userId.slice(0, 100) : null;
    const issue = req.headers['x-road-issue'];
    x.issue = typeof issue === 'string' ? decodeHeader(issue).slice(0, 500) : null;
    try {
      await this.route(req, res, x);
    } catch (e) {
      const err =
        e instanceof XRoadError ? e : new XRoadError('Server.ServerProxy.InternalError', 'The exchange could not process the request.');
      if (!(e instanceof XRoadError) && !isDatabaseUnavailable(e)) this.log.error({ err: e }, 'exchange: request failed');
      await this.fail(req, res, x, err);
    }
  }

  async route(req: http.IncomingMessage, res: http.ServerResponse, x: Exchange): Promise<void> {
    const ex = this.ex;
    const { subsystemPart, serviceCode, isListClients } = parseR1Path(req.url ?? '/', ex.instance, x);

    const reg = await ex.registry();
    x.clientId = this.authenticate(req, reg);

    if (isListClients) return this.answerLocal(req, res, x, listClients(reg, ex.instance));
    if (!reg.subsystems.has(subsystemPart))
      throw new XRoadError('Server.ServerProxy.UnknownService', `Unknown service: SERVICE:${ex.instance}/${x.serviceId}`);
    if ((METASERVICES as readonly string[]).includes(serviceCode) && !x.path) {
      const out =
        serviceCode === 'getOpenAPI'
          ? getOpenApi(reg, subsystemPart, new URLSearchParams(x.query).get('serviceCode'))
          : listMethods(ex, reg, ex.instance, subsystemPart, serviceCode === 'allowedMethods' ? x.clientId : null);
      if ('error' in out) throw new XRoadError('Server.ServerProxy.UnknownService', out.error);
      return this.answerLocal(req, res, x, out.body, out.contentType);
    }
    const svc = reg.services.get(x.serviceId);
    if (!svc) throw new XRoadError('Server.ServerProxy.UnknownService', `Unknown service: SERVICE:${ex.instance}/${x.serviceId}`);
    // The data subject, when it is in the path or query, is known before the decision: a refused
    // attempt on someone's data is shown to them too.
    if (svc.subject_location && svc.subject_location.in !== 'json')
      x.subject = extractSubject(svc.subject_location, x.path, new URLSearchParams(x.query), () => null);
    if (!ex.allowed(reg, x.clientId, svc.id, x.method, x.path || '/'))
      throw new XRoadError(
        'Server.ServerProxy.AccessDenied',
        `Request is not allowed: ${x.method} ${x.path || '/'} of SERVICE:${ex.instance}/${svc.id} for SUBSYSTEM:${ex.instance}/${x.clientId}`,
      );
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > ex.config.EXCHANGE_MAX_BODY_BYTES)
      throw new XRoadError(
        'Client.MessageTooLarge',
        `The request body (${declared} bytes) is larger than the exchange carries (${ex.config.EXCHANGE_MAX_BODY_BYTES} bytes).`,
      );
    x.logBodies = svc.log_bodies;
    await this.forward(req, res, x, svc);
  }

  /** The client subsystem the certificate proves and the header names; or an XRoadError. */
  authenticate(req: http.IncomingMessage, reg: Registry): string {
    const socket = req.socket as TLSSocket;
    let peer = this.#peers.get(socket);
    if (!peer) {
      peer = checkPeer(this.#ca, socket.getPeerX509Certificate?.());
      this.#peers.set(socket, peer);
    }
    return clientSubsystem(req, reg, peer, this.ex.instance);
  }

  xroadHeaders(x: Exchange): Record<string, string> {
    const h: Record<string, string> = { 'x-road-id': x.xRoadId, 'x-road-request-id': x.requestId };
    if (x.clientId) h['x-road-client'] = `${this.ex.instance}/${x.clientId}`;
    if (x.serviceId !== '-') h['x-road-service'] = `${this.ex.instance}/${x.serviceId}`;
    return h;
  }

  /** A metaservice answer produced here; logged before it is sent. */
  async answerLocal(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    x: Exchange,
    body: unknown,
    contentType = 'application/json; charset=utf-8',
  ): Promise<void> {
    req.resume();
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const buf = Buffer.from(text);
    x.requestHash = requestHash(filterHeaders(req.headers), null);
    await this.record(x, 200, null, buf.length, crypto.createHash('sha512').update(buf).digest('base64'));
    res.writeHead(200, {
      'content-type': contentType,
      'content-length': buf.length,
      ...this.xroadHeaders(x),
      'x-road-request-hash': x.requestHash,
    });
    res.end(buf);
  }

  async fail(req: http.IncomingMessage, res: http.ServerResponse, x: Exchange, err: XRoadError): Promise<void> {
    req.resume();
    if (!x.requestHash) x.requestHash = requestHash(filterHeaders(req.headers), null);
    const body = Buffer.from(JSON.stringify({ type: err.type, message: err.message, detail: x.requestId }));
    try {
      await this.record(x, STATUS[err.type], err.type, body.length, crypto.createHash('sha512').update(body).digest('base64'));
    } catch (e) {
      // The message log is in the database: while the database is unavailable (a restart, a failover) the
      // request is refused with 503 and Retry-After, as the web app does, so the client retries later.
      const down = isDatabaseUnavailable(e);
      this.log.warn(down ? describeDatabaseError(e) : { err: e }, 'exchange: message log unavailable');
      if (!res.headersSent) {
        const b = JSON.stringify({
          type: 'Server.ServerProxy.InternalError',
          message: 'The message log is not available; the request was not processed.',
          detail: x.requestId,
        });
        res.writeHead(down ? 503 : 500, {
          'content-type': 'application/json; charset=utf-8',
          'x-road-error': 'Server.ServerProxy.InternalError',
          ...(down ? { 'retry-after': '5' } : {}),
          ...this.xroadHeaders(x),
        });
        res.end(b);
      } else res.destroy();
      return;
    }
    if (res.headersSent) return void res.destroy();
    res.writeHead(STATUS[err.type], {
      'content-type': 'application/json; charset=utf-8',
      'content-length': body.length,
      'x-road-error': err.type,
      ...this.xroadHeaders(x),
    });
    res.end(body);
  }

  record(
    x: Exchange,
    status: number,
    errorType: string | null,
    responseBytes: number,
    responseHash: string,
    responseBody?: Buffer,
  ): Promise<void> {
    return this.ex.log.append({
      at: x.at,
      xRoadId: x.xRoadId,
      requestId: x.requestId,
      clientId: x.clientId,
      serviceId: x.serviceId,
      method: x.method,
      status,
      errorType,
      durationMs: performance.now() - x.started,
      requestBytes: x.requestBytes,
      responseBytes,
      requestHash: x.requestHash,
      responseHash,
      subjectHash: x.subject ? this.ex.subjectHash(x.subject) : null,
      issue: x.issue,
      detail: {
        path: x.path,
        query: x.query,
        userId: x.userId,
        ...(x.logBodies
          ? { requestBody: x.requestBody?.toString('base64') ?? '', responseBody: responseBody?.toString('base64') ?? '' }
          : {}),
      },
    });
  }

  forward(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    x: Exchange,
    svc: NonNullable<ReturnType<Registry['services']['get']>>,
  ): Promise<void> {
    const ex = this.ex;
    const max = ex.config.EXCHANGE_MAX_BODY_BYTES;
    const target = new URL(svc.upstream_url);
    const outHeaders: Record<string, string | string[]> = { ...filterHeaders(req.headers), ...this.xroadHeaders(x) };
    delete outHeaders['x-road-request-hash'];
    delete outHeaders['x-road-error'];
    if (!outHeaders.accept) outHeaders.accept = 'application/json';
    if (x.userId) outHeaders['x-road-userid'] = x.userId;
    const hashedHeaders = filterHeaders(req.headers);
    const needBody = svc.log_bodies || svc.subject_location?.in === 'json';
    const meter = new Meter(
      max,
      needBody,
      () => new XRoadError('Client.MessageTooLarge', `The request body is larger than the exchange carries (${max} bytes).`),
    );
    const mod = target.protocol === 'https:' ? https : http;
    const base = target.pathname.replace(/\/$/, '');

    return new Promise<void>((resolve) => {
      let settled = false;
      const settle = (fn: () => Promise<void> | void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        Promise.resolve()
          .then(fn)
          .catch((e: unknown) => this.log.error({ err: e }, 'exchange: finishing a request failed'))
          .finally(resolve);
      };
      const upReq = mod.request({
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: x.method,
        path: `${base}${x.path || '/'}${x.query ? `?${x.query}` : ''}`,
        headers: { ...outHeaders, host: target.host },
        agent: target.protocol === 'https:' ? this.#agents.https : this.#agents.http,
      });
      const timer = setTimeout(
        () =>
          upReq.destroy(new XRoadError('Server.ServerProxy.ServiceTimeout', `The provider did not answer within ${svc.timeout_ms} ms.`)),
        svc.timeout_ms,
      );
      let requestDone: Promise<void> = Promise.resolve();
      const finishRequest = () => {
        x.requestBytes = meter.bytes;
        x.requestHash = requestHash(hashedHeaders, meter.bytes ? meter.hash.digest() : null);
        x.requestBody = meter.chunks ? Buffer.concat(meter.chunks) : undefined;
        x.subject = extractSubject(svc.subject_location, x.path, new URLSearchParams(x.query), () => {
          try {
            return JSON.parse(x.requestBody?.toString('utf8') ?? '');
          } catch {
            return null;
          }
        });
      };
      // A request without a body goes out with no body (not as an empty chunked one, which costs
      // a second write and, with delayed ACKs, tens of milliseconds), and without a stream pipeline
      // (each pipeline costs an AbortController and a DOMException when it ends: ~7% of the CPU).
      const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
      if (!hasBody) {
        upReq.setHeader('content-length', '0');
        finishRequest();
        req.resume();
        upReq.end();
      } else {
        requestDone = new Promise<void>((r) => meter.once('end', () => r())).then(finishRequest);
        pipeline(req, meter, upReq, (err) => {
          if (err) {
            upReq.destroy(err);
            if (err instanceof XRoadError) settle(() => this.fail(req, res, x, err));
          }
        });
      }

      upReq.on('error', (e: Error & { code?: string }) => {
        settle(async () => {
          if (!x.requestHash) {
            x.requestBytes = meter.bytes;
            x.requestHash = requestHash(hashedHeaders, meter.bytes ? meter.hash.digest() : EMPTY_SHA512);
          }
          const err =
            e instanceof XRoadError
              ? e
              : ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNRESET'].includes(e.code ?? '')
                ? new XRoadError('Server.ServerProxy.NetworkError', `The provider could not be reached (${e.code}).`)
                : new XRoadError('Server.ServerProxy.ServiceFailed', `The provider failed: ${e.message.slice(0, 200)}`);
          await this.fail(req, res, x, err);
        });
      });

      upReq.on('response', (upRes) => {
        settle(async () => {
          await requestDone;
          const declared = Number(upRes.headers['content-length'] ?? 0);
          if (declared > max) {
            upRes.destroy();
            return this.fail(
              req,
              res,
              x,
              new XRoadError(
                'Server.ServerProxy.ResponseTooLarge',
                `The provider’s response (${declared} bytes) is larger than the exchange carries (${max} bytes).`,
              ),
            );
          }
          const headers: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(upRes.headers))
            if (v !== undefined && !HOP_BY_HOP.has(k) && !k.startsWith('x-road-')) headers[k] = v;
          Object.assign(headers, this.xroadHeaders(x), { 'x-road-request-hash': x.requestHash });
          res.writeHead(upRes.statusCode ?? 502, headers);
          const status = upRes.statusCode ?? 502;
          let logging = false;
          const out = new HoldLast(
            max,
            x.logBodies,
            () => new XRoadError('Server.ServerProxy.ResponseTooLarge', 'The provider’s response grew larger than the exchange carries.'),
            (m) => {
              logging = true;
              return this.record(x, status, null, m.bytes, m.hash.digest('base64'), m.chunks ? Buffer.concat(m.chunks) : undefined);
            },
          );
          // The response may stream for longer than the provider's timeout; only a stall ends it.
          upRes.setTimeout(svc.timeout_ms, () =>
            upRes.destroy(new XRoadError('Server.ServerProxy.ServiceTimeout', 'The provider stopped sending its response.')),
          );
          await new Promise<void>((done) =>
            link(upRes, out, res, (err) => {
              if (err) {
                // Cut mid-response (or the log failed): the client has no complete answer. Unless the
                // log itself failed, record what happened.
                const type = err instanceof XRoadError ? err.type : 'Server.ServerProxy.ServiceFailed';
                if (!logging) this.record(x, status, type, out.bytes, out.hash.copy().digest('base64')).catch(() => {});
                res.destroy();
              }
              done();
            }),
          );
        });
      });
    });
  }
}
