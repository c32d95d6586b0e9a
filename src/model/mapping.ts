/**
 * The field mapping of a connection, as stored: which local field syncs with which partner field, which way, how
 * option values translate, and the connection-wide maps (issue types, statuses, priorities, users). Built with
 * defaults by `src/sync/defaults.ts`, edited in Project settings → Task sync, read by every codec in
 * `./fields.ts`. Changes apply from the next sync; base snapshots of fields no longer mapped are simply ignored.
 */
import { z } from 'zod';

/** The kinds of field the registry has a codec for (see `./fields.ts`). */
export const FIELD_KINDS = [
  'text',
  'paragraph',
  'number',
  'date',
  'datetime',
  'url',
  'labels',
  'select',
  'multiselect',
  'checkbox',
  'radio',
  'user',
  'multiuser',
  'priority',
  'status',
  'issuetype',
  'components',
  'versions',
  'estimate', // worklogs: original / remaining estimate (seconds), written through Jira's `timetracking` field
] as const;
export const FieldKind = z.enum(FIELD_KINDS);
export type FieldKind = z.infer<typeof FieldKind>;

/**
 * How a conflict (a field changed on both sides to different values since the base) is settled: one side always
 * wins, the side whose own change of that field is newer wins (each side's changelog), or `manual` (a person
 * chooses in the issue panel; the other fields keep syncing meanwhile).
 */
export const ConflictPolicy = z.enum(['local-wins', 'partner-wins', 'newest-wins', 'manual']);
export type ConflictPolicy = z.infer<typeof ConflictPolicy>;

/** Which way a mapped field syncs. `off` keeps the row (so the editor shows the choice) but syncs nothing. */
export const FieldDirection = z.enum(['both', 'to-partner', 'from-partner', 'off']);
export type FieldDirection = z.infer<typeof FieldDirection>;

/** A one-way map both ways: `toPartner[local value] = partner value`, `toLocal[partner value] = local value`. */
export const IdMapPair = z.object({
  toPartner: z.record(z.string(), z.string()).default({}),
  toLocal: z.record(z.string(), z.string()).default({}),
});
export type IdMapPair = z.infer<typeof IdMapPair>;

/**
 * One mapped field: local field id ↔ partner field id (e.g. `customfield_10011` ↔ `customfield_10042`), the kind
 * whose codec reads and writes it, the direction, and for option and by-name kinds (select, multi-select, checkbox,
 * radio, components, versions) the value map: a value with no entry has no counterpart on the other side.
 */
export const FieldMap = z.object({
  local: z.string().min(1),
  partner: z.string().min(1),
  kind: FieldKind,
  direction: FieldDirection.default('both'),
  /** Names for the sync log and the editor, e.g. `{local: 'Due date', partner: 'Due date'}`. */
  name: z.object({ local: z.string(), partner: z.string() }),
  values: IdMapPair.optional(),
  /** This field's conflict policy; absent = the connection's `conflictPolicy`. */
  policy: ConflictPolicy.optional(),
});
export type FieldMap = z.infer<typeof FieldMap>;

/** Everything a connection maps. Each field id appears in at most one row per side. */
export const ConnectionMapping = z.object({
  fields: z.array(FieldMap),
  /** Local issue type id ↔ partner issue type id. */
  issueTypes: IdMapPair,
  /** Local status id ↔ partner status id (many-to-one allowed; `toLocal` names the reverse choice). */
  status: IdMapPair,
  /** Local priority id ↔ partner priority id. */
  priority: IdMapPair,
  /** Local accountId ↔ partner accountId. A user with no entry is never guessed: the field is left unchanged. */
  users: IdMapPair,
  // hierarchy (issue 12): local link type id ↔ partner link type id; absent (older mappings) = matched by name
  linkTypes: IdMapPair.optional(),
});
export type ConnectionMapping = z.infer<typeof ConnectionMapping>;

export type Side = 'local' | 'partner';
export const otherSide = { local: 'partner', partner: 'local' } as const satisfies Record<Side, Side>;

/** The one-way map to use for a value coming from `from` (`toPartner` from local, `toLocal` from partner). */
export function oneWay(pair: IdMapPair | undefined, from: Side): Record<string, string> {
  if (!pair) return {};
  return from === 'local' ? pair.toPartner : pair.toLocal;
}

/** Whether a field row copies values from `from` to the other side. */
export function copiesFrom(field: FieldMap, from: Side): boolean {
  if (field.direction === 'off') return false;
  if (field.direction === 'both') return true;
  return field.direction === (from === 'local' ? 'to-partner' : 'from-partner');
}

/** The rows that sync at all (direction not `off`). */
export function activeFields(mapping: Pick<ConnectionMapping, 'fields'>): FieldMap[] {
  return mapping.fields.filter((f) => f.direction !== 'off');
}

/** Kinds whose values are interchangeable: a field of one may map onto a field of the other. */
const COMPATIBLE: ReadonlyArray<readonly FieldKind[]> = [
  ['text', 'url'],
  ['select', 'radio'],
  ['multiselect', 'checkbox'],
];

/**
 * Whether a field of kind `a` can sync with a field of kind `b` (same kind, or listed as compatible). Here, not in
 * `./fields.ts`, so the browser (the mapping editor) can use it without the codecs.
 */
export function compatibleKinds(a: FieldKind, b: FieldKind): boolean {
  return a === b || COMPATIBLE.some((group) => group.includes(a) && group.includes(b));
}
