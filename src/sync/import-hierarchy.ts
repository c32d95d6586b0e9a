/**
 * Sub-tasks, epics and parents in an import from the partner (bulk import by JQL, `./bulk-import.ts`): the mirror
 * of `placeCopy` (`./hierarchy-sync.ts`) for the other direction, under the same rule (`./hierarchy.ts`):
 * - **parents first**: a partner issue with a parent (a sub-task's parent, or an epic above a story) becomes a local
 *   issue under the local copy of that parent, when the parent is linked through the same connection;
 * - otherwise it **waits**: nothing is created, the sync log and the run's report say which issue to import or
 *   link first (Retry failed then creates it under the new copy);
 * - a partner sub-task becomes a local sub-task (the connection's issue type map, else the local sub-task type of
 *   the same name, else the project's first one), as Jira requires a sub-task to have a sub-task type and a parent.
 * A bulk run works the parents of a search page before their children (`hierarchyLevels`), so a parent and its
 * sub-tasks imported by one run keep their hierarchy.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post
 */
import type { JiraIssue } from '../jira/site';
import { SyncError } from '../model/errors';
import { copyIssueType, parentRef } from './hierarchy';
import type { ConnectionPorts } from './ports';

/** The words an import that waits for its parent fails with (report, sync log). */
export function importWaitingText(childKey: string, parentKey: string): string {
  return `${childKey} waits until ${parentKey} is imported or synced: import ${parentKey} first (or add it to the JQL), then Retry failed creates ${childKey} under its copy. Nothing was created.`;
}

/** What the local create body gets from the hierarchy. */
export interface ImportPlacement {
  /** Extra create fields: `parent: {id}` of the local copy of the partner parent; empty at the top. */
  fields: { parent?: { id: string } };
  /** The local sub-task type for a partner sub-task; undefined = the usual choice of issue type. */
  issueType?: { id: string; name: string };
}

/**
 * Where the local copy of `partnerIssue` goes.
 * @param subtaskTypes the local project's creatable sub-task types (`subtask: true` in createmeta)
 * @throws SyncError `invalid-input` (not retried) when its parent is not linked through this connection (logged)
 * @throws SyncError `not-configured` when it is a sub-task and the local project has no sub-task type
 */
export async function placeImport(ports: ConnectionPorts, partnerIssue: JiraIssue, subtaskTypes: Array<{ id: string; name: string; subtask: boolean }>): Promise<ImportPlacement> {
  const parent = parentRef(partnerIssue.fields);
  const type = partnerIssue.fields.issuetype as { id?: string; name?: string; subtask?: boolean } | undefined;
  if (!parent && !type?.subtask) return { fields: {} };
  const c = ports.connection;
  let fields: ImportPlacement['fields'] = {};
  if (parent) {
    const localParentId = await ports.links.findByPartner(parent.id);
    const parentLink = localParentId ? await ports.links.get(localParentId) : undefined;
    if (!parentLink || parentLink.connectionId !== c.id || parentLink.state === 'broken') {
      const message = importWaitingText(partnerIssue.key, parent.key);
      await ports.log({ connectionId: c.id, trigger: 'create', direction: 'none', localIssueKey: null, partnerIssueKey: partnerIssue.key, fields: [], outcome: 'no-change', message });
      throw new SyncError('invalid-input', message);
    }
    fields = { parent: { id: parentLink.localIssueId } };
  }
  if (!type?.subtask) return { fields };
  const mapped = type.id ? subtaskTypes.find((t) => t.id === c.mapping.issueTypes.toLocal[type.id!]) : undefined;
  const local = mapped ?? copyIssueType(type, subtaskTypes, undefined);
  if (!local) throw new SyncError('not-configured', `Project ${c.projectKey} has no sub-task issue type, so ${partnerIssue.key} (a sub-task on the partner) cannot be imported. A Jira admin can add one to the project's issue type scheme.`);
  return { fields, issueType: { id: local.id, name: local.name } };
}
