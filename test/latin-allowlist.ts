// What a Persian page may show in Latin letters (test/latin-words.test.ts). Codes, IDs, web addresses
// and emails belong inside the Ltr component (<bdi dir="ltr">), which the test leaves out; text in
// another language is marked with its lang (lang="en"), which the test leaves out too.

/** Brand names, file formats and standards people know by their Latin names. */
export const ALLOWED_WORDS = new Set(['PDF', 'CSV', 'JSON', 'API', 'PNG', 'JPG', 'JPEG', 'SMS', 'CC', 'BY', 'WCAG', 'AA', 'QR']);

const EMAIL_OR_HOST = /^[\w.+-]+@[\w.-]+$|^[\w-]+(\.[\w-]+)+$/;

/**
 * Pages owned by other parts of the work (issue 17 §8) that still show Latin words on their Persian
 * page: the words each may show for now (a string is one word, a RegExp a kind of word), by path. Each
 * is a TODO for that page's owner: wrap codes in Ltr or move the text to the page's typed catalogue,
 * then delete its entry here. The test fails on any other Latin word, on these pages too.
 */
export const KNOWN_PAGES: { path: RegExp; words: (string | RegExp)[]; todo: string }[] = [
  {
    path: /^\/fa\/(agencies|services)\//,
    words: [EMAIL_OR_HOST],
    todo: 'catalog (AgencyPages.tsx, ServicePage.tsx): the agency email, website and online-service host outside Ltr',
  },
  {
    path: /^\/fa\/monitoring(\?|$)/,
    words: ['SDG'],
    todo: 'monitoring overview: "SDG" in Persian text; write it in Persian or wrap it in Ltr',
  },
  {
    path: /^\/fa\/monitoring\/(indicator-sets|rounds)\//,
    words: [/^[A-Z]{2}-\d+$/, 'SDG', 'Illustrative', 'demo', 'answer', 'not', 'a', 'real', 'assessment'],
    todo: 'monitoring indicator set and subject pages: indicator codes (AV-1 ...) outside Ltr; the demo note "Illustrative demo answer, not a real assessment" is English on the Persian page',
  },
  {
    path: /^\/fa\/monitoring\/open-data/,
    words: [/^[\w./-]+$/],
    todo: 'monitoring open data: file names, column names and values (answers.csv, total, no-data, YYYY-MM ...) outside <code>/Ltr',
  },
  {
    path: /^\/fa\/un-egov/,
    words: ['EGDI', 'OSI', 'HCI', 'TII', 'EPI', 'UN', 'DESA', /^[A-Z]{3}$/],
    todo: 'benchmark (UN e-government survey) pages: index abbreviations and country ISO codes outside Ltr',
  },
];

export const allowedOn = (path: string, word: string): boolean =>
  ALLOWED_WORDS.has(word) ||
  KNOWN_PAGES.some((k) => k.path.test(path) && k.words.some((w) => (typeof w === 'string' ? w === word : w.test(word))));
