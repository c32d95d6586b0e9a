/**
 * Setting issue fields from request bodies (`fields` and `update` of create/edit), with Jira's validation messages
 * and one changelog item per changed field. System fields are those of a Cloud site's default screens (so
 * `duedate`, `environment` and `versions` too); custom fields must be on the project's screen, else Jira's
 * "Field 'x' cannot be set. It is not on the appropriate screen, or unknown."
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-put
 */
import { adfToText } from './adf';
import { onScreen, setCustomField } from './custom-fields';
import type { SiteStore } from './store';
import type { ChangeItem, IssueRec, NamedRef } from './types';
import { checkAdf, checkDate, checkRefs, checkUser } from './values';
import { setTimeTracking } from './time-tracking'; // worklogs
import { setParent } from './hierarchy'; // hierarchy

/** Field ids a create or edit may set. */
export const SETTABLE = ['summary', 'description', 'environment', 'duedate', 'priority', 'labels', 'assignee', 'reporter', 'components', 'fixVersions', 'versions', 'issuetype', /* worklogs */ 'timetracking',
  'parent', // hierarchy: see ./hierarchy.ts
] as const;

/** Changelog `field` names of the system fields whose names differ from their ids (as Jira records them). */
const HISTORY_NAMES: Record<string, string> = { components: 'Component', fixVersions: 'Fix Version', versions: 'Version' };

/** Collected per-field errors; empty when all is well. */
export type FieldErrors = Record<string, string>;

const item = (field: string, from: string | null, fromString: string | null, to: string | null, toString: string | null, name = field): ChangeItem => ({
  field: name, fieldtype: 'jira', fieldId: field, from, fromString, to, toString,
});

/** Can `field` be set on `issue` (a system field of the edit screen, or a custom field on its project's screen)? */
export function settable(store: SiteStore, issue: Pick<IssueRec, 'projectId'>, field: string): boolean {
  return (SETTABLE as readonly string[]).includes(field) || onScreen(store, issue, field);
}

/** The message Jira gives for a field that cannot be set. */
export const notSettable = (f: string) => `Field '${f}' cannot be set. It is not on the appropriate screen, or unknown.`;

/** The entry of `list` a `{id}` or `{name}` value names (id wins), or undefined. */
export function byIdOrName<T extends { id: string; name: string }>(list: T[], v: any): T | undefined {
  if (!v || typeof v !== 'object') return undefined;
  return list.find((x) => (v.id !== undefined && x.id === String(v.id)) || (v.name !== undefined && x.name === v.name));
}

/**
 * Applies one field value to `issue` (in place). Returns the changelog item, null when unchanged, or records an
 * error in `errors` and returns null.
 */
export function setField(store: SiteStore, issue: IssueRec, field: string, value: any, errors: FieldErrors): ChangeItem | ChangeItem[] | null {
  if (field === 'parent') return setParent(store, issue, value, errors); // hierarchy
  switch (field) {
    case 'summary': {
      if (typeof value !== 'string' || !value.trim()) return (errors.summary = 'You must specify a summary of the issue.'), null;
      if (value.length > 255) return (errors.summary = 'Summary must be less than 255 characters.'), null;
      if (value === issue.summary) return null;
      const it = item('summary', null, issue.summary || null, null, value);
      issue.summary = value;
      return it;
    }
    case 'description':
    case 'environment': {
      if (value === null) value = { type: 'doc', version: 1, content: [] };
      const r = checkAdf(value);
      if ('error' in r) return (errors[field] = r.error), null;
      const before = issue[field] ?? null;
      if (JSON.stringify(r.ok) === JSON.stringify(before)) return null;
      const it = item(field, null, before ? adfToText(before) : null, null, r.ok ? adfToText(r.ok) : null);
      issue[field] = r.ok;
      return it;
    }
    case 'duedate': {
      const r = value === null ? { ok: null } : checkDate(value);
      if ('error' in r) return (errors.duedate = r.error), null;
      const before = issue.duedate ?? null;
      if (r.ok === before) return null;
      issue.duedate = r.ok;
      // Jira records the date in `from`/`to` and a timestamp form in the strings (`2026-12-24 00:00:00.0`).
      const stamp = (d: string | null) => (d ? `${d} 00:00:00.0` : null);
      return item('duedate', before, stamp(before), r.ok, stamp(r.ok));
    }
    case 'priority': {
      const p = value === null ? null : byIdOrName(store.defs.priorities, value);
      if (value !== null && !p) return (errors.priority = "Specify a valid 'id' or 'name' for Priority"), null;
      if ((p?.id ?? null) === issue.priorityId) return null;
      const old = store.defs.priorities.find((x) => x.id === issue.priorityId);
      issue.priorityId = p?.id ?? null;
      return item('priority', old?.id ?? null, old?.name ?? null, p?.id ?? null, p?.name ?? null);
    }
    case 'labels': {
      if (!Array.isArray(value) || value.some((l) => typeof l !== 'string')) return (errors.labels = 'The labels field must be an array of strings.'), null;
      const spaced = value.find((l: string) => /\s/.test(l));
      if (spaced) return (errors.labels = `The label '${spaced}' contains spaces which is invalid.`), null;
      const next = [...new Set(value as string[])];
      if (next.join(' ') === issue.labels.join(' ')) return null;
      const it = item('labels', null, issue.labels.join(' ') || null, null, next.join(' ') || null);
      issue.labels = next;
      return it;
    }
    case 'assignee':
    case 'reporter': {
      const r = value === null ? { ok: null } : checkUser(store, value, { assignable: field === 'assignee' });
      if ('error' in r) return (errors[field] = r.error), null;
      const id = r.ok;
      const key = field === 'assignee' ? 'assigneeId' : 'reporterId';
      if (issue[key] === id) return null;
      const from = store.user(issue[key]);
      issue[key] = id;
      return item(field, from?.accountId ?? null, from?.displayName ?? null, id, store.user(id)?.displayName ?? null);
    }
    case 'components':
    case 'fixVersions':
    case 'versions': {
      const project = store.project(issue.projectId)!;
      const r = checkRefs(field === 'components' ? project.components : project.versions, value, field === 'components' ? 'Component' : 'Version');
      if ('error' in r) return (errors[field] = r.error), null;
      const refs = r.ok;
      const before = issue[field] ?? [];
      const ids = (xs: NamedRef[]) => xs.map((x) => x.id).join(',');
      if (ids(refs) === ids(before)) return null;
      const it = item(field, ids(before) || null, before.map((x) => x.name).join(', ') || null, ids(refs) || null, refs.map((x) => x.name).join(', ') || null, HISTORY_NAMES[field]);
      issue[field] = refs;
      return it;
    }
    case 'issuetype': {
      const project = store.project(issue.projectId)!;
      const t = byIdOrName(store.defs.issueTypes.filter((x) => project.issueTypeIds.includes(x.id)), value);
      if (!t) return (errors.issuetype = 'Specify an issue type'), null;
      if (t.id === issue.issueTypeId) return null;
      const old = store.defs.issueTypes.find((x) => x.id === issue.issueTypeId);
      issue.issueTypeId = t.id;
      return item('issuetype', old?.id ?? null, old?.name ?? null, t.id, t.name);
    }
    case 'timetracking': { // worklogs: one change item per estimate that changed (original, remaining)
      const items = setTimeTracking(issue, value, errors);
      return items.length ? items : null;
    }
    default:
      if (onScreen(store, issue, field)) return setCustomField(store, issue, field, value, errors);
      errors[field] = notSettable(field);
      return null;
  }
}

/** The list fields `update` may `add` to and `remove` from, with their current values in request form. */
const LISTS: Record<string, (i: IssueRec) => unknown[]> = {
  labels: (i) => [...i.labels],
  components: (i) => i.components.map(({ id, name }) => ({ id, name })),
  fixVersions: (i) => i.fixVersions.map(({ id, name }) => ({ id, name })),
  versions: (i) => (i.versions ?? []).map(({ id, name }) => ({ id, name })),
};

/** Does list entry `a` match operation value `b` (equal labels, or the same `id` or `name`)? */
function sameEntry(a: any, b: any): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return (b?.id !== undefined && a?.id === String(b.id)) || (b?.id === undefined && b?.name !== undefined && a?.name === b.name);
}

/**
 * Turns `update` operations (`{labels:[{add:'x'},{remove:'y'}], components:[{add:{name:'Runtime'}}],
 * summary:[{set:'…'}]}`) into final field values, starting from the issue's current values; `add` and `remove`
 * work on labels, components, fix and affects versions (the `operations` editmeta lists). Unknown fields and verbs
 * are reported in `errors`.
 */
export function resolveUpdate(store: SiteStore, issue: IssueRec, update: Record<string, any[]>, errors: FieldErrors): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, ops] of Object.entries(update ?? {})) {
    if (!settable(store, issue, field)) {
      errors[field] = notSettable(field);
      continue;
    }
    if (!Array.isArray(ops)) {
      errors[field] = 'Operation value must be an array of operations';
      continue;
    }
    for (const op of ops) {
      if ('set' in op) out[field] = op.set;
      else if (LISTS[field] && ('add' in op || 'remove' in op)) {
        const cur = (out[field] as unknown[] | undefined) ?? LISTS[field](issue);
        out[field] = 'add' in op ? (cur.some((x) => sameEntry(x, op.add)) ? cur : [...cur, op.add]) : cur.filter((x) => !sameEntry(x, op.remove));
      } else errors[field] = `Field '${field}' does not support operation '${Object.keys(op)[0]}'`;
    }
  }
  return out;
}
