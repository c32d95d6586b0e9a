/**
 * Large base values are stored as a digest, so a link record stays under Forge KVS's value limit (240 KiB per
 * value; @see https://developer.atlassian.com/platform/forge/limits-kvs-ce/ and the `MAX_SIZE` error of
 * https://developer.atlassian.com/platform/forge/storage-reference/handling-errors-kvs/).
 *
 * Why a digest is enough: the three-way merge uses a base value for one thing only, to tell whether a side changed
 * since the last sync (the codec's `same(current, base)`). Which value to write always comes from a side's *current*
 * value (a change on one side is copied from that side; a conflict's winner is a current value), and the next base
 * is again the current values. So "unchanged" can be decided by comparing digests of canonical forms, and the
 * actual text is never needed from the base. A manual conflict keeps its old base, a digest included, which still
 * decides correctly next time. The only thing lost is showing a large *base* text in a conflict record, where the
 * digest says "too large to keep" instead (conflict records of large values are digested the same way).
 *
 * A digest is `{digest: 'sha256:<hex>', bytes}` over `stableStringify(canonicalAdf(value))` — the form
 * `sameAdf` compares — so a digest equals the digest of any value `sameValue` calls equal.
 * Small values stay inline: they cost nothing and keep conflict records readable.
 */
import { canonicalAdf, digestOfCanonical, isRecord, stableStringify } from './adf';
import type { BaseSnapshot, FieldConflict, SideValues } from './types';

/** Rich-text values whose canonical JSON is longer than this (UTF-8 bytes) are stored as a digest. */
export const INLINE_DESCRIPTION_MAX_BYTES = 16 * 1024;

const isDoc = (v: unknown) => isRecord(v) && v.type === 'doc';

/** A rich-text value as it is stored in a base snapshot: inline when small, else its digest. Others unchanged. */
export function compactDescription(value: unknown): unknown {
  if (!isDoc(value)) return value ?? null;
  const json = stableStringify(canonicalAdf(value));
  return Buffer.byteLength(json) > INLINE_DESCRIPTION_MAX_BYTES ? digestOfCanonical(json) : value;
}

/** A conflict record with its large rich-text values (base, local, partner) digested. */
export function compactConflict<C extends { field: string; base: FieldConflict['base']; local: unknown; partner: unknown }>(c: C): C {
  return {
    ...c,
    base: { local: compactDescription(c.base.local), partner: compactDescription(c.base.partner) },
    local: compactDescription(c.local),
    partner: compactDescription(c.partner),
  };
}

const compactSide = (side: SideValues): SideValues => Object.fromEntries(Object.entries(side).map(([k, v]) => [k, compactDescription(v)]));

/** A base snapshot with large rich-text values (description, environment, paragraph fields) replaced by digests. */
export function compactBase(base: BaseSnapshot): BaseSnapshot {
  return { local: compactSide(base.local), partner: compactSide(base.partner) };
}
