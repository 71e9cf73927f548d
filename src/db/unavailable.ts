// Is this error "the database is not there right now" (a restart, a failover, a cut network), as opposed
// to a bug or a bad query? Such errors become a 503 with Retry-After, workers back off and retry, and the
// process keeps running: the pool opens new connections once PostgreSQL answers again.

/** SQLSTATEs: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections; class 08 is every connection exception. */
const CODES = new Set(['57P01', '57P02', '57P03', '53300']);
/** Socket errors of a connection that could not be opened or was cut. */
const ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENOENT',
]);
/** pg's own messages for a connection that ended or broke (they carry no code). */
const MESSAGES =
  /^(Connection terminated|Client has encountered a connection error and is not queryable|Client was closed and is not queryable|timeout exceeded when trying to connect|Connection terminated due to connection timeout)/;

export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 3) return false;
  const e = err as { code?: unknown; message?: unknown; errors?: unknown; cause?: unknown; syscall?: unknown };
  if (typeof e.code === 'string') {
    if (CODES.has(e.code) || /^08[0-9A-Z]{3}$/.test(e.code)) return true;
    if (ERRNOS.has(e.code) && (e.code !== 'ENOENT' || e.syscall === 'connect')) return true;
  }
  if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
  // net's AggregateError (every address of a host refused) and errors that wrap a cause
  if (Array.isArray(e.errors) && e.errors.length && e.errors.every((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return e.cause !== undefined && isDatabaseUnavailable(e.cause, depth + 1);
}

/** A log line's worth of such an error: its code and message, never a query or its parameters. */
export function describeDatabaseError(err: unknown): { code?: string; err: string } {
  const e = err as { code?: unknown; message?: unknown };
  return { ...(typeof e?.code === 'string' ? { code: e.code } : {}), err: String(e?.message ?? err).slice(0, 200) };
}
