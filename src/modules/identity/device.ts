// A session's device in words, from its User-Agent: the browser family and the system family
// ("Chrome on Android", "Safari on iPhone"), never the raw string with its version numbers.
import type { Lang } from '../../platform/i18n.ts';

const BROWSERS: [RegExp, string][] = [
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/Chrome\/|CriOS\/|Chromium\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];
const SYSTEMS: [RegExp, { fa: string; en: string }][] = [
  [/Android/, { fa: 'اندروید', en: 'Android' }],
  [/iPhone|iPod/, { fa: 'آیفون', en: 'iPhone' }],
  [/iPad/, { fa: 'آیپد', en: 'iPad' }],
  [/Windows/, { fa: 'ویندوز', en: 'Windows' }],
  [/Mac OS X|Macintosh/, { fa: 'مک', en: 'Mac' }],
  [/Linux|X11/, { fa: 'لینوکس', en: 'Linux' }],
];

export function deviceName(lang: Lang, ua: string | null): string {
  if (!ua) return lang === 'fa' ? 'دستگاه ناشناخته' : 'Unknown device';
  const browser = BROWSERS.find(([re]) => re.test(ua))?.[1];
  const system = SYSTEMS.find(([re]) => re.test(ua))?.[1][lang];
  if (!browser && !system) return lang === 'fa' ? 'دستگاه ناشناخته' : 'Unknown device';
  if (!system) return browser ?? '';
  if (!browser) return system;
  return lang === 'fa' ? `${browser} روی ${system}` : `${browser} on ${system}`;
}
