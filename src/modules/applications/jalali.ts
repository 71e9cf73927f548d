// Solar Hijri (Jalali) <-> Gregorian dates for the date question on Persian pages. Jalali to
// Gregorian is the usual 33-year arithmetic; the way back is Node's ICU (the same calendar the pages
// print dates with), and a date is real only when both directions agree.

const persianParts = new Intl.DateTimeFormat('en-US-u-ca-persian-nu-latn', {
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  timeZone: 'UTC',
});

export function gregorianToJalali(iso: string): { year: number; month: number; day: number } {
  const parts = persianParts.formatToParts(new Date(`${iso}T00:00:00Z`));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** 'YYYY-MM-DD' (Gregorian) for a Jalali date, or null when that date does not exist (1403/7/31). */
export function jalaliToGregorian(jy: number, jm: number, jd: number): string | null {
  if (
    !Number.isInteger(jy) ||
    !Number.isInteger(jm) ||
    !Number.isInteger(jd) ||
    jy < 1 ||
    jy > 3000 ||
    jm < 1 ||
    jm > 12 ||
    jd < 1 ||
    jd > 31
  )
    return null;
  let y = jy + 1595;
  let days =
    -355668 + 365 * y + Math.floor(y / 33) * 8 + Math.floor(((y % 33) + 3) / 4) + jd + (jm < 7 ? (jm - 1) * 31 : (jm - 7) * 30 + 186);
  let gy = 400 * Math.floor(days / 146097);
  days %= 146097;
  if (days > 36524) {
    gy += 100 * Math.floor(--days / 36524);
    days %= 36524;
    if (days >= 365) days++;
  }
  gy += 4 * Math.floor(days / 1461);
  days %= 1461;
  if (days > 365) {
    gy += Math.floor((days - 1) / 365);
    days = (days - 1) % 365;
  }
  let gd = days + 1;
  const leap = (gy % 4 === 0 && gy % 100 !== 0) || gy % 400 === 0;
  const monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  let gm = 0;
  while (gm < 12 && gd > monthDays[gm]) gd -= monthDays[gm++];
  y = gy;
  // the arithmetic and ICU's calendar can disagree by a day around some far-off leap years: the page
  // prints dates with ICU, so the nearby day ICU calls jy/jm/jd is the answer (none: the date does not exist)
  const t0 = Date.UTC(y, gm, gd);
  for (const offset of [0, -1, 1, -2, 2]) {
    const iso = new Date(t0 + offset * 86400_000).toISOString().slice(0, 10);
    const back = gregorianToJalali(iso);
    if (back.year === jy && back.month === jm && back.day === jd) return iso;
  }
  return null;
}

/** 'YYYY-MM-DD' for a Gregorian date, or null when it does not exist (2023-02-29). */
export function gregorian(y: number, m: number, d: number): string | null {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d) || y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
    return null;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}
