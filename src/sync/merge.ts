/**
 * Three-way merge per mapped field (each through its codec from the registry, `src/model/fields.ts`): current local and partner values against the base snapshot both sides agreed on.
 * Echo suppression lives here: the app's own writes come back as events, find each side equal to its base, and
 * produce no writes — state decides, never timers.
 */
import { codecOf } from '../model/fields';
import { activeFields, copiesFrom, otherSide, type ConnectionMapping, type FieldMap, type Side } from '../model/mapping';
import { jiraTimeMs } from '../model/time';
import type { BaseSnapshot, ComparedTimes, ConflictPolicy, FieldConflict, MergeInput, MergePlan, SideValues } from '../model/types';
import { repointNote, repointRichText } from './embedded-images'; // images
import { keepImagesOf } from '../model/media'; // images
import type { AdfDoc } from '../model/adf'; // images

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
 * times, ISO-8601 with `Z` or `+0000` offsets; a tie or an unparsable time → local) or `manual`. Under
 * `newest-wins` the planner passes each side's own change time of the field (see {@link comparedTimes}).
 */
export function conflictWinner(policy: ConflictPolicy, localTime: string, partnerTime: string): Side | 'manual' {
  switch (policy) {
    case 'local-wins':
      return 'local';
    case 'partner-wins':
      return 'partner';
    case 'manual':
      return 'manual';
    case 'newest-wins':
      return jiraTimeMs(partnerTime) > jiraTimeMs(localTime) ? 'partner' : 'local';
  }
}

/** The policy that settles a conflict of `field`: the row's own `policy`, else the connection's. */
export function policyOf(field: Pick<FieldMap, 'policy'>, connectionPolicy: ConflictPolicy): ConflictPolicy {
  return field.policy ?? connectionPolicy;
}

/**
 * The two times a newest-wins conflict of `field` compares: each side's own newest change of the field (from
 * `input.changeTimes`, keyed by that side's field id), or that issue's `updated` when the side has none.
 */
export function comparedTimes(input: Pick<MergeInput, 'changeTimes' | 'localUpdated' | 'partnerUpdated'>, field: Pick<FieldMap, 'local' | 'partner'>): ComparedTimes {
  const local = input.changeTimes?.local[field.local];
  const partner = input.changeTimes?.partner[field.partner];
  return {
    local: local ?? input.localUpdated,
    partner: partner ?? input.partnerUpdated,
    source: { local: local ? 'changelog' : 'updated', partner: partner ? 'changelog' : 'updated' },
  };
}

/**
 * Whether a person's decision on `field` still applies: the values the conflict record showed them are still the
 * current ones on both sides (`recorded` as stored, large rich text possibly as a digest). When either side changed
 * since, the decision was made on values that are gone and must be made again. Pure.
 */
export function resolutionStillApplies(field: FieldMap, recorded: { local: unknown; partner: unknown }, now: { local: unknown; partner: unknown }): boolean {
  const codec = codecOf(field);
  const same = (a: unknown, b: unknown) => (field.kind === 'paragraph' ? codec.same(a ?? null, b ?? null) : codec.same(a ?? codec.read(undefined), b ?? codec.read(undefined)));
  return same(recorded.local, now.local) && same(recorded.partner, now.partner);
}

/** The value of `field` on side `from` in the other side's terms (see `FieldCodec.convert`). */
export function convertValue(field: FieldMap, value: unknown, from: Side, mapping: ConnectionMapping, media?: MergeInput['media']) {
  return codecOf(field).convert(value, { from, field, mapping, media: media?.[from] });
}

/** Whether local and partner values of a row say the same thing: equal after converting either way round. */
export function equivalentValues(field: FieldMap, local: unknown, partner: unknown, mapping: ConnectionMapping, media?: MergeInput['media']): boolean {
  const codec = codecOf(field);
  const asPartner = convertValue(field, local, 'local', mapping, media);
  if ('value' in asPartner && codec.same(asPartner.value, partner)) return true;
  const asLocal = convertValue(field, partner, 'partner', mapping, media);
  return 'value' in asLocal && codec.same(asLocal.value, local);
}

/**
 * Puts a row's old base back into `next` (its write was skipped or refused, so the next run tries again). A row
 * that had no base (newly mapped, or a pair of existing issues linked, see `./pairing.ts`) is left without one
 * rather than given `null` on both sides, which the next run would read as a change on both sides: a conflict
 * nobody made.
 */
export function keepOldBase(next: BaseSnapshot, old: BaseSnapshot, ids: { local: string; partner: string }): void {
  if (!(ids.local in old.local && ids.partner in old.partner)) {
    delete next.local[ids.local];
    delete next.partner[ids.partner];
    return;
  }
  next.local[ids.local] = structuredClone(old.local[ids.local] ?? null);
  next.partner[ids.partner] = structuredClone(old.partner[ids.partner] ?? null);
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
 * - a conflict is always listed in `conflicts` (with the policy in force and how it was settled) and settled by
 *   the first row of this table that applies:
 *
 *   | person's resolution (`resolutions[field]`) | field policy (row's, else connection's) | settled as                                   |
 *   |--------------------------------------------|-----------------------------------------|----------------------------------------------|
 *   | `local` / `partner`                        | any (also `manual`)                     | that side's value copied to the other        |
 *   | `merged` (value in local terms)            | any                                     | the value written to both (a side already equal is not written) |
 *   | none                                       | `local-wins` / `partner-wins`           | that side's value copied to the other        |
 *   | none                                       | `newest-wins`                           | the side whose own change of the field is later (`changeTimes`; a side without one: its issue's `updated`; tie → local) |
 *   | none                                       | `manual`                                | nothing written, the field keeps its old base, `resolution: 'manual'` |
 *
 *   A resolution for a field that is not (or no longer) in conflict is ignored;
 * - a row with no base yet (newly mapped): an empty side takes the other's value, otherwise both values become the
 *   base as they are (history is not rewritten); with a person's `local` / `partner` resolution for it (the first
 *   sync of two existing issues linked, see `./pairing.ts`), that side's value is copied to the other instead
 *   (when the row copies from that side and the values differ);
 * - `nextBase` holds every active row's value on both sides once the writes succeed;
 * - (images) rich text copied over a side keeps that side's images the copy only shows as `[attachment: name]`
 *   (`keepImagesOf`); a rich-text row neither side changed, one side of which is a copy written before the other's embedded
 *   files were mirrored (`input.media`), is rewritten on that side to show the mirrors, with a note (see
 *   `./embedded-images.ts`).
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
    const keepBase = () => keepOldBase(plan.nextBase, base, ids);
    const copy = (from: Side) => {
      const to = otherSide[from];
      const converted = convertValue(field, now[from], from, mapping, input.media);
      if ('skip' in converted) {
        plan.skipped.push({ field: field.local, reason: converted.skip });
        keepBase();
        return;
      }
      if (converted.note) plan.notes.push(converted.note);
      const value = field.kind === 'paragraph' ? keepImagesOf(converted.value as AdfDoc | null, now[to] as AdfDoc | null) : converted.value; // images
      (to === 'partner' ? plan.toPartner : plan.toLocal)[idOn(field, to)] = structuredClone(value);
      plan.nextBase[to][idOn(field, to)] = structuredClone(value);
    };

    /** A merged value (local terms) goes to both sides; a side that already holds it is not written. */
    const writeMerged = (value: unknown) => {
      const merged = codec.via === 'edit' && (field.kind === 'text' || field.kind === 'url' || field.kind === 'paragraph') ? codec.read(codec.write(value)) : value;
      if (!codec.same(now.local, merged)) plan.toLocal[ids.local] = structuredClone(merged);
      plan.nextBase.local[ids.local] = structuredClone(merged);
      const converted = convertValue(field, merged, 'local', mapping, input.media);
      if ('skip' in converted) {
        plan.skipped.push({ field: field.local, reason: converted.skip });
        keepBase();
        delete plan.toLocal[ids.local];
        return;
      }
      if (!codec.same(now.partner, converted.value)) plan.toPartner[ids.partner] = structuredClone(converted.value);
      plan.nextBase.partner[ids.partner] = structuredClone(converted.value);
    };

    const hasBase = ids.local in base.local && ids.partner in base.partner;
    const equivalent = equivalentValues(field, now.local, now.partner, mapping, input.media);
    if (!hasBase) {
      // Two issues linked as they are (`src/sync/pairing.ts`): a person chose which side is the starting truth.
      const chosen = input.resolutions?.[field.local]?.choice;
      if (chosen === 'local' || chosen === 'partner') {
        if (!equivalent && copiesFrom(field, chosen)) copy(chosen);
        continue;
      }
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
      const policy = policyOf(field, input.policy);
      const decided = input.resolutions?.[field.local];
      const times = !decided && policy === 'newest-wins' ? comparedTimes(input, field) : undefined;
      const resolution = decided ? decided.choice : conflictWinner(policy, times?.local ?? '', times?.partner ?? '');
      const conflict: FieldConflict = {
        field: field.local,
        partnerField: field.partner,
        name: field.name.local,
        base: { local: base.local[ids.local], partner: base.partner[ids.partner] },
        local: values.local[ids.local],
        partner: values.partner[ids.partner],
        resolution,
        policy,
        ...(decided ? { settledBy: decided.by } : {}),
        ...(decided?.choice === 'merged' ? { merged: decided.value } : {}),
        ...(times ? { times } : {}),
      };
      plan.conflicts.push(conflict);
      if (decided?.choice === 'merged') writeMerged(decided.value);
      else if (resolution === 'manual') keepBase();
      else if (resolution !== 'merged') copy(resolution);
    }
    // images: a copy written before its embedded files were mirrored is rewritten once to show them (./embedded-images.ts)
    if (decision === 'nothing' && !equivalent && !localChanged && !partnerChanged) {
      const repoint = repointRichText(field, now, mapping, input.media);
      if (repoint) {
        (repoint.to === 'partner' ? plan.toPartner : plan.toLocal)[idOn(field, repoint.to)] = structuredClone(repoint.value);
        plan.nextBase[repoint.to][idOn(field, repoint.to)] = structuredClone(repoint.value);
        plan.notes.push(repointNote(field, repoint));
      }
    }
  }
  return plan;
}

