/**
 * Plain data the sync engine works on. No Forge or HTTP types here: the engine takes values, returns decisions.
 */
import type { ConflictPolicy } from '../contract';

/** An ADF document (`{type:'doc', version:1, content:[…]}`). @see https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/ */
export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}
/** Any ADF node. */
export interface AdfNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
  text?: string;
}

/** Field ids the engine syncs (Jira field ids). */
export const SYNCED_FIELDS = ['summary', 'description', 'priority', 'labels', 'status'] as const;
export type SyncedField = (typeof SYNCED_FIELDS)[number];

/**
 * The normalised value of every synced field on ONE side, in that side's own ids:
 * `priority` and `status` are that site's priority id / status id. Produced by `normaliseIssue`.
 */
export interface SideValues {
  /** Trimmed summary. */
  summary: string;
  /** Canonical ADF (see `canonicalAdf`); an empty description is `null`. */
  description: AdfDoc | null;
  /** Priority id on this site, or null. */
  priority: string | null;
  /** Sorted, de-duplicated labels. */
  labels: string[];
  /** Status id on this site, or null. */
  status: string | null;
}

/**
 * A large description as the base snapshot keeps it: a SHA-256 digest of its canonical form and its size in bytes
 * (see `src/sync/base-digest.ts` for why that is enough for the three-way merge).
 */
export interface DescriptionDigest {
  digest: string;
  bytes: number;
}

/** One side of a base snapshot: its values, with a large description kept as a {@link DescriptionDigest}. */
export type BaseSideValues = Omit<SideValues, 'description'> & { description: AdfDoc | DescriptionDigest | null };

/**
 * Base snapshot: what both sides agreed after the last successful sync, each in its own ids. Keeping both sides
 * (rather than one shared form) keeps change detection exact when the status map is not one-to-one.
 */
export interface BaseSnapshot {
  local: BaseSideValues;
  partner: BaseSideValues;
}

/** A one-directional id map per mapped field, e.g. `status: {'1': '10000'}` (local id → partner id). */
export interface IdMaps {
  status: Record<string, string>;
  priority: Record<string, string>;
}

/** Status and priority maps both ways. `toPartner[local id] = partner id`, `toLocal[partner id] = local id`. */
export interface FieldMapping {
  toPartner: IdMaps;
  toLocal: IdMaps;
}

/** A field changed on both sides to different values. */
export interface FieldConflict {
  field: SyncedField;
  base: { local: unknown; partner: unknown };
  local: unknown;
  partner: unknown;
  /** How it was settled: the side whose value won, or `manual` (left for a person). */
  resolution: 'local' | 'partner' | 'manual';
}

/** A field the merge could not write, with a reason in words an admin can act on. */
export interface SkippedField {
  field: SyncedField;
  reason: string;
}

/** Inputs of the three-way merge. Times are ISO-8601 (`fields.updated` of each issue). */
export interface MergeInput {
  base: BaseSnapshot;
  local: SideValues;
  partner: SideValues;
  mapping: FieldMapping;
  policy: ConflictPolicy;
  localUpdated: string;
  partnerUpdated: string;
}

/**
 * What to write and the snapshot to store once the writes succeed.
 * `toPartner` / `toLocal` hold only fields to write, already mapped into the target side's ids.
 */
export interface MergePlan {
  toPartner: Partial<SideValues>;
  toLocal: Partial<SideValues>;
  conflicts: FieldConflict[];
  /** Fields left unwritten because a status/priority id has no mapping on the other side (left changed for next time). */
  skipped: SkippedField[];
  /** Base to store after the writes succeed (manual conflicts keep their old base). */
  nextBase: BaseSnapshot;
}

/**
 * Who may see a comment: a group or a project role (Jira's `Visibility`, by name). Absent or null = everyone who
 * can see the issue. @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/
 */
export interface CommentVisibility {
  type: 'group' | 'role';
  value: string;
}

/** One comment as the engine sees it (normalised). `body` is canonical ADF. */
export interface CommentValue {
  id: string;
  authorAccountId: string;
  authorName: string;
  body: AdfDoc;
  /** ISO-8601. */
  created: string;
  updated: string;
  /** Restriction of the comment, if any. */
  visibility?: CommentVisibility | null;
}

/** A comment the sync did not mirror because of its restriction (its text is never logged). */
export interface SkippedComment {
  side: 'local' | 'partner';
  id: string;
  visibility: CommentVisibility;
  /** Why, in words for the sync log. */
  reason: string;
}

/** A mirrored comment pair and the canonical-body hashes both sides had after the last sync. */
export interface CommentLink {
  localId: string;
  partnerId: string;
  localHash: string;
  partnerHash: string;
}

/** Comment actions to apply. `body` is the full ADF to write (attribution included for mirrors). */
export type CommentAction =
  | { kind: 'create'; target: 'local' | 'partner'; sourceId: string; body: AdfDoc; visibility?: CommentVisibility }
  /** `visibility`: set it (object), lift it (null), or leave it as it is (absent). */
  | { kind: 'update'; target: 'local' | 'partner'; targetId: string; sourceId: string; body: AdfDoc; visibility?: CommentVisibility | null }
  | { kind: 'delete'; target: 'local' | 'partner'; targetId: string; sourceId: string };

/** A status transition offered by Jira for an issue (`GET /rest/api/3/issue/{id}/transitions`). */
export interface TransitionOption {
  id: string;
  name: string;
  to: { id: string; name: string };
  isAvailable?: boolean;
  hasScreen?: boolean;
}
