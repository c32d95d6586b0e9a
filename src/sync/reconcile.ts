/**
 * One reconcile pass for a project, resumable: pages through issues updated on each side since the watermark
 * (`POST /rest/api/3/search/jql`), queues a job for every linked one, then for failed links past their cool-down
 * and for links with work pending.
 * Progress is saved after every page; when the invocation runs short of time the pass stops and the next
 * invocation resumes from the saved page. Each invocation handles at least one page, so it always moves on.
 * The watermark moves only when a pass completes. I/O goes through the ports; no Forge imports.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post
 */
import type { FailedEntry, SyncJobEvent, Watermark } from '../store/records';

/** Overlap with the previous pass, in ms, so an edit in the same minute as the watermark is not missed. */
export const OVERLAP_MS = 2 * 60_000;
/** Stop a pass when less than this is left of the invocation, in ms. */
export const SAFETY_MS = 60_000;

/** Saved between invocations. */
export interface ReconcileProgress {
  /** ISO-8601 start of this pass: the next watermark. */
  startedAt: string;
  phase: 'local' | 'partner' | 'failed';
  pageToken?: string;
}

export interface ReconcilePorts {
  projectKey: string;
  /** Project keys per side, for the JQL. */
  projects: { local: string; partner: string };
  /** Settings' save time (ISO-8601): the watermark of a project that never completed a pass. */
  since: string;
  /** One page of issue ids updated on a side since `jqlTime`. */
  searchUpdated(side: 'local' | 'partner', jql: string, pageToken?: string): Promise<{ ids: string[]; next?: string }>;
  /** The local issue id linked to an issue of `side`, or undefined when it is not linked. */
  linkedLocalId(side: 'local' | 'partner', issueId: string): Promise<string | undefined>;
  listFailed(): Promise<FailedEntry[]>;
  /** Local issue ids whose link has work pending (events that arrived while another job held the link). */
  listPending(): Promise<string[]>;
  enqueue(jobs: SyncJobEvent[]): Promise<void>;
  getProgress(): Promise<ReconcileProgress | undefined>;
  setProgress(progress: ReconcileProgress | undefined): Promise<void>;
  getWatermark(): Promise<Watermark | undefined>;
  setWatermark(mark: Watermark): Promise<void>;
  /** ms left in this invocation. */
  timeLeftMs(): number;
  now(): number;
}

/**
 * How old a failure must be before reconcile retries the link, in ms: 5 minutes after the first failed run,
 * doubling with each further one, at most an hour — so a partner that stays down is not hammered.
 */
export function failedCooldownMs(attempts: number): number {
  return Math.min(60 * 60_000, 5 * 60_000 * 2 ** Math.max(0, attempts - 1));
}

/** `project = X AND updated >= "yyyy-MM-dd HH:mm"` (UTC, minus the overlap) ordered oldest first. */
export function updatedSinceJql(projectKey: string, sinceIso: string): string {
  const since = new Date(Date.parse(sinceIso) - OVERLAP_MS).toISOString().slice(0, 16).replace('T', ' ');
  return `project = ${projectKey} AND updated >= "${since}" ORDER BY updated ASC`;
}

/**
 * Runs (or resumes) a pass. @returns jobs queued in this invocation and whether the pass finished
 * @throws whatever the ports throw (the progress saved so far is kept)
 */
export async function reconcilePass(ports: ReconcilePorts): Promise<{ queued: number; finished: boolean }> {
  const progress: ReconcileProgress = (await ports.getProgress()) ?? { startedAt: new Date(ports.now()).toISOString(), phase: 'local' };
  const mark = (await ports.getWatermark()) ?? { local: ports.since, partner: ports.since };
  const job = (localIssueId: string): SyncJobEvent => ({ projectKey: ports.projectKey, localIssueId, trigger: 'reconcile' });
  let queued = 0;
  let pages = 0;

  for (const side of ['local', 'partner'] as const) {
    if (progress.phase !== side) continue;
    do {
      if (pages > 0 && ports.timeLeftMs() < SAFETY_MS) {
        await ports.setProgress(progress);
        return { queued, finished: false };
      }
      const page = await ports.searchUpdated(side, updatedSinceJql(ports.projects[side], mark[side]), progress.pageToken);
      const ids = new Set<string>();
      for (const id of page.ids) {
        const localId = await ports.linkedLocalId(side, id);
        if (localId) ids.add(localId);
      }
      await ports.enqueue([...ids].map(job));
      queued += ids.size;
      pages++;
      progress.pageToken = page.next;
      await ports.setProgress(progress);
    } while (progress.pageToken);
    progress.phase = side === 'local' ? 'partner' : 'failed';
  }

  const now = ports.now();
  const due = (await ports.listFailed()).filter((f) => Date.parse(f.at) + failedCooldownMs(f.attempts) <= now);
  // Work left pending by a job that died holding its link: queued again until a job can take the link.
  const owed = new Set([...due.map((f) => f.localIssueId), ...(await ports.listPending())]);
  await ports.enqueue([...owed].map(job));
  queued += owed.size;
  await ports.setWatermark({ local: progress.startedAt, partner: progress.startedAt });
  await ports.setProgress(undefined);
  return { queued, finished: true };
}
