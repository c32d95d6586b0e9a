/**
 * Each field's own change time, from an issue's changelog, for the `newest-wins` policy: the side whose change of
 * *this field* is later wins, not the side whose issue was touched last (`updated` moves with any field, comment or
 * the app's own writes).
 *
 * Jira Cloud serves the changelog oldest first in pages (`GET /rest/api/3/issue/{id}/changelog`, `startAt`,
 * `maxResults`, `total`, `isLast`; "Returns a paginated list of all changelogs for an issue sorted by date, starting
 * from the oldest"). The newest entries are on the last page, so this reads the first page (most issues have fewer
 * than 100 histories: one call) and, for a longer history, walks back from the last page until every wanted field
 * has been seen. Items name custom fields by `fieldId` (`customfield_10011`); an item without `fieldId` is matched by
 * its `field` name for system fields (`summary`, `labels`).
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-changelog-get
 */
import type { JiraHistory, JiraSite } from '../jira/site';
import { jiraTimeMs } from '../model/time';
import type { MergeInput, MergePlan } from '../model/types';
import { planMerge } from './merge';
import type { ConnectionPorts } from './ports';

/** Page size asked for (Jira's default and maximum for the changelog). */
export const CHANGELOG_PAGE = 100;

/**
 * The newest change time of each of `fieldIds` in `histories`, ignoring entries by `ignoreAuthors` (the app's own
 * account: its writes are copies, not edits). Pure. @returns field id → the entry's `created` (as Jira wrote it)
 */
export function newestChanges(histories: JiraHistory[], fieldIds: string[], ignoreAuthors: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  const wanted = new Set(fieldIds);
  for (const h of histories) {
    if (h.author && ignoreAuthors.includes(h.author.accountId)) continue;
    for (const item of h.items) {
      const id = item.fieldId ?? (item.fieldtype === 'custom' ? undefined : item.field?.toLowerCase());
      if (!id || !wanted.has(id)) continue;
      if (out[id] === undefined || jiraTimeMs(h.created) > jiraTimeMs(out[id])) out[id] = h.created;
    }
  }
  return out;
}

/**
 * Reads as much of an issue's changelog as needed to find the newest change of each of `fieldIds` (see the module
 * comment for the paging). @throws SyncError as the site's calls do
 */
export async function fieldChangeTimes(site: Pick<JiraSite, 'getChangelogPage'>, issueId: string, fieldIds: string[], ignoreAuthors: string[] = []): Promise<Record<string, string>> {
  const first = await site.getChangelogPage(issueId, 0, CHANGELOG_PAGE);
  const found = newestChanges(first.values, fieldIds, ignoreAuthors);
  // Pages after the first hold newer entries: walk back from the end, stopping once every field was seen there.
  const later: Record<string, string> = {};
  for (let startAt = Math.max(first.values.length, first.total - CHANGELOG_PAGE); first.values.length && startAt >= first.values.length && !first.isLast; ) {
    const page = await site.getChangelogPage(issueId, startAt, CHANGELOG_PAGE);
    Object.assign(later, { ...newestChanges(page.values, fieldIds, ignoreAuthors), ...later });
    if (fieldIds.every((f) => f in later) || startAt === first.values.length) break;
    startAt = Math.max(first.values.length, startAt - CHANGELOG_PAGE);
  }
  return { ...found, ...later };
}

/**
 * Plans the merge (see `planMerge`), reading the changelogs only when it matters: when a conflict is to be settled
 * by `newest-wins`, both issues' changelogs are read (one call per side for most issues) and the merge is planned
 * again with each conflicting field's own change times. Without such a conflict no extra call is made.
 * On the local side the app's own account is ignored (its writes are copies of partner edits); on the partner side
 * every author counts, because the partner API account may also be a person who edits there.
 */
export async function planWithChangeTimes(ports: Pick<ConnectionPorts, 'local' | 'partner' | 'connection'>, input: MergeInput, issueIds: { local: string; partner: string }): Promise<MergePlan> {
  const plan = planMerge(input);
  const newest = plan.conflicts.filter((c) => c.policy === 'newest-wins' && !c.settledBy);
  if (!newest.length) return plan;
  const [local, partner] = await Promise.all([
    fieldChangeTimes(ports.local, issueIds.local, newest.map((c) => c.field), [ports.connection.localAppAccountId]),
    fieldChangeTimes(ports.partner, issueIds.partner, newest.map((c) => c.partnerField ?? c.field)),
  ]);
  return planMerge({ ...input, changeTimes: { local, partner } });
}
