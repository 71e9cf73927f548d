// Search queries for the catalogue benchmark: hand-written ones and generated ones.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

export const SEARCHES = [
  'q=%DA%AF%D8%B0%D8%B1%D9%86%D8%A7%D9%85%D9%87', // گذرنامه
  'q=%D9%83%D8%A7%D8%B1%D8%AA%20%D9%85%D9%84%D9%8A', // كارت ملي (Arabic letters)
  'q=%D9%85%D8%A7%D9%84%DB%8C%D8%A7%D8%AA&category=tax-finance', // مالیات + facet
  'q=%D8%AF%D8%B1%D8%AE%D9%88%D8%A7%D8%B3%D8%AA%20%D9%87%D8%A7', // درخواست ها (space instead of ZWNJ)
  'q=%D8%B4%D9%86%D8%A7%D8%B3', // شناس (prefix while typing)
  'lang=en&q=pasport', // typo
  'lang=en&q=business%20licence&audience=businesses',
  'lang=en&q=fishing%20permit',
  'lang=en&q=tax&maturity=3&maturity=4',
  'lang=en&q=complaint',
  'lang=en&channel=online&page=3', // browse with a facet, page 3
  'lang=en&q=student%20loan&pageSize=50',
];

/** Several hundred distinct, realistic queries from the catalogue's own words: whole words, prefixes
 * typed halfway, typos, and facets, in Persian and English. */
export function diverseQueries(n: number): string[] {
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const demo = JSON.parse(fs.readFileSync(path.join(root, 'datasets/demo/catalog.json'), 'utf8')) as {
    services: { name: { fa: string; en: string } }[];
  };
  const kenya = fs
    .readFileSync(path.join(root, 'datasets/catalogues/kenya-ecitizen-services-2026-02.csv'), 'utf8')
    .split('\n')
    .slice(1, 2000)
    .map((l) => l.split(',')[1] ?? '');
  const words = (s: string) => s.split(/[\s()،,.\-/]+/).filter((w) => w.length >= 4);
  const pool = [...demo.services.flatMap((x) => [x.name.fa, x.name.en]), ...kenya].map(words).filter((w) => w.length);
  const facets = [
    '',
    '',
    '',
    '&audience=citizens',
    '&maturity=3',
    '&channel=online',
    '&category=health',
    '&audience=businesses&maturity=4',
  ];
  const out = new Set<string>();
  while (out.size < n) {
    const ws = pool[Math.floor(rand() * pool.length)];
    let q = ws.slice(0, 1 + Math.floor(rand() * Math.min(2, ws.length))).join(' ');
    const r = rand();
    if (r < 0.2)
      q = q.slice(0, Math.max(3, Math.ceil(q.length / 2))); // typed halfway
    else if (r < 0.35 && q.length > 5) q = q.slice(0, 2) + q[3] + q[2] + q.slice(4); // two letters swapped
    const lang = /[a-z]/i.test(q) ? 'en' : 'fa';
    out.add(`lang=${lang}&q=${encodeURIComponent(q.toLowerCase())}${facets[Math.floor(rand() * facets.length)]}`);
  }
  return [...out];
}
