// The rules of the assisted channel (counter offices, issue 14). An operator of an office asks for a
// walk-in citizen's consent: the platform texts the citizen a code naming the office and the service
// (the identity module's code, rate limits and mobile-ownership check); the operator types it in. The
// verified session is an ordinary citizen session of that citizen, but limited (counter.scope.ts) to the
// one draft of the one service, and only until it is submitted or its time runs out. Submission goes
// through the applications service like any other; in its transaction (an event sink) the record
// "submitted by office X, operator Y, for citizen Z" with the office's counter fee is written, to the
// application's timeline (seen by the citizen and the agency) and to the audit log. No HTTP, no SQL here.
import crypto from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { AuditLog } from '../../platform/audit.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { ApplicationsService } from '../applications/applications.service.ts';
import type { ApplicationEventRow, ApplicationRow } from '../applications/applications.repository.ts';
import type { CatalogService } from '../catalog/catalog.service.ts';
import type { IdentityService } from '../identity/identity.service.ts';
import type { StaffRow } from '../identity/staff.service.ts';
import { ASSISTED_TOKEN_PREFIX } from '../identity/identity.service.ts';
import { readMobile, readNationalId } from '../identity/identity.schema.ts';
import { toAsciiDigits } from '../../platform/persian.ts';
import { CounterError } from './counter.errors.ts';
import { CounterRepository, type CounterSessionRow, type OfficeRow } from './counter.repository.ts';

/** How long an assisted session stays open after the code is verified. */
export const SESSION_MINUTES = 30;
/** Whether a citizen-session token is an assisted session's (no query: the mark identity gave it). */
export const isAssistedToken = (token: string) => token.startsWith(ASSISTED_TOKEN_PREFIX);
export const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const nameOf = (t: { fa?: string; en?: string }, lang: Lang) => (lang === 'fa' ? t.fa : t.en) ?? t.fa ?? t.en ?? '';

export interface StartInput {
  nationalId?: unknown;
  mobile?: unknown;
  service?: unknown;
}
export type StartResult =
  | { ok: true; session: CounterSessionRow }
  | { ok: false; errors: { field: 'nationalId' | 'mobile' | 'service'; message: string }[] }
  | { ok: false; wait: number };

export type VerifyOutcome = { ok: true; token: string; applicationId: string; maxAgeSeconds: number } | { ok: false; triesLeft: number };

export class CounterService {
  readonly repo: CounterRepository;

  constructor(
    db: Kysely<Database>,
    private readonly identity: IdentityService,
    private readonly applications: ApplicationsService,
    private readonly catalog: CatalogService,
    private readonly audit: AuditLog,
  ) {
    this.repo = new CounterRepository(db);
  }

  /** The office a counter operator works at; refused when they are not attached to one. */
  async officeOf(staff: StaffRow): Promise<OfficeRow> {
    const office = await this.repo.officeOf(staff.id);
    if (!office || !office.active) throw new CounterError('COUNTER_NO_OFFICE');
    return office;
  }

  /** The services that take online applications, for the operator's choice. */
  async servicesWithForms(lang: Lang): Promise<{ slug: string; name: string }[]> {
    const ids = [...(await this.applications.repo.servicesWithForms())];
    const services = await Promise.all(ids.map((id) => this.catalog.getService(id).catch(() => null)));
    return services
      .flatMap((s) => (s && s.status === 'published' ? [{ slug: s.slug, name: nameOf(s.name, lang) }] : []))
      .sort((a, b) => a.name.localeCompare(b.name, lang));
  }

  /**
   * Sends the citizen the consent code. `open` is the assisted session already open in the operator's
   * browser, if any: a second citizen is not started beside it.
   */
  async start(staff: StaffRow, input: StartInput, lang: Lang, open: CounterSessionRow | null): Promise<StartResult> {
    const office = await this.officeOf(staff);
    if (open && open.status === 'active') throw new CounterError('COUNTER_SESSION_ACTIVE', `/${lang}/staff/counter/sessions/${open.id}`);
    const nid = readNationalId(String(input.nationalId ?? ''), lang);
    const mobile = readMobile(String(input.mobile ?? ''), lang);
    const slug = String(input.service ?? '');
    const offered = await this.servicesWithForms(lang);
    const chosen = offered.find((s) => s.slug === slug);
    const errors: { field: 'nationalId' | 'mobile' | 'service'; message: string }[] = [];
    if (!nid.ok) errors.push({ field: 'nationalId', message: nid.message });
    if (!mobile.ok) errors.push({ field: 'mobile', message: mobile.message });
    if (!chosen)
      errors.push({ field: 'service', message: lang === 'fa' ? 'خدمتی از فهرست انتخاب کنید' : 'Select a service from the list' });
    if (!nid.ok || !mobile.ok || !chosen) return { ok: false, errors };
    const service = await this.catalog.getService(chosen.slug);
    const fa = nameOf(office.name, 'fa');
    const en = nameOf(office.name, 'en');
    const text = (code: string, minutes: number) =>
      `پنجره: دفتر پیشخوان «${fa}» (کد ${office.code}) می‌خواهد برای شما درخواست «${nameOf(service.name, 'fa')}» را ثبت کند. اگر خودتان در دفتر هستید و می‌پذیرید، این کد را به کاربر دفتر بدهید: ${code} (اعتبار ${minutes} دقیقه). اگر نه، آن را به کسی ندهید.\n\n` +
      `Panjereh: counter office "${en}" (${office.code}) wants to apply for "${nameOf(service.name, 'en')}" on your behalf. If you are at the office and agree, give this code to its operator: ${code} (valid ${minutes} min). Otherwise share it with no one.`;
    // the per-address limit counts per office (all of an office's desks share one address)
    const r = await this.identity.requestCode(nid.value, mobile.value, `counter-office:${office.code}`, lang, text);
    if (!r.ok) {
      await this.audit.record({
        actor: `staff:${staff.id}`,
        action: 'counter.code-refused',
        subject: office.id,
        detail: { office: office.code, service: service.slug, reason: r.reason },
      });
      if (r.reason === 'too-many-requests') throw new CounterError('COUNTER_TOO_MANY_CODES');
      if (r.reason === 'wait') return { ok: false, wait: r.waitSeconds ?? 60 };
      return {
        ok: false,
        errors: [
          {
            field: 'mobile',
            message:
              r.reason === 'mobile-mismatch'
                ? lang === 'fa'
                  ? 'این شماره همراه به نام دارنده این کد ملی ثبت نشده است. شماره‌ای را که به نام خود شهروند است وارد کنید'
                  : 'This mobile number is not registered to the holder of this national ID. Enter a number in the citizen’s own name'
                : lang === 'fa'
                  ? 'اکنون نمی‌توانیم مالکیت شماره همراه را بررسی کنیم. چند دقیقه دیگر دوباره تلاش کنید'
                  : 'We cannot check who owns the mobile number just now. Try again in a few minutes',
          },
        ],
      };
    }
    const session = await this.repo.insertSession({
      office_id: office.id,
      operator_id: staff.id,
      national_id: nid.value,
      service_id: service.id,
      challenge_id: r.challengeId,
    });
    await this.audit.record({
      actor: `staff:${staff.id}`,
      action: 'counter.code-sent',
      subject: session.id,
      detail: { office: office.code, service: service.slug },
    });
    return { ok: true, session };
  }

  /** One of the operator's office's sessions; another office's is refused (and audited). */
  async sessionFor(staff: StaffRow, id: string, lang: Lang): Promise<{ session: CounterSessionRow; office: OfficeRow }> {
    const office = await this.officeOf(staff);
    const session = /^[0-9a-f-]{36}$/.test(id) ? await this.repo.session(id) : undefined;
    if (!session) throw new CounterError('COUNTER_NOT_FOUND', `/${lang}/staff/counter`);
    if (session.office_id !== office.id) {
      await this.refused(staff.id, session.id, 'other-office', { office: office.code });
      throw new CounterError('COUNTER_OTHER_OFFICE', `/${lang}/staff/counter`);
    }
    return { session, office };
  }

  /** The operator types the citizen's code: a session limited to that citizen's draft of that service. */
  async verify(staff: StaffRow, id: string, code: string, lang: Lang, userAgent: string | null): Promise<VerifyOutcome> {
    const { session, office } = await this.sessionFor(staff, id, lang);
    const back = `/${lang}/staff/counter`;
    if (session.status !== 'code-sent') {
      await this.refused(staff.id, session.id, 'replayed');
      throw new CounterError('COUNTER_CODE_USED', back);
    }
    const r = await this.identity.verifyCode(session.challenge_id, code, `counter-office:${office.code}`, userAgent, {
      assisted: true,
    });
    if (!r.ok) {
      await this.refused(staff.id, session.id, r.reason);
      if (r.reason === 'wrong-code') return { ok: false, triesLeft: r.triesLeft };
      await this.repo.update(this.repo.db, session.id, { status: 'refused', ended_at: new Date() }, 'code-sent');
      if (r.reason === 'expired') throw new CounterError('COUNTER_CODE_EXPIRED', back);
      if (r.reason === 'too-many-tries') throw new CounterError('COUNTER_TOO_MANY_TRIES', back);
      throw new CounterError('COUNTER_CODE_USED', back);
    }
    const service = await this.catalog.getService(session.service_id);
    const citizen = { id: r.citizen.id, national_id: r.citizen.national_id, mobile: r.citizen.mobile };
    const draft = await this.applications.startDraft(citizen, service.slug, lang);
    const expires = new Date(Date.now() + SESSION_MINUTES * 60_000);
    const done = await this.repo.update(
      this.repo.db,
      session.id,
      {
        status: 'active',
        citizen_id: citizen.id,
        citizen_session_id: r.session.id,
        token_hash: sha256(r.token),
        application_id: draft.id,
        verified_at: new Date(),
        expires_at: expires,
      },
      'code-sent',
    );
    if (!done) {
      await this.identity.revoke(citizen.id, r.session.id);
      throw new CounterError('COUNTER_CODE_USED', back);
    }
    await this.audit.record({
      actor: `staff:${staff.id}`,
      action: 'counter.session-started',
      subject: session.id,
      detail: { office: office.code, service: service.slug, citizen: citizen.id, application: draft.id },
    });
    return { ok: true, token: r.token, applicationId: draft.id, maxAgeSeconds: SESSION_MINUTES * 60 };
  }

  /** The operator closes an open session without submitting (the citizen's draft stays theirs). */
  async end(staff: StaffRow, id: string, lang: Lang): Promise<void> {
    const { session } = await this.sessionFor(staff, id, lang);
    if (session.status !== 'active') throw new CounterError('COUNTER_SESSION_NOT_ACTIVE', `/${lang}/staff/counter`);
    await this.close(session, 'ended', `staff:${staff.id}`);
  }

  /** Ends a session: its citizen session is revoked, so the cookie in the operator's browser opens nothing. */
  async close(session: CounterSessionRow, status: 'ended' | 'submitted', actor: string): Promise<void> {
    if (status === 'ended') {
      const r = await this.repo.update(this.repo.db, session.id, { status: 'ended', ended_at: new Date() }, 'active');
      if (r) await this.audit.record({ actor, action: 'counter.session-ended', subject: session.id });
    }
    if (session.citizen_id && session.citizen_session_id)
      await this.identity.revoke(session.citizen_id, session.citizen_session_id).catch(() => false);
  }

  /** The assisted session a citizen-session cookie belongs to, if it is one. */
  scopeOf(token: string): Promise<CounterSessionRow | undefined> {
    return token.length > 100 || !isAssistedToken(token) ? Promise.resolve(undefined) : this.repo.byTokenHash(sha256(token));
  }

  async refused(operatorId: string, sessionId: string, reason: string, detail: Record<string, unknown> = {}): Promise<void> {
    await this.audit.record({ actor: `staff:${operatorId}`, action: 'counter.refused', subject: sessionId, detail: { reason, ...detail } });
  }

  /**
   * The event sink (run inside the submission's transaction): a draft submitted in an assisted session
   * gets its record, a timeline entry the citizen and the agency see, and an audit entry, or none of it.
   */
  readonly onEvents = async (tx: Transaction<Database>, app: ApplicationRow, events: ApplicationEventRow[]): Promise<void> => {
    if (!events.some((e) => e.type === 'submitted')) return;
    const s = await this.repo.activeForApplication(tx, app.id);
    if (!s) return;
    const office = await this.repo.office(s.office_id, tx);
    if (!office) throw new Error('a counter session without its office'); // the foreign key makes this impossible
    const operator = await this.repo.operatorName(tx, s.operator_id);
    await this.repo.update(tx, s.id, { status: 'submitted', ended_at: new Date(), counter_fee_rials: office.counter_fee_rials });
    const who = operator.name || operator.email;
    await this.applications.backoffice.recordEventIn(tx, app.id, 'counter.submitted', {
      office: office.code,
      operator: s.operator_id,
      detail: {
        fa: `ثبت‌شده در دفتر پیشخوان «${nameOf(office.name, 'fa')}» (کد ${office.code}، ${office.city}) به دست ${who}، برای شهروند با کد ملی ${s.national_id}`,
        en: `Submitted at counter office "${nameOf(office.name, 'en')}" (${office.code}, ${office.city}) by ${who}, for the citizen with national ID ${s.national_id}`,
      },
    });
    await this.audit.record(
      {
        actor: `staff:${s.operator_id}`,
        action: 'counter.application-submitted',
        subject: app.id,
        detail: { office: office.code, session: s.id, citizen: s.citizen_id, counterFeeRials: Number(office.counter_fee_rials) },
      },
      tx,
    );
  };

  /** After a submission in an assisted session is committed: the citizen session in the operator's browser ends. */
  readonly afterSubmitted = async (applicationId: string): Promise<void> => {
    const s = await this.repo.submittedFor(applicationId);
    if (s) await this.close(s, 'submitted', `staff:${s.operator_id}`);
  };

  /** A platform administrator registers an office; returns what to fix, or the office. */
  async addOffice(
    input: Record<string, unknown>,
    by: StaffRow,
    lang: Lang,
  ): Promise<{ ok: true; office: OfficeRow } | { ok: false; errors: { field: string; message: string }[] }> {
    const v = (k: string) => (typeof input[k] === 'string' ? toAsciiDigits(String(input[k])).trim().slice(0, 300) : '');
    const errors: { field: string; message: string }[] = [];
    const need = (k: string, fa: string, en: string) => {
      if (!v(k)) errors.push({ field: k, message: lang === 'fa' ? fa : en });
    };
    if (!/^[0-9]{5,8}$/.test(v('code')))
      errors.push({ field: 'code', message: lang === 'fa' ? 'کد دفتر باید ۵ تا ۸ رقم باشد' : 'The office code must be 5 to 8 digits' });
    need('nameFa', 'نام فارسی دفتر را وارد کنید', 'Enter the office’s name in Persian');
    need('nameEn', 'نام انگلیسی دفتر را وارد کنید', 'Enter the office’s name in English');
    need('province', 'استان را وارد کنید', 'Enter the province');
    need('city', 'شهر را وارد کنید', 'Enter the city');
    need('address', 'نشانی را وارد کنید', 'Enter the address');
    need('licence', 'شماره پروانه بهره‌برداری را وارد کنید', 'Enter the operating licence number');
    const fee = v('fee').replace(/[,٬\s]/g, '');
    if (!/^[0-9]{1,10}$/.test(fee))
      errors.push({
        field: 'fee',
        message: lang === 'fa' ? 'کارمزد را به ریال و با عدد درست وارد کنید' : 'Enter the counter fee in rials as a whole number',
      });
    if (errors.length) return { ok: false, errors };
    const office = await this.repo.transaction(async (tx) => {
      const row = await this.repo.insertOffice(tx, {
        code: v('code'),
        name: { fa: v('nameFa'), en: v('nameEn') },
        province: v('province'),
        city: v('city'),
        address: v('address'),
        licence_number: v('licence'),
        counter_fee_rials: Number(fee),
      });
      if (row)
        await this.audit.record(
          { actor: `staff:${by.id}`, action: 'counter.office-added', subject: row.id, detail: { code: row.code } },
          tx,
        );
      return row;
    });
    if (!office)
      return {
        ok: false,
        errors: [
          {
            field: 'code',
            message: lang === 'fa' ? 'دفتری با این کد پیش‌تر ثبت شده است' : 'An office with this code is already registered',
          },
        ],
      };
    return { ok: true, office };
  }

  /** Attaches a counter operator's account to an office (the CLI and the demo). */
  async attachOperator(staffId: string, officeCode: string, by: string): Promise<OfficeRow> {
    const office = await this.repo.officeByCode(officeCode);
    if (!office) throw new CounterError('COUNTER_NOT_FOUND');
    await this.repo.transaction(async (tx) => {
      await this.repo.attachOperator(tx, staffId, office.id);
      await this.audit.record({ actor: by, action: 'counter.operator-attached', subject: staffId, detail: { office: office.code } }, tx);
    });
    return office;
  }

  /**
   * Per office, the applications submitted there in each of the last `months` months: Solar Hijri months
   * on Persian pages, Gregorian months on English pages (days are counted in Tehran).
   */
  async monthlyCounts(
    lang: Lang,
    now = new Date(),
    months = 6,
  ): Promise<{ months: { key: string; label: string }[]; counts: Map<string, Map<string, number>> }> {
    const rows = await this.repo.dailyByOffice(new Date(now.getTime() - (months * 31 + 1) * 86_400_000));
    const keyOf = (day: string) => {
      const d = new Date(`${day}T12:00:00Z`);
      if (lang === 'en') return day.slice(0, 7);
      const parts = new Intl.DateTimeFormat('en-US-u-ca-persian-nu-latn', {
        year: 'numeric',
        month: 'numeric',
        timeZone: 'UTC',
      }).formatToParts(d);
      const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
      return `${get('year')}-${get('month').padStart(2, '0')}`;
    };
    const label = (day: string) =>
      new Intl.DateTimeFormat(lang === 'fa' ? 'fa-IR-u-ca-persian' : 'en-GB', { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(
        new Date(`${day}T12:00:00Z`),
      );
    // the months to show: those of the last `months` months' days, newest last
    const keys = new Map<string, string>();
    for (let i = months * 31; i >= 0; i--) {
      const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tehran' }).format(new Date(now.getTime() - i * 86_400_000));
      if (!keys.has(keyOf(day))) keys.set(keyOf(day), label(day));
    }
    const shown = [...keys].slice(-months).map(([key, l]) => ({ key, label: l }));
    const counts = new Map<string, Map<string, number>>();
    for (const r of rows) {
      const k = keyOf(r.day);
      const per = counts.get(r.office_id) ?? new Map<string, number>();
      per.set(k, (per.get(k) ?? 0) + r.n);
      counts.set(r.office_id, per);
    }
    return { months: shown, counts };
  }

  /** The offices page: the channel counts and the monthly counts per office, in the page's calendar. */
  async officesOverview(lang: Lang) {
    const [counts, monthly] = await Promise.all([this.channelCounts(), this.monthlyCounts(lang)]);
    return { ...counts, monthly };
  }

  /** Per office: applications submitted through it, and the share of all submitted applications. */
  async channelCounts(): Promise<{ offices: (OfficeRow & { submitted: number })[]; total: number; atOffices: number }> {
    const [offices, counts] = await Promise.all([this.repo.offices(), this.repo.channelCounts()]);
    const by = new Map(counts.perOffice.map((r) => [r.office_id, Number(r.submitted)]));
    const atOffices = [...by.values()].reduce((a, b) => a + b, 0);
    return { offices: offices.map((o) => ({ ...o, submitted: by.get(o.id) ?? 0 })), total: Number(counts.total), atOffices };
  }
}
