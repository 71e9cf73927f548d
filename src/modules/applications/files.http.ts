// Sending a stored file over HTTP (the citizen's, the back office's and the agency API's downloads).
import type { FastifyReply } from 'fastify';
import { AppError } from '../../platform/errors.ts';

/** Sends a stored file as a download, whatever its name says (type from the sniffed content). */
export function sendFile(
  reply: FastifyReply,
  f: { row: { original_name: string; content_type: string; size_bytes: number }; stream: () => NodeJS.ReadableStream },
) {
  if (!f) throw new AppError('NOT_FOUND');
  const ascii = f.row.original_name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .header('content-type', f.row.content_type)
    .header('content-length', String(f.row.size_bytes))
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(f.row.original_name)}`)
    .header('cache-control', 'private, no-store')
    .header('x-content-type-options', 'nosniff')
    .send(f.stream());
}
