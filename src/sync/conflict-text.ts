/**
 * Sync-log words for a conflict: which field changed on both sides, which value was kept and which one was
 * discarded, so an admin can put the discarded value back by hand if the policy chose wrong. Values are shown as a
 * reader sees them (ADF as its plain text, label sets joined, status/priority by name) and cut to
 * {@link CONFLICT_VALUE_MAX} characters so one entry stays readable.
 */
import type { AdfNode, FieldConflict } from '../model/types';

/** Longest value quoted in a conflict entry, in characters (longer values end in `…`). */
export const CONFLICT_VALUE_MAX = 80;

/** Display names of a side's current status and priority (the merge works on ids). */
export interface SideNames {
  status?: string;
  priority?: string;
}

/** Plain text of an ADF node: text nodes joined, blocks separated by a space. */
function adfPlain(node: AdfNode): string {
  if (typeof node.text === 'string') return node.text;
  if (node.type === 'mention') return String(node.attrs?.text ?? '@someone');
  if (node.type === 'hardBreak') return ' ';
  const inner = (node.content ?? []).map(adfPlain);
  return node.type === 'paragraph' || node.type === 'text' ? inner.join('') : inner.join(' ');
}

/** `'value'` as a short quoted text, or `(empty)`. */
export function quoteValue(field: FieldConflict['field'], value: unknown, names: SideNames = {}): string {
  let text: string;
  if (value === null || value === undefined) text = '';
  else if (typeof value === 'object' && (value as AdfNode).type === 'doc') text = adfPlain(value as AdfNode);
  else if (typeof value === 'object' && 'digest' in (value as object)) text = '(a text too large to keep)';
  else if (Array.isArray(value)) text = value.join(', ');
  else if (field === 'status') text = names.status ?? String(value);
  else if (field === 'priority') text = names.priority ?? String(value);
  else text = String(value);
  text = text.replace(/\s+/g, ' ').trim();
  if (!text) return '(empty)';
  if (text.length > CONFLICT_VALUE_MAX) text = `${text.slice(0, CONFLICT_VALUE_MAX - 1).trimEnd()}…`;
  return `'${text}'`;
}

/**
 * One sentence per conflict, e.g. `summary changed on both sides; kept local 'A', discarded partner 'B'.` or, under
 * the `manual` policy, `… left for you to choose between local 'A' and partner 'B'.`
 */
export function describeConflict(conflict: FieldConflict, names: { local: SideNames; partner: SideNames }): string {
  const local = quoteValue(conflict.field, conflict.local, names.local);
  const partner = quoteValue(conflict.field, conflict.partner, names.partner);
  const head = `${conflict.name ?? conflict.field} changed on both sides;`;
  if (conflict.resolution === 'manual') return `${head} left for you to choose between local ${local} and partner ${partner}.`;
  return conflict.resolution === 'local'
    ? `${head} kept local ${local}, discarded partner ${partner}.`
    : `${head} kept partner ${partner}, discarded local ${local}.`;
}
