// The rows of participation's open data files (participation.opendata.ts serves them): anonymised, poll
// results only for closed polls, budget results only once voting has closed. null: no such file.
import type { ParticipationModule } from './participation.module.ts';
import { pollState } from './participation.rules.ts';

export async function participationOpenDataRows(
  m: ParticipationModule,
  name: string,
  ext: 'csv' | 'json',
): Promise<Record<string, unknown>[] | null> {
  const repo = m.service.repo;
  const processes = await repo.allProcesses();
  const slugOf = new Map(processes.map((p) => [p.id, p.slug]));
  if (name === 'processes') {
    const rows = await Promise.all(
      processes.map(async (p) => ({
        slug: p.slug,
        agency: p.agency_id,
        title_fa: p.title.fa ?? '',
        title_en: p.title.en ?? '',
        phase: p.phase,
        opens: p.opens_at.toISOString(),
        closes: p.closes_at.toISOString(),
        sections: (await repo.sections(p.id)).length,
        outcome_published: p.outcome_published_at?.toISOString() ?? '',
        ...(ext === 'json' ? { texts: await repo.sections(p.id), summary: p.summary, outcome: p.outcome } : {}),
      })),
    );
    return rows;
  }
  if (name === 'comments') return (await repo.anonymisedComments(100_000)).map((c) => ({ ...c }));
  if (name === 'proposals')
    return (await repo.allProposals()).map((p) => ({
      id: p.id,
      process: slugOf.get(p.process_id),
      title: p.title,
      supports: p.supports,
      status: p.status,
      status_reason: p.status_reason ?? '',
    }));
  if (name === 'polls') {
    const rows: Record<string, unknown>[] = [];
    for (const poll of await repo.allPolls()) {
      if (pollState(poll, new Date()) !== 'closed') continue; // results stay hidden until the poll closes
      const t = await repo.tally(poll.id);
      for (const o of poll.options)
        rows.push({
          poll: poll.id,
          process: slugOf.get(poll.process_id),
          question_en: poll.question.en ?? '',
          option: o.key,
          option_en: o.label.en ?? '',
          votes: t.counts[o.key] ?? 0,
          ballots: t.ballots,
          voters: t.voters,
        });
    }
    return rows;
  }
  if (name === 'budgets') {
    const rows: Record<string, unknown>[] = [];
    for (const b of await m.budget.repo.allBudgets()) {
      const v = await m.budget.view(b.process_id);
      if (!v) continue;
      for (const p of v.projects)
        rows.push({
          process: slugOf.get(b.process_id),
          budget_rials: v.amount,
          voting_closes: b.closes_at.toISOString(),
          project: p.id,
          title: p.title,
          cost_rials: p.cost,
          by_citizen: p.byCitizen,
          votes: p.votes ?? '',
          winner: v.state === 'closed' ? p.winner : '',
          voters: v.voters ?? '',
        });
    }
    return rows;
  }
  return null;
}
