/**
 * JQL over issue properties that an installed app indexes (`jira:entityProperty`), the one piece of JQL the
 * "Partner sync" field needs, hooked into `./jql.ts` with one line.
 *
 * As Jira Cloud does:
 * - only paths a `jira:entityProperty` module declares are indexed; `issue.property[key].path` with `key.path`
 *   declared, or the path's `searchAlias` used as a field name (`partnerSyncState = failing`);
 * - a declared path of type `string` matches exact values (`=`, `!=`, `in`, `not in`, `is EMPTY`,
 *   `is not EMPTY`); `~` and ordering are refused with Jira's "operator is not supported" message;
 * - `issue.property[...]` on a path nobody indexed finds nothing (Jira has no index entries for it).
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-entity-property/
 * @see https://developer.atlassian.com/cloud/jira/platform/jira-entity-properties/#making-searchable-entity-properties
 */
import { JiraError } from './errors';
import type { SiteStore } from './store';
import type { IssueRec } from './types';

/** One indexed path: `issue.property[propertyKey].path`, of `type`, optionally searchable as `searchAlias`. */
export interface IndexedPath {
  propertyKey: string;
  path: string;
  type: 'string' | 'number' | 'text' | 'user' | 'date';
  searchAlias?: string;
}

const registry = new WeakMap<SiteStore, IndexedPath[]>();

/** Declares the paths an installed app indexes on a site (replaces earlier declarations). */
export function setIndexedPaths(store: SiteStore, paths: IndexedPath[]): void {
  registry.set(store, paths);
}

type Operand = { operandType: string; value?: string; values?: Operand[] };
type Terminal = { field?: { value: string; properties?: Array<{ key?: { value: string }; path?: Array<{ value: string }> }> }; operator: { value: string }; operand?: Operand };

function valueAt(i: IssueRec, propertyKey: string, path: string): string[] {
  let v: unknown = (i.properties as Record<string, unknown> | undefined)?.[propertyKey];
  for (const part of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

function operand(o: Operand | undefined, name: string): string[] | 'EMPTY' {
  if (!o) throw JiraError.badRequest(`Expecting a value for field '${name}'.`);
  if (o.operandType === 'keyword') return 'EMPTY';
  if (o.operandType === 'list') return (o.values ?? []).flatMap((v) => operand(v, name) as string[]);
  if (o.operandType === 'value') return [String(o.value)];
  throw JiraError.badRequest(`The operand of field '${name}' is not supported.`);
}

/**
 * Compiles a clause on an indexed property, or returns null when the clause is about another field.
 * @throws JiraError 400 on an operator Jira refuses for a string property
 */
export function compileAppFieldClause(c: Terminal, store: SiteStore): ((i: IssueRec) => boolean) | null {
  const f = c.field;
  if (!f) return null;
  const paths = registry.get(store) ?? [];
  let target: { propertyKey: string; path: string; declared: boolean; name: string } | null = null;
  if (f.value.toLowerCase() === 'issue.property' && f.properties?.length) {
    const p = f.properties[0];
    const propertyKey = p.key?.value ?? '';
    const path = (p.path ?? []).map((x) => x.value.replace(/^\./, '')).join('.');
    target = { propertyKey, path, declared: paths.some((d) => d.propertyKey === propertyKey && d.path === path), name: `issue.property[${propertyKey}].${path}` };
  } else {
    const alias = paths.find((d) => d.searchAlias && d.searchAlias.toLowerCase() === f.value.toLowerCase());
    if (alias) target = { propertyKey: alias.propertyKey, path: alias.path, declared: true, name: alias.searchAlias! };
  }
  if (!target) return null;
  const { propertyKey, path, declared, name } = target;
  const op = c.operator.value.toLowerCase().replace(/\s+/g, ' ');
  const vals = operand(c.operand, name);
  const get = (i: IssueRec) => (declared ? valueAt(i, propertyKey, path) : []);
  if (op === 'is' || op === 'is not') {
    if (vals !== 'EMPTY') throw JiraError.badRequest(`The operator '${op}' is only supported with EMPTY or NULL for field '${name}'.`);
    return op === 'is' ? (i) => get(i).length === 0 : (i) => get(i).length > 0;
  }
  if (vals === 'EMPTY') throw JiraError.badRequest(`The operator '${op}' is not supported with EMPTY for field '${name}'.`);
  const has = (i: IssueRec) => get(i).some((x) => vals.includes(x));
  if (op === '=' || op === 'in') return has;
  if (op === '!=' || op === 'not in') return (i) => get(i).length > 0 && !has(i);
  throw JiraError.badRequest(`The operator '${op}' is not supported by the '${name}' field.`);
}
