/**
 * Fixtures from the real data in ../shared/data (read in place, never copied): the Appcelerator issue dump (Jira
 * Server REST v2, wiki markup) converted to REST v3 shapes with Atlassian's wiki → ADF transformer, and verbatim Jira
 * Cloud webhook deliveries.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { codecOf } from '../../src/model/fields';
import type { ConnectionMapping, Side } from '../../src/model/mapping';
import type { AdfDoc, CommentValue, SideValues } from '../../src/model/types';
import { LEGACY_FIELDS } from '../../src/store/migrate';
import { buildIdMap, withOverrides, type NamedId } from '../../src/sync/mapping';
import { convertValue } from '../../src/sync/merge';
import { readSide, toEdit } from '../../src/sync/values';

// CommonJS packages (see DESIGN.md "Platform facts").
const { WikiMarkupTransformer } = require('@atlaskit/editor-wikimarkup-transformer');
const { JSONTransformer } = require('@atlaskit/editor-json-transformer');

const DATA = join(__dirname, '..', '..', '..', 'shared', 'data');

/** One issue of the dump (REST v2 shape). */
export interface DumpIssue {
  id: string;
  key: string;
  fields: Record<string, any>;
}

let issues: DumpIssue[] | undefined;

/** All 2,183 issues of `issues/tidev-ALOY-DAEMON-MOD.jsonl.gz`, parsed once. */
export function loadIssues(): DumpIssue[] {
  issues ??= gunzipSync(readFileSync(join(DATA, 'issues', 'tidev-ALOY-DAEMON-MOD.jsonl.gz')))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
  return issues;
}

/** A dump issue by key, e.g. `ALOY-1`. @throws Error when absent. */
export function issueByKey(key: string): DumpIssue {
  const issue = loadIssues().find((i) => i.key === key);
  if (!issue) throw new Error(`No issue ${key} in the dump`);
  return issue;
}

const wiki = new WikiMarkupTransformer();
const json = new JSONTransformer();

/** Wiki markup → ADF JSON exactly as the transformer emits it (not canonicalised). */
export function wikiToAdf(text: string): AdfDoc {
  return json.encode(wiki.parse(text)) as AdfDoc;
}

/** A dump issue's `fields` as REST v3 would carry them: description as ADF. */
export function v3Fields(issue: DumpIssue): Record<string, unknown> {
  const d = issue.fields.description;
  return { ...issue.fields, description: typeof d === 'string' ? wikiToAdf(d) : null };
}

/** A dump issue's comments (those with a body) as the engine sees them, authored by `accountIdPrefix + name`. */
export function commentsOf(issue: DumpIssue, accountIdPrefix = 'acc-'): CommentValue[] {
  return (issue.fields.comment?.comments ?? [])
    .filter((c: any) => typeof c.body === 'string')
    .map((c: any) => ({
      id: String(c.id),
      authorAccountId: `${accountIdPrefix}${c.author?.name ?? 'anon'}`,
      authorName: c.author?.displayName ?? 'Anonymous',
      body: wikiToAdf(c.body),
      created: c.created,
      updated: c.updated,
    }));
}

/** Texts (descriptions and comment bodies) of the first `n` issues that have them, wiki markup as stored. */
export function wikiTexts(n: number): string[] {
  const out: string[] = [];
  for (const issue of loadIssues()) {
    if (typeof issue.fields.description === 'string') out.push(issue.fields.description);
    for (const c of issue.fields.comment?.comments ?? []) if (typeof c.body === 'string') out.push(c.body);
    if (out.length >= n) break;
  }
  return out.slice(0, n);
}

/** Distinct statuses of the dump (the local site's), ordered by id: Open 1 … In QE Test 10005, with category keys. */
export function localStatuses(): NamedId[] {
  const byId = new Map<string, NamedId>();
  for (const i of loadIssues()) {
    const s = i.fields.status;
    byId.set(s.id, { id: s.id, name: s.name, category: s.statusCategory.key });
  }
  return [...byId.values()].sort((a, b) => Number(a.id) - Number(b.id));
}

/** Distinct priorities of the dump, ordered by id (= rank, highest first): Critical 1 … None 6. */
export function localPriorities(): NamedId[] {
  const byId = new Map<string, NamedId>();
  for (const i of loadIssues()) if (i.fields.priority) byId.set(i.fields.priority.id, { id: i.fields.priority.id, name: i.fields.priority.name });
  return [...byId.values()].sort((a, b) => Number(a.id) - Number(b.id));
}

/** The partner site's simplified workflow (Jira Cloud team-managed defaults). */
export const partnerStatuses: NamedId[] = [
  { id: '10000', name: 'Open', category: 'new' },
  { id: '10001', name: 'Working', category: 'indeterminate' },
  { id: '10002', name: 'Closed', category: 'done' },
];

/** Jira Cloud's default priorities with their default ids, highest first. */
export const partnerPriorities: NamedId[] = [
  { id: '1', name: 'Highest' },
  { id: '2', name: 'High' },
  { id: '3', name: 'Medium' },
  { id: '4', name: 'Low' },
  { id: '5', name: 'Lowest' },
];

/** A verbatim webhook delivery from `webhooks/jira-cloud/<name>.json`. */
export function loadWebhook(name: string): any {
  return JSON.parse(readFileSync(join(DATA, 'webhooks', 'jira-cloud', `${name}.json`), 'utf8'));
}

/** The five fields the engine synced before field mapping existed (still the rows of a migrated connection). */
export type SyncedField = 'summary' | 'description' | 'priority' | 'labels' | 'status';
const rowOf = (field: string) => LEGACY_FIELDS.find((f) => f.local === field)!;

/**
 * A connection mapping of the five legacy rows with automatic status and priority maps between the given lists
 * (and admin overrides), as `src/sync/defaults.ts` builds them for a new connection.
 */
export function buildFieldMapping(input: { localStatuses: NamedId[]; partnerStatuses: NamedId[]; localPriorities: NamedId[]; partnerPriorities: NamedId[]; statusMap?: Record<string, string>; priorityMap?: Record<string, string> }): ConnectionMapping {
  return {
    fields: structuredClone(LEGACY_FIELDS),
    issueTypes: { toPartner: {}, toLocal: {} },
    status: withOverrides(buildIdMap(input.localStatuses, input.partnerStatuses, 'status'), input.statusMap, input.localStatuses.map((x) => x.id)),
    priority: withOverrides(buildIdMap(input.localPriorities, input.partnerPriorities, 'priority'), input.priorityMap, input.localPriorities.map((x) => x.id)),
    users: { toPartner: {}, toLocal: {} },
  };
}

/** The legacy five fields of an issue, normalised through their codecs (`readSide`). */
export function normaliseIssue(fields: Record<string, unknown>): SideValues & Record<SyncedField, any> {
  return readSide(fields, { fields: LEGACY_FIELDS } as ConnectionMapping, 'local') as SideValues & Record<SyncedField, any>;
}

/** Whether two values of a legacy field are the same once normalised (its codec's `same`). */
export function sameValue(field: SyncedField, a: unknown, b: unknown): boolean {
  return codecOf(rowOf(field)).same(a, b);
}

/** A legacy field's value in the other side's terms, or undefined when it has no counterpart. */
export function mapValue(field: SyncedField, value: unknown, from: Side, mapping: ConnectionMapping): unknown {
  const out = convertValue(rowOf(field), value, from, mapping);
  return 'skip' in out ? undefined : out.value;
}

/** The REST edit `fields` of legacy values (status left to a transition). */
export function toEditFields(values: SideValues): Record<string, unknown> {
  return toEdit(values, { fields: LEGACY_FIELDS } as ConnectionMapping, 'partner').fields;
}
