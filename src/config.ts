// One typed schema of every environment variable Panjereh reads, validated at start.
// Secrets come only from the environment; nothing here has a secret default.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

type Parser<T> = (raw: string | undefined, name: string) => T;

interface Variable<T> {
  description: string;
  parse: Parser<T>;
}

class ConfigError extends Error {}

/** Thrown by loadConfig: every problem with the environment at once (`problems`, one sentence each). */
export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n  - ${problems.join('\n  - ')}`);
  }
}

function str(def?: string): Parser<string> {
  return (raw, name) => {
    const v = raw?.trim() || def;
    if (v === undefined) throw new ConfigError(`${name} is required`);
    return v;
  };
}
function optionalStr(): Parser<string | undefined> {
  return (raw) => raw?.trim() || undefined;
}
function int(def: number, min: number, max: number): Parser<number> {
  return (raw, name) => {
    if (raw === undefined || raw.trim() === '') return def;
    if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
    const n = Number(raw);
    if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
    return n;
  };
}
function optionalInt(min: number, max: number): Parser<number | undefined> {
  return (raw, name) => (raw === undefined || raw.trim() === '' ? undefined : int(0, min, max)(raw, name));
}
function oneOf<T extends string>(values: readonly T[], def: T): Parser<T> {
  return (raw, name) => {
    const v = (raw?.trim() || def) as T;
    if (!values.includes(v)) throw new ConfigError(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
    return v;
  };
}
function optionalOneOf<T extends string>(values: readonly T[]): Parser<T | undefined> {
  return (raw, name) => (raw === undefined || raw.trim() === '' ? undefined : oneOf(values, values[0])(raw, name));
}
function bool(def: boolean): Parser<boolean> {
  return (raw, name) => {
    if (raw === undefined || raw.trim() === '') return def;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new ConfigError(`${name} must be true or false, got "${raw}"`);
  };
}
function optionalBool(): Parser<boolean | undefined> {
  return (raw, name) => (raw === undefined || raw.trim() === '' ? undefined : bool(false)(raw, name));
}
function url(protocols: string[]): Parser<string | undefined> {
  return (raw, name) => {
    const v = raw?.trim();
    if (!v) return undefined;
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      throw new ConfigError(`${name} must be a URL`);
    }
    if (!protocols.includes(u.protocol)) throw new ConfigError(`${name} must start with ${protocols.join(' or ')}`);
    return v;
  };
}

export const configSchema = {
  NODE_ENV: {
    description: 'development, test or production. Production turns on Secure cookies and hides details.',
    parse: oneOf(['development', 'test', 'production'] as const, 'development'),
  },
  HOST: { description: 'Address the HTTP server listens on.', parse: str('0.0.0.0') },
  PORT: { description: 'The port the HTTP server listens on.', parse: int(3000, 0, 65535) },
  DATA_DIR: { description: 'Folder for the embedded database (PGlite) and local files.', parse: str('./data') },
  DATABASE_URL: {
    description: 'postgres://user@host:port/db. When set, PostgreSQL is used instead of embedded PGlite.',
    parse: url(['postgres:', 'postgresql:']),
  },
  DATABASE_POOL_SIZE: { description: 'Maximum PostgreSQL connections per app node.', parse: int(10, 1, 200) },
  DATABASE_CONNECT_TIMEOUT_MS: {
    description: 'How long opening a PostgreSQL connection may take before the request gets 503 (the database is unavailable).',
    parse: int(5000, 100, 120000),
  },
  SEED_DEMO: {
    description:
      'auto: load the demo catalogue (and the demo exchange, monitoring round and document) when the database has no services; never; always (re-applies it). Default auto, and never in production, where auto and always are refused.',
    parse: optionalOneOf(['auto', 'never', 'always'] as const),
  },
  LOG_LEVEL: {
    description: 'pino log level.',
    parse: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
  },
  PUBLIC_URL: {
    description:
      'Public origin (https://window.example.ir, no path). Every absolute link comes from it, never from request headers: emails, SMS, PDFs and their QR codes, API url fields, the OIDC issuer. Required (https) in production; otherwise the default is http://localhost:PORT (or http://HOST:PORT when HOST is one address).',
    parse: url(['http:', 'https:']),
  },
  TRUST_PROXY: { description: 'Trust X-Forwarded-* headers from a reverse proxy (true behind a load balancer).', parse: bool(false) },
  REDIS_URL: {
    description: 'redis://host:6379. When set, rate limits are shared by all app nodes through Redis.',
    parse: url(['redis:', 'rediss:']),
  },
  RATE_LIMIT_MAX: { description: 'API requests allowed per client address per window.', parse: int(600, 1, 1_000_000) },
  RATE_LIMIT_WINDOW_SECONDS: { description: 'Length of the rate-limit window in seconds.', parse: int(60, 1, 86_400) },
  CATALOG_REFRESH_MS: {
    description: 'How often an app node checks whether the catalogue changed (ms) and rebuilds its search index.',
    parse: int(1000, 50, 600_000),
  },
  SEARCH_CACHE_SIZE: {
    description: 'Search results each app node keeps per catalogue revision (0 turns the cache off).',
    parse: int(1000, 0, 1_000_000),
  },
  SESSION_SECRET: {
    description:
      'Secret (32+ characters) that keys one-time-code hashes and CSRF tokens. Required in production; shared by all app nodes. Outside production a random one is made per process.',
    parse: optionalStr(),
  },
  SSO_KEYS_REFRESH_MS: {
    description:
      'How often each node checks the database for added or retired single sign-on signing keys (a rotated key signs everywhere within this time, no restart).',
    parse: int(30_000, 1_000, 3_600_000),
  },
  SESSION_IDLE_MINUTES: { description: 'Citizens are signed out after this many minutes without activity.', parse: int(20, 1, 24 * 60) },
  SESSION_ABSOLUTE_HOURS: {
    description: 'A session ends this many hours after sign-in, whatever the activity.',
    parse: int(12, 1, 24 * 30),
  },
  OTP_TTL_SECONDS: { description: 'How long a one-time sign-in code is valid.', parse: int(120, 30, 3600) },
  SIGN_IN_CODES_PER_ADDRESS_HOUR: {
    description: 'Sign-in codes one client address may request per hour (per national ID and per mobile: 5).',
    parse: int(20, 1, 10_000_000),
  },
  SMS_GATEWAY: {
    description:
      'file: append messages to DATA_DIR/outbox/sms.jsonl (default outside production, refused in production); http: POST them to SMS_HTTP_URL (the default in production).',
    parse: optionalStr(),
  },
  SMS_HTTP_URL: {
    description: 'The SMS provider endpoint for SMS_GATEWAY=http; receives JSON {"to", "text"}.',
    parse: url(['http:', 'https:']),
  },
  SMS_HTTP_TOKEN: { description: 'Bearer token sent to SMS_HTTP_URL.', parse: optionalStr() },
  SMTP_URL: {
    description:
      'smtp(s)://user:pass@host:port for staff email. Without it, email goes to DATA_DIR/outbox/email.jsonl (refused in production).',
    parse: url(['smtp:', 'smtps:']),
  },
  EMAIL_FROM: { description: 'The From address of staff email.', parse: str('Panjereh <no-reply@panjereh.local>') },
  DEFAULT_LANG: { description: 'Language for visitors with no preference.', parse: oneOf(['fa', 'en'] as const, 'fa') },
  SITE_NAME_EN: { description: 'Name shown in English pages.', parse: str('Panjereh – the government services window') },
  NOTIFICATIONS_WORKER: {
    description: 'Run the notification worker (SMS and email from the outbox) inside this server process.',
    parse: bool(true),
  },
  APPLICATION_JOBS: {
    description:
      'Run the applications jobs in this process: the sweeper that issues result documents an approval requested but never got, and the clean-up of abandoned drafts (safe on every node: rows are claimed with FOR UPDATE SKIP LOCKED).',
    parse: bool(true),
  },
  APPLICATION_JOBS_INTERVAL_SECONDS: {
    description: 'How often the applications jobs run (seconds; they also run once at start).',
    parse: int(60, 1, 86_400),
  },
  DOCUMENT_SWEEP_AFTER_SECONDS: {
    description: 'How long after an approval the sweeper waits before issuing a result document that was not issued (seconds).',
    parse: int(120, 0, 86_400),
  },
  DRAFT_RETENTION_DAYS: {
    description: 'Drafts nobody changed for this many days are deleted with their uploaded files.',
    parse: int(30, 1, 3650),
  },
  NOTIFICATIONS_POLL_MS: {
    description: 'How often the notification worker looks for messages to send (ms).',
    parse: int(1000, 50, 600_000),
  },
  MONITORING_EVIDENCE_MAX_BYTES: {
    description: 'Largest evidence file an assessor may upload to a monitoring round (bytes; PDF, PNG, JPEG, text or CSV).',
    parse: int(5 * 1024 * 1024, 1024, 50 * 1024 * 1024),
  },
  PORTAL_CHECK_TIMEOUT_MS: {
    description: 'How long an automated portal check waits for a website to answer and load (ms).',
    parse: int(20_000, 1000, 120_000),
  },
  MONITORING_CHECK_WORKER: {
    description:
      'Run the portal check worker (automated checks a monitoring round queues) in this process; true on every node is fine: jobs are claimed with FOR UPDATE SKIP LOCKED.',
    parse: bool(true),
  },
  MONITORING_CHECK_POLL_MS: {
    description: 'How often the portal check worker looks for queued checks (ms).',
    parse: int(1000, 50, 600_000),
  },
  CHROMIUM_PATH: {
    description: 'The Chromium (Debian package) used for portal accessibility checks and PDF reports.',
    parse: str('/usr/bin/chromium'),
  },
  CONTACT_EMAIL: { description: 'Help address shown on pages.', parse: optionalStr() },
  DOCUMENT_SIGNING_KEY: {
    description:
      'Optional Ed25519 private key (PKCS#8 PEM, or its base64) that signs result documents. Without it a key is made once and kept sealed in the database (rotate with `panjereh documents keys rotate`).',
    parse: optionalStr(),
  },
  GOVSTACK_ACCESS: {
    description:
      "Who may use the GovStack Registration API's application, document and task operations: 'apikey' (an agency API key with the govstack scope, limited to the key's agency) or 'open' (anyone; only for a sandbox running GovStack's conformance tests, refused when NODE_ENV=production). Services, eForms and statistics are always open.",
    parse: oneOf(['apikey', 'open'] as const, 'apikey'),
  },
  API_KEY_RATE_LIMIT: { description: 'Requests one agency API key may make per RATE_LIMIT_WINDOW_SECONDS.', parse: int(300, 1, 1_000_000) },
  WEBHOOK_WORKER: {
    description:
      'Run the webhook delivery worker in this process (true on every app node is fine: deliveries are claimed with FOR UPDATE SKIP LOCKED).',
    parse: bool(true),
  },
  WEBHOOK_POLL_MS: { description: 'How often the webhook worker looks for due deliveries (ms).', parse: int(1000, 10, 600_000) },
  WEBHOOK_TIMEOUT_MS: { description: 'Time a webhook receiver has to answer (ms).', parse: int(10_000, 100, 120_000) },
  WEBHOOK_MAX_ATTEMPTS: { description: 'Attempts before a webhook delivery goes to the dead-letter list.', parse: int(8, 1, 50) },
  WEBHOOK_RETRY_BASE_MS: {
    description: 'First retry delay (ms); each later retry waits twice as long, with random jitter, capped at one hour.',
    parse: int(30_000, 1, 3_600_000),
  },
  WEBHOOK_ALLOW_PRIVATE_TARGETS: {
    description: 'Allow webhook URLs on loopback and private networks. Default: false in production (SSRF protection), true otherwise.',
    parse: optionalBool(),
  },
  EXCHANGE_INSTANCE: {
    description: 'X-Road instance code of this exchange (the first part of every member, subsystem and service identifier).',
    parse: str('IR'),
  },
  EXCHANGE_PORT: {
    description:
      'TLS port of the exchange (mutual TLS, X-Road REST protocol /r1/...). 0 turns it off. Default 3443, and 0 when NODE_ENV=test.',
    parse: optionalInt(0, 65535),
  },
  EXCHANGE_HOST: { description: 'Address the exchange port listens on.', parse: str('0.0.0.0') },
  EXCHANGE_HOSTNAMES: {
    description: "Comma-separated host names and addresses put in the exchange's TLS server certificate.",
    parse: str('localhost,127.0.0.1'),
  },
  EXCHANGE_URL: {
    description: "https:// address of the exchange for Panjereh's own calls through it (default: this node's EXCHANGE_PORT on 127.0.0.1).",
    parse: url(['https:']),
  },
  EXCHANGE_CLIENT_SUBSYSTEM: {
    description: "Panjereh's own subsystem (CLASS/MEMBER/SUBSYSTEM) when it calls services through the exchange.",
    parse: str('GOV/ITO/PANJEREH'),
  },
  EXCHANGE_SUBJECT_SECRET: {
    description:
      'Secret (32+ characters) that keys the hashes of national IDs stored with the message log. Default: derived from SESSION_SECRET.',
    parse: optionalStr(),
  },
  EXCHANGE_REFRESH_MS: {
    description: 'How often an exchange node checks for registry changes made on other nodes (ms).',
    parse: int(1000, 10, 600_000),
  },
  EXCHANGE_MAX_BODY_BYTES: {
    description: 'Largest request or response body the exchange carries (bytes); larger ones are refused with their own error.',
    parse: int(10 * 1024 * 1024, 1024, 2 * 1024 * 1024 * 1024),
  },
  AUDIT_LOG_SIGN_MS: {
    description:
      'How often the newest audit-log entries are signed as a batch with the platform key (ms). 0: only on shutdown and by command (panjereh audit sign).',
    parse: int(5000, 0, 3_600_000),
  },
  EXCHANGE_LOG_SIGN_MS: {
    description: 'How often the exchange signs the newest message-log records as a batch (ms). 0: only on shutdown and by command.',
    parse: int(5000, 0, 3_600_000),
  },
  EXCHANGE_DEMO_REGISTRY_PORT: {
    description: 'With the demo: the civil registry listens on this port and Shahkar (mobile ownership) on the next one. 0 turns them off.',
    parse: int(3101, 0, 65534),
  },
  MOBILE_OWNERSHIP_CHECK: {
    description:
      'Whether a mobile number belongs to the national ID signing in. development (the default outside production; refused in production): any number not ending in 9999 matches (no network); exchange: ask Shahkar through the exchange (service EXCHANGE_SHAHKAR_SERVICE). Production has no default: set exchange.',
    parse: optionalOneOf(['exchange', 'development'] as const),
  },
  EXCHANGE_SHAHKAR_SERVICE: {
    description: 'The Shahkar mobile-ownership service (CLASS/MEMBER/SUBSYSTEM/SERVICE) for MOBILE_OWNERSHIP_CHECK=exchange.',
    parse: str('GOV/CRA/SHAHKAR/mobile-ownership'),
  },
  PAYMENTS_GATEWAY: {
    description:
      "The card payment gateway adapter: 'sandbox' (the sandbox bank; the default outside production, refused in production) or 'none' (no card payments, bills only; the default in production). A real bank's adapter adds its name here (see the README, Payments).",
    parse: (raw, name) => (raw?.trim() ? oneOf(['sandbox', 'none'] as const, 'none')(raw, name) : undefined),
  },
  PAYMENTS_GATEWAY_URL: {
    description:
      "Base URL of the gateway's merchant API for server-to-server calls (default for the sandbox: http://127.0.0.1:PAYMENTS_SANDBOX_PORT).",
    parse: url(['http:', 'https:']),
  },
  PAYMENTS_GATEWAY_BROWSER_URL: {
    description: "Base URL the citizen's browser is sent to for the bank's payment page (default: PAYMENTS_GATEWAY_URL).",
    parse: url(['http:', 'https:']),
  },
  PAYMENTS_TERMINAL_ID: { description: 'The merchant terminal id the acquiring bank gave this platform.', parse: str('sandbox-terminal') },
  PAYMENTS_TERMINAL_KEY: {
    description: "The terminal's secret key. Outside production the sandbox's own key is the default.",
    parse: optionalStr(),
  },
  PAYMENTS_GATEWAY_TIMEOUT_MS: {
    description: 'How long a call to the gateway (token, verify, settle, ...) may take before it counts as failed (ms).',
    parse: int(10_000, 100, 120_000),
  },
  PAYMENTS_VERIFY_ATTEMPTS: { description: 'Verify calls made for one callback before the payment is reversed.', parse: int(3, 1, 10) },
  PAYMENTS_INQUIRY_AFTER_SECONDS: {
    description: 'A card payment still pending this long after it started is resolved by asking the gateway (inquiry job).',
    parse: int(900, 1, 86_400),
  },
  PAYMENTS_JOBS: {
    description:
      'Run the payments jobs in this process: inquiry of pending payments, pending refunds, the daily reconciliation (safe on every node: rows are claimed with FOR UPDATE SKIP LOCKED).',
    parse: bool(true),
  },
  PAYMENTS_JOBS_INTERVAL_SECONDS: { description: 'How often the payments jobs run (seconds).', parse: int(60, 1, 86_400) },
  PAYMENTS_SANDBOX_PORT: {
    description: 'With the demo: the sandbox bank listens on this port (outside production). 0 turns it off.',
    parse: int(3110, 0, 65535),
  },
} satisfies Record<string, Variable<unknown>>;

type Schema = typeof configSchema;
type Parsed = { [K in keyof Schema]: ReturnType<Schema[K]['parse']> };
/** The validated configuration: after loadConfig these always have a value (their defaults depend on NODE_ENV). */
export type Config = Omit<
  Parsed,
  'PUBLIC_URL' | 'SEED_DEMO' | 'MOBILE_OWNERSHIP_CHECK' | 'SESSION_SECRET' | 'PAYMENTS_GATEWAY_URL' | 'WEBHOOK_ALLOW_PRIVATE_TARGETS'
> & {
  PUBLIC_URL: string;
  PAYMENTS_GATEWAY_URL: string;
  WEBHOOK_ALLOW_PRIVATE_TARGETS: boolean;
  SESSION_SECRET: string;
  SEED_DEMO: 'auto' | 'never' | 'always';
  MOBILE_OWNERSHIP_CHECK: 'development' | 'exchange';
};

/**
 * What a production start refuses in this (already parsed) configuration: every development-only
 * adapter and every missing production setting, one sentence each. Used by loadConfig when
 * NODE_ENV=production and by `panjereh config --check`.
 */
export function productionProblems(cfg: Omit<Parsed, 'NODE_ENV'>, failed: ReadonlySet<string> = new Set()): string[] {
  const problems: string[] = [];
  const ok = (name: string) => !failed.has(name);
  if (ok('SESSION_SECRET')) {
    if (!cfg.SESSION_SECRET) problems.push('SESSION_SECRET is required in production (32+ random characters, the same on every node)');
    else if (cfg.SESSION_SECRET === readDevelopmentSecret(path.resolve(cfg.DATA_DIR ?? './data')))
      problems.push('SESSION_SECRET is the development secret made in DATA_DIR/.session-secret; make a new random one for production');
  }
  if (ok('PUBLIC_URL')) {
    if (!cfg.PUBLIC_URL)
      problems.push(
        'PUBLIC_URL is required in production (https://window.example.ir): every absolute link is built from it, never from the Host header',
      );
    else if (!cfg.PUBLIC_URL.startsWith('https:')) problems.push('PUBLIC_URL must start with https:// in production');
  }
  if (ok('MOBILE_OWNERSHIP_CHECK') && cfg.MOBILE_OWNERSHIP_CHECK !== 'exchange')
    problems.push(
      `MOBILE_OWNERSHIP_CHECK=${cfg.MOBILE_OWNERSHIP_CHECK ?? 'development (the default)'} lets anyone sign in as any citizen; set MOBILE_OWNERSHIP_CHECK=exchange (Shahkar through the exchange) in production`,
    );
  if (cfg.SMS_GATEWAY === 'file')
    problems.push('SMS_GATEWAY=file writes text messages to a file; use SMS_GATEWAY=http with SMS_HTTP_URL in production');
  if (ok('SMTP_URL') && !cfg.SMTP_URL)
    problems.push('SMTP_URL is required in production (without it staff email is written to DATA_DIR/outbox/email.jsonl)');
  if (ok('GOVSTACK_ACCESS') && cfg.GOVSTACK_ACCESS === 'open')
    problems.push("GOVSTACK_ACCESS=open is for conformance-test sandboxes only; use 'apikey' in production");
  if (ok('SEED_DEMO') && cfg.SEED_DEMO && cfg.SEED_DEMO !== 'never')
    problems.push(
      `SEED_DEMO=${cfg.SEED_DEMO} loads demo data (catalogue, exchange members, monitoring round, a demo document); use SEED_DEMO=never in production`,
    );
  if (cfg.PAYMENTS_GATEWAY === 'sandbox')
    problems.push(
      "PAYMENTS_GATEWAY=sandbox takes test money only; production needs a real bank's gateway adapter (or PAYMENTS_GATEWAY=none: bills only)",
    );
  if (ok('DATABASE_URL') && !cfg.DATABASE_URL)
    problems.push('DATABASE_URL is required in production (the embedded PGlite database never fsyncs and serves one node)');
  return problems;
}

/** The default PUBLIC_URL outside production: this server's own address, never a request's Host header. */
function localUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${h}:${port}`;
}

/** Reads and validates the environment; throws one ConfigurationError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  const failed = new Set<string>();
  for (const [name, v] of Object.entries(configSchema) as [string, Variable<unknown>][]) {
    try {
      out[name] = v.parse(env[name], name);
    } catch (e) {
      problems.push((e as Error).message);
      failed.add(name);
    }
  }
  const cfg = { ...(out as Parsed), ...overrides } as Parsed;
  for (const name of Object.keys(overrides)) failed.delete(name);
  const prod = cfg.NODE_ENV === 'production';
  cfg.DATA_DIR = path.resolve(cfg.DATA_DIR ?? './data');
  if (cfg.SESSION_SECRET && cfg.SESSION_SECRET.length < 32) problems.push('SESSION_SECRET must be at least 32 characters');
  cfg.PAYMENTS_GATEWAY ??= prod ? 'none' : 'sandbox';
  cfg.PAYMENTS_GATEWAY_URL ??= `http://127.0.0.1:${cfg.PAYMENTS_SANDBOX_PORT || 3110}`;
  cfg.PAYMENTS_TERMINAL_KEY ??= prod ? undefined : 'sandbox-key';
  if (cfg.PAYMENTS_GATEWAY !== 'none' && !cfg.PAYMENTS_TERMINAL_KEY)
    problems.push('PAYMENTS_TERMINAL_KEY is required when PAYMENTS_GATEWAY is set');
  if (cfg.EXCHANGE_SUBJECT_SECRET && cfg.EXCHANGE_SUBJECT_SECRET.length < 32)
    problems.push('EXCHANGE_SUBJECT_SECRET must be at least 32 characters');
  if (cfg.PUBLIC_URL) {
    const u = new URL(cfg.PUBLIC_URL);
    if (u.pathname !== '/' || u.search || u.hash || u.username)
      problems.push(`PUBLIC_URL must be an origin like https://window.example.ir (no path, query or user), got "${cfg.PUBLIC_URL}"`);
    else cfg.PUBLIC_URL = u.origin;
  }
  cfg.SMS_GATEWAY ??= prod ? 'http' : 'file';
  if (!['file', 'http'].includes(cfg.SMS_GATEWAY)) problems.push(`SMS_GATEWAY must be file or http, got "${cfg.SMS_GATEWAY}"`);
  if (cfg.SMS_GATEWAY === 'http' && !cfg.SMS_HTTP_URL && !failed.has('SMS_HTTP_URL'))
    problems.push('SMS_HTTP_URL is required when SMS_GATEWAY is http');
  if (prod) problems.push(...productionProblems(cfg, failed));
  if (problems.length) throw new ConfigurationError(problems);
  cfg.SEED_DEMO ??= prod ? 'never' : 'auto';
  cfg.MOBILE_OWNERSHIP_CHECK ??= 'development'; // never in production: refused above
  cfg.PUBLIC_URL ??= localUrl(cfg.HOST, cfg.PORT);
  cfg.EXCHANGE_PORT ??= cfg.NODE_ENV === 'test' ? 0 : 3443;
  cfg.SESSION_SECRET ??= developmentSecret(cfg.DATA_DIR);
  cfg.WEBHOOK_ALLOW_PRIVATE_TARGETS ??= !prod;
  return cfg as Config;
}

/**
 * `panjereh config --check`: what a production start would refuse in this environment, evaluated
 * as if NODE_ENV were production (a NODE_ENV set to anything else is itself listed).
 */
export function checkProductionConfig(env: NodeJS.ProcessEnv = process.env): string[] {
  const problems: string[] = [];
  const nodeEnv = env.NODE_ENV?.trim();
  if (nodeEnv && nodeEnv !== 'production')
    problems.push(`NODE_ENV is "${nodeEnv}"; production needs NODE_ENV=production (Secure cookies, HSTS, hidden error details)`);
  try {
    loadConfig({ ...env, NODE_ENV: 'production' });
  } catch (e) {
    if (!(e instanceof ConfigurationError)) throw e;
    problems.push(...e.problems);
  }
  return problems;
}

function readDevelopmentSecret(dataDir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(dataDir, '.session-secret'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Outside production only: a secret made once and kept in DATA_DIR, so that what one process seals
 * (signing keys, client secrets, TOTP seeds) the next can open. Production takes SESSION_SECRET from
 * the environment and refuses to start without it.
 */
function developmentSecret(dataDir: string): string {
  const file = path.join(dataDir, '.session-secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    const secret = crypto.randomBytes(32).toString('base64url');
    fs.mkdirSync(dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
      return secret;
    } catch {
      return fs.readFileSync(file, 'utf8').trim(); // another process made it first
    }
  }
}

/** For `panjereh config` and the README: every variable with its description. */
export function describeConfig(): { name: string; description: string }[] {
  return Object.entries(configSchema).map(([name, v]) => ({ name, description: v.description }));
}
