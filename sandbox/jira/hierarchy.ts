/**
 * The issue hierarchy of an emulated site, as Jira Cloud keeps it: a sub-task (hierarchy level -1) always has a
 * parent of level 0 in its own project; a standard issue (Story, Task, Bug…, level 0) may have an Epic (level 1)
 * as its `parent` (company-managed projects now use `parent` for the epic link too); an Epic has none.
 * - create: a sub-task type without `parent` is refused (400, `errors.parent`); a parent of the wrong level, or
 *   in another project for a sub-task, is refused with "Given parent issue does not belong to appropriate
 *   hierarchy."; an unknown one with "Could not find issue by id or key.";
 * - edit: `fields.parent: {key|id}` moves the issue (one changelog item `IssueParentAssociation`, as Jira
 *   records it); `parent: null` (or `{none:true}`) takes a standard issue out of its epic; a sub-task always keeps one;
 * - reads: `parent` (`{id, key, self, fields:{summary, status, priority, issuetype}}`, left out when none) and
 *   `subtasks` (the same short form, `[]` when none) on every issue.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post
 * @see https://community.developer.atlassian.com/t/deprecation-of-the-epic-link-parent-link-and-other-related-fields-in-rest-apis-and-webhooks/54048
 */
import type { FieldErrors } from './fields';
import type { Renderer } from './render';
import type { SiteStore } from './store';
import type { ChangeItem, IssueRec, IssueTypeDef } from './types';

/** Jira's words (`errors.parent`). */
export const PARENT_REQUIRED = 'Issue type is a sub-task but parent issue key or id not specified.';
export const PARENT_WRONG_LEVEL = 'Given parent issue does not belong to appropriate hierarchy.';
export const PARENT_NOT_FOUND = 'Could not find issue by id or key.';

/** The hierarchy level of an issue type: -1 sub-task, 0 standard, 1 epic. */
export function levelOf(t: Pick<IssueTypeDef, 'subtask' | 'hierarchyLevel'> | undefined): number {
  return t?.hierarchyLevel ?? (t?.subtask ? -1 : 0);
}

function typeOf(store: SiteStore, issue: Pick<IssueRec, 'issueTypeId'>): IssueTypeDef | undefined {
  return store.defs.issueTypes.find((t) => t.id === issue.issueTypeId);
}

/** The issue a `parent` value (`{id}`, `{key}`, or a bare key/id string) names, or undefined. */
function parentNamed(store: SiteStore, value: unknown): IssueRec | undefined {
  const ref = typeof value === 'string' ? value : (value as { id?: unknown; key?: unknown } | null)?.id ?? (value as { key?: unknown } | null)?.key;
  if (ref === undefined || ref === null || ref === '') return undefined;
  try {
    return store.issue(String(ref));
  } catch {
    return undefined;
  }
}

/**
 * Sets `issue.parentId` from a `parent` field value (create or edit), checking the hierarchy. Returns the
 * changelog item, null when unchanged or refused (the reason in `errors.parent`).
 */
export function setParent(store: SiteStore, issue: IssueRec, value: unknown, errors: FieldErrors): ChangeItem | null {
  const level = levelOf(typeOf(store, issue));
  const clearing = value === null || (typeof value === 'object' && value !== null && (value as { none?: unknown }).none === true);
  let parent: IssueRec | undefined;
  if (clearing) {
    if (level === -1) return (errors.parent = PARENT_REQUIRED), null;
  } else {
    parent = parentNamed(store, value);
    if (!parent) return (errors.parent = PARENT_NOT_FOUND), null;
    const parentLevel = levelOf(typeOf(store, parent));
    const fits = parentLevel === level + 1 && parent.id !== issue.id && (level !== -1 || parent.projectId === issue.projectId);
    if (!fits) return (errors.parent = PARENT_WRONG_LEVEL), null;
  }
  const before = issue.parentId ? store.issues().find((i) => i.id === issue.parentId) : undefined;
  if ((parent?.id ?? null) === (issue.parentId ?? null)) return null;
  issue.parentId = parent?.id ?? null;
  return { field: 'IssueParentAssociation', fieldtype: 'jira', fieldId: 'parent', from: before?.id ?? null, fromString: before?.key ?? null, to: parent?.id ?? null, toString: parent?.key ?? null };
}

/** On create: a sub-task type needs a `parent` (Jira's 400 otherwise). */
export function checkParentOnCreate(type: IssueTypeDef | undefined, fields: Record<string, unknown>, errors: FieldErrors): void {
  if (type && levelOf(type) === -1 && (fields.parent === undefined || fields.parent === null)) errors.parent = PARENT_REQUIRED;
}

/** The short issue form Jira nests in `parent` and `subtasks`. */
function shortIssue(render: Renderer, store: SiteStore, i: IssueRec, v: '2' | '3'): Record<string, unknown> {
  return {
    id: i.id,
    key: i.key,
    self: `${store.site.publicUrl}/rest/api/${v}/issue/${i.id}`,
    fields: { summary: i.summary, status: render.status(store.status(i.statusId)), priority: render.priority(i.priorityId), issuetype: render.issueType(i.issueTypeId) },
  };
}

/**
 * The `parent` and `subtasks` fields of an issue (undefined for any other field name, and for `parent` when the
 * issue has none, as Jira leaves it out).
 */
export function hierarchyField(render: Renderer, store: SiteStore, i: IssueRec, name: string, v: '2' | '3'): unknown {
  if (name === 'parent') {
    const p = i.parentId ? store.issues().find((x) => x.id === i.parentId) : undefined;
    return p ? shortIssue(render, store, p, v) : undefined;
  }
  if (name === 'subtasks') {
    return store.issues().filter((x) => x.parentId === i.id && levelOf(typeOf(store, x)) === -1).map((x) => shortIssue(render, store, x, v));
  }
  return undefined;
}

/** JQL `parent`: the parent's id and key (lower-cased) of an issue, none when it has no parent. */
export function parentValues(store: SiteStore, i: IssueRec): string[] {
  const p = i.parentId ? store.issues().find((x) => x.id === i.parentId) : undefined;
  return p ? [p.id, p.key.toLowerCase()] : [];
}

/**
 * JQL `parent = X` / `parent in (…)`: every value must name an existing issue, as Jira checks.
 * @returns Jira's 400 message for the first unknown value, or null
 */
export function unknownParentValue(store: SiteStore, wanted: string[]): string | null {
  const missing = wanted.find((v) => !parentNamed(store, v));
  return missing === undefined ? null : `An issue with key '${missing.toUpperCase()}' does not exist for field 'parent'.`;
}
