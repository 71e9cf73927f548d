// Identity assurance levels (issue 14), after eIDAS: what a citizen's sign-in proves about who they are.
//   low          the mobile number in their name (the SMS code at sign-in)
//   substantial  plus their particulars checked against the civil registry (step-up, this module)
//   high         in person: an assisted session at a counter office, with the citizen's SMS code
// A service declares the level it needs (services.assurance); a session carries the level it reached
// (sessions.assurance, the server's record only: never a form field or a cookie).
import type { Lang } from '../../platform/i18n.ts';

export const ASSURANCE_LEVELS = ['low', 'substantial', 'high'] as const;
export type Assurance = (typeof ASSURANCE_LEVELS)[number];

export const isAssurance = (v: unknown): v is Assurance => typeof v === 'string' && (ASSURANCE_LEVELS as readonly string[]).includes(v);

/** Whether a sign-in at `reached` is enough for a service that needs `needed`. */
export const meets = (reached: Assurance, needed: Assurance): boolean =>
  ASSURANCE_LEVELS.indexOf(reached) >= ASSURANCE_LEVELS.indexOf(needed);

/** The name of a level, and what it takes, in the page's language. */
export const ASSURANCE_TEXT: Record<Assurance, Record<Lang, { name: string; means: string }>> = {
  low: {
    fa: { name: 'پایه', means: 'ورود با کد ملی، شماره همراهِ به نام خودتان و کد پیامکی' },
    en: { name: 'low', means: 'sign-in with your national ID, a mobile number in your name and a text-message code' },
  },
  substantial: {
    fa: { name: 'متوسط', means: 'ورود با کد پیامکی و تطبیق مشخصات شما با سازمان ثبت احوال' },
    en: { name: 'substantial', means: 'sign-in with a text-message code plus a check of your particulars with the civil registry' },
  },
  high: {
    fa: { name: 'بالا', means: 'احراز هویت حضوری در یکی از دفاتر پیشخوان دولت' },
    en: { name: 'high', means: 'identity checked in person at a government counter office' },
  },
};
