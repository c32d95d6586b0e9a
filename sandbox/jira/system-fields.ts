/**
 * The system fields an emulated issue has, with their real definitions (name, schema, `navigable`, …) from
 * `../shared/data/jira-field-information.json` (`GET /rest/api/2/field` of public Jira sites), and Jira's `fields`
 * request parameter over them and the custom fields.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-get
 */
import fs from 'node:fs';
import path from 'node:path';
import { DATA_DIR } from './defs';
import type { SiteStore } from './store';

/**
 * Every system field an issue has, in Jira's order. `versions` (Affects versions), `duedate` and `environment` are
 * on a Cloud site's default screens, so every issue carries them (null or `[]` when unset).
 */
export const ISSUE_FIELDS = [
  'summary', 'issuetype', 'project', 'status', 'priority', 'labels', 'components', 'fixVersions', 'versions',
  'resolution', 'resolutiondate', 'reporter', 'assignee', 'creator', 'created', 'updated', 'duedate', 'description',
  'environment', 'comment', 'statuscategorychangedate',
  'timetracking', 'worklog', 'timeoriginalestimate', 'timeestimate', 'timespent', // worklogs
  'attachment', // attachments
  'parent', 'subtasks', 'issuelinks', // hierarchy: see ./hierarchy.ts and ./issue-links.ts
] as const;

/** A system field as `GET /rest/api/3/field` lists it. */
export interface SystemFieldDef {
  id: string;
  key: string;
  name: string;
  navigable?: boolean;
  schema?: { type: string; items?: string; system?: string };
  [k: string]: unknown;
}

let systemFields: SystemFieldDef[] | null = null;

/** System field definitions (first occurrence per id across the sites in the field dump). @throws if it is missing */
export function systemFieldDefs(): SystemFieldDef[] {
  if (systemFields) return systemFields;
  const bySite: Record<string, SystemFieldDef[]> = JSON.parse(fs.readFileSync(path.join(DATA_DIR, 'jira-field-information.json'), 'utf8'));
  const wanted = new Set<string>([...ISSUE_FIELDS, 'issuekey']);
  const found = new Map<string, SystemFieldDef>();
  for (const fields of Object.values(bySite)) for (const f of fields) if (wanted.has(f.id) && !found.has(f.id)) found.set(f.id, f);
  systemFields = [...found.values()].map((f) => ({ ...f, key: f.id }));
  return systemFields;
}

/** Every field id of an issue on `store`'s site: system fields then custom fields (`*all`). */
export function allFieldIds(store: SiteStore): string[] {
  return [...ISSUE_FIELDS, ...store.customFields().map((d) => d.id)];
}

/**
 * Field ids `*navigable` names: those the field dump marks `navigable` (of ours, every one but `comment`; every
 * custom field there is navigable).
 */
export function navigableFieldIds(store: SiteStore): string[] {
  const off = new Set(systemFieldDefs().filter((f) => f.navigable === false).map((f) => f.id));
  return allFieldIds(store).filter((id) => !off.has(id));
}

/**
 * Parses Jira's `fields` parameter (comma list, or an array of them when repeated) into field ids: `*all`,
 * `*navigable`, field ids, and `-id` to leave one out. Exclusions alone apply to the operation's default set:
 * all fields for `GET issue` ("`-description` returns all (default) fields except description"), navigable ones
 * for search ("returns all navigable (default) fields except description").
 * @param store the site (its custom fields are part of `*all` and `*navigable`)
 * @param def the answer when the parameter is absent or empty (undefined = every field)
 * @param base what exclusions alone start from
 */
export function parseFieldsParam(store: SiteStore, p: unknown, def: string[] | undefined, base: 'all' | 'navigable'): string[] | undefined {
  if (p === undefined || p === null || p === '') return def;
  const list = (Array.isArray(p) ? p : [p]).flatMap((x) => String(x).split(',')).map((x) => x.trim()).filter(Boolean);
  if (!list.length) return def;
  const excluded = new Set(list.filter((x) => x.startsWith('-')).map((x) => x.slice(1)));
  const included = list.filter((x) => !x.startsWith('-'));
  const chosen = new Set<string>();
  for (const x of included.length ? included : [base === 'all' ? '*all' : '*navigable']) {
    if (x === '*all') allFieldIds(store).forEach((id) => chosen.add(id));
    else if (x === '*navigable') navigableFieldIds(store).forEach((id) => chosen.add(id));
    else if (!x.startsWith('*')) chosen.add(x);
  }
  return [...chosen].filter((x) => !excluded.has(x));
}
