// The person acted for (the principal of a power of attorney) sees what was made in their name: the
// applications an attorney made for them, on their own account ("made for you by X as your attorney"),
// and can object to one, with a reason. The objection is one row (one per person and application), an
// entry on the application's timeline that the agency's operator reads, and an audit entry, in one
// transaction. Only the person the confirmed check names may object (anyone else: not found).
import type { LocalText } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuditLog } from '../../platform/audit.ts';
import type { ApplicationsService, CitizenRef } from '../applications/applications.service.ts';
import type { ApplicationRow } from '../applications/applications.repository.ts';
import type { RepresentationRepository, RepresentationRow } from './representation.repository.ts';

export const OBJECTION_MAX = 2000;

export interface MadeForMe {
  application: ApplicationRow;
  record: RepresentationRow;
  service: LocalText;
  objected: boolean;
}

export class PrincipalView {
  constructor(
    private readonly repo: RepresentationRepository,
    private readonly applications: ApplicationsService,
    private readonly audit: AuditLog,
  ) {}

  /** Applications made for this citizen by an attorney (newest first), with whether they objected. */
  async madeFor(citizen: CitizenRef): Promise<MadeForMe[]> {
    const rows = await this.repo.madeFor(citizen.national_id);
    const seen = new Set<string>();
    const out: MadeForMe[] = [];
    for (const record of rows) {
      if (seen.has(record.application_id)) continue;
      seen.add(record.application_id);
      const application = await this.applications.repo.byId(record.application_id);
      if (!application || application.status === 'draft') continue;
      const service = await this.repo.serviceOf(application.service_id);
      out.push({ application, record, service: service?.name ?? { fa: '', en: '' }, objected: false });
    }
    const objected = await this.repo.objectedBy(
      citizen.id,
      out.map((m) => m.application.id),
    );
    return out.map((m) => ({ ...m, objected: objected.has(m.application.id) }));
  }

  /** One of them (refused as not found when it was not made for this citizen). */
  async one(citizen: CitizenRef, applicationId: string): Promise<MadeForMe> {
    const found = /^[0-9a-f-]{36}$/.test(applicationId)
      ? (await this.madeFor(citizen)).find((m) => m.application.id === applicationId)
      : undefined;
    if (!found) throw new AppError('APPLICATION_NOT_FOUND');
    return found;
  }

  /** The principal objects: the reason is required; a second objection is refused. */
  async object(
    citizen: CitizenRef,
    applicationId: string,
    reason: string,
  ): Promise<{ ok: true } | { ok: false; problem: LocalText; made: MadeForMe }> {
    const made = await this.one(citizen, applicationId);
    if (made.objected) throw new AppError('REPRESENTATION_ALREADY_OBJECTED');
    const text = reason.replace(/\s+/g, ' ').trim();
    if (!text) return { ok: false, made, problem: { fa: 'بنویسید چرا اعتراض دارید', en: 'Enter why you object' } };
    if (text.length > OBJECTION_MAX)
      return {
        ok: false,
        made,
        problem: {
          fa: `دلیل اعتراض باید ${OBJECTION_MAX.toLocaleString('fa-IR')} نویسه یا کمتر باشد`,
          en: `The reason must be ${OBJECTION_MAX.toLocaleString('en')} characters or fewer`,
        },
      };
    const emit = await this.repo.transaction(async (tx) => {
      const row = await this.repo.insertObjection(tx, {
        application_id: made.application.id,
        citizen_id: citizen.id,
        national_id: citizen.national_id,
        reason: text,
      });
      if (!row) return null;
      const after = await this.applications.backoffice.recordEventIn(tx, made.application.id, 'acting-for.objected', {
        objection: row.id,
        detail: {
          fa: `دارنده کد ملی ${citizen.national_id}، که درخواست به نام او ثبت شده، اعتراض کرد: «${text}»`,
          en: `The holder of national ID ${citizen.national_id}, in whose name this application was made, objected: “${text}”`,
        },
      });
      await this.audit.record(
        {
          actor: `citizen:${citizen.id}`,
          action: 'representation.objected',
          subject: `application:${made.application.id}`,
          detail: { objection: row.id, applicantNationalId: made.record.applicant_national_id, agency: made.application.agency_id },
        },
        tx,
      );
      return after;
    });
    if (!emit) throw new AppError('REPRESENTATION_ALREADY_OBJECTED');
    emit();
    return { ok: true };
  }
}
