/**
 * One reconcile pass for a project, resumable: pages through issues updated on each side since the watermark
 * (`POST /rest/api/3/search/jql`), queues a job for every linked one, then for failed links past their cool-down
 * and for links with work pending.
 * Progress is saved after every page; when the invocation runs short of time the pass stops and the next
 * invocation resumes from the saved page. Each invocation handles at least one page, so it always moves on.
 * One pass per connection: its watermark and progress are its own.
 * The watermark moves only when a pass completes. I/O goes through the ports; no Forge imports.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post
 */
import type { SyncJobEvent } from '../store/records';
import type { ConnectionPorts } from './ports';
import { failedCooldownMs } from './retry';

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

/** The local issue id linked through this connection to an issue of `side`, or undefined. */
async function linkedLocalId(ports: ConnectionPorts, side: 'local' | 'partner', issueId: string): Promise<string | undefined> {
  if (side === 'partner') return ports.links.findByPartner(issueId);
  const link = await ports.links.get(issueId);
  return link?.connectionId === ports.connection.id ? issueId : undefined;
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
export async function reconcilePass(ports: ConnectionPorts): Promise<{ queued: number; finished: boolean }> {
  const c = ports.connection;
  const state = ports.reconcile;
  const now = () => ports.clock.now().getTime();
  const progress: ReconcileProgress = (await state.getProgress<ReconcileProgress>()) ?? { startedAt: new Date(now()).toISOString(), phase: 'local' };
  // A connection that never completed a pass looks back to when it was saved.
  const mark = (await state.getWatermark()) ?? { local: c.savedAt, partner: c.savedAt };
  const projects = { local: c.projectKey, partner: c.partnerProjectKey };
  const job = (localIssueId: string): SyncJobEvent => ({ projectKey: c.projectKey, connectionId: c.id, localIssueId, trigger: 'reconcile' });
  let queued = 0;
  let pages = 0;

  for (const side of ['local', 'partner'] as const) {
    if (progress.phase !== side) continue;
    do {
      if (pages > 0 && ports.clock.timeLeftMs() < SAFETY_MS) {
        await state.setProgress(progress);
        return { queued, finished: false };
      }
      const site = side === 'local' ? ports.local : ports.partner;
      const page = await site.searchJql(updatedSinceJql(projects[side], mark[side]), ['updated'], progress.pageToken);
      const ids = new Set<string>();
      for (const issue of page.issues) {
        const localId = await linkedLocalId(ports, side, issue.id);
        if (localId) ids.add(localId);
      }
      await ports.enqueue([...ids].map(job));
      queued += ids.size;
      pages++;
      progress.pageToken = page.nextPageToken;
      await state.setProgress(progress);
    } while (progress.pageToken);
    progress.phase = side === 'local' ? 'partner' : 'failed';
  }

  const due = (await ports.links.listFailed()).filter((f) => Date.parse(f.at) + failedCooldownMs(f.attempts) <= now());
  // Work left pending by a job that died holding its link: queued again until a job can take the link.
  const pending: string[] = [];
  for (const id of await ports.claims.listPending()) if (await linkedLocalId(ports, 'local', id)) pending.push(id);
  const owed = new Set([...due.map((f) => f.localIssueId), ...pending]);
  await ports.enqueue([...owed].map(job));
  queued += owed.size;
  await state.setWatermark({ local: progress.startedAt, partner: progress.startedAt });
  await state.setProgress(undefined);
  return { queued, finished: true };
}
