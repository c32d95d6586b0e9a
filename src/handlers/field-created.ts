/**
 * `avi:jira:created:issue` for the "Partner sync" field (issue 10 §1, §5): right after Jira creates an issue,
 * - the field says Yes (`sync` / `sync:<connectionId>`, written by the edit view after the person confirmed the
 *   partner site and project) → the partner copy is made (`linkIssue`, as the panel's toggle) and the first sync
 *   job is queued;
 * - otherwise, when a connection's "offer sync" JQL matches the new issue → the `taskSyncLink` property says
 *   `offered` (the panel and the field then pre-ask the question); nothing is synced.
 * The trigger's `ignoreSelf` means issues the app itself creates (imports) never come here.
 * @see https://developer.atlassian.com/platform/forge/events-reference/jira/#issue-events
 */
import { connectionLabel } from '../model/connection';
import { listConnections } from '../store/connections';
import * as store from '../store/kvs';
import { linkIssue } from '../sync/create';
import { parseFieldRequest } from '../sync/offer';
import { appLocalSite, portsFor } from './deps';
import { appFieldId, matchesOffer, publishLinkState } from './field-value';
import { enqueueSync } from './queue';

/**
 * Handles one created issue. Idempotent (a retried event finds the link and stops).
 * @throws whatever KVS, Jira or the partner throw; the trigger turns it into a retry request
 */
export async function onIssueCreated(issue: { id: string; key?: string; fields?: { project?: { key?: string } } }): Promise<void> {
  // The event names the project: a project without connections costs no Jira call.
  const eventProject = issue.fields?.project?.key;
  if (eventProject && !(await listConnections(eventProject)).length) return;
  if (await store.getLink(issue.id)) return;
  const local = appLocalSite();
  const fieldId = await appFieldId(local);
  const read = await local.getIssue(issue.id, fieldId ? [fieldId, 'project'] : ['project']);
  const projectKey = (read.fields as { project?: { key?: string } }).project?.key;
  if (!projectKey) return;
  const all = await listConnections(projectKey);
  if (!all.length) return;
  const request = fieldId ? parseFieldRequest((read.fields as Record<string, unknown>)[fieldId]) : { sync: false as const };
  if (request.sync) {
    const connection = request.connectionId ? all.find((c) => c.id === request.connectionId) : all.length === 1 ? all[0] : undefined;
    if (!connection) {
      console.warn(`${issue.key ?? issue.id}: the Partner sync field asked for ${request.connectionId ? `connection ${request.connectionId}, which ${projectKey} no longer has` : `sync, but ${projectKey} has ${all.length} partners (${all.map(connectionLabel).join(', ')}) and none was chosen`}; nothing was synced.`);
      await publishLinkState(local, issue.id, null, { field: true });
      return;
    }
    const link = await linkIssue(await portsFor(connection), issue.id);
    await enqueueSync([{ projectKey, connectionId: link.connectionId, localIssueId: link.localIssueId, trigger: 'create', created: 'partner' }]);
    return;
  }
  for (const c of all) {
    if (await matchesOffer(local, issue.id, c.offerJql)) {
      await publishLinkState(local, issue.id, null, { field: false, offeredBy: c.id });
      return;
    }
  }
}
