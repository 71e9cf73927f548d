// Evidence files: only PDF, PNG, JPEG, plain text and CSV, recognised by their content (not by the
// name or the browser's say-so), within the size limit, with a clean file name.
import { AppError } from '../../platform/errors.ts';

export const EVIDENCE_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'text/plain', 'text/csv'] as const;

/** The media type the bytes really are, or null when they are none of the accepted ones. */
export function sniff(buf: Buffer, filename: string): string | null {
  if (buf.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  if (buf.includes(0)) return null;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return null;
  }
  return /\.csv$/i.test(filename) ? 'text/csv' : 'text/plain';
}

export function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- deliberately drops C0 controls and DEL from the file name
    .replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(-120);
  return cleaned || 'evidence';
}

/** Checks an upload; throws EVIDENCE_REJECTED saying what to fix. */
export function checkEvidence(buf: Buffer, filename: string, maxBytes: number): { mediaType: string; filename: string } {
  if (!buf.length) throw new AppError('EVIDENCE_REJECTED', 'The selected file is empty.', { field: 'file' });
  if (buf.length > maxBytes)
    throw new AppError('EVIDENCE_REJECTED', `The file must be smaller than ${Math.floor(maxBytes / 1024 / 1024) || 1} MB.`, {
      field: 'file',
      limit: maxBytes,
    });
  const mediaType = sniff(buf, filename);
  if (!mediaType) throw new AppError('EVIDENCE_REJECTED', 'The file must be a PDF, PNG, JPEG, text or CSV file.', { field: 'file' });
  return { mediaType, filename: cleanFilename(filename) };
}
