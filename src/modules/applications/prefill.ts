// Prefill from registries through the exchange (the once-only principle), only after the citizen says
// yes on the page. A yes calls the registry's exchange service as Panjereh's own subsystem with the
// purpose in X-Road-Issue (so the request shows on the citizen's data-use page), fills the fields and
// records the decision; a no records the decision and calls nothing. An unreachable registry is
// recorded too, and the citizen types the values: nothing they entered is lost.
import { purposeHeader } from '../../platform/purpose.ts';
import type { LocalText } from '../../db/schema.ts';
import type { ExchangeService } from '../exchange/exchange.service.ts';
import type { ApplicationsService } from './applications.service.ts';
import type { CitizenRef } from './applications.types.ts';
import type { ApplicationRow } from './applications.repository.ts';
import { latestDecisions, valueHash, type PrefillRow } from './prefill.counts.ts';
import {
  isRegistryPrefill,
  registryFields,
  REGISTRY_SOURCES,
  type FormDefinition,
  type FormField,
  type FormPage,
  type RegistrySource,
} from './forms.ts';

export type PrefillOutcome = 'filled' | 'not-found' | 'unavailable';

/** How long the citizen waits for a registry before typing the values instead. */
export const PREFILL_TIMEOUT_MS = 8000;

interface Person {
  firstName?: LocalText;
  lastName?: LocalText;
  fatherName?: LocalText;
  birthPlace?: LocalText;
  birthDate?: string;
  gender?: string;
}

const local = (t: LocalText | undefined, lang: 'fa' | 'en') => (t ? (t[lang] ?? t.fa ?? t.en ?? '').trim() : '');

/** The answer a registry record gives for one field (in the application's language), if any. */
export function registryValue(source: RegistrySource, field: string, record: unknown, lang: 'fa' | 'en'): string | undefined {
  if (source !== 'civil-registry' || typeof record !== 'object' || record === null) return undefined;
  const p = record as Person;
  let v: string;
  switch (field) {
    case 'fullName':
      v = [local(p.firstName, lang), local(p.lastName, lang)].filter(Boolean).join(' ');
      break;
    case 'firstName':
    case 'lastName':
    case 'fatherName':
    case 'birthPlace':
      v = local(p[field], lang);
      break;
    case 'birthDate':
      v = typeof p.birthDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(p.birthDate) ? p.birthDate : '';
      break;
    case 'gender':
      v = p.gender === 'female' || p.gender === 'male' ? p.gender : '';
      break;
    default:
      v = '';
  }
  return v ? v.slice(0, 200) : undefined;
}

/** The purpose sent as X-Road-Issue and shown to the citizen on the data-use page (ASCII: it is a header). */
export const purposeOf = (serviceSlug: string, applicationId: string) =>
  purposeHeader({ code: 'prefill', form: serviceSlug, application: applicationId });

export class PrefillService {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly exchange: ExchangeService,
  ) {}

  /** The citizen's latest decision per registry for this application. */
  async decisions(app: ApplicationRow): Promise<Map<string, PrefillRow>> {
    return latestDecisions(await this.applications.repo.prefills(app.id));
  }

  /** The registry this page draws on that the citizen has not yet been asked about (null: none). */
  async pending(app: ApplicationRow, page: FormPage): Promise<RegistrySource | null> {
    const sources = [...new Set(page.fields.flatMap((f) => (isRegistryPrefill(f.prefill) ? [f.prefill.from] : [])))];
    if (!sources.length) return null;
    const made = await this.decisions(app);
    return sources.find((s) => !made.has(s)) ?? null;
  }

  /** Records the citizen's answer; on yes, fetches through the exchange and fills the fields. */
  async decide(
    app: ApplicationRow,
    citizen: CitizenRef,
    def: FormDefinition,
    source: RegistrySource,
    yes: boolean,
    serviceSlug: string,
  ): Promise<{ outcome: PrefillOutcome | null; filled: number }> {
    const fields = registryFields(def).get(source) ?? [];
    const spec = REGISTRY_SOURCES[source];
    const purpose = purposeOf(serviceSlug, app.id);
    const base = {
      application_id: app.id,
      citizen_id: citizen.id,
      source,
      exchange_service: spec.service,
      purpose,
      fields_offered: fields.length,
    };
    // a second "yes" seconds after one that filled the form (double click, back button) calls nothing again
    const last = (await this.decisions(app)).get(source);
    if (yes && last?.decision === 'accepted' && last.outcome === 'filled' && Date.now() - new Date(last.created_at).getTime() < 10_000)
      return { outcome: 'filled', filled: Object.keys(last.filled).length };
    if (!yes) {
      await this.applications.repo.insertPrefill({ ...base, decision: 'declined', outcome: null, filled: {}, exchange_request_id: null });
      return { outcome: null, filled: 0 };
    }
    let outcome: PrefillOutcome = 'unavailable';
    let requestId: string | null = null;
    const values: Record<string, string> = {};
    try {
      let timer: NodeJS.Timeout | undefined;
      const r = await Promise.race([
        this.exchange.call({
          service: spec.service,
          path: `/persons/${encodeURIComponent(citizen.national_id)}`,
          issue: purpose,
          userId: `citizen:${citizen.id}`,
        }),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('registry timed out')), PREFILL_TIMEOUT_MS))),
      ]).finally(() => clearTimeout(timer));
      requestId = typeof r.headers['x-road-request-id'] === 'string' ? r.headers['x-road-request-id'] : null;
      if (r.status === 200 && !r.xRoadError) {
        outcome = 'filled';
        for (const f of fields) {
          const v = registryValue(source, (f.prefill as { field: string }).field, r.body, app.lang);
          if (v !== undefined && fitsField(f, v)) values[f.name] = v;
        }
      } else if (r.status === 404 && !r.xRoadError) outcome = 'not-found';
    } catch {
      outcome = 'unavailable'; // the exchange is off, the registry is down or slow: the citizen types the values
    }
    if (Object.keys(values).length) await this.applications.saveAnswers(app, values);
    await this.applications.repo.insertPrefill({
      ...base,
      decision: 'accepted',
      outcome,
      filled: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, valueHash(v)])),
      exchange_request_id: requestId,
    });
    return { outcome, filled: Object.keys(values).length };
  }
}

/** Only a value the field could hold is filled in (a select or radio must have it as an option). */
function fitsField(f: FormField, v: string): boolean {
  if (f.type === 'radio' || f.type === 'select') return !!f.options?.some((o) => o.value === v);
  if (f.type === 'text') return v.length <= (f.maxLength ?? 200);
  return true;
}
