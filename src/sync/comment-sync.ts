/**
 * Applies comment sync for one link: reads both comment lists, plans with `planComments`, and runs the creates,
 * updates and deletes, filling in the ids of created mirrors.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/
 */
import type { JiraComment, JiraIssue, JiraSite } from '../jira/site';
import type { LinkRecord } from '../store/records';
import { fillCreatedCommentId, planComments } from './comments';
import type { CommentLink, CommentValue } from './types';

/** What `applyComments` needs from the job's ports. */
export interface CommentPorts {
  local: JiraSite;
  partner: JiraSite;
  appAccountIds: { local: string; partner: string };
  siteUrls: { local: string; partner: string };
}

function toValue(c: JiraComment): CommentValue {
  return {
    id: String(c.id),
    authorAccountId: c.author?.accountId ?? '',
    authorName: c.author?.displayName ?? 'Someone',
    body: c.body,
    created: c.created,
    updated: c.updated,
  };
}

/** Result: the comment links to store, and how many writes went each way. */
export interface CommentSyncResult {
  links: CommentLink[];
  changed: boolean;
  toPartner: number;
  toLocal: number;
}

/** The issue's comments from its `comment` field when they all came with it, else every page from the site. */
async function commentsOf(site: JiraSite, issue: JiraIssue): Promise<JiraComment[]> {
  const field = issue.fields.comment;
  if (field && field.comments.length >= field.total) return field.comments;
  return site.getComments(issue.id);
}

/**
 * Syncs the comments of a link, given both issues as just read (with their `comment` field, when requested).
 */
export async function applyComments(ports: CommentPorts, link: LinkRecord, issues: { local: JiraIssue; partner: JiraIssue }): Promise<CommentSyncResult> {
  const [local, partner] = await Promise.all([commentsOf(ports.local, issues.local), commentsOf(ports.partner, issues.partner)]);
  const plan = planComments({
    local: local.map(toValue),
    partner: partner.map(toValue),
    links: link.comments,
    appAccountIds: ports.appAccountIds,
    sites: ports.siteUrls,
    issueKeys: { local: issues.local.key, partner: issues.partner.key },
  });
  let links = plan.nextLinks;
  const counts = { local: 0, partner: 0 };
  for (const action of plan.actions) {
    const [site, issueId] = action.target === 'local' ? [ports.local, link.localIssueId] : [ports.partner, link.partnerIssueId];
    if (action.kind === 'create') {
      const id = await site.addComment(issueId, action.body);
      links = fillCreatedCommentId(links, action.target, action.sourceId, id);
    } else if (action.kind === 'update') {
      await site.updateComment(issueId, action.targetId, action.body);
    } else {
      await site.deleteComment(issueId, action.targetId);
    }
    counts[action.target]++;
  }
  const changed = plan.actions.length > 0 || plan.droppedLinks.length > 0;
  return { links, changed, toPartner: counts.partner, toLocal: counts.local };
}
