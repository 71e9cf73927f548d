// The X-Road message envelope as the exchange's proxy (exchange.proxy.ts) handles it: the error types
// and their HTTP statuses, what one request collects for the message log, the streams that count,
// hash and hold back a body, X-Road-Request-Hash, and header filtering.
import crypto from 'node:crypto';
import type http from 'node:http';
import { Transform, finished, type Readable, type TransformCallback, type Writable } from 'node:stream';

export const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'user-agent',
  'server',
  'expect',
]);
export const EMPTY_SHA512 = crypto.createHash('sha512').digest();

export type XRoadErrorType =
  | 'Client.BadRequest'
  | 'Client.InvalidClientIdentifier'
  | 'Client.MessageTooLarge'
  | 'Server.ClientProxy.SslAuthenticationFailed'
  | 'Server.ServerProxy.UnknownService'
  | 'Server.ServerProxy.AccessDenied'
  | 'Server.ServerProxy.ServiceTimeout'
  | 'Server.ServerProxy.NetworkError'
  | 'Server.ServerProxy.ServiceFailed'
  | 'Server.ServerProxy.ResponseTooLarge'
  | 'Server.ServerProxy.InternalError';

export const STATUS: Record<XRoadErrorType, number> = {
  'Client.BadRequest': 400,
  'Client.InvalidClientIdentifier': 403,
  'Client.MessageTooLarge': 413,
  'Server.ClientProxy.SslAuthenticationFailed': 401,
  'Server.ServerProxy.UnknownService': 404,
  'Server.ServerProxy.AccessDenied': 403,
  'Server.ServerProxy.ServiceTimeout': 504,
  'Server.ServerProxy.NetworkError': 502,
  'Server.ServerProxy.ServiceFailed': 502,
  'Server.ServerProxy.ResponseTooLarge': 502,
  'Server.ServerProxy.InternalError': 500,
};

export class XRoadError extends Error {
  constructor(
    readonly type: XRoadErrorType,
    message: string,
  ) {
    super(message);
  }
}

export interface Peer {
  serial: string | null;
  fingerprint: string | null;
  authorized: boolean;
  error: string | null;
}

/** What one request collects on its way for the message log. */
export interface Exchange {
  started: number;
  at: Date;
  requestId: string;
  xRoadId: string;
  clientId: string | null;
  serviceId: string;
  method: string;
  path: string;
  query: string;
  userId: string | null;
  issue: string | null;
  requestBytes: number;
  requestHash: string;
  subject: string | null;
  requestBody?: Buffer;
  logBodies: boolean;
}

/** Counts, hashes and (optionally) keeps a body as it streams; refuses more than `max` bytes. */
export class Meter extends Transform {
  bytes = 0;
  readonly hash = crypto.createHash('sha512');
  chunks: Buffer[] | null;
  constructor(
    private readonly max: number,
    keep: boolean,
    private readonly onTooLarge: () => Error,
  ) {
    super();
    this.chunks = keep ? [] : null;
  }
  _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
    this.bytes += chunk.length;
    if (this.bytes > this.max) return cb(this.onTooLarge());
    this.hash.update(chunk);
    this.chunks?.push(chunk);
    cb(null, chunk);
  }
}

/** Like Meter, and holds back the last chunk until `beforeEnd` (the log commit) has resolved. */
export class HoldLast extends Meter {
  #held: Buffer | null = null;
  constructor(
    max: number,
    keep: boolean,
    onTooLarge: () => Error,
    private readonly beforeEnd: (m: HoldLast) => Promise<void>,
  ) {
    super(max, keep, onTooLarge);
  }
  _transform(chunk: Buffer, enc: BufferEncoding, cb: TransformCallback) {
    super._transform(chunk, enc, (err, out) => {
      if (err) return cb(err);
      const prev = this.#held;
      this.#held = out as Buffer;
      cb(null, prev ?? undefined);
    });
  }
  _flush(cb: TransformCallback) {
    this.beforeEnd(this).then(
      () => cb(null, this.#held ?? undefined),
      (e: unknown) => cb(e as Error),
    );
  }
}

export const headersHash = (h: Record<string, string | string[] | undefined>) =>
  crypto
    .createHash('sha512')
    .update(
      Object.keys(h)
        .sort()
        .map((k) => `${k}: ${String(h[k])}\n`)
        .join(''),
    )
    .digest();

/** X-Road-Request-Hash: base64 SHA512(SHA512(headers) + SHA512(body)), or SHA512(headers) with no body. */
export function requestHash(headers: Record<string, string | string[] | undefined>, bodyDigest: Buffer | null): string {
  const hh = headersHash(headers);
  if (!bodyDigest) return hh.toString('base64');
  return crypto.createHash('sha512').update(hh).update(bodyDigest).digest('base64');
}

/**
 * src -> via -> dst with .pipe(), calling back once: with null when dst has finished, or with the
 * first error (src or via failed, or dst closed early); on an error src and via are destroyed.
 * stream.pipeline does the same but costs an AbortController and a DOMException per call.
 */
export function link(src: Readable, via: Transform, dst: Writable, cb: (err: Error | null) => void): void {
  let called = false;
  const done = (err: Error | null | undefined) => {
    if (called) return;
    called = true;
    if (err) {
      src.destroy();
      via.destroy();
    }
    cb(err ?? null);
  };
  src.pipe(via).pipe(dst);
  finished(src, (e) => e && done(e));
  via.once('error', done);
  finished(dst, (e) => done(e ?? null));
}

export const pemBlocks = (pem: string) => pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];

export function filterHeaders(h: http.IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined && !HOP_BY_HOP.has(k) && k !== 'content-length') out[k] = v;
  if (h['content-length'] !== undefined) out['content-length'] = h['content-length'];
  return out;
}

export function decodeHeader(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
