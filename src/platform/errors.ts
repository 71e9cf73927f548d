// One registry of error codes. Every error a client can see has a stable code, an HTTP status and
// a message in both languages. Unknown errors are hidden behind INTERNAL with the request id.

import { errorRegistry } from './error-codes.ts';

export { errorRegistry };

export type ErrorCode = keyof typeof errorRegistry;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? errorRegistry[code].en);
    this.name = 'AppError';
    this.code = code;
    this.status = errorRegistry[code].status;
    this.details = details;
  }
}

export function messageFor(code: ErrorCode, lang: 'fa' | 'en'): string {
  return errorRegistry[code][lang];
}

/** The JSON problem body every API error uses. */
export interface ProblemBody {
  code: ErrorCode;
  message: string;
  requestId: string;
  details?: Record<string, unknown>;
}

/** Multipart errors of @fastify/multipart and busboy: limits are 413, a malformed body is 400. */
export function fromMultipartError(err: { code?: string; message?: string }): AppError | undefined {
  switch (err.code) {
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new AppError('PAYLOAD_TOO_LARGE');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
    case 'FST_PROTO_VIOLATION':
      return new AppError('MULTIPART_MALFORMED');
  }
  // busboy's own errors carry no code, only these messages
  if (
    /^(Unexpected end of (form|file|multipart data)|Malformed (part header|urlencoded form)|Multipart: Boundary not found|Unsupported content type|Missing Content-Type)/i.test(
      String(err.message ?? ''),
    )
  )
    return new AppError('MULTIPART_MALFORMED');
  return undefined;
}

/**
 * A backstop for values the database refuses (a bad uuid, date, number or text that slipped past
 * validation): 400, never a 500. SQLSTATE classes 22 (data exception) and 54000 (too complex / too long).
 */
export function fromDatabaseError(err: { code?: string }): AppError | undefined {
  switch (err.code) {
    case '22021': // character_not_in_repertoire (a NUL byte, invalid UTF-8)
    case '22P05': // untranslatable_character (\u0000 or a lone surrogate in jsonb)
      return new AppError('INVALID_TEXT');
    case '22P02': // invalid_text_representation (bad uuid, integer, ...)
    case '22007': // invalid_datetime_format
    case '22008': // datetime_field_overflow
    case '22001': // string_data_right_truncation
    case '54000': // program_limit_exceeded (e.g. an index row too large)
      return new AppError('VALIDATION_FAILED', 'A value in the request is not valid.');
    case '22003': // numeric_value_out_of_range
      return new AppError('VALUE_OUT_OF_RANGE');
  }
  return undefined;
}

/** Maps Fastify's own error codes (bad JSON, too large, wrong content type, ...) to ours. */
export function fromFastifyError(err: { code?: string; statusCode?: number; message: string; validation?: unknown }): AppError | undefined {
  if (err.validation) return new AppError('VALIDATION_FAILED', err.message, { validation: err.validation });
  const known = fromMultipartError(err) ?? fromDatabaseError(err);
  if (known) return known;
  switch (err.code) {
    case 'FST_CSRF_INVALID_TOKEN':
    case 'FST_CSRF_MISSING_SECRET':
      return new AppError('CSRF_FAILED');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('VALIDATION_FAILED', err.message);
  }
  if (err.statusCode === 429) return new AppError('RATE_LIMITED');
  if (err.statusCode === 413) return new AppError('PAYLOAD_TOO_LARGE');
  if (err.statusCode === 406 || err.statusCode === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE');
  if (err.statusCode === 400) return new AppError('VALIDATION_FAILED', err.message);
  return undefined;
}
