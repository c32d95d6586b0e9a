/**
 * Scheduled reconcile: finds linked issues updated on either side since the last watermark
 * (`POST /rest/api/3/search/jql`, paged) and failed links, and enqueues a job for each, so a lost event or webhook
 * costs minutes, not data.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post
 */
import { kvs, WhereConditions } from '@forge/kvs';
import type { JiraSite } from '../jira/site';
import * as store from '../store/kvs';
import type { SyncJobEvent } from '../store/records';
import { loadProject } from './deps';
import { enqueueSync } from './queue';

/** Overlap with the previous run, in ms, so an edit in the same minute as the watermark is not missed. */
const OVERLAP_MS = 2 * 60_000;

/** `yyyy-MM-dd HH:mm` (UTC) for JQL date comparisons. */
function jqlTime(iso: string): string {
  return new Date(Date.parse(iso) - OVERLAP_MS).toISOString().slice(0, 16).replace('T', ' ');
}

async function updatedIds(site: JiraSite, projectKey: string, since: string): Promise<string[]> {
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const page = await site.searchJql(`project = ${projectKey} AND updated >= "${jqlTime(since)}" ORDER BY updated ASC`, ['updated'], token);
    ids.push(...page.issues.map((i) => i.id));
    token = page.nextPageToken;
  } while (token);
  return ids;
}

async function configuredProjects(): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    let q = kvs.query().where('key', WhereConditions.beginsWith('settings:')).limit(20);
    if (cursor) q = q.cursor(cursor);
    const page = await q.getMany();
    keys.push(...page.results.map((r) => r.key.slice('settings:'.length)));
    cursor = page.nextCursor;
  } while (cursor);
  return keys;
}

async function reconcileProject(projectKey: string): Promise<number> {
  const project = await loadProject(projectKey);
  const startedAt = new Date().toISOString();
  const mark = (await store.getWatermark(projectKey)) ?? { local: project.settings.savedAt, partner: project.settings.savedAt };
  const wanted = new Set<string>();
  for (const id of await updatedIds(project.local, projectKey, mark.local)) {
    if (await store.getLink(id)) wanted.add(id);
  }
  for (const partnerId of await updatedIds(project.partner, project.settings.partnerProjectKey, mark.partner)) {
    const localId = await store.findLocalIssueId(project.settings.partnerUrl, partnerId);
    if (localId) wanted.add(localId);
  }
  for (const link of await store.listLinks(projectKey)) if (link.state === 'failed') wanted.add(link.localIssueId);
  const jobs: SyncJobEvent[] = [...wanted].map((localIssueId) => ({ projectKey, localIssueId, trigger: 'reconcile' }));
  await enqueueSync(jobs);
  await store.setWatermark(projectKey, { local: startedAt, partner: startedAt });
  return jobs.length;
}

/** Handler of the `reconcile` scheduled trigger. A project that fails is reported and the others still run. */
export async function handler(): Promise<{ statusCode: number }> {
  for (const projectKey of await configuredProjects()) {
    try {
      await reconcileProject(projectKey);
    } catch (err) {
      const message = `Reconcile could not check ${projectKey}: ${err instanceof Error ? err.message : String(err)} It will try again at the next run.`;
      await store.appendLog(projectKey, { trigger: 'reconcile', direction: 'none', localIssueKey: null, partnerIssueKey: null, fields: [], outcome: 'failed', message });
    }
  }
  return { statusCode: 200 };
}
