// Open data of participation under /open-data/participation/: every process with its texts, anonymised
// comments (no author; a hidden comment without its text, with the reason), proposals with supports and
// status, poll results (only for closed polls), and a dictionary; CSV or JSON.
//   GET /open-data/participation/            the index and dictionary (JSON)
//   GET /open-data/participation/:name.:ext  processes | comments | proposals | polls | budgets, csv | json
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { toSafeCsv } from '../../platform/csv.ts';
import type { ParticipationModule } from './participation.module.ts';
import { pollState } from './participation.rules.ts';

const DICTIONARY = {
  processes: {
    slug: 'Identifier of the process (its page: /fa/participation/{slug})',
    agency: 'Agency id (as in /open-data/agencies.csv)',
    title_fa: 'Title in Persian',
    title_en: 'Title in English',
    phase: 'Current phase: information, consultation, decision, follow-up',
    opens: 'Consultation opens (ISO 8601)',
    closes: 'Consultation closes (ISO 8601)',
    sections: 'Number of sections of the text (the texts are in processes.json)',
    outcome_published: 'When the outcome report ("you said, we did") was published, empty if not yet',
  },
  comments: {
    id: 'Comment id',
    process: 'Process slug',
    section_id: 'Section commented on (empty: the whole text)',
    parent_id: 'The comment replied to (empty: a top-level comment)',
    author_kind: 'citizen or agency (no person is named)',
    body: 'Text (empty when hidden by a moderator)',
    supports: 'Number of people who supported it',
    hidden_reason: 'Why a moderator hid it (empty: shown)',
    date: 'Day posted (UTC)',
  },
  proposals: {
    id: 'Proposal id',
    process: 'Process slug',
    title: 'Title',
    supports: 'Number of people who supported it',
    status: 'open, accepted, in-progress, done, rejected',
    status_reason: "The agency's explanation",
  },
  polls: {
    poll: 'Poll id',
    process: 'Process slug',
    question_en: 'Question in English',
    option: 'Option key',
    option_en: 'Option in English',
    votes: 'Votes for this option (closed polls only)',
    ballots: 'Votes counted in the poll (the sum of the option counters; there is no per-ballot record)',
    voters: 'People recorded as having voted (equals ballots when the count checks)',
  },
  budgets: {
    process: 'Process slug',
    budget_rials: 'The participatory budget in rials',
    voting_closes: 'Voting closes (ISO 8601)',
    project: 'Project id (listed projects only)',
    title: 'Project title',
    cost_rials: 'Project cost in rials',
    by_citizen: 'true: proposed by a citizen; false: listed by the agency',
    votes: 'Ballots that chose it (empty until voting closes)',
    winner: 'Funded: most votes first, each project that fits what is left of the budget (empty until voting closes)',
    voters: 'People who cast a ballot (empty until voting closes)',
  },
};

const send = (reply: FastifyReply, name: string, ext: string, rows: Record<string, unknown>[], extra: Record<string, unknown> = {}) => {
  if (ext === 'csv')
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="participation-${name}.csv"`)
      .header('cache-control', 'public, max-age=60')
      .send(toSafeCsv(rows, { header: true, columns: Object.keys(DICTIONARY[name as keyof typeof DICTIONARY]) }));
  return reply.header('cache-control', 'public, max-age=60').send({ items: rows, ...extra, dictionary: '/open-data/participation/' });
};

export function registerParticipationOpenData(app: FastifyInstance, m: ParticipationModule): void {
  const tags = ['Open data'];
  app.get('/open-data/participation/', { schema: { tags, summary: 'Participation open data: files and dictionary' } }, async () => ({
    files: ['processes', 'comments', 'proposals', 'polls', 'budgets'].flatMap((n) => [
      `/open-data/participation/${n}.csv`,
      `/open-data/participation/${n}.json`,
    ]),
    dictionary: DICTIONARY,
  }));

  app.get<{ Params: { name: string; ext: string } }>(
    '/open-data/participation/:name.:ext',
    {
      schema: {
        tags,
        summary: 'Participation open data (processes, comments, proposals, polls, budgets; CSV or JSON)',
        params: {
          type: 'object',
          properties: { name: { type: 'string', maxLength: 20 }, ext: { type: 'string', maxLength: 5 } },
        },
      },
    },
    async (req, reply) => {
      const { name, ext } = req.params;
      if (ext !== 'csv' && ext !== 'json') throw new AppError('NOT_FOUND');
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
        return send(reply, name, ext, rows);
      }
      if (name === 'comments')
        return send(
          reply,
          name,
          ext,
          (await repo.anonymisedComments(100_000)).map((c) => ({ ...c })),
        );
      if (name === 'proposals')
        return send(
          reply,
          name,
          ext,
          (await repo.allProposals()).map((p) => ({
            id: p.id,
            process: slugOf.get(p.process_id),
            title: p.title,
            supports: p.supports,
            status: p.status,
            status_reason: p.status_reason ?? '',
          })),
        );
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
        return send(reply, name, ext, rows);
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
        return send(reply, name, ext, rows);
      }
      throw new AppError('NOT_FOUND');
    },
  );
}
