// The agency API's request and response schemas (JSON Schema for Fastify and the OpenAPI document).
import type { ApplicationStatus } from '../../db/schema.ts';

export const STATUSES: ApplicationStatus[] = ['submitted', 'in-review', 'info-requested', 'resubmitted', 'approved', 'rejected'];
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MAX_TEXT = 2000;

export const problem = { $ref: 'Problem#' };
export const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 429: problem };
export const idParams = {
  type: 'object',
  properties: { id: { type: 'string', description: 'The application id (UUID)' } },
  required: ['id'],
};

export const summarySchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    reference: { type: 'string' },
    serviceId: { type: 'string', format: 'uuid' },
    status: { type: 'string', enum: STATUSES },
    formVersion: { type: 'integer' },
    lang: { type: 'string', enum: ['fa', 'en'] },
    assignedTo: { type: 'string', nullable: true, description: 'Staff id of the officer, or null' },
    submittedAt: { type: 'string', format: 'date-time' },
    dueAt: { type: 'string', format: 'date-time', nullable: true },
    decidedAt: { type: 'string', format: 'date-time', nullable: true },
    decisionReason: { type: 'string', nullable: true },
    updatedAt: { type: 'string', format: 'date-time' },
    overdue: { type: 'boolean' },
  },
};
export const fileSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    field: { type: 'string' },
    name: { type: 'string' },
    contentType: { type: 'string' },
    size: { type: 'integer' },
    sha256: { type: 'string' },
    uploadedBy: { type: 'string' },
    uploadedAt: { type: 'string', format: 'date-time' },
    downloadUrl: { type: 'string' },
  },
};
export const eventSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    type: { type: 'string' },
    from: { type: 'string', nullable: true },
    to: { type: 'string', nullable: true },
    actor: { type: 'string' },
    at: { type: 'string', format: 'date-time' },
    data: { type: 'object', additionalProperties: true },
  },
};
export const messageSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    sender: { type: 'string', enum: ['agency', 'citizen', 'platform'] },
    kind: { type: 'string' },
    subject: { type: 'object', additionalProperties: { type: 'string' } },
    body: { type: 'object', additionalProperties: { type: 'string' } },
    fileIds: { type: 'array', items: { type: 'string' } },
    inReplyTo: { type: 'string', nullable: true },
    sentAt: { type: 'string', format: 'date-time' },
    readAt: { type: 'string', format: 'date-time', nullable: true, description: 'When the citizen first opened it' },
  },
};
export const detailSchema = {
  type: 'object',
  properties: {
    ...summarySchema.properties,
    applicant: { type: 'object', properties: { nationalId: { type: 'string' } } },
    answers: {
      type: 'object',
      additionalProperties: true,
      description: 'The answers of the pages that apply, by field name; a file answer is {fileId, name, size, type, sha256}',
    },
    files: { type: 'array', items: fileSchema },
    timeline: { type: 'array', items: eventSchema },
    messages: { type: 'array', items: messageSchema },
    documents: {
      type: 'array',
      items: {
        type: 'object',
        properties: { code: { type: 'string' }, verifyUrl: { type: 'string' }, issuedAt: { type: 'string', format: 'date-time' } },
      },
    },
  },
};
export const textBody = (name: string, description: string, required: boolean) => ({
  type: 'object',
  properties: { [name]: { type: 'string', maxLength: MAX_TEXT * 2, description } },
  ...(required ? { required: [name] } : {}),
});
