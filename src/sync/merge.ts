/**
 * Three-way merge per field: current local and partner values against the base snapshot both sides agreed on.
 * Echo suppression lives here: the app's own writes come back as events, find each side equal to its base, and
 * produce no writes — state decides, never timers.
 */
import type { ConflictPolicy } from '../contract';
import { canonicalAdf, jiraTimeMs, sameValue } from './normalise';
import { portableAdf } from './portable';
import {
  SYNCED_FIELDS,
  type AdfDoc,
  type BaseSnapshot,
  type FieldConflict,
  type FieldMapping,
  type MergeInput,
  type MergePlan,
  type SideValues,
  type SyncedField,
} from './types';

type Side = 'local' | 'partner';

/** What one field's merge does. */
export type FieldDecision = 'nothing' | 'local-to-partner' | 'partner-to-local' | 'conflict';

/**
 * The case table. `equivalent` means the two current values already say the same thing (equal, or for
 * status/priority one maps onto the other), so there is nothing to write and the base just advances.
 *
 * | local changed | partner changed | equivalent | decision          |
 * |---------------|-----------------|------------|-------------------|
 * | no            | no              | any        | nothing           |
 * | any           | any             | yes        | nothing           |
 * | yes           | no              | no         | local-to-partner  |
 * | no            | yes             | no         | partner-to-local  |
 * | yes           | yes             | no         | conflict (policy) |
 */
export function decideField(localChanged: boolean, partnerChanged: boolean, equivalent: boolean): FieldDecision {
  if (!localChanged && !partnerChanged) return 'nothing';
  if (equivalent) return 'nothing';
  if (localChanged && !partnerChanged) return 'local-to-partner';
  if (partnerChanged && !localChanged) return 'partner-to-local';
  return 'conflict';
}

/**
 * Which side wins a conflict under `policy`: `local-wins`, `partner-wins`, `newest-wins` (the later of the two
 * issues' `updated`, ISO-8601 with `Z` or `+0000` offsets; a tie or an unparsable time → local) or `manual`.
 */
export function conflictWinner(policy: ConflictPolicy, localUpdated: string, partnerUpdated: string): Side | 'manual' {
  switch (policy) {
    case 'local-wins':
      return 'local';
    case 'partner-wins':
      return 'partner';
    case 'manual':
      return 'manual';
    case 'newest-wins':
      return jiraTimeMs(partnerUpdated) > jiraTimeMs(localUpdated) ? 'partner' : 'local';
  }
}

/**
 * A value from side `from` in the other side's ids: status and priority through the mapping (null stays null;
 * an unmapped id → `undefined`); a description with its source-only nodes as text (`portableAdf`); other fields
 * unchanged.
 */
export function mapValue(field: SyncedField, value: unknown, from: Side, mapping: FieldMapping): unknown {
  if (field === 'description') return canonicalAdf(portableAdf(value as AdfDoc | null));
  if (field !== 'status' && field !== 'priority') return value;
  if (value === null || value === undefined) return null;
  const map = from === 'local' ? mapping.toPartner[field] : mapping.toLocal[field];
  return Object.prototype.hasOwnProperty.call(map, String(value)) ? map[String(value)] : undefined;
}

/** Whether local and partner values say the same thing: equal after mapping either way round. */
export function equivalentValues(field: SyncedField, local: unknown, partner: unknown, mapping: FieldMapping): boolean {
  const asPartner = mapValue(field, local, 'local', mapping);
  if (asPartner !== undefined && sameValue(field, asPartner, partner)) return true;
  const asLocal = mapValue(field, partner, 'partner', mapping);
  return asLocal !== undefined && sameValue(field, asLocal, local);
}

const sideWord = { local: 'Local', partner: 'Partner' } as const;
const otherSide = { local: 'partner', partner: 'local' } as const;

/** Deep copy of side values (plain JSON data). */
function copySide(v: SideValues): SideValues {
  return structuredClone(v);
}

/** Sets one field of a SideValues or base side (typed per field). */
function setField(target: Partial<SideValues> | BaseSnapshot['local'], field: SyncedField, value: unknown): void {
  (target as Record<string, unknown>)[field] = structuredClone(value);
}

/**
 * Plans the merge of every synced field (see {@link decideField} for the table):
 * - a change on one side is copied to the other, mapped into its ids (`toPartner` / `toLocal` hold target ids);
 *   a status or priority id with no mapping is not written and is listed in `skipped` (base kept, so it is
 *   retried once the mapping exists);
 * - a conflict is always listed in `conflicts`; the policy's winner is written to the other side, or with `manual`
 *   nothing is written and the field keeps its old base;
 * - `nextBase` is what both sides hold once the writes succeed. If a status write lands on an equivalent status
 *   instead (see `equivalentStatuses`), the next merge sees an equivalent change and just advances the base.
 * Pure; never throws for well-formed input.
 */
export function planMerge(input: MergeInput): MergePlan {
  const { base, local, partner, mapping } = input;
  const plan: MergePlan = {
    toPartner: {},
    toLocal: {},
    conflicts: [],
    skipped: [],
    nextBase: { local: copySide(local), partner: copySide(partner) } satisfies BaseSnapshot,
  };
  const keepBase = (field: SyncedField) => {
    setField(plan.nextBase.local, field, base.local[field]);
    setField(plan.nextBase.partner, field, base.partner[field]);
  };
  const copy = (field: SyncedField, from: Side) => {
    const value = (from === 'local' ? local : partner)[field];
    const target = mapValue(field, value, from, mapping);
    const to = otherSide[from];
    if (target === undefined) {
      plan.skipped.push({
        field,
        reason: `${sideWord[from]} ${field} ${String(value)} has no ${to} ${field} mapped, so it was not copied. Map it in Task sync settings.`,
      });
      keepBase(field);
      return;
    }
    setField(to === 'partner' ? plan.toPartner : plan.toLocal, field, target);
    setField(plan.nextBase[to], field, target);
  };

  for (const field of SYNCED_FIELDS) {
    const localChanged = !sameValue(field, local[field], base.local[field]);
    const partnerChanged = !sameValue(field, partner[field], base.partner[field]);
    const decision = decideField(localChanged, partnerChanged, equivalentValues(field, local[field], partner[field], mapping));
    if (decision === 'local-to-partner') copy(field, 'local');
    else if (decision === 'partner-to-local') copy(field, 'partner');
    else if (decision === 'conflict') {
      const resolution = conflictWinner(input.policy, input.localUpdated, input.partnerUpdated);
      const conflict: FieldConflict = {
        field,
        base: { local: base.local[field], partner: base.partner[field] },
        local: local[field],
        partner: partner[field],
        resolution,
      };
      plan.conflicts.push(conflict);
      if (resolution === 'manual') keepBase(field);
      else copy(field, resolution);
    }
  }
  return plan;
}
