// Identity assurance of citizen sessions (issue 14). The level a session reached comes from the server's
// session record only; a live assisted session at a counter office counts as high (in person) for the
// session it made. Step-up to substantial: the citizen gives their birth date and father's name, the civil
// registry is asked through the exchange about the SIGNED-IN citizen's national ID (never one from the
// form), with the purpose on the citizen's data-use page; a match ends the session and opens a new one at
// substantial (a new token: nothing from before names it), audited; a mismatch is counted and limited; a
// registry that is down or unknown refuses (fail closed). No HTTP and no SQL here.
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, LocalText } from '../../db/schema.ts';
import type { AuditLog } from '../../platform/audit.ts';
import type { Lang } from '../../platform/i18n.ts';
import { normalizeText, toAsciiDigits } from '../../platform/persian.ts';
import type { ExchangeService } from '../exchange/exchange.service.ts';
import { askRegistry } from '../representation/registry-client.ts';
import { gregorian, jalaliToGregorian } from '../applications/jalali.ts';
import { AssuranceRepository } from './assurance.repository.ts';
import type { Assurance } from './assurance.ts';
import type { CitizenRow, SessionRow } from './identity.repository.ts';

/** Failed matches allowed per citizen in MISMATCH_WINDOW_HOURS; then the step-up is refused until the window passes. */
export const MAX_MISMATCHES = 3;
export const MISMATCH_WINDOW_HOURS = 24;
/** The civil registry's person service on the exchange (as prefill uses it). */
export const CIVIL_REGISTRY_SERVICE = 'GOV/NOCR/REGISTRY/person';
/** The purpose sent as X-Road-Issue and shown on the citizen's data-use page (ASCII: it is a header). */
export const STEP_UP_PURPOSE = 'Identity check to raise sign-in assurance to substantial (citizen consented on the page)';

/** A live assisted counter-office session as the counter module reports it (read only). */
export interface CounterSessionView {
  status: string;
  citizen_session_id: string | null;
  expires_at: Date | null;
}

export type StepUpField = 'birthDay' | 'fatherName' | 'cardSerial' | 'consent';
export type StepUpResult =
  | { ok: true; token: string; session: SessionRow }
  | { ok: false; reason: 'already' | 'replayed' | 'too-many' | 'not-found' | 'unavailable' }
  | { ok: false; reason: 'mismatch'; triesLeft: number }
  | { ok: false; reason: 'invalid'; errors: { field: StepUpField; message: string }[] };

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
/** A name as compared: the platform's normalisation, without spaces, ZWNJ or punctuation. */
const nameKey = (s: string) => normalizeText(s).replace(/[^\p{L}\p{N}]+/gu, '');

interface Particulars {
  birthDate?: unknown;
  fatherName?: LocalText;
}
const isParticulars = (b: unknown): b is Particulars => typeof b === 'object' && b !== null;
const isCardCheck = (b: unknown): b is { match: unknown } => typeof b === 'object' && b !== null && 'match' in b;

/**
 * The national card's serial as typed (Persian digits, spaces and dashes allowed): the step-up's secret
 * factor. Birth date and father's name are shown to a low sign-in (prefill, answers), so they cannot be the
 * proof alone; the serial is on the card only, never returned by the registry and never shown or stored here.
 */
export function readCardSerial(v: unknown): string | null {
  const s = toAsciiDigits(String(v ?? ''))
    .replace(/[\s-]/g, '')
    .toUpperCase();
  return /^[0-9A-Z]{8,12}$/.test(s) ? s : null;
}

/** The birth date typed as day, month and year: a Solar Hijri year (1300s, 1400s) or a Gregorian one. */
export function readBirthDate(input: { birthDay?: unknown; birthMonth?: unknown; birthYear?: unknown }, lang: Lang) {
  const n = (v: unknown) => toAsciiDigits(String(v ?? '')).replace(/\s/g, '');
  const [d, m, y] = [n(input.birthDay), n(input.birthMonth), n(input.birthYear)];
  const fail = (fa: string, en: string) => ({ ok: false as const, message: lang === 'fa' ? fa : en });
  if (!d || !m || !y) return fail('تاریخ تولد را کامل وارد کنید: روز، ماه و سال', 'Enter your date of birth: day, month and year');
  if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y))
    return fail(
      'تاریخ تولد باید عدد باشد، سال چهاررقمی، مانند ۱۳۶۹',
      'The date of birth must be in numbers, with a 4-digit year, like 1990',
    );
  const year = Number(y);
  const iso = year < 1700 ? jalaliToGregorian(year, Number(m), Number(d)) : gregorian(year, Number(m), Number(d));
  if (!iso || iso > new Date().toISOString().slice(0, 10))
    return fail(
      'این تاریخ وجود ندارد؛ روز و ماه را از روی شناسنامه بخوانید',
      'This date does not exist; copy the day and month from your birth certificate',
    );
  return { ok: true as const, value: iso };
}

export class AssuranceService {
  readonly repo: AssuranceRepository;
  #exchange: ExchangeService | null = null;
  #counterSession: ((token: string) => Promise<CounterSessionView | undefined>) | null = null;

  constructor(
    db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly keyed: (purpose: string, value: string) => string,
  ) {
    this.repo = new AssuranceRepository(db);
  }

  /**
   * Wired by the composition root: the exchange (to ask the civil registry) and the counter module's
   * read-only look-up of an assisted session by its citizen-session token. Without them the step-up
   * says the registry is unavailable and no session counts as in person (fail closed).
   */
  connect(exchange: ExchangeService, counterSession: (token: string) => Promise<CounterSessionView | undefined>): void {
    this.#exchange = exchange;
    this.#counterSession = counterSession;
  }

  /** The level a live session reached: its own record, or high while it is a live assisted session at an office. */
  async reached(session: SessionRow, token: string | undefined): Promise<Assurance> {
    if (token && this.#counterSession) {
      const s = await this.#counterSession(token).catch(() => undefined);
      if (
        s &&
        s.status === 'active' &&
        s.citizen_session_id === session.id &&
        (!s.expires_at || new Date(s.expires_at).getTime() > Date.now())
      )
        return 'high';
    }
    return session.assurance;
  }

  /** How many failed matches the citizen has left now. */
  async triesLeft(citizenId: string): Promise<number> {
    const since = new Date(Date.now() - MISMATCH_WINDOW_HOURS * 3600_000);
    return Math.max(0, MAX_MISMATCHES - (await this.repo.failedSince(citizenId, since)));
  }

  /** What the step-up page shows: the level of this session and the failed matches left today. */
  async status(session: SessionRow): Promise<{ level: Assurance; triesLeft: number }> {
    return { level: session.assurance, triesLeft: await this.triesLeft(session.citizen_id) };
  }

  /** The step-up to substantial for the signed-in citizen's session (see the file comment). */
  async stepUp(
    me: { citizen: CitizenRow; session: SessionRow },
    input: Record<string, unknown>,
    ip: string,
    lang: Lang,
  ): Promise<StepUpResult> {
    const { citizen, session } = me;
    if (session.assurance !== 'low') return { ok: false, reason: 'already' };
    const ipHash = this.keyed('ip', ip);
    const actor = `citizen:${citizen.id}`;
    const errors: { field: StepUpField; message: string }[] = [];
    const birth = readBirthDate(input, lang);
    if (!birth.ok) errors.push({ field: 'birthDay', message: birth.message });
    const father = String(input.fatherName ?? '')
      .trim()
      .slice(0, 100);
    if (!nameKey(father))
      errors.push({
        field: 'fatherName',
        message:
          lang === 'fa'
            ? 'نام پدر را همان‌گونه که در شناسنامه آمده وارد کنید'
            : 'Enter your father’s first name as on your birth certificate',
      });
    const serial = readCardSerial(input.cardSerial);
    if (!serial)
      errors.push({
        field: 'cardSerial',
        message:
          lang === 'fa'
            ? 'سریال پشت کارت ملی هوشمند را وارد کنید: ۱۰ نویسه، رقم و حرف لاتین، برای نمونه 1A23456789'
            : 'Enter the serial on the back of your national smart card: 10 letters and digits, for example 1A23456789',
      });
    if (input.consent !== 'yes')
      errors.push({
        field: 'consent',
        message:
          lang === 'fa'
            ? 'برای تطبیق با ثبت احوال باید اجازه دهید؛ گزینه موافقت را انتخاب کنید'
            : 'To check with the civil registry we need your permission: tick the box to agree',
      });
    if (!birth.ok || errors.length) return { ok: false, reason: 'invalid', errors };
    // the try is reserved (counted as a mismatch) BEFORE the registry is asked, so parallel requests cannot
    // all pass the limit: the n-th reservation sees at least n, and only the first MAX_MISMATCHES go on
    const since = new Date(Date.now() - MISMATCH_WINDOW_HOURS * 3600_000);
    const checkId = await this.repo.reserveCheck({ citizen_id: citizen.id, session_id: session.id, ip_hash: ipHash });
    if ((await this.repo.failedSince(citizen.id, since)) > MAX_MISMATCHES) {
      await this.repo.dropCheck(checkId);
      await this.audit.record({ actor, action: 'assurance.step-up-refused', subject: session.id, ipHash, detail: { reason: 'too-many' } });
      return { ok: false, reason: 'too-many' };
    }
    const record = (outcome: 'matched' | 'mismatch' | 'not-found' | 'unavailable', requestId: string | null) =>
      this.repo.settleCheck(checkId, outcome, requestId);
    if (!this.#exchange) {
      await record('unavailable', null);
      return { ok: false, reason: 'unavailable' };
    }
    // the signed-in citizen's own national ID, from the server's record: the form names nobody
    const asked = await askRegistry(
      this.#exchange,
      {
        service: CIVIL_REGISTRY_SERVICE,
        path: `/persons/${encodeURIComponent(citizen.national_id)}`,
        issue: STEP_UP_PURPOSE,
        userId: actor,
      },
      isParticulars,
    );
    if (asked.outcome !== 'ok') {
      const outcome = asked.outcome === 'unknown' ? 'not-found' : 'unavailable';
      await record(outcome, asked.requestId);
      await this.audit.record({ actor, action: 'assurance.step-up-refused', subject: session.id, ipHash, detail: { reason: outcome } });
      return { ok: false, reason: outcome };
    }
    const p = asked.body;
    const fathers = [p.fatherName?.fa, p.fatherName?.en].filter((v): v is string => typeof v === 'string' && !!nameKey(v)).map(nameKey);
    let match = typeof p.birthDate === 'string' && p.birthDate === birth.value && fathers.includes(nameKey(father));
    if (match && serial) {
      // the registry compares the serial; it never sends it (a wrong serial is a mismatch like a wrong name)
      const card = await askRegistry(
        this.#exchange,
        {
          service: CIVIL_REGISTRY_SERVICE,
          path: `/persons/${encodeURIComponent(citizen.national_id)}/card-check`,
          query: { serial },
          issue: STEP_UP_PURPOSE,
          userId: actor,
        },
        isCardCheck,
      );
      if (card.outcome !== 'ok') {
        const outcome = card.outcome === 'unknown' ? 'not-found' : 'unavailable';
        await record(outcome, card.requestId);
        await this.audit.record({ actor, action: 'assurance.step-up-refused', subject: session.id, ipHash, detail: { reason: outcome } });
        return { ok: false, reason: outcome };
      }
      match = card.body.match === true;
    }
    if (!match) {
      await record('mismatch', asked.requestId);
      await this.audit.record({ actor, action: 'assurance.step-up-failed', subject: session.id, ipHash, detail: { reason: 'mismatch' } });
      const left = await this.triesLeft(citizen.id);
      return left > 0 ? { ok: false, reason: 'mismatch', triesLeft: left } : { ok: false, reason: 'too-many' };
    }
    const token = crypto.randomBytes(32).toString('base64url');
    const raised = await this.repo.transaction(async (repo, tx) => {
      const next = await repo.raise(session, 'substantial', sha256(token));
      if (!next) return undefined;
      await repo.settleCheck(checkId, 'matched', asked.requestId);
      await this.audit.record(
        {
          actor,
          action: 'assurance.raised',
          subject: next.id,
          ipHash,
          detail: { from: 'low', to: 'substantial', previousSession: session.id, exchangeRequest: asked.requestId },
        },
        tx,
      );
      return next;
    });
    if (!raised) {
      await this.repo.settleCheck(checkId, 'replayed', asked.requestId);
      await this.audit.record({ actor, action: 'assurance.step-up-refused', subject: session.id, ipHash, detail: { reason: 'replayed' } });
      return { ok: false, reason: 'replayed' };
    }
    return { ok: true, token, session: raised };
  }
}
