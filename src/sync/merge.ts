/**
 * Three-way merge per mapped field (each through its codec from the registry, `src/model/fields.ts`): current local and partner values against the base snapshot both sides agreed on.
 * Echo suppression lives here: the app's own writes come back as events, find each side equal to its base, and
 * produce no writes — state decides, never timers.
 */
import { codecOf } from '../model/fields';
import { activeFields, copiesFrom, otherSide, type ConnectionMapping, type FieldMap, type Side } from '../model/mapping';
import { jiraTimeMs } from '../model/time';
import type { ConflictPolicy, FieldConflict, MergeInput, MergePlan, SideValues } from '../model/types';

/** What one field's merge does. */
export type FieldDecision = 'nothing' | 'local-to-partner' | 'partner-to-local' | 'conflict';

/**
 * The case table. `equivalent` means the two current values already say the same thing (equal, or for
 * an id or option maps onto the other), so there is nothing to write and the base just advances.
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

/** The value of `field` on side `from` in the other side's terms (see `FieldCodec.convert`). */
export function convertValue(field: FieldMap, value: unknown, from: Side, mapping: ConnectionMapping) {
  return codecOf(field).convert(value, { from, field, mapping });
}

/** Whether local and partner values of a row say the same thing: equal after converting either way round. */
export function equivalentValues(field: FieldMap, local: unknown, partner: unknown, mapping: ConnectionMapping): boolean {
  const codec = codecOf(field);
  const asPartner = convertValue(field, local, 'local', mapping);
  if ('value' in asPartner && codec.same(asPartner.value, partner)) return true;
  const asLocal = convertValue(field, partner, 'partner', mapping);
  return 'value' in asLocal && codec.same(asLocal.value, local);
}

const idOn = (field: FieldMap, side: Side) => (side === 'local' ? field.local : field.partner);

/**
 * The decision for one row given which sides changed since the base, with the row's direction applied: a side
 * that the row does not copy from never wins (its change is dropped, and its base moves on).
 */
function directed(field: FieldMap, localChanged: boolean, partnerChanged: boolean): [boolean, boolean] {
  return [localChanged && copiesFrom(field, 'local'), partnerChanged && copiesFrom(field, 'partner')];
}

/**
 * Plans the merge of every active row of the mapping (see {@link decideField} for the table):
 * - a change on one side is converted by the row's codec and copied to the other (`toPartner` / `toLocal` are keyed
 *   by the target's field ids and hold target values); a value with no counterpart (an unmapped user, option or
 *   status) is not written and is listed in `skipped` (base kept, so it is retried once the mapping exists); a
 *   by-name value the target lacks (a component) is left out and described in `notes`;
 * - a row that copies one way only ignores changes on the other side (that side's base just moves on);
 * - a conflict is always listed in `conflicts`; the policy's winner is written to the other side, or with `manual`
 *   nothing is written and the field keeps its old base;
 * - a row with no base yet (newly mapped): an empty side takes the other's value, otherwise both values become the
 *   base as they are (history is not rewritten);
 * - `nextBase` holds every active row's value on both sides once the writes succeed.
 * Pure; never throws for well-formed input.
 */
export function planMerge(input: MergeInput): MergePlan {
  const { base, local, partner, mapping } = input;
  const plan: MergePlan = { toPartner: {}, toLocal: {}, conflicts: [], skipped: [], notes: [], nextBase: { local: {}, partner: {} } };
  const values: Record<Side, SideValues> = { local, partner };
  for (const field of activeFields(mapping)) {
    const codec = codecOf(field);
    const ids = { local: field.local, partner: field.partner };
    const now = { local: local[ids.local] ?? codec.read(undefined), partner: partner[ids.partner] ?? codec.read(undefined) };
    plan.nextBase.local[ids.local] = structuredClone(now.local);
    plan.nextBase.partner[ids.partner] = structuredClone(now.partner);
    const keepBase = () => {
      plan.nextBase.local[ids.local] = structuredClone(base.local[ids.local] ?? null);
      plan.nextBase.partner[ids.partner] = structuredClone(base.partner[ids.partner] ?? null);
    };
    const copy = (from: Side) => {
      const to = otherSide[from];
      const converted = convertValue(field, now[from], from, mapping);
      if ('skip' in converted) {
        plan.skipped.push({ field: field.local, reason: converted.skip });
        keepBase();
        return;
      }
      if (converted.note) plan.notes.push(converted.note);
      (to === 'partner' ? plan.toPartner : plan.toLocal)[idOn(field, to)] = structuredClone(converted.value);
      plan.nextBase[to][idOn(field, to)] = structuredClone(converted.value);
    };

    const hasBase = ids.local in base.local && ids.partner in base.partner;
    const equivalent = equivalentValues(field, now.local, now.partner, mapping);
    if (!hasBase) {
      const empty = (side: Side) => codec.same(now[side], codec.read(undefined));
      if (!equivalent && empty('partner') !== empty('local')) {
        const from: Side = empty('partner') ? 'local' : 'partner';
        if (copiesFrom(field, from)) copy(from);
      }
      continue;
    }
    const [localChanged, partnerChanged] = directed(
      field,
      !codec.same(now.local, base.local[ids.local]),
      !codec.same(now.partner, base.partner[ids.partner]),
    );
    const decision = decideField(localChanged, partnerChanged, equivalent);
    if (decision === 'local-to-partner') copy('local');
    else if (decision === 'partner-to-local') copy('partner');
    else if (decision === 'conflict') {
      const resolution = conflictWinner(input.policy, input.localUpdated, input.partnerUpdated);
      const conflict: FieldConflict = {
        field: field.local,
        partnerField: field.partner,
        name: field.name.local,
        base: { local: base.local[ids.local], partner: base.partner[ids.partner] },
        local: values.local[ids.local],
        partner: values.partner[ids.partner],
        resolution,
      };
      plan.conflicts.push(conflict);
      if (resolution === 'manual') keepBase();
      else copy(resolution);
    }
  }
  return plan;
}

