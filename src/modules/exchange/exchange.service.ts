// The exchange's rules: registering members, subsystems, services and grants (each change audited),
// the in-memory copy of the registry the proxy decides with, access decisions, certificates, and
// `call()`, which lets Panjereh itself consume services through the exchange like any agency.
import crypto from 'node:crypto';
import https from 'node:https';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { Database, LocalText, SubjectLocation } from '../../db/schema.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { ExchangeCa, type IssuedCert } from './exchange.ca.ts';
import { MessageLog } from './exchange.log.ts';
import { ExchangeRollups } from './exchange.rollups.ts';
import {
  ExchangeRepository,
  type CertRow,
  type GrantRow,
  type MemberRow,
  type RegistrySnapshot,
  type ServiceRow,
  type SubsystemRow,
} from './exchange.repository.ts';
import {
  codeProblem,
  endpointsOf,
  exchangeError,
  matchMethod,
  matchPath,
  METASERVICES,
  openApiProblem,
  pathPatternProblem,
  splitId,
  t,
  upstreamProblem,
  type Text,
} from './exchange.schema.ts';

export interface Registry {
  revision: number;
  members: Map<string, MemberRow>;
  subsystems: Map<string, SubsystemRow>;
  services: Map<string, ServiceRow>;
  grants: Map<string, GrantRow[]>;
  groupsOf: Map<string, Set<string>>;
  certs: Map<string, CertRow>;
  raw: RegistrySnapshot;
}

function index(s: RegistrySnapshot): Registry {
  const grants = new Map<string, GrantRow[]>();
  for (const g of s.grants) grants.set(g.service_id, [...(grants.get(g.service_id) ?? []), g]);
  const groupsOf = new Map<string, Set<string>>();
  for (const m of s.groupMembers) groupsOf.set(m.subsystem_id, (groupsOf.get(m.subsystem_id) ?? new Set()).add(m.group_code));
  return {
    revision: s.revision,
    members: new Map(s.members.map((m) => [m.id, m])),
    subsystems: new Map(s.subsystems.map((m) => [m.id, m])),
    services: new Map(s.services.map((m) => [m.id, m])),
    grants,
    groupsOf,
    certs: new Map(s.certs.map((c) => [c.serial.toUpperCase(), c])),
    raw: s,
  };
}

export interface ServiceInput {
  subsystemId: string;
  serviceCode: string;
  title: LocalText;
  upstreamUrl: string;
  timeoutMs?: number;
  openapi?: string | null;
  subjectLocation?: SubjectLocation | null;
  logBodies?: boolean;
}

export interface CallInput {
  service: string; // "CLASS/MEMBER/SUB/SERVICE"
  method?: string;
  path?: string;
  query?: Record<string, string>;
  body?: unknown;
  userId?: string;
  issue?: string;
}

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  xRoadError: string | null;
}

export class ExchangeService {
  readonly repo: ExchangeRepository;
  readonly ca: ExchangeCa;
  readonly log: MessageLog;
  readonly rollups: ExchangeRollups;
  #registry: Registry | null = null;
  #loading: Promise<Registry> | null = null;
  #checkedAt = 0;
  #generation = 0;
  #subjectKey: Buffer;
  #clientCert: Promise<IssuedCert & { caPem: string }> | null = null;
  #agent: https.Agent | null = null;
  /** Where the exchange's TLS port answers; set by the proxy when it listens, or from EXCHANGE_URL. */
  proxyUrl: string | null;

  constructor(
    db: Kysely<Database>,
    readonly config: Config,
    private readonly audit: AuditLog,
  ) {
    this.repo = new ExchangeRepository(db);
    this.ca = new ExchangeCa(this.repo, config.SESSION_SECRET, config.EXCHANGE_INSTANCE);
    this.log = new MessageLog(db, config.SESSION_SECRET, this.ca);
    this.rollups = new ExchangeRollups(db);
    this.#subjectKey = config.EXCHANGE_SUBJECT_SECRET
      ? Buffer.from(config.EXCHANGE_SUBJECT_SECRET)
      : Buffer.from(crypto.hkdfSync('sha256', config.SESSION_SECRET, 'panjereh', 'exchange-subject', 32));
    this.proxyUrl = config.EXCHANGE_URL ?? null;
  }

  get instance(): string {
    return this.config.EXCHANGE_INSTANCE;
  }

  /** The keyed hash under which a national ID is stored with the log. */
  subjectHash(nationalId: string): string {
    return crypto.createHmac('sha256', this.#subjectKey).update(nationalId).digest('hex');
  }

  /**
   * The registry as of at most EXCHANGE_REFRESH_MS ago. Rights, services, members and certificates
   * are all decided from this in-memory copy: no database round trip per request. Changes made on this
   * node apply at once (invalidate()); other nodes notice the revision counter every change bumps
   * within EXCHANGE_REFRESH_MS (one indexed single-row read per second per node).
   */
  async registry(): Promise<Registry> {
    const now = Date.now();
    if (this.#registry && now - this.#checkedAt < this.config.EXCHANGE_REFRESH_MS) return this.#registry;
    if (this.#loading) return this.#loading;
    const generation = this.#generation;
    const holder: { p?: Promise<Registry> } = {};
    const loading = (holder.p = (async () => {
      try {
        const checkedAt = Date.now();
        const rev = this.#registry ? await this.repo.revision() : -1;
        const reg = !this.#registry || rev !== this.#registry.revision ? index(await this.repo.snapshot()) : this.#registry;
        // A change made on this node while this load ran: the load may predate it, so do not keep it.
        if (generation !== this.#generation) return this.registry();
        this.#registry = reg;
        this.#checkedAt = checkedAt;
        return reg;
      } finally {
        if (this.#loading === holder.p) this.#loading = null;
      }
    })());
    this.#loading = loading;
    return loading;
  }

  invalidate(): void {
    this.#generation++;
    this.#checkedAt = 0;
    this.#registry = null;
    this.#loading = null;
  }

  /** Is this client subsystem allowed to call this method and path of the service? */
  allowed(reg: Registry, clientId: string, serviceId: string, method: string, path: string): boolean {
    const groups = reg.groupsOf.get(clientId);
    return (reg.grants.get(serviceId) ?? []).some(
      (g) =>
        (g.client_subsystem_id === clientId || (g.group_code !== null && !!groups?.has(g.group_code))) &&
        matchMethod(g.method, method) &&
        matchPath(g.path, path || '/'),
    );
  }

  /** The grants that apply to a client on a service (for allowedMethods). */
  grantsFor(reg: Registry, clientId: string, serviceId: string): GrantRow[] {
    const groups = reg.groupsOf.get(clientId);
    return (reg.grants.get(serviceId) ?? []).filter(
      (g) => g.client_subsystem_id === clientId || (g.group_code !== null && !!groups?.has(g.group_code)),
    );
  }

  // ---- registration (CLI and admin pages share these; each change is audited) ----

  async addMember(
    actor: string,
    cls: string,
    code: string,
    name: LocalText,
    agencyId: string | null,
  ): Promise<{ id: string; created: boolean }> {
    const problems = [codeProblem('member class', cls), codeProblem('member code', code)].filter((p): p is Text => !!p);
    if (!name.fa?.trim() && !name.en?.trim()) problems.push(t('نام عضو را بنویسید.', 'Enter the member’s name.'));
    if (problems.length) throw exchangeError('VALIDATION_FAILED', problems);
    const id = `${cls}/${code}`;
    const created = await this.repo.addMember(
      { id, member_class: cls, member_code: code, name, agency_id: agencyId },
      async (tx, created) => {
        if (created) await this.audit.record({ actor, action: 'exchange.member-added', subject: id, detail: { agencyId } }, tx);
      },
    );
    this.invalidate();
    return { id, created };
  }

  async addSubsystem(actor: string, memberId: string, code: string): Promise<{ id: string; created: boolean }> {
    const p = codeProblem('subsystem code', code);
    if (p) throw exchangeError('VALIDATION_FAILED', p);
    const reg = await this.registry();
    if (!reg.members.has(memberId))
      throw exchangeError(
        'EXCHANGE_UNKNOWN_MEMBER',
        t(`عضو ${memberId} وجود ندارد. نخست آن را بیفزایید.`, `There is no member ${memberId}. Add it first (exchange member add).`),
      );
    const id = `${memberId}/${code}`;
    const created = await this.repo.addSubsystem({ id, member_id: memberId, subsystem_code: code }, async (tx, created) => {
      if (created) await this.audit.record({ actor, action: 'exchange.subsystem-added', subject: id }, tx);
    });
    this.invalidate();
    return { id, created };
  }

  async putService(actor: string, s: ServiceInput): Promise<{ id: string; result: 'created' | 'updated' }> {
    const problems = [
      codeProblem('service code', s.serviceCode),
      upstreamProblem(s.upstreamUrl),
      s.openapi ? openApiProblem(s.openapi) : null,
    ].filter((p): p is Text => !!p);
    if ((METASERVICES as readonly string[]).includes(s.serviceCode) || s.serviceCode === 'listClients')
      problems.push(
        t(
          `${s.serviceCode} نام یک فراخدمت است؛ کد خدمت دیگری برگزینید.`,
          `${s.serviceCode} is a metaservice name; choose another service code.`,
        ),
      );
    const timeout = s.timeoutMs ?? 10_000;
    if (!Number.isInteger(timeout) || timeout < 100 || timeout > 300_000)
      problems.push(
        t(
          'مهلت پاسخ باید عددی درست از ۱۰۰ تا ۳۰۰۰۰۰ میلی‌ثانیه باشد.',
          'The timeout must be a whole number of milliseconds from 100 to 300000.',
        ),
      );
    if (!s.title.fa?.trim() && !s.title.en?.trim()) problems.push(t('عنوان خدمت را بنویسید.', 'Enter the service’s title.'));
    if (problems.length) throw exchangeError('VALIDATION_FAILED', problems);
    const reg = await this.registry();
    if (!reg.subsystems.has(s.subsystemId))
      throw exchangeError(
        'EXCHANGE_UNKNOWN_SUBSYSTEM',
        t(
          `زیرسامانه ${s.subsystemId} وجود ندارد. نخست آن را بیفزایید.`,
          `There is no subsystem ${s.subsystemId}. Add it first (exchange subsystem add).`,
        ),
      );
    const id = `${s.subsystemId}/${s.serviceCode}`;
    const row = {
      id,
      subsystem_id: s.subsystemId,
      service_code: s.serviceCode,
      title: s.title,
      upstream_url: s.upstreamUrl,
      timeout_ms: timeout,
      openapi: s.openapi?.trim() || null,
      subject_location: s.subjectLocation ?? null,
      log_bodies: !!s.logBodies,
    };
    const result = await this.repo.putService(row, (tx, result) =>
      this.audit.record(
        {
          actor,
          action: `exchange.service-${result}`,
          subject: id,
          detail: { upstream: s.upstreamUrl, timeoutMs: timeout, subject: s.subjectLocation ?? null, logBodies: !!s.logBodies },
        },
        tx,
      ),
    );
    this.invalidate();
    return { id, result };
  }

  async addGroup(actor: string, code: string, description: string, subsystems: string[]): Promise<void> {
    const p = codeProblem('group code', code);
    if (p) throw exchangeError('VALIDATION_FAILED', p);
    const reg = await this.registry();
    const unknown = subsystems.filter((s) => !reg.subsystems.has(s));
    if (unknown.length)
      throw exchangeError(
        'EXCHANGE_UNKNOWN_SUBSYSTEM',
        t(`زیرسامانهٔ ناشناخته: ${unknown.join('، ')}.`, `Unknown subsystem(s): ${unknown.join(', ')}.`),
      );
    await this.repo.addGroup(code, description, subsystems, (tx) =>
      this.audit.record({ actor, action: 'exchange.group-updated', subject: code, detail: { added: subsystems } }, tx),
    );
    this.invalidate();
  }

  /** Grants a client subsystem (or, with "group:CODE", a group) a service or one endpoint of it. */
  async grant(actor: string, serviceId: string, client: string, method = '*', path = '/**'): Promise<{ id: string; created: boolean }> {
    const reg = await this.registry();
    if (!reg.services.has(serviceId))
      throw exchangeError('EXCHANGE_UNKNOWN_SERVICE', t(`خدمت ${serviceId} وجود ندارد.`, `There is no service ${serviceId}.`));
    const m = method.trim().toUpperCase() || '*';
    if (m !== '*' && !/^[A-Z]{3,7}$/.test(m))
      throw exchangeError(
        'VALIDATION_FAILED',
        t(
          `«${method.slice(0, 40)}» روش HTTP نیست؛ GET، POST، ... یا * برای همه بنویسید.`,
          `"${method}" is not an HTTP method; use GET, POST, ... or * for any.`,
        ),
      );
    const pp = pathPatternProblem(path);
    if (pp) throw exchangeError('VALIDATION_FAILED', pp);
    const isGroup = client.startsWith('group:');
    const groupCode = isGroup ? client.slice(6) : null;
    if (isGroup && !(await this.repo.groups()).some((g) => g.code === groupCode))
      throw exchangeError('EXCHANGE_UNKNOWN_SUBSYSTEM', t(`گروه ${groupCode} وجود ندارد.`, `There is no group ${groupCode}.`));
    if (!isGroup && (!splitId(client, 3) || !reg.subsystems.has(client)))
      throw exchangeError(
        'EXCHANGE_UNKNOWN_SUBSYSTEM',
        t(
          `زیرسامانه ${client} وجود ندارد (به شکل رده/عضو/زیرسامانه یا group:کد بنویسید).`,
          `There is no subsystem ${client} (write CLASS/MEMBER/SUBSYSTEM, or group:CODE).`,
        ),
      );
    const r = await this.repo.addGrant(
      { service_id: serviceId, client_subsystem_id: isGroup ? null : client, group_code: groupCode, method: m, path, created_by: actor },
      (tx, r) =>
        this.audit.record(
          { actor, action: 'exchange.grant-added', subject: serviceId, detail: { client, method: m, path, grant: r.id } },
          tx,
        ),
    );
    this.invalidate();
    return r;
  }

  async revoke(actor: string, grantId: string): Promise<GrantRow> {
    if (!/^[0-9a-f-]{36}$/i.test(grantId))
      throw exchangeError(
        'EXCHANGE_UNKNOWN_GRANT',
        t(`مجوز ${grantId.slice(0, 40)} وجود ندارد.`, `There is no grant ${grantId.slice(0, 40)}.`),
      );
    const g = await this.repo.revokeGrant(grantId, (tx, g) =>
      this.audit.record(
        {
          actor,
          action: 'exchange.grant-revoked',
          subject: g.service_id,
          detail: { client: g.client_subsystem_id ?? `group:${g.group_code}`, method: g.method, path: g.path, grant: g.id },
        },
        tx,
      ),
    );
    if (!g) throw exchangeError('EXCHANGE_UNKNOWN_GRANT', t(`مجوز ${grantId} وجود ندارد.`, `There is no grant ${grantId}.`));
    this.invalidate();
    return g;
  }

  /** Issues a client certificate for a subsystem and records it; the private key is returned, not kept. */
  async issueCert(actor: string, subsystemId: string, days = 365): Promise<IssuedCert & { caPem: string }> {
    const reg = await this.registry();
    if (!reg.subsystems.has(subsystemId))
      throw exchangeError('EXCHANGE_UNKNOWN_SUBSYSTEM', t(`زیرسامانه ${subsystemId} وجود ندارد.`, `There is no subsystem ${subsystemId}.`));
    const c = await this.ca.issueClient(subsystemId, days);
    await this.repo.recordCert({ serial: c.serial, subsystem_id: subsystemId, fingerprint: c.fingerprint, not_after: c.notAfter }, (tx) =>
      this.audit.record(
        { actor, action: 'exchange.cert-issued', subject: subsystemId, detail: { serial: c.serial, notAfter: c.notAfter.toISOString() } },
        tx,
      ),
    );
    this.invalidate();
    return { ...c, caPem: await this.ca.caPem() };
  }

  async revokeCerts(actor: string, subsystemId: string): Promise<number> {
    const n = await this.repo.revokeCerts(subsystemId, (tx, n) =>
      this.audit.record({ actor, action: 'exchange.certs-revoked', subject: subsystemId, detail: { count: n } }, tx),
    );
    this.invalidate();
    return n;
  }

  endpoints(svc: ServiceRow) {
    return endpointsOf(svc.openapi);
  }

  // ---- Panjereh as a consumer ----

  /**
   * Calls a service through the exchange's TLS port as Panjereh's own subsystem
   * (EXCHANGE_CLIENT_SUBSYSTEM), with a client certificate this node issues itself on first use.
   * Used by the mobile-ownership check and, for form prefill, by the applications module.
   */
  async call(input: CallInput): Promise<CallResult> {
    if (!this.proxyUrl)
      throw new AppError('EXCHANGE_UNAVAILABLE', 'The exchange is not listening (EXCHANGE_PORT is 0 and EXCHANGE_URL is not set).');
    const clientId = this.config.EXCHANGE_CLIENT_SUBSYSTEM;
    this.#clientCert ??= this.issueCert('system:panjereh', clientId, 30);
    this.#clientCert.catch(() => (this.#clientCert = null));
    const cert = await this.#clientCert;
    const agent = (this.#agent ??= new https.Agent({
      keepAlive: true,
      maxSockets: 32,
      key: cert.keyPem,
      cert: cert.certPem,
      ca: cert.caPem,
    }));
    const url = new URL(
      `${this.proxyUrl.replace(/\/$/, '')}/r1/${this.instance}/${input.service.split('/').map(encodeURIComponent).join('/')}${input.path ?? ''}`,
    );
    for (const [k, v] of Object.entries(input.query ?? {})) url.searchParams.set(k, v);
    const body = input.body === undefined ? undefined : Buffer.from(JSON.stringify(input.body));
    const headers: Record<string, string> = { 'x-road-client': `${this.instance}/${clientId}`, accept: 'application/json' };
    if (input.userId) headers['x-road-userid'] = input.userId;
    if (input.issue) headers['x-road-issue'] = input.issue;
    if (body) Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(body.length) });
    return new Promise((resolve, reject) => {
      const req = https.request(url, { method: input.method ?? 'GET', headers, agent, timeout: 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          if (/json/.test(String(res.headers['content-type'] ?? ''))) {
            try {
              parsed = JSON.parse(text);
            } catch {
              /* keep text */
            }
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: parsed,
            xRoadError: (res.headers['x-road-error'] as string) ?? null,
          });
        });
      });
      req.on('timeout', () => req.destroy(new Error('exchange call timed out')));
      req.on('error', reject);
      req.end(body);
    });
  }

  async close(): Promise<void> {
    this.#agent?.destroy();
    await this.log.stop();
    await this.rollups.stop();
  }
}
