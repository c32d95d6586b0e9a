/**
 * Scheduled reconcile (every 5 minutes): finds linked issues updated on either side since the watermark
 * (`POST /rest/api/3/search/jql`, page by page) and failed links past their cool-down, and enqueues a job for
 * each, so a lost event or webhook costs minutes, not data. Progress is saved after every page: an invocation that
 * runs short of time stops and the next one resumes where it stopped. The watermark moves only when a pass ends.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post
 */
import { getAppContext } from '@forge/api';
import * as store from '../store/kvs';
import type { SyncJobEvent } from '../store/records';
import { loadProject, type ProjectContext } from './deps';
import { enqueueSync } from './queue';

/** Overlap with the previous pass, in ms, so an edit in the same minute as the watermark is not missed. */
const OVERLAP_MS = 2 * 60_000;
/**
 * How old a failure must be before reconcile retries the link, in ms: 5 minutes after the first failed run,
 * doubling with each further one, at most an hour — so a partner that stays down is not hammered.
 */
export function failedCooldownMs(attempts: number): number {
  return Math.min(60 * 60_000, 5 * 60_000 * 2 ** Math.max(0, attempts - 1));
}
/** Stop a pass when less than this is left of the invocation, in ms. */
const SAFETY_MS = 60_000;

/** Saved between invocations (`reconcile:<projectKey>`). */
interface Progress {
  /** ISO-8601 start of this pass: the next watermark. */
  startedAt: string;
  phase: 'local' | 'partner' | 'failed';
  pageToken?: string;
}

/** `yyyy-MM-dd HH:mm` (UTC) for JQL date comparisons. */
function jqlTime(iso: string): string {
  return new Date(Date.parse(iso) - OVERLAP_MS).toISOString().slice(0, 16).replace('T', ' ');
}

function timeLeftMs(): number {
  try {
    return getAppContext().invocationRemainingTimeInMillis();
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** Jobs for one page of issues updated on `side`; ids that are not linked are skipped. */
async function pageJobs(project: ProjectContext, side: 'local' | 'partner', since: string, pageToken: string | undefined) {
  const { settings } = project;
  const site = side === 'local' ? project.local : project.partner;
  const projectKey = side === 'local' ? settings.projectKey : settings.partnerProjectKey;
  const page = await site.searchJql(`project = ${projectKey} AND updated >= "${jqlTime(since)}" ORDER BY updated ASC`, ['updated'], pageToken);
  const ids: string[] = [];
  for (const issue of page.issues) {
    const localId = side === 'local' ? ((await store.getLink(issue.id)) ? issue.id : undefined) : await store.findLocalIssueId(settings.partnerUrl, issue.id);
    if (localId) ids.push(localId);
  }
  return { ids, next: page.nextPageToken };
}

/**
 * One pass (or the rest of an interrupted one) for a project.
 * @returns jobs queued and whether the pass finished
 */
export async function reconcileProject(projectKey: string, left: () => number = timeLeftMs): Promise<{ queued: number; finished: boolean }> {
  const project = await loadProject(projectKey);
  const saved = await store.getReconcileProgress<Progress>(projectKey);
  const progress: Progress = saved ?? { startedAt: new Date().toISOString(), phase: 'local' };
  const mark = (await store.getWatermark(projectKey)) ?? { local: project.settings.savedAt, partner: project.settings.savedAt };
  const enqueue = async (ids: Iterable<string>) => {
    const jobs: SyncJobEvent[] = [...new Set(ids)].map((localIssueId) => ({ projectKey, localIssueId, trigger: 'reconcile' }));
    await enqueueSync(jobs);
    return jobs.length;
  };
  let queued = 0;

  for (const side of ['local', 'partner'] as const) {
    if (progress.phase !== side) continue;
    do {
      if (left() < SAFETY_MS) {
        await store.setReconcileProgress(projectKey, progress);
        return { queued, finished: false };
      }
      const { ids, next } = await pageJobs(project, side, mark[side], progress.pageToken);
      queued += await enqueue(ids);
      progress.pageToken = next;
      await store.setReconcileProgress(projectKey, progress);
    } while (progress.pageToken);
    progress.phase = side === 'local' ? 'partner' : 'failed';
  }

  const now = Date.now();
  const failed = (await store.listFailed(projectKey)).filter((f) => Date.parse(f.at) + failedCooldownMs(f.attempts) <= now);
  queued += await enqueue(failed.map((f) => f.localIssueId));
  await store.setWatermark(projectKey, { local: progress.startedAt, partner: progress.startedAt });
  await store.setReconcileProgress(projectKey, undefined);
  return { queued, finished: true };
}

/** Handler of the `reconcile` scheduled trigger. A project that fails is reported and the others still run. */
export async function handler(): Promise<{ statusCode: number }> {
  for (const projectKey of await store.listConfiguredProjects()) {
    try {
      await reconcileProject(projectKey);
    } catch (err) {
      const message = `Reconcile could not check ${projectKey}: ${err instanceof Error ? err.message : String(err)} It will try again at the next run.`;
      await store.appendLog(projectKey, { trigger: 'reconcile', direction: 'none', localIssueKey: null, partnerIssueKey: null, fields: [], outcome: 'failed', message });
    }
  }
  return { statusCode: 200 };
}
