// Attachments of citizens' requests, "as in applications": the content goes through the applications
// module's file pieces (streamed into the platform's storage with a size limit, the real type sniffed
// from the first bytes: PDF, PNG or JPEG, at most 5 MB, three a form), one row each in
// citizen_request_files. Who may download: the requester, the staff of the request's agency and the
// oversight office; the public only a file the officer attached to a published FOI answer and chose to
// publish. Also each agency's own deadlines and the complaints about one service. No HTTP, no SQL strings.
import type { Readable } from 'node:stream';
import type { Transaction } from 'kysely';
import type { CitizenRequestKind, Database } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { ApplicationsService } from '../applications/applications.service.ts';
import type { StagedFile, UploadField } from '../applications/applications.types.ts';
import type { StaffRow } from '../identity/staff.service.ts';
import { type RequestsFilesRepository, type RequestFileRow, type ServiceComplaints } from './requests.files.repository.ts';
import type { RequestRow } from './requests.repository.ts';
import type { FieldProblem } from './requests.text.ts';
import { KINDS } from './requests.text.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const MAX_FILES = 3;
export const REQUEST_FILE: UploadField = {
  name: 'attachment',
  label: { fa: 'پیوست', en: 'Attachment' },
  accept: ['pdf', 'png', 'jpeg'],
  maxBytes: 5 * 1024 * 1024,
  type: 'file',
};
const REASON: Record<'too-large' | 'wrong-type' | 'empty', FieldProblem> = {
  'too-large': { field: 'attachment', fa: 'هر پیوست حداکثر ۵ مگابایت باشد', en: 'Each attachment must be 5 MB or smaller' },
  'wrong-type': { field: 'attachment', fa: 'پیوست باید PDF، PNG یا JPEG باشد', en: 'An attachment must be a PDF, PNG or JPEG' },
  empty: { field: 'attachment', fa: 'پیوست خالی است', en: 'The attachment is empty' },
};
export const TOO_MANY: FieldProblem = { field: 'attachment', fa: 'حداکثر سه پیوست', en: 'At most three attachments' };

export class RequestFiles {
  readonly repo: RequestsFilesRepository;

  constructor(
    repo: RequestsFilesRepository,
    private readonly applications: ApplicationsService,
    private readonly defaults: Record<CitizenRequestKind, number>,
  ) {
    this.repo = repo;
  }

  /** Streams one part into storage, checked; what is wrong with it otherwise. */
  async stage(content: Readable, fileName: string): Promise<{ ok: true; staged: StagedFile } | { ok: false; problem: FieldProblem }> {
    const r = await this.applications.stageFile(REQUEST_FILE, content, fileName);
    return r.ok ? r : { ok: false, problem: REASON[r.reason] };
  }

  discard(staged: StagedFile[]): Promise<void[]> {
    return Promise.all(staged.map((f) => this.applications.discardStaged(f)));
  }

  /** The rows of staged files, in the caller's transaction (the request's change and its files commit together). */
  async attach(tx: Transaction<Database>, requestId: string, side: 'citizen' | 'agency', by: string, staged: StagedFile[]) {
    const rows: RequestFileRow[] = [];
    for (const f of staged)
      rows.push(
        await this.repo.insertFile(tx, {
          request_id: requestId,
          side,
          uploaded_by: by,
          original_name: f.name,
          content_type: { pdf: 'application/pdf', png: 'image/png', jpeg: 'image/jpeg' }[f.kind],
          size_bytes: f.size,
          sha256: f.sha256,
          storage_key: f.key,
        }),
      );
    return rows;
  }

  files(requestId: string) {
    return this.repo.files(requestId);
  }

  /** A file for someone already allowed to see the request (the citizen's own, the staff's agency's). */
  async open(requestId: string, fileId: string) {
    const row = UUID.test(fileId) ? await this.repo.file(requestId, fileId) : undefined;
    if (!row) throw new AppError('NOT_FOUND');
    return { row, stream: () => this.applications.storage.get(row.storage_key) };
  }

  /** A file of the public register: only one the officer published with a published answer. */
  async openPublic(requestId: string, fileId: string) {
    const row = UUID.test(requestId) && UUID.test(fileId) ? await this.repo.publishedFile(requestId, fileId) : undefined;
    if (!row) throw new AppError('NOT_FOUND');
    return { row, stream: () => this.applications.storage.get(row.storage_key) };
  }

  publishedFiles(requestIds: string[]) {
    return this.repo.publishedFiles(requestIds);
  }

  /** Working days an agency has for a kind: its own setting, else the platform's default. */
  async daysFor(db: Transaction<Database> | RequestsFilesRepository['db'], agencyId: string, kind: CitizenRequestKind): Promise<number> {
    return (await this.repo.deadline(db, agencyId, kind)) ?? this.defaults[kind];
  }

  async deadlines(agencyId: string): Promise<Record<CitizenRequestKind, { days: number; own: boolean }>> {
    const own = new Map((await this.repo.deadlines(agencyId)).map((d) => [d.kind, d.days]));
    return Object.fromEntries(KINDS.map((k) => [k, { days: own.get(k) ?? this.defaults[k], own: own.has(k) }])) as Record<
      CitizenRequestKind,
      { days: number; own: boolean }
    >;
  }

  /** The agency's admin sets its deadlines (empty: back to the default); 1 to the default's working days. */
  async setDeadlines(
    tx: Transaction<Database>,
    staff: StaffRow,
    input: Partial<Record<CitizenRequestKind, unknown>>,
  ): Promise<Record<string, number | null>> {
    if (staff.role !== 'agency-admin' || !staff.agency_id) throw new AppError('FORBIDDEN');
    const problems: FieldProblem[] = [];
    const set: Record<string, number | null> = {};
    for (const k of KINDS) {
      // a form field sent twice arrives as an array: not a number of days (400, never a TypeError)
      const raw = input[k] ?? '';
      const v = typeof raw === 'string' ? raw.trim() : '-';
      if (!v) set[k] = null;
      // at most the platform's default (the law's): an agency may only shorten its deadline
      else if (/^\d{1,3}$/.test(v) && Number(v) >= 1 && Number(v) <= this.defaults[k]) set[k] = Number(v);
      else
        problems.push({
          field: `days-${k}`,
          fa: `عددی از ۱ تا ${this.defaults[k].toLocaleString('fa-IR')} روز کاری بنویسید`,
          en: `Enter a number from 1 to ${this.defaults[k]} working days`,
        });
    }
    if (problems.length) throw new AppError('REQUEST_INVALID', undefined, { problems });
    for (const k of KINDS) await this.repo.setDeadline(tx, staff.agency_id, k, set[k] ?? null);
    return set;
  }

  serviceComplaints(serviceId: string): Promise<ServiceComplaints> {
    return this.repo.serviceComplaints(serviceId);
  }

  /** May this staff member see the request's files? (its agency's staff, the oversight office) */
  static staffMay(staff: StaffRow, r: RequestRow): boolean {
    return staff.role === 'oversight-analyst' || (!!staff.agency_id && r.agency_id === staff.agency_id);
  }
}
