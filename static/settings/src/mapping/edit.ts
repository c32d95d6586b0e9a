/**
 * Pure edits of a {@link ConnectionMapping} as the editor makes them: each returns a new mapping, the old one is
 * never changed (React state). Ids are Jira's: status id, issue type id, priority id, accountId, option value.
 */
import type { ConnectionMapping, FieldMap, IdMapPair } from '../../../../src/model/mapping';

/** The connection-wide maps the editor edits as two-column tables. */
export type PairKey = 'issueTypes' | 'status' | 'priority' | 'users';
/** One way of a pair: `toPartner` (rows are local ids) or `toLocal` (rows are partner ids). */
export type Way = keyof IdMapPair;

/** `pair` with `way[from] = to`, or without the entry when `to` is empty (no counterpart). */
export function setEntry(pair: IdMapPair | undefined, way: Way, from: string, to: string): IdMapPair {
  const next = { toPartner: { ...(pair?.toPartner ?? {}) }, toLocal: { ...(pair?.toLocal ?? {}) } };
  if (to) next[way][from] = to;
  else delete next[way][from];
  return next;
}

/** `mapping` with `mapping[key]` edited by {@link setEntry}. */
export function setPair(mapping: ConnectionMapping, key: PairKey, way: Way, from: string, to: string): ConnectionMapping {
  return { ...mapping, [key]: setEntry(mapping[key], way, from, to) };
}

/** `mapping` with field row `row` replaced by `patch` applied to it. */
export function setRow(mapping: ConnectionMapping, row: number, patch: Partial<FieldMap>): ConnectionMapping {
  return { ...mapping, fields: mapping.fields.map((f, i) => (i === row ? { ...f, ...patch } : f)) };
}

/** `mapping` with a new row appended (the editor's "Add a field"). */
export function addRow(mapping: ConnectionMapping, row: FieldMap): ConnectionMapping {
  return { ...mapping, fields: [...mapping.fields, row] };
}

/** `mapping` without field row `row`. */
export function removeRow(mapping: ConnectionMapping, row: number): ConnectionMapping {
  return { ...mapping, fields: mapping.fields.filter((_, i) => i !== row) };
}
