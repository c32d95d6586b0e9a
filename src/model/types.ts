/**
 * Plain data of the domain: values, snapshots, conflicts, comments, transitions. No Forge or HTTP types, and no
 * imports of our other folders: every folder may import this one.
 */
import { z } from 'zod';
import type { AdfDoc } from './adf';
import type { ConnectionMapping } from './mapping';

export type { AdfDoc, AdfNode } from './adf';

export { ConflictPolicy } from './mapping';
import type { ConflictPolicy } from './mapping';

/**
 * The normalised values of one side's mapped fields, keyed by that side's field ids (e.g. `summary`,
 * `customfield_10011`), each in the form its codec gives (see `./fields.ts`), in that side's own ids.
 */
export type SideValues = Record<string, unknown>;

/**
 * Base snapshot: what both sides agreed after the last successful sync, each keyed by its own field ids and in
 * its own ids. Keeping both sides (rather than one shared form) keeps change detection exact when a map is not
 * one-to-one. A large rich-text value is kept as an {@link AdfDigest}.
 */
export interface BaseSnapshot {
  local: SideValues;
  partner: SideValues;
}

/** How a conflict was settled: the side whose value won, a merged value a person wrote, or `manual` (left for a person). */
export type ConflictResolution = 'local' | 'partner' | 'merged' | 'manual';

/** The change times a newest-wins conflict compared, per side (ISO-8601), and where each came from. */
export interface ComparedTimes {
  local: string;
  partner: string;
  /** `changelog`: the field's own newest change on that side; `updated`: the issue's `updated` (no changelog entry found). */
  source: { local: 'changelog' | 'updated'; partner: 'changelog' | 'updated' };
}

/** A field changed on both sides to different values. */
export interface FieldConflict {
  /** Local field id (the row's `local`), e.g. `summary`, `customfield_10011`. */
  field: string;
  /** Partner field id of the same row. */
  partnerField?: string;
  /** The field's name for people (the local name). */
  name?: string;
  base: { local: unknown; partner: unknown };
  local: unknown;
  partner: unknown;
  /** How it was settled (see {@link ConflictResolution}). */
  resolution: ConflictResolution;
  /** The policy in force for this field (the row's own `policy`, else the connection's). */
  policy: ConflictPolicy;
  /** Who settled it, when a person did (their display name or accountId); absent when the policy did. */
  settledBy?: string;
  /** Under `newest-wins`: the two times compared. */
  times?: ComparedTimes;
  /** With `resolution: 'merged'`: the value written to both sides (local terms). */
  merged?: unknown;
}

/**
 * A person's decision on one conflicting field (the issue panel's `resolveConflict`), an input of the merge:
 * keep the local value, keep the partner value, or write `value` (normalised, in LOCAL terms: a trimmed string for
 * text, a canonical ADF doc for paragraph) to both sides.
 */
export type FieldResolution = ({ choice: 'local' } | { choice: 'partner' } | { choice: 'merged'; value: unknown }) & {
  /** Who decided, for the sync log (display name, else accountId). */
  by: string;
};

/**
 * Per side, the ISO-8601 time of each field's own newest change (from that side's changelog), keyed by that
 * side's field ids; a field with no entry is absent (the merge then falls back to the issue's `updated`).
 */
export interface FieldChangeTimes {
  local: Record<string, string>;
  partner: Record<string, string>;
}

/** A field the merge could not write, with a reason in words an admin can act on. */
export interface SkippedField {
  /** Local field id of the row. */
  field: string;
  reason: string;
}

/** Inputs of the three-way merge. Times are ISO-8601 (`fields.updated` of each issue). */
export interface MergeInput {
  base: BaseSnapshot;
  local: SideValues;
  partner: SideValues;
  mapping: ConnectionMapping;
  /** The connection's default policy; a row's own `policy` overrides it. */
  policy: ConflictPolicy;
  localUpdated: string;
  partnerUpdated: string;
  /** People's decisions, keyed by local field id; they settle that field's conflict whatever the policy. */
  resolutions?: Record<string, FieldResolution>;
  /** Each field's own change time per side, for `newest-wins` (absent: the issues' `updated` are compared). */
  changeTimes?: FieldChangeTimes;
  /** attachments: per source side, media file id → the mirror's media file id on the other side. */
  media?: Partial<Record<'local' | 'partner', Record<string, string>>>;
}

/**
 * What to write and the snapshot to store once the writes succeed.
 * `toPartner` / `toLocal` hold only fields to write, already mapped into the target side's ids.
 */
export interface MergePlan {
  toPartner: Partial<SideValues>;
  toLocal: Partial<SideValues>;
  conflicts: FieldConflict[];
  /** Fields left unwritten because a value has no counterpart on the other side (left changed for next time). */
  skipped: SkippedField[];
  /** Notes on values left out of a written field (a component the other site lacks), for the sync log. */
  notes: string[];
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
