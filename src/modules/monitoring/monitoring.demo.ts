// The demo's published round: every demo agency scored on the national maturity model. Automatic
// indicators are computed from the demo catalogue as of today (real figures of the demo data); the one
// assessor indicator gets an answer marked as illustrative. Idempotent.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { AuditLog } from '../../platform/audit.ts';
import { CatalogService } from '../catalog/catalog.service.ts';
import { activeAccountsByAgency } from '../identity/staff.service.ts';
import { SsoRepository } from '../sso/sso.repository.ts';
import { MetricRegistry, platformSources } from './monitoring.metrics.ts';
import { MonitoringService } from './monitoring.service.ts';
import { rollUp } from './monitoring.schema.ts';

export const DEMO_ROUND = 'demo-1404-h1';

export async function seedMonitoringDemo(db: Kysely<Database>): Promise<{ created: boolean; subjects: number }> {
  const catalog = new CatalogService(db);
  const metrics = new MetricRegistry();
  const sso = new SsoRepository(db, 'unused: client secrets are not read here');
  for (const s of platformSources({ catalog, activeAccounts: (at) => activeAccountsByAgency(db, at), ssoClients: () => sso.clients() }))
    metrics.register(s);
  const svc = new MonitoringService(db, catalog, new AuditLog(db), metrics);
  const repo = svc.repo;
  if (await repo.round(DEMO_ROUND)) return { created: false, subjects: 0 };
  const set = await svc.set('national-maturity');
  const agencies = await catalog.agencies();
  const cutoff = new Date().toISOString().slice(0, 10);
  const round = await repo.transaction(async (tx) => {
    const r = await repo.insertRound(tx, {
      slug: DEMO_ROUND,
      title: JSON.stringify({ fa: 'ارزیابی نمایشی ۱۴۰۴، نیمه نخست', en: 'Demo round: 1404, first half' }),
      set_id: set.id,
      cutoff,
      status: 'open',
      created_by: 'seed:demo',
    });
    await repo.insertSubjects(
      tx,
      agencies.map((a) => ({
        round_id: r.id,
        subject: a.id,
        agency_id: a.id,
        name: JSON.stringify(a.name),
        url: a.website,
        status: 'approved' as const,
      })),
    );
    return r;
  });
  await svc.fillAutomatic(round.id, 'system');
  await repo.upsertAnswers(
    db,
    agencies.map((a, i) => ({
      round_id: round.id,
      subject: a.id,
      code: 'TR-2',
      value: a.connected && i % 3 !== 0 ? 1 : 0,
      state: 'answered' as const,
      origin: 'assessor' as const,
      note: 'Illustrative demo answer, not a real assessment. / پاسخ نمایشی است، نه ارزیابی واقعی.',
      link: a.website,
      detail: JSON.stringify({ demo: true }),
      answered_by: 'seed:demo',
    })),
  );
  const answers = await repo.answersBySubject(round.id);
  await repo.transaction(async (tx) => {
    await repo.storeScores(
      tx,
      round.id,
      agencies.map((a) => ({ subject: a.id, scores: rollUp(set, answers.get(a.id) ?? new Map()) })),
    );
    await repo.updateRound(tx, round.id, { status: 'published', published_at: new Date(), published_by: 'seed:demo' });
  });
  return { created: true, subjects: agencies.length };
}
