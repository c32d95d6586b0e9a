/**
 * JQL clauses beyond the system fields of `./jql.ts`, as Jira Cloud reads them:
 * - **key ranges** (`key >= ALOY-200`, `issuekey < ALOY-10`): Jira compares keys of one project by number, so a
 *   range never crosses projects; the operand must be an issue key of an existing project.
 * - **custom fields** by `cf[10010]`, by id (`customfield_10010`) or by name (`"Story points"`, case-insensitive):
 *   text fields take `~`; numbers and dates take ranges; select-like fields match option values; pickers match
 *   accountIds; `is EMPTY` everywhere.
 * (`issue.property[key].path` and the search aliases of indexed properties are in `./jql-app-fields.ts`: only
 *   properties an app indexes with `jira:entityProperty` are searchable, as in Jira Cloud.)
 * Errors are Jira's words (400, `errorMessages`).
 * @see https://support.atlassian.com/jira-software-cloud/docs/jql-fields/
 * @see https://support.atlassian.com/jira-service-management-cloud/docs/jql-fields/#Issue-key
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-entity-property/
 */
import { adfToText } from './adf';
import { JiraError } from './errors';
import { jiraTime, type SiteStore } from './store';
import type { CustomFieldDef, IssueRec } from './types';

/** One compiled terminal clause. */
export type Matcher = (i: IssueRec) => boolean;

/** What a terminal clause gives this module: field as typed, property path, operator, operand values or EMPTY. */
export interface TerminalInput {
  field: string;
  properties?: Array<{ key?: { value: string }; path?: Array<{ value: string }> }>;
  op: string;
  vals: string[] | 'EMPTY';
  date: (v: string, field: string) => number;
}

const bad = (m: string) => JiraError.badRequest(m);
const RANGE = new Set(['>', '>=', '<', '<=']);

function rangeTest(op: string, x: number, t: number): boolean {
  return op === '>' ? x > t : op === '>=' ? x >= t : op === '<' ? x < t : x <= t;
}

/**
 * `key > X` and friends: issues of X's project whose number compares with X's.
 * @throws JiraError 400 when the operand is not a key of an existing project, or is a list
 */
export function keyRange(store: SiteStore, op: string, vals: string[] | 'EMPTY', field: string): Matcher {
  if (vals === 'EMPTY' || vals.length !== 1) throw bad(`The operator '${op}' is not supported by the '${field}' field.`);
  const m = /^([A-Z][A-Z0-9_]*)-(\d+)$/i.exec(vals[0].trim());
  if (!m) throw bad(`The issue key '${vals[0]}' for field '${field}' is invalid.`);
  const project = store.defs.projects.find((p) => p.key.toLowerCase() === m[1].toLowerCase());
  if (!project) throw bad(`The issue key '${vals[0]}' for field '${field}' is invalid.`);
  const n = Number(m[2]);
  return (i) => i.projectId === project.id && rangeTest(op, Number(i.key.slice(i.key.lastIndexOf('-') + 1)), n);
}

/** The custom field a JQL name refers to (`cf[10010]`, `customfield_10010` or its name), or undefined. */
export function customFieldOf(store: SiteStore, field: string): CustomFieldDef | undefined {
  const lower = field.toLowerCase();
  const cf = /^cf\[(\d+)\]$/.exec(lower);
  const id = cf ? `customfield_${cf[1]}` : lower;
  const all = store.customFields();
  return all.find((f) => f.id === id) ?? all.find((f) => f.name.toLowerCase() === lower);
}

const DATE_TYPES = new Set(['datepicker', 'datetime']);
const TEXT_TYPES = new Set(['textfield', 'textarea', 'url']);

/** Comparable values of a stored custom field value: numbers, epoch ms, or lower-cased strings. */
function customValues(f: CustomFieldDef, v: unknown): Array<string | number> {
  if (v === null || v === undefined) return [];
  if (f.type === 'float') return [Number(v)];
  if (DATE_TYPES.has(f.type)) return [f.type === 'datepicker' ? Date.parse(`${v}T00:00:00Z`) : jiraTime(String(v))];
  if (f.type === 'textarea') return [adfToText(v as never).toLowerCase()];
  if (f.type === 'multiversion') return (v as Array<{ id: string; name: string }>).flatMap((r) => [r.id, r.name.toLowerCase()]);
  const list = (Array.isArray(v) ? v : [v]).map(String);
  if (f.options.length) return list.flatMap((id) => [id, (f.options.find((o) => o.id === id)?.value ?? id).toLowerCase()]);
  return list.map((s) => s.toLowerCase());
}

/**
 * A clause over a custom field.
 * @throws JiraError 400 on an operator the field's type does not support, or an option value it does not have
 */
export function customClause(f: CustomFieldDef, t: TerminalInput): Matcher {
  const get = (i: IssueRec) => customValues(f, i.custom?.[f.id]);
  const name = t.field;
  if (t.op === 'is' || t.op === 'is not' || t.vals === 'EMPTY') return emptyClause(get, t.op, name);
  const vals = t.vals;
  if (RANGE.has(t.op)) {
    if (f.type !== 'float' && !DATE_TYPES.has(f.type)) throw bad(`The operator '${t.op}' is not supported by the '${name}' field.`);
    const limit = f.type === 'float' ? Number(vals[0]) : t.date(vals[0], name);
    if (Number.isNaN(limit)) throw bad(`The value '${vals[0]}' is not a valid number for field '${name}'.`);
    return (i) => get(i).some((x) => rangeTest(t.op, x as number, limit));
  }
  if (t.op === '~' || t.op === '!~') {
    if (!TEXT_TYPES.has(f.type)) throw bad(`The operator '${t.op}' is not supported by the '${name}' field.`);
    const words = vals.join(' ').toLowerCase().split(/\s+/).filter(Boolean);
    const hit = (i: IssueRec) => get(i).some((x) => words.every((w) => String(x).includes(w)));
    return t.op === '~' ? hit : (i) => !hit(i);
  }
  if (TEXT_TYPES.has(f.type) && f.type !== 'url') throw bad(`The operator '${t.op}' is not supported by the '${name}' field.`);
  if (f.options.length) {
    for (const v of vals) {
      if (!f.options.some((o) => o.id === v || o.value.toLowerCase() === v.toLowerCase())) throw bad(`The option '${v}' for field '${name}' does not exist.`);
    }
  }
  const wanted = vals.map((v) => (f.type === 'float' ? Number(v) : DATE_TYPES.has(f.type) ? t.date(v, name) : v.toLowerCase()));
  return equality(t.op, name, (i) => get(i).some((x) => wanted.includes(x)));
}

function emptyClause(get: (i: IssueRec) => unknown[], op: string, name: string): Matcher {
  if (op === 'is' || op === '=' || op === 'in') return (i) => get(i).length === 0;
  if (op === 'is not' || op === '!=' || op === 'not in') return (i) => get(i).length > 0;
  throw bad(`The operator '${op}' is not supported with EMPTY for field '${name}'.`);
}

function equality(op: string, name: string, has: Matcher): Matcher {
  if (op === '=' || op === 'in') return has;
  if (op === '!=' || op === 'not in') return (i) => !has(i);
  throw bad(`The operator '${op}' is not supported by the '${name}' field.`);
}

