// The last line of defence of a serving process: a database connection error that escaped every handler
// (an 'error' event or a rejected promise nobody awaited) is logged and the process keeps serving, since
// the pool reconnects by itself once PostgreSQL is back. Anything else is a bug: it is logged and the
// process ends as Node would end it, so a supervisor restarts it with a clean state.
import { describeDatabaseError, isDatabaseUnavailable } from '../db/unavailable.ts';

export interface GuardLog {
  warn(detail: object, msg: string): void;
  fatal(detail: object, msg: string): void;
}

export function guardProcess(log: GuardLog, exit: (code: number) => void = (code) => process.exit(code)): () => void {
  const onRejection = (reason: unknown) => {
    if (isDatabaseUnavailable(reason))
      return log.warn(describeDatabaseError(reason), 'database unavailable (a background task failed; it is retried)');
    log.fatal({ err: reason }, 'unhandled promise rejection');
    process.stderr.write(`unhandled promise rejection: ${(reason as Error)?.stack ?? String(reason)}\n`);
    exit(1);
  };
  const onException = (err: Error) => {
    if (isDatabaseUnavailable(err)) return log.warn(describeDatabaseError(err), 'database connection error');
    log.fatal({ err }, 'uncaught exception');
    process.stderr.write(`uncaught exception: ${err?.stack ?? String(err)}\n`);
    exit(1);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
