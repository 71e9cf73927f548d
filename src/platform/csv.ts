// Every CSV the product writes goes through here, so a cell cannot become a spreadsheet formula
// (CSV or formula injection). As OWASP recommends and spreadsheet-safe exporters do: a text cell that
// starts with = + - @, a tab or a carriage return gets a leading apostrophe (') so spreadsheets show it
// as text. Numbers stay numbers (-3 is written as -3). Readers of our own files (the catalogue and
// indicator importers) take the apostrophe off again with unescapeCell, so a file round-trips.
import { stringify, type Options } from 'csv-stringify/sync';

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell made safe for spreadsheets: a leading ' before = + - @ tab CR. */
export function safeCell(v: string): string {
  return FORMULA_START.test(v) ? `'${v}` : v;
}

/** The text a safeCell-escaped cell stood for. */
export function unescapeCell(v: string): string {
  return v.startsWith("'") && FORMULA_START.test(v.slice(1)) ? v.slice(1) : v;
}

/** csv-stringify with every text cell escaped by safeCell. */
export function toSafeCsv(input: unknown[], options: Options = {}): string {
  return stringify(input, { ...options, cast: { ...options.cast, string: (v: string) => safeCell(v) } });
}
