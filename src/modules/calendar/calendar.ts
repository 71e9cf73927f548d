// Working days in Iran, for the deadlines the platform promises (a decision is due N working days after
// submission). A day is not a working day when, in Tehran, it is a Thursday or a Friday, one of the fixed
// Solar Hijri holidays below, or a day the government announced (lunar holidays move against the solar
// calendar each year, and offices are sometimes closed at short notice): those live in public_holidays and
// are managed by platform administrators at /{lang}/staff/calendar. No HTTP here.
import type { Kysely } from 'kysely';
import type { Database, LocalText } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { gregorianToJalali, jalaliToGregorian } from '../applications/jalali.ts';
import type { InTx } from '../../platform/audit.ts';
import { calendarRepo } from './calendar.repository.ts';

/** The official holidays fixed in the Solar Hijri calendar (month, day). */
export const FIXED_HOLIDAYS: { month: number; day: number; name: LocalText }[] = [
  { month: 1, day: 1, name: { fa: 'عید نوروز', en: 'Nowruz' } },
  { month: 1, day: 2, name: { fa: 'عید نوروز', en: 'Nowruz' } },
  { month: 1, day: 3, name: { fa: 'عید نوروز', en: 'Nowruz' } },
  { month: 1, day: 4, name: { fa: 'عید نوروز', en: 'Nowruz' } },
  { month: 1, day: 12, name: { fa: 'روز جمهوری اسلامی', en: 'Islamic Republic Day' } },
  { month: 1, day: 13, name: { fa: 'روز طبیعت', en: 'Nature Day (Sizdah Be-dar)' } },
  { month: 3, day: 14, name: { fa: 'رحلت امام خمینی', en: 'Death of Imam Khomeini' } },
  { month: 3, day: 15, name: { fa: 'قیام ۱۵ خرداد', en: '15 Khordad uprising' } },
  { month: 11, day: 22, name: { fa: 'پیروزی انقلاب اسلامی', en: 'Victory of the Islamic Revolution' } },
  { month: 12, day: 29, name: { fa: 'ملی شدن صنعت نفت', en: 'Nationalisation of the oil industry' } },
];

const DAY = 86_400_000;
const tehranDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tehran', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The date (YYYY-MM-DD, Gregorian) it is in Tehran at a moment. */
export const tehranDay = (at: Date): string => tehranDate.format(at);

export type DayKind = { working: true } | { working: false; why: 'weekend' | 'fixed' | 'announced'; name?: LocalText };

/** What kind of day a Tehran date is, given the announced holidays. */
export function dayKind(iso: string, announced: ReadonlyMap<string, LocalText>): DayKind {
  const weekday = new Date(`${iso}T12:00:00Z`).getUTCDay(); // 4 Thursday, 5 Friday
  if (weekday === 4 || weekday === 5) return { working: false, why: 'weekend' };
  const j = gregorianToJalali(iso);
  const fixed = FIXED_HOLIDAYS.find((h) => h.month === j.month && h.day === j.day);
  if (fixed) return { working: false, why: 'fixed', name: fixed.name };
  const a = announced.get(iso);
  if (a) return { working: false, why: 'announced', name: a };
  return { working: true };
}

/**
 * The moment `days` working days after `from` (at least one), counted in Tehran from the next day, at the
 * same time of day. Iran has kept one offset all year since 2022, so whole days are 24 hours.
 */
export function addWorkingDays(from: Date, days: number, announced: ReadonlyMap<string, LocalText> = new Map()): Date {
  let left = Math.max(1, Math.floor(days));
  let t = from.getTime();
  for (let guard = 0; left > 0 && guard < 5000; guard++) {
    t += DAY;
    if (dayKind(tehranDay(new Date(t)), announced).working) left--;
  }
  return new Date(t);
}

export interface AnnouncedHoliday {
  day: string;
  name: LocalText;
  addedBy: string | null;
}

/** The announced holidays, kept in memory (re-read every minute, and at once after this node's own changes). */
export class WorkingCalendar {
  #cache: { at: number; days: Promise<Map<string, LocalText>> } | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly ttlMs = 60_000,
  ) {}

  announced(): Promise<Map<string, LocalText>> {
    if (!this.#cache || Date.now() - this.#cache.at > this.ttlMs) {
      const days = calendarRepo.all(this.db).then((rows) => new Map(rows.map((r) => [r.day, { fa: r.name_fa, en: r.name_en }])));
      this.#cache = { at: Date.now(), days };
      days.catch(() => (this.#cache = null));
    }
    return this.#cache.days;
  }

  async addWorkingDays(from: Date, days: number): Promise<Date> {
    return addWorkingDays(from, days, await this.announced());
  }

  /** Every non-working day of a Solar Hijri year other than weekends: fixed and announced, in date order. */
  async holidaysOf(jalaliYear: number): Promise<{ day: string; name: LocalText; why: 'fixed' | 'announced' }[]> {
    const first = jalaliToGregorian(jalaliYear, 1, 1);
    const next = jalaliToGregorian(jalaliYear + 1, 1, 1);
    if (!first || !next) return [];
    const fixed = FIXED_HOLIDAYS.map((h) => ({
      day: jalaliToGregorian(jalaliYear, h.month, h.day),
      name: h.name,
      why: 'fixed' as const,
    })).filter((h): h is { day: string; name: LocalText; why: 'fixed' } => h.day !== null);
    const rows = await calendarRepo.between(this.db, first, next);
    const announced = rows.map((r) => ({ day: r.day, name: { fa: r.name_fa, en: r.name_en }, why: 'announced' as const }));
    return [...fixed, ...announced].sort((a, b) => a.day.localeCompare(b.day) || a.why.localeCompare(b.why));
  }

  /**
   * Announces a holiday. A weekend or fixed holiday needs no announcement; a day announced twice is refused.
   * `then` runs in the same transaction (the audit entry).
   */
  async announce(day: string, name: LocalText, staffId: string, then?: InTx<string>): Promise<void> {
    const kind = dayKind(day, new Map());
    if (!kind.working)
      throw new AppError('HOLIDAY_NOT_NEEDED', `${day} is already not a working day (${kind.why}).`, { field: 'day', why: kind.why });
    await this.db.transaction().execute(async (tx) => {
      const inserted = await calendarRepo.insert(tx, { day, name_fa: name.fa ?? '', name_en: name.en ?? '', added_by: staffId });
      if (!inserted) throw new AppError('HOLIDAY_EXISTS', `${day} is already announced as a holiday.`, { field: 'day' });
      await then?.(tx, day);
    });
    this.#cache = null;
  }

  async withdraw(day: string, then?: InTx<string>): Promise<boolean> {
    const deleted = await this.db.transaction().execute(async (tx) => {
      const deleted = await calendarRepo.delete(tx, day);
      if (deleted) await then?.(tx, day);
      return deleted;
    });
    this.#cache = null;
    return deleted;
  }
}
