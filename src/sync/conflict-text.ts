/**
 * Sync-log words for a conflict: which field changed on both sides, which value was kept and which one was
 * discarded, so an admin can put the discarded value back by hand if the policy chose wrong. Values are shown as a
 * reader sees them (ADF as its plain text, label sets joined, status/priority by name) and cut to
 * {@link CONFLICT_VALUE_MAX} characters so one entry stays readable.
 */
import { jiraTimeMs } from '../model/time';
import type { AdfNode, FieldConflict } from '../model/types';

/** Longest value quoted in a conflict entry, in characters (longer values end in `…`). */
export const CONFLICT_VALUE_MAX = 80;

/** Display names of a side's current status and priority (the merge works on ids). */
export interface SideNames {
  status?: string;
  priority?: string;
}

/** Plain text of an ADF node: text nodes joined, blocks separated by a space. */
export function adfPlain(node: AdfNode): string {
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

/** `2026-12-02T06:00:00.000+0000` as `2026-12-02 06:00:00 UTC`; an unparsable time as given. */
function utc(time: string): string {
  const ms = jiraTimeMs(time);
  return Number.isNaN(ms) ? time || '(unknown)' : `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** How a conflict was settled, as a sentence: by whom, or by which policy (with the times newest-wins compared). */
function settledText(conflict: FieldConflict): string {
  if (conflict.settledBy) return ` Settled by ${conflict.settledBy} in the issue panel.`;
  if (conflict.resolution === 'manual') return ` Policy: manual; waiting for someone who may edit the issue to choose in its Task sync panel.`;
  const times = conflict.times;
  if (conflict.policy !== 'newest-wins' || !times) return ` Settled by the ${conflict.policy} policy.`;
  const from = (s: 'changelog' | 'updated') => (s === 'changelog' ? 'its own change in the changelog' : "the issue's last update, no changelog entry found");
  return ` Settled by the newest-wins policy: compared local ${utc(times.local)} (${from(times.source.local)}) with partner ${utc(times.partner)} (${from(times.source.partner)}).`;
}

/**
 * One entry part per conflict, e.g. `summary changed on both sides; kept local 'A', discarded partner 'B'. Settled
 * by the local-wins policy.`; under `manual`, `… left for you to choose between local 'A' and partner 'B'. …`; a
 * merged value a person wrote: `… Ann wrote a merged value 'M' to both sides (local was 'A', partner 'B'). …`.
 */
export function describeConflict(conflict: FieldConflict, names: { local: SideNames; partner: SideNames }): string {
  const local = quoteValue(conflict.field, conflict.local, names.local);
  const partner = quoteValue(conflict.field, conflict.partner, names.partner);
  const head = `${conflict.name ?? conflict.field} changed on both sides;`;
  const how = settledText(conflict);
  if (conflict.resolution === 'manual') return `${head} left for you to choose between local ${local} and partner ${partner}.${how}`;
  if (conflict.resolution === 'merged') return `${head} ${conflict.settledBy ?? 'someone'} wrote a merged value ${quoteValue(conflict.field, conflict.merged, names.local)} to both sides (local was ${local}, partner ${partner}).${how}`;
  return conflict.resolution === 'local'
    ? `${head} kept local ${local}, discarded partner ${partner}.${how}`
    : `${head} kept partner ${partner}, discarded local ${local}.${how}`;
}
