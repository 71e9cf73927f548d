// Where an agency's fees go: one treasury account (IBAN / شبا) for the agency, and optionally one per
// service. The agency's finance officer or administrator sets them; the IBAN's check digits are verified
// (ISO 7064 mod 97), the holder's name is cleaned like every stored human text, and the change is
// audited (the IBAN before and after) in the same transaction.
import type { AuditLog } from '../../platform/audit.ts';
import { tr, type Lang } from '../../platform/i18n.ts';
import { cleanText } from '../../platform/persian.ts';
import { parseIban } from './bills.ts';
import type { PaymentsRepository } from './payments.repository.ts';

export interface TreasuryInput {
  serviceId: string;
  iban: string;
  holderFa: string;
  holderEn: string;
}
export type TreasuryProblem = {
  field: 'serviceId' | 'iban' | 'holderFa' | 'holderEn';
  problem: 'unknown-service' | 'iban-format' | 'iban-check-digits' | 'required' | 'too-long';
};

export function treasuryProblemText(p: TreasuryProblem, lang: Lang): string {
  switch (p.problem) {
    case 'unknown-service':
      return tr(lang, 'خدمت را از فهرست انتخاب کنید', 'Choose a service from the list');
    case 'iban-format':
      return tr(
        lang,
        'شماره شبا را به شکل IR و ۲۴ رقم وارد کنید، مانند IR06 0170 0000 0012 3456 7890 01',
        'Enter the IBAN as IR and 24 digits, like IR06 0170 0000 0012 3456 7890 01',
      );
    case 'iban-check-digits':
      return tr(
        lang,
        'رقم‌های کنترل این شماره شبا درست نیست؛ آن را دوباره از صورت‌حساب بانک بخوانید',
        "This IBAN's check digits are wrong; read it again from the bank's statement",
      );
    case 'required':
      return p.field === 'holderFa'
        ? tr(lang, 'نام صاحب حساب را به فارسی وارد کنید', "Enter the account holder's name in Persian")
        : tr(lang, 'نام صاحب حساب را به انگلیسی وارد کنید', "Enter the account holder's name in English");
    case 'too-long':
      return tr(lang, 'نام صاحب حساب باید کمتر از ۲۰۰ نویسه باشد', "The holder's name must be under 200 characters");
  }
}

export class TreasuryAccounts {
  constructor(
    private readonly repo: PaymentsRepository,
    private readonly audit: AuditLog,
  ) {}

  list(agencyId: string) {
    return this.repo.treasuries(agencyId);
  }

  /** Sets the agency's account (serviceId '') or one service's; `services` are the agency's own service ids. */
  async set(
    staff: { id: string; agency_id: string },
    input: TreasuryInput,
    services: ReadonlySet<string>,
  ): Promise<{ ok: true } | { ok: false; problems: TreasuryProblem[] }> {
    const problems: TreasuryProblem[] = [];
    const serviceId = input.serviceId.trim() || null;
    if (serviceId && !services.has(serviceId)) problems.push({ field: 'serviceId', problem: 'unknown-service' });
    const raw = input.iban.replace(/[\s-]/g, '');
    const iban = parseIban(raw);
    if (!iban) problems.push({ field: 'iban', problem: /^(IR)?[\d۰-۹٠-٩]{24}$/i.test(raw) ? 'iban-check-digits' : 'iban-format' });
    const holder = { fa: cleanText(input.holderFa).trim(), en: cleanText(input.holderEn).trim() };
    for (const [field, v] of [
      ['holderFa', holder.fa],
      ['holderEn', holder.en],
    ] as const) {
      if (!v) problems.push({ field, problem: 'required' });
      else if (v.length > 200) problems.push({ field, problem: 'too-long' });
    }
    if (problems.length || !iban) return { ok: false, problems };
    await this.repo.transaction(async (tx) => {
      const before = await this.repo.upsertTreasury(tx, {
        agency_id: staff.agency_id,
        service_id: serviceId,
        iban,
        holder: JSON.stringify(holder),
        created_by: `staff:${staff.id}`,
      });
      await this.audit.record(
        {
          actor: `staff:${staff.id}`,
          action: 'payment.treasury-set',
          subject: serviceId ? `${staff.agency_id}/${serviceId}` : staff.agency_id,
          detail: { agencyId: staff.agency_id, serviceId, before, after: iban },
        },
        tx,
      );
    });
    return { ok: true };
  }
}
