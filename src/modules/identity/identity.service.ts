// Citizen sign-in with a one-time code, and server-side sessions. No HTTP and no SQL here.
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Config } from '../../config.ts';
import { type AuditLog } from '../../platform/audit.ts';
import type { SmsGateway } from '../../platform/sms.ts';
import { toPersianDigits } from '../../platform/persian.ts';
import { IdentityRepository, type CitizenRow, type SessionRow } from './identity.repository.ts';
import type { MobileOwnershipChecker } from './mobile-ownership.ts';
import { AssuranceService } from './assurance.service.ts';

/** The mark that starts an assisted (counter office) session's token; ordinary tokens are base64url and never contain '.'. */
export const ASSISTED_TOKEN_PREFIX = 'as.';

export const MAX_TRIES = 5;
export const RESEND_AFTER_SECONDS = 60;
/** Codes per hour per national ID and per mobile number (per client address: SIGN_IN_CODES_PER_ADDRESS_HOUR). */
export const HOURLY_LIMITS = { nationalId: 5, mobile: 5 };

export type RequestCodeResult =
  | { ok: true; challengeId: string }
  | { ok: false; reason: 'mobile-mismatch' | 'ownership-unavailable' | 'wait'; waitSeconds?: number }
  | { ok: false; reason: 'too-many-requests' };

export type VerifyResult =
  | { ok: true; citizen: CitizenRow; token: string; session: SessionRow }
  | { ok: false; reason: 'wrong-code'; triesLeft: number }
  | { ok: false; reason: 'expired' | 'too-many-tries' | 'used' | 'unknown' };

/**
 * The SMS to the OLD number when a sign-in changed a citizen's mobile, in Persian and English (the
 * language of that person is not known here): the new number's last four digits, when, and what to do.
 */
export function mobileChangedText(newMobile: string, at: Date, publicUrl: string): string {
  const tail = newMobile.slice(-4);
  const fa = new Intl.DateTimeFormat('fa-IR-u-ca-persian', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tehran' }).format(at);
  const en = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tehran' }).format(at);
  return (
    `پنجره: شماره همراه حساب شما در ${fa} به شماره‌ای که به ${tail} ختم می‌شود تغییر کرد. اگر شما نبوده‌اید، با شماره خودتان دوباره وارد شوید و نشست‌های دیگر را پایان دهید: ${publicUrl}/fa/account/sessions\n\n` +
    `Panjereh: the mobile number of your account was changed on ${en} to a number ending in ${tail}. If this was not you, sign in with your own number and end the other sessions: ${publicUrl}/en/account/sessions`
  );
}

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export class IdentityService {
  readonly repo: IdentityRepository;
  /** Identity assurance of sessions: the level reached, the step-up with the civil registry (assurance.service.ts). */
  readonly assurance: AssuranceService;

  constructor(
    db: Kysely<Database>,
    private readonly config: Config,
    private readonly sms: SmsGateway,
    private readonly ownership: MobileOwnershipChecker,
    readonly audit: AuditLog,
  ) {
    this.repo = new IdentityRepository(db);
    this.assurance = new AssuranceService(db, audit, (purpose, value) => this.keyed(purpose, value));
  }

  /** A keyed hash: the stored value reveals nothing without SESSION_SECRET (not even a 6-digit code). */
  keyed(purpose: string, value: string): string {
    return crypto.createHmac('sha256', this.config.SESSION_SECRET).update(`${purpose}:${value}`).digest('hex');
  }

  /**
   * Sends a one-time code to the citizen's mobile (after the rate limits and the ownership check).
   * `smsText` words the SMS for another purpose than signing in (a counter office asking to act for
   * the person: counter.service.ts); verifyCode() is the same either way.
   */
  async requestCode(
    nationalId: string,
    mobile: string,
    ip: string,
    lang: 'fa' | 'en',
    smsText?: (code: string, minutes: number) => string,
  ): Promise<RequestCodeResult> {
    const ipHash = this.keyed('ip', ip);
    const now = Date.now();
    const recent = await this.repo.recentChallenges(nationalId, mobile, ipHash, new Date(now - 3600_000));
    if (
      recent.byId >= HOURLY_LIMITS.nationalId ||
      recent.byMobile >= HOURLY_LIMITS.mobile ||
      recent.byIp >= this.config.SIGN_IN_CODES_PER_ADDRESS_HOUR
    ) {
      await this.audit.record({
        actor: 'anonymous',
        action: 'sign-in.code-refused',
        subject: this.keyed('nid', nationalId),
        ipHash,
        detail: { reason: 'rate-limit' },
      });
      return { ok: false, reason: 'too-many-requests' };
    }
    if (recent.lastForId && now - recent.lastForId.getTime() < RESEND_AFTER_SECONDS * 1000) {
      return {
        ok: false,
        reason: 'wait',
        waitSeconds: Math.ceil((RESEND_AFTER_SECONDS * 1000 - (now - recent.lastForId.getTime())) / 1000),
      };
    }
    const owner = await this.ownership.check(nationalId, mobile);
    if (owner !== 'match') {
      await this.audit.record({
        actor: 'anonymous',
        action: 'sign-in.code-refused',
        subject: this.keyed('nid', nationalId),
        ipHash,
        detail: { reason: owner },
      });
      return { ok: false, reason: owner === 'mismatch' ? 'mobile-mismatch' : 'ownership-unavailable' };
    }
    const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
    const challenge = await this.repo.createChallenge({
      national_id: nationalId,
      mobile,
      ip_hash: ipHash,
      code_hash: this.keyed('otp', code),
      expires_at: new Date(now + this.config.OTP_TTL_SECONDS * 1000),
    });
    const minutes = Math.round(this.config.OTP_TTL_SECONDS / 60);
    const text = smsText
      ? smsText(code, minutes)
      : lang === 'fa'
        ? `پنجره: کد ورود شما ${code}\nاین کد را به هیچ‌کس ندهید. اعتبار: ${toPersianDigits(String(minutes))} دقیقه.`
        : `Panjereh: your sign-in code is ${code}\nNever share it. Valid for ${minutes} minutes.`;
    const host = this.config.PUBLIC_URL ? new URL(this.config.PUBLIC_URL).host : null;
    await this.sms.send(mobile, host ? `${text}\n\n@${host} #${code}` : text);
    await this.audit.record({ actor: 'anonymous', action: 'sign-in.code-sent', subject: this.keyed('nid', nationalId), ipHash });
    return { ok: true, challengeId: challenge.id };
  }

  async verifyCode(
    challengeId: string,
    code: string,
    ip: string,
    userAgent: string | null,
    o: { assisted?: boolean } = {},
  ): Promise<VerifyResult> {
    const ipHash = this.keyed('ip', ip);
    const c = /^[0-9a-f-]{36}$/.test(challengeId) ? await this.repo.findChallenge(challengeId) : undefined;
    if (!c) return { ok: false, reason: 'unknown' };
    if (c.consumed_at) return { ok: false, reason: 'used' };
    const tries = await this.repo.countAttempt(c.id);
    if (tries === undefined) return { ok: false, reason: 'used' };
    const subject = this.keyed('nid', c.national_id);
    // The sixth try fails even with the right code.
    if (tries > MAX_TRIES) {
      await this.audit.record({ actor: 'anonymous', action: 'sign-in.failed', subject, ipHash, detail: { reason: 'too-many-tries' } });
      return { ok: false, reason: 'too-many-tries' };
    }
    if (new Date(c.expires_at).getTime() < Date.now()) return { ok: false, reason: 'expired' };
    const given = Buffer.from(this.keyed('otp', code), 'hex');
    if (!crypto.timingSafeEqual(given, Buffer.from(c.code_hash, 'hex'))) {
      await this.audit.record({ actor: 'anonymous', action: 'sign-in.failed', subject, ipHash, detail: { reason: 'wrong-code', tries } });
      return tries >= MAX_TRIES
        ? { ok: false, reason: 'too-many-tries' }
        : { ok: false, reason: 'wrong-code', triesLeft: MAX_TRIES - tries };
    }
    // A new random token for every sign-in: nothing from before sign-in can name the session (fixation).
    // an assisted session's token (counter.service.ts) carries a mark outside the base64url alphabet, so
    // the counter scope looks up only those; the mark is part of what is hashed, so it cannot be dropped
    const token = (o.assisted ? ASSISTED_TOKEN_PREFIX : '') + crypto.randomBytes(32).toString('base64url');
    const done = await this.repo.transaction(async (repo, tx) => {
      if (!(await repo.consumeChallenge(c.id))) return null;
      // A different mobile than the one on record: the ownership check at requestCode() said it is this
      // person's now; the change is recorded and the old number told (in case it was not them).
      const { citizen, previousMobile } = await repo.signInCitizen(
        c.national_id,
        c.mobile,
        ipHash,
        mobileChangedText(c.mobile, new Date(), this.config.PUBLIC_URL),
      );
      if (previousMobile)
        await this.audit.record({ actor: `citizen:${citizen.id}`, action: 'citizen.mobile-changed', subject, ipHash }, tx);
      const session = await repo.createSession({
        token_hash: sha256(token),
        citizen_id: citizen.id,
        expires_at: new Date(Date.now() + this.config.SESSION_ABSOLUTE_HOURS * 3600_000),
        user_agent: userAgent?.slice(0, 300) ?? null,
        ip_hash: ipHash,
      });
      await this.audit.record({ actor: `citizen:${citizen.id}`, action: 'sign-in.succeeded', subject, ipHash }, tx);
      return { citizen, session };
    });
    if (!done) return { ok: false, reason: 'used' };
    return { ok: true, citizen: done.citizen, token, session: done.session };
  }

  /** The session a token names, if it is still valid; idle and absolute limits are enforced here. */
  async sessionFor(
    token: string | undefined,
  ): Promise<{ session: SessionRow; citizen: CitizenRow } | { expired: 'idle' | 'absolute' | 'revoked' } | null> {
    if (!token || token.length > 100) return null;
    const found = await this.repo.findSessionWithCitizen(sha256(token));
    if (!found) return null;
    const { session, citizen } = found;
    if (session.revoked_at) return { expired: 'revoked' };
    const now = Date.now();
    if (new Date(session.expires_at).getTime() <= now) return { expired: 'absolute' };
    if (now - new Date(session.last_seen_at).getTime() > this.config.SESSION_IDLE_MINUTES * 60_000) {
      await this.repo.revokeSession(session.id, session.citizen_id);
      return { expired: 'idle' };
    }
    // Activity is written at most once a minute per session.
    if (now - new Date(session.last_seen_at).getTime() > 60_000) {
      await this.repo.touchSession(session.id);
      session.last_seen_at = new Date(now);
    }
    return citizen ? { session, citizen } : null;
  }

  /** When a live session ends if nothing more happens: the idle limit or the absolute limit, whichever is first. */
  sessionEndsAt(session: SessionRow): Date {
    return new Date(
      Math.min(
        new Date(session.last_seen_at).getTime() + this.config.SESSION_IDLE_MINUTES * 60_000,
        new Date(session.expires_at).getTime(),
      ),
    );
  }

  /** The session a token names, read without counting as activity (for the timeout warning page). */
  async peekSession(token: string | undefined): Promise<SessionRow | null> {
    if (!token || token.length > 100) return null;
    const session = await this.repo.findSession(sha256(token));
    if (!session || session.revoked_at || this.sessionEndsAt(session).getTime() <= Date.now()) return null;
    return session;
  }

  /** "Stay signed in": counts as activity now. */
  async extendSession(session: SessionRow): Promise<void> {
    await this.repo.touchSession(session.id);
  }

  async signOut(session: SessionRow): Promise<void> {
    await this.repo.transaction(async (repo, tx) => {
      await repo.revokeSession(session.id, session.citizen_id);
      await this.audit.record({ actor: `citizen:${session.citizen_id}`, action: 'sign-out', subject: session.id }, tx);
    });
  }

  /** For "what the platform holds about you": every session, ended ones too, newest first (no token hash). */
  sessionHistory(citizenId: string) {
    return this.repo.sessionHistory(citizenId);
  }

  /** The citizen's mobile number changes at sign-in, newest first. */
  async mobileChanges(citizenId: string): Promise<{ old_mobile: string; new_mobile: string; changed_at: Date }[]> {
    return (await this.repo.mobileChanges(citizenId))
      .map((c) => ({ old_mobile: c.old_mobile, new_mobile: c.new_mobile, changed_at: c.changed_at }))
      .reverse();
  }

  sessions(citizenId: string): Promise<SessionRow[]> {
    return this.repo.activeSessions(citizenId, new Date());
  }

  async revoke(citizenId: string, sessionId: string): Promise<boolean> {
    if (!/^[0-9a-f-]{36}$/.test(sessionId)) return false;
    return this.repo.transaction(async (repo, tx) => {
      const ok = await repo.revokeSession(sessionId, citizenId);
      if (ok) await this.audit.record({ actor: `citizen:${citizenId}`, action: 'session.revoked', subject: sessionId }, tx);
      return ok;
    });
  }
}
