// Where to go after signing in (or extending a session): only a path on this site in either language, or
// back to a single sign-on interaction; anything else (another host, //, a long or odd value) goes to the account page.
import type { Lang } from '../../platform/i18n.ts';

/** Only a path on this site, in one of its languages: never another host (open redirect). */
export function safeNext(next: unknown, lang: Lang): string {
  const fallback = `/${lang}/account`;
  if (typeof next !== 'string' || next.length > 500) return fallback;
  if (/^\/oidc\/interaction\/[A-Za-z0-9_-]{1,100}$/.test(next)) return next; // back to single sign-on
  return /^\/(fa|en)(\/[A-Za-z0-9\-._~%/]*)?(\?[A-Za-z0-9\-._~%&=+]*)?$/.test(next) && !next.includes('//') ? next : fallback;
}
