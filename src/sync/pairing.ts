/**
 * Linking two issues that already exist (pure part): such a pair has no base snapshot, so before its first sync a
 * person says, per field or all at once, which side is the starting truth. Which fields differ, which sides each
 * may take, and the merge plan of that first sync are decided here; the choice becomes `resolutions` of the same
 * planner every sync uses (`planMerge` in `./merge.ts`, its no-base case), so nothing is overwritten without it.
 */
import { createHash } from 'node:crypto';
import { stableStringify } from '../model/adf';
import { SyncError } from '../model/errors';
import { codecOf } from '../model/fields';
import { activeFields, copiesFrom, type ConnectionMapping, type FieldMap, type Side } from '../model/mapping';
import type { ConflictPolicy, FieldResolution, MergePlan, SideValues } from '../model/types';
import { equivalentValues, planMerge } from './merge';

/** One mapped field whose two current values do not say the same thing. Values are normalised, each in its side's terms. */
export interface DifferingField {
  row: FieldMap;
  local: unknown;
  partner: unknown;
  /** The sides whose value may become the starting truth: those the row copies from (both, unless it is one-way). */
  choices: Side[];
}

/**
 * A person's starting truth: `all` for every differing field, `fields` per field (local field id → side); a field
 * named in `fields` overrides `all`.
 */
export interface StartingChoice {
  all?: Side;
  fields?: Record<string, Side>;
}

/** The differing fields of a pair, in mapping order (active rows only; equal or equivalent values are left out). */
export function differingFields(local: SideValues, partner: SideValues, mapping: ConnectionMapping): DifferingField[] {
  const out: DifferingField[] = [];
  for (const row of activeFields(mapping)) {
    const codec = codecOf(row);
    const l = local[row.local] ?? codec.read(undefined);
    const p = partner[row.partner] ?? codec.read(undefined);
    if (equivalentValues(row, l, p, mapping)) continue;
    out.push({ row, local: l, partner: p, choices: (['local', 'partner'] as const).filter((s) => copiesFrom(row, s)) });
  }
  return out;
}

/**
 * A short fingerprint (16 hex chars) of the differing fields and their values: the dialog shows values, the person
 * chooses, and the link is made only if the fingerprint is still the same (else the choice was made on values
 * that are gone).
 */
export function pairFingerprint(diff: DifferingField[]): string {
  const shape = diff.map((d) => [d.row.local, d.local, d.partner]);
  return createHash('sha1').update(stableStringify(shape)).digest('hex').slice(0, 16);
}

/**
 * The resolutions (local field id → decision) of a starting choice over `diff`.
 * @throws SyncError `invalid-input` naming every differing field left without a choice, and every field given a
 *   side its row does not copy from (e.g. "Due date syncs from local to partner only: choose local"); nothing is
 *   decided then
 */
export function startingResolutions(diff: DifferingField[], choice: StartingChoice, by: string): Record<string, FieldResolution> {
  const out: Record<string, FieldResolution> = {};
  const missing: string[] = [];
  const wrong: string[] = [];
  for (const d of diff) {
    const side = choice.fields?.[d.row.local] ?? (choice.all && d.choices.includes(choice.all) ? choice.all : undefined);
    if (!side) missing.push(d.row.name.local);
    else if (!d.choices.includes(side)) wrong.push(`${d.row.name.local} syncs from ${d.choices[0]} only: choose ${d.choices[0]}`);
    else out[d.row.local] = { choice: side, by };
  }
  const problems = [
    ...(missing.length ? [`Choose which side is the starting value of ${missing.join(', ')}.`] : []),
    ...(wrong.length ? [`${wrong.join('; ')}.`] : []),
  ];
  if (problems.length) throw new SyncError('invalid-input', `${problems.join(' ')} Nothing was changed.`);
  return out;
}

/**
 * The first sync of a pair: the merge with no base and the person's resolutions. Every differing field takes the
 * chosen side's value on the other side; equal fields write nothing; `nextBase` is the agreed state to store.
 * @throws SyncError as {@link startingResolutions}
 */
export function planPairing(input: { local: SideValues; partner: SideValues; mapping: ConnectionMapping; policy: ConflictPolicy; choice: StartingChoice; by: string }): MergePlan {
  const resolutions = startingResolutions(differingFields(input.local, input.partner, input.mapping), input.choice, input.by);
  return planMerge({ base: { local: {}, partner: {} }, local: input.local, partner: input.partner, mapping: input.mapping, policy: input.policy, localUpdated: '', partnerUpdated: '', resolutions });
}
