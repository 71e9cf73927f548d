// Open data of participation under /open-data/participation/: every process with its texts, anonymised
// comments (no author; a hidden comment without its text, with the reason), proposals with supports and
// status, poll results (only for closed polls), and a dictionary; CSV or JSON.
//   GET /open-data/participation/            the index and dictionary (JSON)
//   GET /open-data/participation/:name.:ext  processes | comments | proposals | polls | budgets, csv | json
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { toSafeCsv } from '../../platform/csv.ts';
import type { ParticipationModule } from './participation.module.ts';
import { participationOpenDataRows } from './participation.opendata.rows.ts';

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
      const rows = await participationOpenDataRows(m, name, ext);
      if (!rows) throw new AppError('NOT_FOUND');
      return send(reply, name, ext, rows);
    },
  );
}
