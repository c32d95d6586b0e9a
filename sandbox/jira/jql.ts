/**
 * A JQL subset over stored issues, parsed with `@atlaskit/jql-ast`. Fields: project, key/issuekey/id (with ranges),
 * custom fields and `issue.property[…]` (both in `./jql-fields.ts`), updated,
 * created, status, statusCategory, priority, issuetype/type, labels, summary/text (`~`), assignee/reporter/creator
 * (accountId, `currentUser()`, EMPTY), resolution (`Unresolved`/EMPTY). Operators: `= != in not in > >= < <= ~ !~
 * is is not`, `AND`/`OR`/`NOT`, `ORDER BY` (default `created DESC`). Dates: `"yyyy-MM-dd[ HH:mm]"` (UTC), relative
 * `-5m`/`-2h`/`-1d`/`-1w`, or epoch ms.
 * @see https://support.atlassian.com/jira-software-cloud/docs/jql-fields/
 */
import { adfToText } from './adf';
import { JiraError } from './errors';
import { compileAppFieldClause } from './jql-app-fields';
import { customClause, customFieldOf, keyRange } from './jql-fields';
import { jiraTime, type SiteStore } from './store';
import type { IssueRec } from './types';
import { parentValues, unknownParentValue } from './hierarchy'; // hierarchy: `parent = X`, `parent in (…)`

const { JastBuilder } = require('@atlaskit/jql-ast');

/** A compiled query: filter and order. */
export interface CompiledJql {
  match(i: IssueRec): boolean;
  compare(a: IssueRec, b: IssueRec): number;
  /** Has a search restriction (a WHERE part); `''` and `ORDER BY key` alone are unbounded. */
  bounded: boolean;
}

type Operand = { operandType: 'value' | 'list' | 'keyword' | 'function'; value?: string; values?: Operand[]; function?: { value: string } };
type Clause = {
  clauseType: 'terminal' | 'compound' | 'not';
  field?: { value: string; properties?: Array<{ key?: { value: string }; path?: Array<{ value: string }> }> };
  operator: { value: string };
  operand?: Operand;
  clauses?: Clause[];
  clause?: Clause;
};

const bad = (m: string) => JiraError.badRequest(m);

const RELATIVE = /^([+-]?\d+)\s*([wdhm])$/i;
const UNIT_MS: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000 };

/** Parses a JQL date operand to epoch ms (UTC). @throws JiraError 400 on an unreadable date */
export function jqlDate(v: string, field: string, now = Date.now()): number {
  const rel = RELATIVE.exec(v.trim());
  if (rel) return now + Number(rel[1]) * UNIT_MS[rel[2].toLowerCase()];
  if (/^\d{10,}$/.test(v)) return Number(v);
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(v.trim());
  if (!m) {
    throw bad(`Date value '${v}' for field '${field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`);
  }
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0));
}

/**
 * Compiles JQL for one site.
 * @param actorId accountId for `currentUser()`
 * @throws JiraError 400 with Jira's messages on syntax errors, unknown fields or values, unsupported operators
 */
export function compileJql(jql: string, store: SiteStore, actorId?: string): CompiledJql {
  if (!jql.trim()) return { match: () => true, compare: byFields([{ field: 'created', dir: -1 }]), bounded: false };
  const ast = new JastBuilder().build(jql);
  if (ast.errors.length > 0) {
    const e = ast.errors[0];
    throw bad(`Error in the JQL Query: ${e.description ?? e.message ?? 'syntax error'} (line ${e.line ?? 1}, character ${e.charPositionInLine ?? 0})`);
  }
  const where: Clause | undefined = ast.query?.where;
  const match = where ? compileClause(where, store, actorId) : () => true;
  const order = (ast.query?.orderBy?.fields ?? []).map((f: any) => {
    const field = String(f.field.value).toLowerCase();
    if (!SORTABLE.has(field)) throw bad(`Not able to sort using field '${f.field.value}'.`);
    return { field, dir: String(f.direction?.value ?? 'ASC').toUpperCase() === 'DESC' ? -1 : 1 };
  });
  return { match, compare: byFields(order.length ? order : [{ field: 'created', dir: -1 }]), bounded: !!where };
}

const SORTABLE = new Set(['updated', 'created', 'key', 'issuekey', 'id', 'priority', 'status', 'summary']);

function keyParts(k: string): [string, number] {
  const i = k.lastIndexOf('-');
  return [k.slice(0, i), Number(k.slice(i + 1))];
}

function byFields(order: Array<{ field: string; dir: number }>): (a: IssueRec, b: IssueRec) => number {
  const val = (i: IssueRec, f: string): string | number => {
    if (f === 'updated' || f === 'created') return jiraTime(i[f]);
    if (f === 'id') return Number(i.id);
    if (f === 'priority') return Number(i.priorityId ?? 1e9);
    if (f === 'status') return Number(i.statusId);
    if (f === 'summary') return i.summary.toLowerCase();
    return i.key;
  };
  return (a, b) => {
    for (const { field, dir } of order) {
      if (field === 'key' || field === 'issuekey') {
        const [pa, na] = keyParts(a.key);
        const [pb, nb] = keyParts(b.key);
        const c = pa === pb ? na - nb : pa < pb ? -1 : 1;
        if (c) return c * dir;
        continue;
      }
      const x = val(a, field);
      const y = val(b, field);
      if (x !== y) return (x < y ? -1 : 1) * dir;
    }
    return Number(a.id) - Number(b.id);
  };
}

function compileClause(c: Clause, store: SiteStore, actorId?: string): (i: IssueRec) => boolean {
  if (c.clauseType === 'compound') {
    const parts = c.clauses!.map((x) => compileClause(x, store, actorId));
    return c.operator.value.toLowerCase() === 'or' ? (i) => parts.some((p) => p(i)) : (i) => parts.every((p) => p(i));
  }
  if (c.clauseType === 'not') {
    const inner = compileClause(c.clause!, store, actorId);
    return (i) => !inner(i);
  }
  return compileTerminal(c, store, actorId);
}

/** Field accessors: values of an issue a clause compares against (strings, lower-cased where names are matched). */
function accessor(field: string, store: SiteStore): ((i: IssueRec) => Array<string | number>) | null {
  const d = store.defs;
  switch (field) {
    case 'project': return (i) => { const p = store.project(i.projectId)!; return [p.id, p.key.toLowerCase(), p.name.toLowerCase()]; };
    case 'key': case 'issuekey': case 'id': return (i) => [i.id, i.key.toLowerCase()];
    case 'updated': case 'created': return (i) => [jiraTime(i[field])];
    case 'status': return (i) => [i.statusId, store.status(i.statusId).name.toLowerCase()];
    case 'statuscategory': return (i) => [store.status(i.statusId).category];
    case 'priority': return (i) => { const p = d.priorities.find((x) => x.id === i.priorityId); return p ? [p.id, p.name.toLowerCase()] : []; };
    case 'issuetype': case 'type': return (i) => { const t = d.issueTypes.find((x) => x.id === i.issueTypeId); return t ? [t.id, t.name.toLowerCase()] : []; };
    case 'labels': return (i) => i.labels.map((l) => l.toLowerCase());
    case 'summary': return (i) => [i.summary.toLowerCase()];
    // `text` searches summary, description and comments, like Jira's text field.
    case 'text': return (i) => [[i.summary, adfToText(i.description), ...i.comments.map((c) => adfToText(c.body))].join('\n').toLowerCase()];
    case 'assignee': return (i) => (i.assigneeId ? [i.assigneeId] : []);
    case 'reporter': return (i) => (i.reporterId ? [i.reporterId] : []);
    case 'creator': return (i) => (i.creatorId ? [i.creatorId] : []);
    case 'resolution': return (i) => (i.resolution ? [i.resolution.id, i.resolution.name.toLowerCase()] : []);
    case 'parent': return (i) => parentValues(store, i); // hierarchy
    default: return null;
  }
}

function operandValues(o: Operand | undefined, field: string, actorId?: string): string[] | 'EMPTY' {
  if (!o) throw bad(`Expecting a value for field '${field}'.`);
  if (o.operandType === 'keyword') return 'EMPTY';
  if (o.operandType === 'list') return o.values!.flatMap((v) => operandValues(v, field, actorId) as string[]);
  if (o.operandType === 'function') {
    const fn = o.function!.value.toLowerCase();
    if (fn === 'currentuser' && actorId) return [actorId];
    if (fn === 'now') return [String(Date.now())];
    throw bad(`Unable to find JQL function '${o.function!.value}()'.`);
  }
  return [String(o.value)];
}

function compileTerminal(c: Clause, store: SiteStore, actorId?: string): (i: IssueRec) => boolean {
  const field = c.field!.value.toLowerCase();
  // `issue.property[key].path` and the search aliases of properties the app indexes (`jira:entityProperty`).
  const appField = compileAppFieldClause(c, store);
  if (appField) return appField;
  const op = c.operator.value.toLowerCase().replace(/\s+/g, ' ');
  const get = accessor(field, store);
  if (!get) {
    const input = { field: c.field!.value, properties: c.field!.properties, op, vals: operandValues(c.operand, field, actorId), date: (v: string, f: string) => jqlDate(v, f) };
    const custom = customFieldOf(store, c.field!.value);
    if (custom) return customClause(custom, input);
    throw bad(`Field '${c.field!.value}' does not exist or you do not have permission to view it.`);
  }
  const vals = operandValues(c.operand, field, actorId);
  if ((field === 'key' || field === 'issuekey') && ['>', '>=', '<', '<='].includes(op)) return keyRange(store, op, vals, field);
  if (op === 'is' || op === 'is not') {
    if (vals !== 'EMPTY') throw bad(`The operator '${op}' is only supported with EMPTY or NULL for field '${field}'.`);
    return op === 'is' ? (i) => get(i).length === 0 : (i) => get(i).length > 0;
  }
  if (vals === 'EMPTY') {
    if (op === '=' || op === 'in') return (i) => get(i).length === 0;
    if (op === '!=' || op === 'not in') return (i) => get(i).length > 0;
    throw bad(`The operator '${op}' is not supported with EMPTY for field '${field}'.`);
  }
  if (field === 'updated' || field === 'created') {
    const t = vals.map((v) => jqlDate(v, field));
    const cmp: Record<string, (x: number) => boolean> = {
      '=': (x) => t.includes(x), '!=': (x) => !t.includes(x), '>': (x) => x > t[0], '>=': (x) => x >= t[0],
      '<': (x) => x < t[0], '<=': (x) => x <= t[0], in: (x) => t.includes(x), 'not in': (x) => !t.includes(x),
    };
    const f = cmp[op];
    if (!f) throw bad(`The operator '${op}' is not supported by the '${field}' field.`);
    return (i) => f(get(i)[0] as number);
  }
  if (op === '~' || op === '!~') {
    if (field !== 'summary' && field !== 'text') throw bad(`The operator '${op}' is not supported by the '${field}' field.`);
    const words = vals.join(' ').toLowerCase().split(/\s+/).filter(Boolean);
    const hit = (i: IssueRec) => words.every((w) => String(get(i)[0]).includes(w));
    return op === '~' ? hit : (i) => !hit(i);
  }
  const wanted = vals.map((v) => v.toLowerCase());
  if (field === 'project') {
    // JQL values ignore case (`project = aloy` finds ALOY), unlike keys in REST paths.
    for (const v of wanted) if (!store.defs.projects.some((p) => p.id === v || p.key.toLowerCase() === v || p.name.toLowerCase() === v)) {
      throw bad(`The value '${v.toUpperCase()}' does not exist for the field 'project'.`);
    }
  }
  if ((field === 'key' || field === 'issuekey') && ['=', 'in', '!=', 'not in'].includes(op)) {
    // Jira Cloud refuses a key that names no issue, even under `in` or `!=` (it resolves keys before searching).
    for (const v of wanted) if (!/^\d+$/.test(v) && !issueExists(store, v)) throw bad(`An issue with key '${v.toUpperCase()}' does not exist for field '${field}'.`);
  }
  if (field === 'status') {
    for (const v of wanted) if (!store.defs.statuses.some((s) => s.id === v || s.name.toLowerCase() === v)) {
      throw bad(`The value '${v}' does not exist for the field 'status'.`);
    }
  }
  if (field === 'parent') { const m = unknownParentValue(store, wanted); if (m) throw bad(m); } // hierarchy
  const unresolved = field === 'resolution' && wanted.includes('unresolved');
  const has = (i: IssueRec) => (unresolved && !i.resolution) || get(i).some((x) => wanted.includes(String(x).toLowerCase()));
  if (op === '=' || op === 'in') return has;
  if (op === '!=' || op === 'not in') return (i) => !has(i);
  throw bad(`The operator '${op}' is not supported by the '${field}' field.`);
}

function issueExists(store: SiteStore, key: string): boolean {
  try {
    store.issue(key);
    return true;
  } catch {
    return false;
  }
}
