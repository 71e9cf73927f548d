// Which importer reads which format.
import { AppError } from '../../../platform/errors.ts';
import type { ImportBatch } from '../catalog.service.ts';
import { parseCanada } from './canada.ts';
import { parseKenya } from './kenya.ts';
import { parsePanjerehCsv, parsePanjerehJson } from './panjereh.ts';

export const IMPORT_FORMATS = {
  'panjereh-csv': parsePanjerehCsv,
  'panjereh-json': parsePanjerehJson,
  'kenya-ecitizen': parseKenya,
  'canada-gc': parseCanada,
} as const;

export type ImportFormat = keyof typeof IMPORT_FORMATS;

export function parseCatalogFile(format: string, content: string): ImportBatch {
  const parse = IMPORT_FORMATS[format as ImportFormat];
  if (!parse) throw new AppError('IMPORT_FAILED', `Unknown format "${format}". Use one of: ${Object.keys(IMPORT_FORMATS).join(', ')}.`);
  return parse(content);
}
