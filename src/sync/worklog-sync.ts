/**
 * Applies worklog sync for one link: reads both issues' worklogs (from their `worklog` field when it holds them all,
 * else every page), plans with `planWorklogs`, and runs the creates, updates and deletes with the connection's
 * estimate choice (`adjustEstimate=leave` unless the connection says `auto`), filling in the ids of created mirrors.
 * With worklog sync off for the connection nothing is read or written and the map is kept as it is, so turning it
 * on again does not copy anything twice.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-worklogs/
 */
import type { EstimateChoice, JiraIssue, JiraSite, JiraWorklog } from '../jira/site';
import type { LinkRecord } from '../model/link';
import type { IdMapPair } from '../model/mapping';
import type { CommentLink } from '../model/types';
import { fillCreatedCommentId } from './comments';
import { planWorklogs, type WorklogValue } from './worklogs';

/** What `applyWorklogs` needs from the job's ports: the comment sync's, with the connection's worklog settings. */
export interface WorklogPorts {
  local: JiraSite;
  partner: JiraSite;
  appAccountIds: { local: string; partner: string };
  siteUrls: { local: string; partner: string };
  /** The connection's worklog settings (`Connection.worklogs`). */
  settings: { enabled: boolean; adjustEstimate: EstimateChoice };
  users?: IdMapPair;
}

/** Result: the worklog links to store, whether anything was written, and how many writes went each way. */
export interface WorklogSyncResult {
  links: CommentLink[];
  changed: boolean;
  toPartner: number;
  toLocal: number;
}

/** The `worklog` field as an issue read returns it (the first 20 and the total). */
type WorklogField = { worklogs?: JiraWorklog[]; total?: number };

/** The issue's worklogs from its `worklog` field when they all came with it, else every page from the site. */
async function worklogsOf(site: JiraSite, issue: JiraIssue): Promise<JiraWorklog[]> {
  const field = issue.fields.worklog as WorklogField | undefined;
  if (field?.worklogs && field.worklogs.length >= (field.total ?? 0)) return field.worklogs;
  return site.getWorklogs(issue.id);
}

function toValue(w: JiraWorklog): WorklogValue {
  return {
    id: String(w.id),
    authorAccountId: w.author?.accountId ?? '',
    authorName: w.author?.displayName ?? 'Someone',
    comment: w.comment ?? null,
    started: w.started,
    timeSpentSeconds: w.timeSpentSeconds,
    updated: w.updated,
    restricted: !!w.visibility,
  };
}

/** Syncs the worklogs of a link, given both issues as just read (with their `worklog` field, when requested). */
export async function applyWorklogs(ports: WorklogPorts, link: LinkRecord, issues: { local: JiraIssue; partner: JiraIssue }): Promise<WorklogSyncResult> {
  if (!ports.settings.enabled) return { links: link.worklogs, changed: false, toPartner: 0, toLocal: 0 };
  const [local, partner] = await Promise.all([worklogsOf(ports.local, issues.local), worklogsOf(ports.partner, issues.partner)]);
  const plan = planWorklogs({
    local: local.map(toValue),
    partner: partner.map(toValue),
    links: link.worklogs,
    appAccountIds: ports.appAccountIds,
    sites: ports.siteUrls,
    issueKeys: { local: issues.local.key, partner: issues.partner.key },
    users: ports.users,
  });
  let links = plan.nextLinks;
  const counts = { local: 0, partner: 0 };
  const estimate = ports.settings.adjustEstimate;
  for (const action of plan.actions) {
    const [site, issueId] = action.target === 'local' ? [ports.local, link.localIssueId] : [ports.partner, link.partnerIssueId];
    if (action.kind === 'create') links = fillCreatedCommentId(links, action.target, action.sourceId, await site.addWorklog(issueId, action.worklog, estimate));
    else if (action.kind === 'update') await site.updateWorklog(issueId, action.targetId, action.worklog, estimate);
    else await site.deleteWorklog(issueId, action.targetId, estimate);
    counts[action.target]++;
  }
  return { links, changed: plan.actions.length > 0 || plan.droppedLinks.length > 0, toPartner: counts.partner, toLocal: counts.local };
}
