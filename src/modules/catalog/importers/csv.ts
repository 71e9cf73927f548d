// Reads a CSV file into records keyed by header, each with the line it starts on. Quoted fields may
// span lines. A row with the wrong number of fields is returned as a reject, not thrown.
import { parse } from 'csv-parse/sync';
import { unescapeCell } from '../../../platform/csv.ts';
import { AppError } from '../../../platform/errors.ts';
import type { Reject } from '../catalog.schema.ts';

export interface CsvRow {
  line: number;
  get(column: string): string;
}

export function readCsv(content: string, requiredColumns: string[]): { rows: CsvRow[]; rejects: Reject[] } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(content, {
      // with info: true each record comes with where it ended
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      comment: '#',
      comment_no_infix: true,
    }) as unknown as typeof records;
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new AppError('IMPORT_FAILED', `The file is not valid CSV${err.lines ? ` (near line ${err.lines})` : ''}: ${err.message}`);
  }
  if (!records.length) throw new AppError('IMPORT_FAILED', 'The file is empty: it has no header line.');
  const header = records[0].record.map((h) => h.trim());
  const missing = requiredColumns.filter((c) => !header.includes(c));
  if (missing.length) {
    throw new AppError(
      'IMPORT_FAILED',
      `Line ${records[0].info.lines}: the header lacks the column(s) ${missing.join(', ')}. Found: ${header.join(', ')}.`,
    );
  }
  const col = new Map(header.map((h, i) => [h, i]));
  const rows: CsvRow[] = [];
  const rejects: Reject[] = [];
  let prevEnd = records[0].info.lines;
  for (const { record, info } of records.slice(1)) {
    // csv-parse reports the line a record ends on; it starts after the previous one (blank lines aside).
    const line = prevEnd + 1;
    prevEnd = info.lines;
    if (record.length !== header.length) {
      rejects.push({ line, reason: `has ${record.length} fields where the header has ${header.length}` });
      continue;
    }
    rows.push({ line, get: (c) => unescapeCell((record[col.get(c) ?? -1] ?? '').trim()) });
  }
  return { rows, rejects };
}
