/**
 * Pure planning for sub-tasks, epics and parents (issue 12): where a new partner copy goes in the hierarchy, when
 * an issue must wait for its parent, how a parent change is followed, and the order of a bulk run. The rule is
 * the same for a sub-task's parent and for a company-managed epic (both are Jira's `parent` field):
 * - **parents first**: an issue whose parent is not synced through the same connection waits; it is created as
 *   soon as the parent is linked;
 * - **parent changes follow** where both parents are linked; a change on both sides since the last sync is
 *   settled for the local one (it names the parent the people of the site that installed the app chose);
 * - the partner copy of a sub-task gets the partner's sub-task issue type.
 * No I/O here (see `./hierarchy-sync.ts`).
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post
 */

/** An issue as `parent` names it. */
export interface IssueRef {
  id: string;
  key: string;
}

/** The `parent` of an issue's fields (`GET /rest/api/3/issue/{id}?fields=parent`), or null when it has none. */
export function parentRef(fields: Record<string, unknown>): IssueRef | null {
  const p = fields.parent as { id?: unknown; key?: unknown } | undefined | null;
  if (!p || p.id === undefined || p.id === null) return null;
  return { id: String(p.id), key: String(p.key ?? p.id) };
}

/** Where a new partner copy goes: nowhere special, under the partner copy of its parent, or it waits. */
export type CreatePlacement = { kind: 'top' } | { kind: 'under'; partnerParentId: string } | { kind: 'wait'; parentKey: string };

/**
 * Placement of a new partner copy.
 * @param parent the local issue's parent, or null
 * @param parentLink the parent's link, if it has one (any connection)
 * @param connectionId the connection the copy is made through: a parent synced through another one does not count
 */
export function planCreatePlacement(parent: IssueRef | null, parentLink: { connectionId: string; partnerIssueId: string; state: string } | undefined, connectionId: string): CreatePlacement {
  if (!parent) return { kind: 'top' };
  if (!parentLink || parentLink.connectionId !== connectionId || parentLink.state === 'broken') return { kind: 'wait', parentKey: parent.key };
  return { kind: 'under', partnerParentId: parentLink.partnerIssueId };
}

/** The words a waiting issue shows in the panel and the sync log. */
export function waitingText(childKey: string, parentKey: string): string {
  return `${childKey} waits until ${parentKey} is synced: sync ${parentKey} first, then ${childKey} is created on the partner under ${parentKey}'s copy right away. Nothing was created yet.`;
}

/**
 * The partner issue type of a copy: for a local sub-task the partner's sub-task type (the one of the same name,
 * else the first), else `standard` (the caller's usual choice).
 */
export function copyIssueType<T extends { id: string; name: string; subtask: boolean }>(localType: { name?: string; subtask?: boolean } | undefined, partnerTypes: T[], standard: T | undefined): T | undefined {
  if (!localType?.subtask) return standard;
  const subtasks = partnerTypes.filter((t) => t.subtask);
  const name = (localType.name ?? '').toLowerCase();
  return subtasks.find((t) => t.name.toLowerCase() === name) ?? subtasks[0];
}

/** Parent ids on both sides as last agreed (null = no parent). */
export interface ParentBase {
  local: string | null;
  partner: string | null;
}

/** What following a parent change writes: a new parent (null = none) for one side, the next base, and notes. */
export interface ParentMove {
  toPartner?: string | null;
  toLocal?: string | null;
  nextBase: ParentBase;
  notes: string[];
}

/**
 * Plans following a parent change, three-way against the base.
 * @param input.local / input.partner the parent ids each issue has now (null = none)
 * @param input.localAsPartner the partner copy of the local parent (null when there is no local parent,
 *   undefined when the local parent is not synced); `partnerAsLocal` the other way round
 * @param input.names keys for the notes: the issue and both parents
 */
export function planParentMove(input: {
  base: ParentBase | undefined;
  local: string | null;
  partner: string | null;
  localAsPartner: string | null | undefined;
  partnerAsLocal: string | null | undefined;
  names: { issue: string; localParent: string | null; partnerParent: string | null };
}): ParentMove {
  const { base, local, partner } = input;
  const now: ParentBase = { local, partner };
  if (!base) return { nextBase: now, notes: [] };
  const localChanged = local !== base.local;
  const partnerChanged = partner !== base.partner;
  if (!localChanged && !partnerChanged) return { nextBase: base, notes: [] };
  if (localChanged) {
    if (input.localAsPartner === undefined) return { nextBase: now, notes: [notFollowed(input.names.issue, input.names.localParent)] };
    if (input.localAsPartner === partner) return { nextBase: now, notes: [] };
    return { toPartner: input.localAsPartner, nextBase: { local, partner: input.localAsPartner }, notes: [] };
  }
  if (input.partnerAsLocal === undefined) return { nextBase: now, notes: [notFollowed(input.names.issue, input.names.partnerParent, 'partner ')] };
  if (input.partnerAsLocal === local) return { nextBase: now, notes: [] };
  return { toLocal: input.partnerAsLocal, nextBase: { local: input.partnerAsLocal, partner }, notes: [] };
}

function notFollowed(issue: string, parent: string | null, side = ''): string {
  return `The new parent of ${issue} was not copied: ${side}issue ${parent ?? '(none)'} is not synced. Sync it, then move ${issue} again.`;
}

/**
 * Splits one search page into levels for a bulk run: issues whose parent is not on the page first, then their
 * children, then grandchildren. A run works through a level before it starts the next, so with several workers a
 * child is never created while its parent still is (it would wait instead of going under the new copy).
 * @param issues REST issues with `fields.parent` when they have one
 */
export function hierarchyLevels<T extends { id: string; fields: Record<string, unknown> }>(issues: T[]): T[][] {
  const byId = new Map(issues.map((i) => [i.id, i]));
  const depth = new Map<string, number>();
  const depthOf = (i: T, seen = 0): number => {
    if (depth.has(i.id)) return depth.get(i.id)!;
    const p = parentRef(i.fields);
    const parent = p ? byId.get(p.id) : undefined;
    const d = parent && seen < 10 ? depthOf(parent, seen + 1) + 1 : 0;
    depth.set(i.id, d);
    return d;
  };
  const levels: T[][] = [];
  for (const i of issues) (levels[depthOf(i)] ??= []).push(i);
  return levels.filter(Boolean);
}
