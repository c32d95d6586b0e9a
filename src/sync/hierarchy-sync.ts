/**
 * Sub-tasks, epics and parents in the sync (issue 12), around the pure rules of `./hierarchy.ts`:
 * - {@link placeCopy}: before a partner copy is created, where it goes (under the partner copy of its parent, with
 *   the partner's sub-task type) or that it waits for its parent (remembered, logged, said in words);
 * - {@link createWaitingChildren}: once a parent is linked, its waiting children are created right away;
 * - {@link applyHierarchy}: in every sync job, a parent change is followed where both parents are linked, and the
 *   issue links are mirrored (`./issue-link-sync.ts`).
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-put
 */
import type { JiraIssue } from '../jira/site';
import { SyncError, toSyncError } from '../model/errors';
import type { LinkRecord } from '../model/link';
import { copyIssueType, parentRef, planCreatePlacement, planParentMove, waitingText } from './hierarchy';
import { applyIssueLinks, localCopies, partnerCopies } from './issue-link-sync';
import type { ConnectionPorts } from './ports';

/** An issue waiting for its parent to be synced (stored until the parent is linked). */
export interface WaitingChild {
  childId: string;
  childKey: string;
  parentId: string;
  parentKey: string;
  connectionId: string;
  /** ISO-8601 time it started waiting. */
  since: string;
}

/** Where waiting children are kept (KVS over Forge, see `src/store/hierarchy.ts`). */
export interface HierarchyPorts {
  setWaiting(w: WaitingChild): Promise<void>;
  getWaiting(childId: string): Promise<WaitingChild | undefined>;
  /** Removes and returns the children waiting for `parentId`. */
  takeWaitingChildren(parentId: string): Promise<WaitingChild[]>;
  clearWaiting(childId: string): Promise<void>;
}

/** The error an issue that must wait for its parent ends its opt-in with (code `invalid-input`, not retried). */
export class WaitingForParentError extends SyncError {
  constructor(readonly waiting: WaitingChild) {
    super('invalid-input', waitingText(waiting.childKey, waiting.parentKey));
  }
}

/** What a partner copy's create body gets from the hierarchy. */
export interface CopyPlacement {
  /** Extra create fields (`parent: {id}`), empty at the top of the hierarchy. */
  fields: Record<string, unknown>;
  /** The partner issue type to create (the partner's sub-task type for a sub-task), or undefined = the usual. */
  issueType?: { id: string; name: string };
}

/**
 * Decides where the partner copy of `localIssue` goes.
 * @throws WaitingForParentError when its parent is not synced through this connection (the wait is stored and logged)
 */
export async function placeCopy(ports: ConnectionPorts, localIssue: JiraIssue, standard: { id: string; name: string } | undefined): Promise<CopyPlacement> {
  const parent = parentRef(localIssue.fields);
  const localType = localIssue.fields.issuetype as { name?: string; subtask?: boolean } | undefined;
  if (!parent && !localType?.subtask) return { fields: {} };
  const parentLink = parent ? await ports.links.get(parent.id) : undefined;
  const placement = planCreatePlacement(parent, parentLink, ports.connection.id);
  if (placement.kind === 'wait') {
    const waiting: WaitingChild = { childId: localIssue.id, childKey: localIssue.key, parentId: parent!.id, parentKey: placement.parentKey, connectionId: ports.connection.id, since: ports.clock.now().toISOString() };
    await ports.hierarchy?.setWaiting(waiting);
    const error = new WaitingForParentError(waiting);
    await ports.log({ connectionId: ports.connection.id, trigger: 'create', direction: 'none', localIssueKey: localIssue.key, partnerIssueKey: null, fields: [], outcome: 'no-change', message: error.message });
    throw error;
  }
  const fields = placement.kind === 'under' ? { parent: { id: placement.partnerParentId } } : {};
  if (!localType?.subtask) return { fields };
  const types = await ports.partner.getCreateMetaIssueTypes(ports.connection.partnerProjectKey);
  const type = copyIssueType(localType, types, undefined);
  if (!type) throw new SyncError('partner-project', `Project ${ports.connection.partnerProjectKey} on the partner has no sub-task issue type, so ${localIssue.key} (a sub-task) cannot be copied. A partner admin can add one to the project's issue type scheme.`);
  return { fields, issueType: { id: type.id, name: type.name } };
}

/**
 * Creates the partner copies of the children that waited for `parent` (just linked), one after another; a child
 * that fails is logged and keeps nothing waiting (its panel offers sync again).
 * @param linkChild the opt-in (`linkIssue` of `./create.ts`, passed in to keep the modules apart)
 */
export async function createWaitingChildren(ports: ConnectionPorts, parent: LinkRecord, linkChild: (ports: ConnectionPorts, localIssueId: string) => Promise<LinkRecord>): Promise<LinkRecord[]> {
  if (!ports.hierarchy) return [];
  await ports.hierarchy.clearWaiting(parent.localIssueId);
  const children = (await ports.hierarchy.takeWaitingChildren(parent.localIssueId)).filter((c) => c.connectionId === parent.connectionId);
  const made: LinkRecord[] = [];
  for (const c of children) {
    try {
      made.push(await linkChild(ports, c.childId));
      await ports.enqueue([{ projectKey: ports.connection.projectKey, connectionId: ports.connection.id, localIssueId: c.childId, trigger: 'create' }]);
    } catch (err) {
      if (err instanceof WaitingForParentError) continue;
      const e = toSyncError(err);
      await ports.log({ connectionId: parent.connectionId, trigger: 'create', direction: 'none', localIssueKey: c.childKey, partnerIssueKey: null, fields: [], outcome: 'failed', message: `${c.childKey} waited for ${c.parentKey}, which is now synced, but its copy could not be created: ${e.message}` });
    }
  }
  return made;
}

/**
 * Follows a parent change and mirrors issue links for one sync run. Returns the link fields to store.
 * @throws SyncError (retryable) when a site fails; a refused parent (the partner's hierarchy does not allow it) is
 *   logged instead
 */
export async function applyHierarchy(ports: ConnectionPorts, link: LinkRecord, issues: { local: JiraIssue; partner: JiraIssue }): Promise<Pick<LinkRecord, 'parentBase' | 'issueLinks'>> {
  const notes: string[] = [];
  const parentBase = await followParent(ports, link, issues, notes);
  const links = await applyIssueLinks(ports, link, issues);
  notes.push(...links.notes);
  if (notes.length) {
    await ports.log({ connectionId: link.connectionId, trigger: 'event', direction: 'none', localIssueKey: issues.local.key, partnerIssueKey: issues.partner.key, fields: [], outcome: 'synced', message: notes.join(' ') });
  }
  return { parentBase, issueLinks: links.pairs };
}

async function followParent(ports: ConnectionPorts, link: LinkRecord, issues: { local: JiraIssue; partner: JiraIssue }, notes: string[]): Promise<LinkRecord['parentBase']> {
  // `parent` is left out when there is none, so a read is known to hold it by the `issuelinks` asked with it.
  if (!Array.isArray(issues.local.fields.issuelinks) || !Array.isArray(issues.partner.fields.issuelinks)) return link.parentBase;
  const local = parentRef(issues.local.fields);
  const partner = parentRef(issues.partner.fields);
  const [asPartner, asLocal] = await Promise.all([
    local ? partnerCopies(ports, [local.id]) : Promise.resolve(new Map<string, string | undefined>()),
    partner ? localCopies(ports, [partner.id]) : Promise.resolve(new Map<string, string | undefined>()),
  ]);
  const move = planParentMove({
    base: link.parentBase,
    local: local?.id ?? null,
    partner: partner?.id ?? null,
    localAsPartner: local ? asPartner.get(local.id) : null,
    partnerAsLocal: partner ? asLocal.get(partner.id) : null,
    names: { issue: issues.local.key, localParent: local?.key ?? null, partnerParent: partner?.key ?? null },
  });
  notes.push(...move.notes);
  try {
    if (move.toPartner !== undefined) {
      await ports.partner.editIssue(issues.partner.id, { parent: move.toPartner === null ? null : { id: move.toPartner } });
      notes.push(`Moved ${issues.partner.key} under the partner copy of ${local?.key ?? 'no parent'}, as on the local site.`);
    }
    if (move.toLocal !== undefined) {
      await ports.local.editIssue(issues.local.id, { parent: move.toLocal === null ? null : { id: move.toLocal } });
      notes.push(`Moved ${issues.local.key} under the local copy of ${partner?.key ?? 'no parent'}, as on the partner.`);
    }
  } catch (err) {
    const e = toSyncError(err);
    if (e.retryable) throw e;
    notes.push(`The new parent of ${issues.local.key} was not copied: ${e.message}`);
    return { local: local?.id ?? null, partner: partner?.id ?? null };
  }
  return move.nextBase;
}
