/**
 * Applies comment sync for one link: reads both comment lists, plans with `planComments`, and runs the creates,
 * updates and deletes, filling in the ids of created mirrors. Restricted comments are never mirrored unless the
 * project allows role-restricted ones (see `planComments`); each skipped comment is reported once (its id and
 * restriction, never its text), remembered in the link's `skippedComments`.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/
 */
import type { JiraComment, JiraIssue, JiraSite } from '../jira/site';
import type { LinkRecord } from '../model/link';
import type { IdMapPair } from '../model/mapping';
import { describeVisibility, fillCreatedCommentId, planComments, skipKey } from './comments';
import { SyncError } from '../model/errors';
import type { CommentLink, CommentValue, MergeInput, SkippedComment } from '../model/types';

/** What `applyComments` needs from the job's ports. */
export interface CommentPorts {
  local: JiraSite;
  partner: JiraSite;
  appAccountIds: { local: string; partner: string };
  siteUrls: { local: string; partner: string };
  /** The project setting: mirror comments restricted to a project role, with the same role on the other side. */
  settings: { mirrorRoleRestrictedComments: boolean };
  /** The connection's user map (local accountId ↔ partner accountId): mentions of mapped users are re-pointed. */
  users?: IdMapPair;
  /** images: this run's media maps from the attachment sync (`AttachmentSyncResult.media`), see `planComments`. */
  media?: MergeInput['media'];
}

function toValue(c: JiraComment): CommentValue {
  return {
    id: String(c.id),
    authorAccountId: c.author?.accountId ?? '',
    authorName: c.author?.displayName ?? 'Someone',
    body: c.body,
    created: c.created,
    updated: c.updated,
    visibility: c.visibility ? { type: c.visibility.type, value: c.visibility.value } : null,
  };
}

/** Result: the comment links to store, and how many writes went each way. */
export interface CommentSyncResult {
  links: CommentLink[];
  /** Skip keys to store on the link (see `skipKey`). */
  skippedKeys: string[];
  /** Comments skipped for the first time in this run, for the sync log. */
  newlySkipped: SkippedComment[];
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

/** Sync-log words for skipped comments: `Not mirrored: local comment 10234 (it is visible only to role X).` */
export function skippedText(skipped: SkippedComment[]): string[] {
  return skipped.map((s) => `Not mirrored: ${s.side} comment ${s.id} (${s.reason}).`);
}

/**
 * Syncs the comments of a link, given both issues as just read (with their `comment` field, when requested).
 */
export async function applyComments(ports: CommentPorts, link: LinkRecord, issues: { local: JiraIssue; partner: JiraIssue }): Promise<CommentSyncResult> {
  const [local, partner] = await Promise.all([commentsOf(ports.local, issues.local), commentsOf(ports.partner, issues.partner)]);
  const known = new Set(link.skippedComments);
  const plan = planComments({
    local: local.map(toValue),
    partner: partner.map(toValue),
    links: link.comments,
    appAccountIds: ports.appAccountIds,
    sites: ports.siteUrls,
    issueKeys: { local: issues.local.key, partner: issues.partner.key },
    mirrorRoleRestricted: ports.settings.mirrorRoleRestrictedComments,
    knownSkipped: known,
    users: ports.users,
    media: ports.media, // images
  });
  let links = plan.nextLinks;
  const skipped = [...plan.skipped];
  const counts = { local: 0, partner: 0 };
  for (const action of plan.actions) {
    const [site, issueId] = action.target === 'local' ? [ports.local, link.localIssueId] : [ports.partner, link.partnerIssueId];
    if (action.kind === 'create') {
      let id: string;
      try {
        id = await site.addComment(issueId, action.body, action.visibility);
      } catch (err) {
        // The other site has no such role, or its account (the app, or the partner API user) is not in it: Jira
        // refuses with 400. The comment stays where it is, unmirrored, until its restriction changes.
        if (!action.visibility || !(err instanceof SyncError) || err.code !== 'jira-rejected') throw err;
        const from = action.target === 'local' ? 'partner' : 'local';
        links = links.filter((l) => !(from === 'local' ? l.localId === action.sourceId && l.partnerId === '' : l.partnerId === action.sourceId && l.localId === ''));
        skipped.push({ side: from, id: action.sourceId, visibility: action.visibility, reason: `it is visible only to ${describeVisibility(action.visibility)}, which the ${action.target} site refused for the copy` });
        continue;
      }
      links = fillCreatedCommentId(links, action.target, action.sourceId, id);
    } else if (action.kind === 'update') {
      try {
        await site.updateComment(issueId, action.targetId, action.body, action.visibility);
      } catch (err) {
        // The original moved to a role the other site refuses: its old copy must not stay readable to more people.
        if (!action.visibility || !(err instanceof SyncError) || err.code !== 'jira-rejected') throw err;
        const from = action.target === 'local' ? 'partner' : 'local';
        await site.deleteComment(issueId, action.targetId);
        links = links.filter((l) => (action.target === 'local' ? l.localId : l.partnerId) !== action.targetId);
        skipped.push({ side: from, id: action.sourceId, visibility: action.visibility, reason: `it is visible only to ${describeVisibility(action.visibility)}, which the ${action.target} site refused for the copy; the old copy was deleted` });
      }
    } else {
      await site.deleteComment(issueId, action.targetId);
    }
    counts[action.target]++;
  }
  // Keys of comments still skipped (a comment that is gone or no longer restricted drops out, so the list stays small).
  const present = new Set([...local.map((c) => `local:${c.id}:`), ...partner.map((c) => `partner:${c.id}:`)]);
  const keys = new Set<string>();
  for (const k of known) if (present.has(k.split(':').slice(0, 2).join(':') + ':')) keys.add(k);
  const newlySkipped = skipped.filter((s) => !known.has(skipKey(s.side, s.id, s.visibility)));
  for (const s of skipped) keys.add(skipKey(s.side, s.id, s.visibility));
  const changed = plan.actions.length > 0 || plan.droppedLinks.length > 0;
  return { links, skippedKeys: [...keys], newlySkipped, changed, toPartner: counts.partner, toLocal: counts.local };
}
