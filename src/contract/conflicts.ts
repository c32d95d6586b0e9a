/**
 * The conflict part of the resolver contract: what the issue panel shows of a field that changed on both sides
 * (base, local and partner values, readable), how a person settles it, and the project's list of conflicts still
 * waiting for a decision. Parsed on both sides like the rest of `./index.ts`.
 */
import { z } from 'zod';
import { FieldKind } from '../model/mapping';

/**
 * An ADF document as the UI receives or sends it (`{type: 'doc', version: 1, content: [...]}`); node-level
 * validity is checked by Jira when the value is written.
 * @see https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/
 */
export const AdfDocInput = z.object({ type: z.literal('doc'), version: z.literal(1), content: z.array(z.any()) }).passthrough();

/** One value of a conflict as a reader sees it. */
export const ConflictValueView = z.object({
  /** Plain words: text as it reads, users, options, statuses and priorities by name, label sets joined; `(empty)` when empty. */
  text: z.string(),
  /** For rich-text (paragraph) fields: the document to render; null otherwise or when not kept (see `tooLarge`). */
  adf: AdfDocInput.nullable(),
  /** The base of a very large text is kept only as a digest: there is nothing to show but its size. */
  tooLarge: z.boolean().default(false),
});
export type ConflictValueView = z.infer<typeof ConflictValueView>;

/** One field waiting for a person's decision. */
export const ConflictView = z.object({
  /** Local field id of the mapped row, e.g. `summary`, `customfield_10011` (what `resolveConflict` names). */
  field: z.string(),
  partnerField: z.string(),
  /** The field's local name, e.g. `Summary`. */
  name: z.string(),
  kind: FieldKind,
  base: ConflictValueView,
  local: ConflictValueView,
  partner: ConflictValueView,
  /** Whether a merged value may be entered (text and paragraph fields). */
  mergeable: z.boolean(),
  /** ISO-8601 time the conflict was first found. */
  since: z.string(),
});
export type ConflictView = z.infer<typeof ConflictView>;

/** Result of `getConflicts` and `resolveConflict`: the issue's conflicts still waiting. */
export const IssueConflicts = z.object({
  issueKey: z.string(),
  partnerIssueKey: z.string().nullable(),
  /** Whether the caller may resolve them (needs permission to edit the issue). */
  canResolve: z.boolean(),
  conflicts: z.array(ConflictView),
});
export type IssueConflicts = z.infer<typeof IssueConflicts>;

/**
 * Payload of `resolveConflict`: keep the local value, keep the partner value, or write a merged value (text
 * fields: `text`; paragraph fields: `adf`). The chosen value is written to both sides and becomes the new base.
 */
export const ResolveConflictInput = z.discriminatedUnion('choice', [
  z.object({ field: z.string(), choice: z.literal('local') }),
  z.object({ field: z.string(), choice: z.literal('partner') }),
  z.object({ field: z.string(), choice: z.literal('merged'), text: z.string().max(32767).optional(), adf: AdfDocInput.optional() }),
]);
export type ResolveConflictInput = z.infer<typeof ResolveConflictInput>;

/** A link with conflicts waiting, as the sync log's "Waiting for a decision" list shows it. */
export const WaitingConflict = z.object({
  connectionId: z.string(),
  localIssueKey: z.string(),
  /** Browser URL of the local issue, e.g. `https://local.atlassian.net/browse/ALOY-1`. */
  localIssueUrl: z.string(),
  partnerIssueKey: z.string(),
  partnerIssueUrl: z.string(),
  /** Names of the conflicting fields. */
  fields: z.array(z.string()),
  /** ISO-8601 time the oldest of them was found. */
  since: z.string(),
});
export type WaitingConflict = z.infer<typeof WaitingConflict>;
/** Result of `getWaitingConflicts`, oldest first. */
export const WaitingConflicts = z.object({ conflicts: z.array(WaitingConflict) });
export type WaitingConflicts = z.infer<typeof WaitingConflicts>;
