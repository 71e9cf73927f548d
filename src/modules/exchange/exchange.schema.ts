// X-Road identifiers, endpoint patterns and where a data subject's national ID sits in a request.
// Pure functions; no I/O.
import type { SubjectLocation } from '../../db/schema.ts';
import { AppError, messageFor, type ErrorCode } from '../../platform/errors.ts';
import { checkNationalId } from '../../platform/persian.ts';

/** One identifier part (instance, member class, member code, subsystem or service code). */
export const CODE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const METASERVICES = ['listMethods', 'allowedMethods', 'getOpenAPI'] as const;
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/** A message in both languages: the admin pages show the page's language; the CLI and logs the English. */
export interface Text {
  fa: string;
  en: string;
}
export const t = (fa: string, en: string): Text => ({ fa, en });

/** An AppError whose message is English and whose details carry the Persian (see localMessage). */
export function exchangeError(code: ErrorCode, texts: Text | Text[]): AppError {
  const list = [texts].flat();
  return new AppError(code, list.map((x) => x.en).join(' '), { fa: list.map((x) => x.fa).join(' ') });
}

/** An error's message in the page's language (the Persian an exchangeError carries, else the registry's). */
export function localMessage(e: AppError, lang: 'fa' | 'en'): string {
  if (lang === 'en') return e.message;
  return typeof e.details?.fa === 'string' ? e.details.fa : messageFor(e.code, 'fa');
}

const LABELS_FA: Record<string, string> = {
  'member class': 'رده عضو',
  'member code': 'کد عضو',
  'subsystem code': 'کد زیرسامانه',
  'service code': 'کد خدمت',
  'group code': 'کد گروه',
};

export function codeProblem(label: string, v: string): Text | null {
  const fa = LABELS_FA[label] ?? label;
  if (!v) return t(`${fa} را بنویسید.`, `Enter the ${label}.`);
  if (!CODE_RE.test(v))
    return t(
      `${fa} «${v.slice(0, 70)}» فقط می‌تواند حروف لاتین A تا Z، رقم، نقطه، خط تیره و زیرخط داشته باشد (۱ تا ۶۴ نویسه، با حرف یا رقم آغاز شود).`,
      `The ${label} "${v.slice(0, 70)}" may use only letters A-Z, digits, dot, dash and underscore (1-64 characters, starting with a letter or digit).`,
    );
  return null;
}

export const memberId = (cls: string, code: string) => `${cls}/${code}`;
export const subsystemId = (cls: string, code: string, sub: string) => `${cls}/${code}/${sub}`;
export const serviceId = (sub: string, service: string) => `${sub}/${service}`;

/** "INSTANCE/CLASS/MEMBER/SUBSYSTEM" (X-Road-Client header, percent-encoded parts) -> parts, or null. */
export function parseClientHeader(raw: string): { instance: string; subsystemId: string } | null {
  const parts = raw.trim().split('/');
  if (parts.length !== 4) return null;
  let decoded: string[];
  try {
    decoded = parts.map((p) => decodeURIComponent(p));
  } catch {
    return null;
  }
  if (!decoded.every((p) => CODE_RE.test(p))) return null;
  return { instance: decoded[0], subsystemId: decoded.slice(1).join('/') };
}

/** "CLASS/MEMBER/SUBSYSTEM" or with the service code appended; validated. */
export function splitId(id: string, parts: 2 | 3 | 4): string[] | null {
  const p = id.split('/');
  return p.length === parts && p.every((x) => CODE_RE.test(x)) ? p : null;
}

/** An endpoint pattern: method or '*', and a path where '*' is one segment and '**' any number. */
export function pathPatternProblem(path: string): Text | null {
  if (!path.startsWith('/')) return t('مسیر باید با «/» آغاز شود.', 'The path must start with "/".');
  if (path.length > 300) return t('مسیر بیش از حد طولانی است (حداکثر ۳۰۰ نویسه).', 'The path is too long (at most 300 characters).');
  if (/[?#\s]/.test(path)) return t('مسیر نمی‌تواند «?»، «#» یا فاصله داشته باشد.', 'The path may not contain "?", "#" or spaces.');
  if (path.split('/').some((s) => s === '.' || s === '..'))
    return t('مسیر نمی‌تواند بخش «.» یا «..» داشته باشد.', 'The path may not contain "." or ".." segments.');
  return null;
}

export function matchPath(pattern: string, path: string): boolean {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  const go = (i: number, j: number): boolean => {
    if (i === p.length) return j === s.length;
    if (p[i] === '**') return go(i + 1, j) || (j < s.length && go(i, j + 1));
    if (j === s.length) return false;
    return (p[i] === '*' || p[i] === s[j]) && go(i + 1, j + 1);
  };
  return go(0, 0);
}

export const matchMethod = (pattern: string, method: string) => pattern === '*' || pattern.toUpperCase() === method.toUpperCase();

/** Parses a subject declaration written as "path:2", "query:nationalId" or "json:person.nationalId". */
export function parseSubjectLocation(raw: string | undefined | null): SubjectLocation | null | { problem: Text } {
  const v = (raw ?? '').trim();
  if (!v || v === 'none') return null;
  const m = /^(path|query|json):(.+)$/.exec(v);
  if (!m)
    return {
      problem: t(
        'محل کد ملی را به شکل path:<شماره بخش>، query:<پارامتر> یا json:<فیلد> بنویسید، یا خالی بگذارید.',
        'Write where the national ID is as path:<segment number>, query:<parameter> or json:<field>, or leave it empty.',
      ),
    };
  if (m[1] === 'path') {
    if (!/^\d{1,2}$/.test(m[2]))
      return {
        problem: t(
          'برای path شماره بخش پس از کد خدمت را از ۱ بشمارید (path:2 برای /persons/{id}).',
          'For path, give the segment number after the service code, counting from 1 (path:2 for /persons/{id}).',
        ),
      };
    return { in: 'path', index: Number(m[2]) };
  }
  if (!/^[A-Za-z_][A-Za-z0-9_.-]{0,99}$/.test(m[2]))
    return { problem: t(`«${m[2].slice(0, 40)}» نام پارامتر یا فیلد نیست.`, `"${m[2].slice(0, 40)}" is not a parameter or field name.`) };
  return m[1] === 'query' ? { in: 'query', name: m[2] } : { in: 'json', field: m[2] };
}

export const formatSubjectLocation = (l: SubjectLocation | null) =>
  !l ? '' : l.in === 'path' ? `path:${l.index}` : l.in === 'query' ? `query:${l.name}` : `json:${l.field}`;

/** The national ID a request carries where the service declared it, when it is a valid one. */
export function extractSubject(loc: SubjectLocation | null, path: string, query: URLSearchParams, jsonBody: () => unknown): string | null {
  if (!loc) return null;
  let raw: unknown;
  if (loc.in === 'path') raw = path.split('/').filter(Boolean)[loc.index - 1];
  else if (loc.in === 'query') raw = query.get(loc.name);
  else {
    raw = jsonBody();
    for (const k of loc.field.split('.')) raw = raw && typeof raw === 'object' ? (raw as Record<string, unknown>)[k] : undefined;
  }
  if (typeof raw !== 'string' && typeof raw !== 'number') return null;
  let text = String(raw);
  try {
    text = decodeURIComponent(text);
  } catch {
    /* keep as is */
  }
  const r = checkNationalId(text);
  return r.ok ? r.value : null;
}

/** Endpoints (method + path with '*' for each template parameter) from an OpenAPI 3 JSON description. */
export function endpointsOf(openapi: string | null): { method: string; path: string }[] {
  if (!openapi) return [];
  try {
    const doc = JSON.parse(openapi) as { paths?: Record<string, Record<string, unknown>> };
    const out: { method: string; path: string }[] = [];
    for (const [p, ops] of Object.entries(doc.paths ?? {})) {
      for (const m of Object.keys(ops)) {
        if ((HTTP_METHODS as readonly string[]).includes(m.toUpperCase()))
          out.push({ method: m.toUpperCase(), path: p.replace(/\{[^}]+\}/g, '*') });
      }
    }
    return out;
  } catch {
    return [];
  }
}

export function openApiProblem(text: string): Text | null {
  if (!text.trim()) return null;
  try {
    const doc = JSON.parse(text) as { openapi?: unknown; paths?: unknown };
    if (typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.'))
      return t(
        'توصیف OpenAPI باید OpenAPI 3 به JSON با فیلد "openapi": "3.x" باشد.',
        'The OpenAPI description must be OpenAPI 3 in JSON with an "openapi": "3.x" field.',
      );
    if (!doc.paths || typeof doc.paths !== 'object')
      return t('توصیف OpenAPI فیلد "paths" ندارد.', 'The OpenAPI description has no "paths".');
    return null;
  } catch {
    return t(
      'توصیف OpenAPI یک JSON معتبر نیست (YAML خوانده نمی‌شود؛ آن را به JSON تبدیل کنید).',
      'The OpenAPI description is not valid JSON (YAML is not read; convert it to JSON).',
    );
  }
}

export function upstreamProblem(url: string): Text | null {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      return t('نشانی سامانه ارائه‌دهنده باید با http:// یا https:// آغاز شود.', 'The upstream URL must start with http:// or https://.');
    if (u.search || u.hash)
      return t('نشانی سامانه ارائه‌دهنده نمی‌تواند پرسش (?) یا قطعه (#) داشته باشد.', 'The upstream URL may not have a query or fragment.');
    return null;
  } catch {
    return t(
      'نشانی سامانه ارائه‌دهنده را بنویسید، برای نمونه https://registry.example.ir/api.',
      'Enter the upstream URL, for example https://registry.example.ir/api.',
    );
  }
}
