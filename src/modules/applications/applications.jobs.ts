// Periodic work for applications, on every node (safe to run on many at once):
// - the document sweeper: an approval whose result document was requested but never issued (the process
//   died between the approval's commit and the issue, or issuing failed) gets it issued, exactly once;
// - the draft clean-up: drafts nobody touched for DRAFT_RETENTION_DAYS are deleted with their files.
// Runs once when the server starts and then every APPLICATION_JOBS_INTERVAL_SECONDS.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { FileStorage } from '../../platform/storage.ts';
import type { ApplicationsService } from './applications.service.ts';
import { Poller } from '../../platform/poller.ts';
import { ApplicationsRepository } from './applications.repository.ts';

export interface ApplicationJobsOptions {
  intervalSeconds: number;
  /** A request younger than this is left to the node that approved it. */
  documentGraceSeconds: number;
  draftRetentionDays: number;
}

export class ApplicationJobs {
  readonly #poller: Poller;
  readonly #repo: ApplicationsRepository;

  constructor(
    db: Kysely<Database>,
    private readonly applications: ApplicationsService,
    private readonly storage: FileStorage,
    private readonly issueRequested: (applicationId: string, requestId: number, wait?: boolean) => Promise<string>,
    private readonly o: ApplicationJobsOptions,
    private readonly log: (msg: string, detail?: Record<string, unknown>) => void = () => {},
  ) {
    this.#repo = new ApplicationsRepository(db);
    this.#poller = new Poller('application jobs', () => this.runOnce(), o.intervalSeconds * 1000, log, 0);
  }

  start(): void {
    this.#poller.start();
  }

  /** Stops polling and waits for a pass under way to finish. */
  stop(): Promise<void> {
    return this.#poller.stop();
  }

  async runOnce(): Promise<{ documents: number; drafts: number; files: number }> {
    const documents = await this.sweepDocuments();
    const { drafts, files } = await this.purgeDrafts();
    return { documents, drafts, files };
  }

  /** Issues the documents of stuck approvals; returns how many this node issued. */
  async sweepDocuments(): Promise<number> {
    let issued = 0;
    for (const r of await this.applications.backoffice.pendingDocumentRequests(this.o.documentGraceSeconds)) {
      try {
        // wait = false: an application another node is issuing right now is skipped (SKIP LOCKED)
        if ((await this.issueRequested(r.applicationId, r.requestId, false)) === 'issued') issued++;
      } catch (e) {
        this.log('document sweeper could not issue', { application: r.applicationId, err: (e as Error).message });
      }
    }
    return issued;
  }

  /** Deletes abandoned drafts (and then their stored files); returns the counts. */
  async purgeDrafts(batch = 200): Promise<{ drafts: number; files: number }> {
    let drafts = 0;
    let files = 0;
    for (;;) {
      const purged = await this.#repo.purgeDrafts(this.o.draftRetentionDays, batch);
      if (!purged) break;
      drafts += purged.drafts;
      const keys = purged.keys;
      // after the commit: a file is removed only once no row points at it
      for (const k of keys) {
        await this.storage.delete(k).catch((e) => this.log('could not delete a stored file', { err: (e as Error).message }));
        files++;
      }
    }
    if (drafts) this.log('abandoned drafts deleted', { drafts, files });
    return { drafts, files };
  }
}
