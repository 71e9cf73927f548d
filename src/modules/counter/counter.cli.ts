// `panjereh counter add-operator --email <e> --office <code>`: a counter operator's account (role
// counter-operator, no agency) attached to one office; returns the one-time setup link's token.
import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { AuditLog } from '../../platform/audit.ts';
import { StaffService } from '../identity/staff.service.ts';
import { CounterRepository } from './counter.repository.ts';

export async function addCounterOperator(db: Kysely<Database>, cfg: Config, email: string, officeCode: string): Promise<string> {
  const repo = new CounterRepository(db);
  const office = await repo.officeByCode(officeCode.trim());
  if (!office) throw new AppError('NOT_FOUND', `There is no counter office with the code ${officeCode}.`);
  const audit = new AuditLog(db);
  const { staff, token } = await new StaffService(db, cfg, audit).invite(email, 'counter-operator', null, 'cli');
  await repo.transaction(async (tx) => {
    await repo.attachOperator(tx, staff.id, office.id);
    await audit.record({ actor: 'cli', action: 'counter.operator-attached', subject: staff.id, detail: { office: office.code } }, tx);
  });
  return token;
}
