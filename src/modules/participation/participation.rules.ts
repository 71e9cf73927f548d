// Pure rules of the participation module: text checks, dates in Tehran, phases, ages, poll states.
import crypto from 'node:crypto';
import type { LocalText, ParticipationPhase } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { normalizeText } from '../../platform/persian.ts';

export const PHASES: ParticipationPhase[] = ['information', 'consultation', 'decision', 'follow-up'];
export const PAGE_SIZE = 20;
export const MAX_TEXT = 4000;
/** At most this many comments and proposals per person in RATE_WINDOW_MS (then PARTICIPATION_TOO_MANY). */
export const RATE_MAX = 10;
export const RATE_WINDOW_MS = 10 * 60_000;
export const ADULT_AGE = 18;
/** Proposals with at least this many supports get a mandatory public answer (shown on the staff page). */
export const ANSWER_THRESHOLD = 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

/** A citizen's text: trimmed, not empty, not too long (else PARTICIPATION_INVALID). */
export function cleanText(v: unknown, max = MAX_TEXT): string {
  const s = typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim() : '';
  if (!s || s.length > max) throw new AppError('PARTICIPATION_INVALID');
  return s;
}

/** The same words in another spelling count as the same text (duplicate detection). */
export const textHash = (s: string) => crypto.createHash('sha256').update(normalizeText(s).replace(/\s+/g, ' ').trim()).digest('hex');

/** A bilingual text from two form fields; English falls back to Persian. */
export function localText(fa: unknown, en: unknown, max = MAX_TEXT): LocalText {
  const f = cleanText(fa, max);
  const e = typeof en === 'string' && en.trim() ? cleanText(en, max) : f;
  return { fa: f, en: e };
}

/** A YYYY-MM-DD day in Tehran: its first moment (or its last, with end). */
export function tehranDay(v: unknown, end = false): Date {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v.trim())) throw new AppError('VALIDATION_FAILED');
  const d = new Date(`${v.trim()}T${end ? '23:59:59' : '00:00:00'}+03:30`);
  if (Number.isNaN(d.getTime())) throw new AppError('VALIDATION_FAILED');
  return d;
}

export const tehranToday = (now: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tehran' }).format(now);

/** Whether someone born on birthDate (YYYY-MM-DD) is 18 or over on `today` (YYYY-MM-DD, Tehran). */
export function isAdult(birthDate: string, today: string): boolean {
  const [y, m, d] = birthDate.split('-').map(Number);
  const adultOn = new Date(Date.UTC(y + ADULT_AGE, m - 1, d)).toISOString().slice(0, 10);
  return today >= adultOn;
}

/** The phases with their dates, computed from the consultation's dates. */
export function phasesFor(created: Date, opens: Date, closes: Date) {
  const day = (d: Date) => tehranToday(d);
  const decisionEnds = new Date(closes.getTime() + 30 * 86_400_000);
  return [
    { phase: 'information' as const, from: day(created < opens ? created : opens), to: day(opens) },
    { phase: 'consultation' as const, from: day(opens), to: day(closes) },
    { phase: 'decision' as const, from: day(closes), to: day(decisionEnds) },
    { phase: 'follow-up' as const, from: day(decisionEnds), to: '' },
  ];
}

export type PollState = 'upcoming' | 'open' | 'closed';
export const pollState = (p: { opens_at: Date; closes_at: Date }, now: Date): PollState =>
  now < p.opens_at ? 'upcoming' : now < p.closes_at ? 'open' : 'closed';

/** Poll options from a textarea: one per line, "Persian | English". */
export function parseOptions(v: unknown): { key: string; label: LocalText }[] {
  const lines = (typeof v === 'string' ? v : '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length < 2 || lines.length > 20) throw new AppError('PARTICIPATION_INVALID');
  return lines.map((l, i) => {
    const [fa, en] = l.split('|').map((x) => x.trim());
    return { key: `o${i + 1}`, label: localText(fa, en, 300) };
  });
}

export function slugFor(en: string): string {
  const base = en
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 50);
  return `${base || 'process'}-${crypto.randomBytes(3).toString('hex')}`;
}
