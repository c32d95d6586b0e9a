/**
 * Resolver contract of the bulk flows (Project settings → Task sync → Bulk): link local issues matching a JQL to new
 * partner copies, or import partner issues matching a JQL as new local issues. A resolver only previews, starts,
 * cancels, resumes or reads a run; the `bulk-runs` queue does the work in chunks (see `src/sync/bulk.ts`).
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/custom-ui-resolver/
 */
import { z } from 'zod';

/** `link`: local issues get partner copies. `import`: partner issues become local issues. */
export const BulkDirection = z.enum(['link', 'import']);
export type BulkDirection = z.infer<typeof BulkDirection>;

/** A JQL as typed: trimmed, non-empty, at most 2,000 characters (Jira's search limits the query, not us). */
export const BulkJql = z.string().trim().min(1, 'Enter a JQL query, e.g. project = ALOY AND created >= -30d').max(2000, 'The JQL is longer than 2,000 characters.');

/** Payload of `previewBulk`: which connection (optional when the project has one), which way, which JQL. */
export const BulkPreviewInput = z.object({ connectionId: z.string().optional(), direction: BulkDirection, jql: BulkJql });
export type BulkPreviewInput = z.input<typeof BulkPreviewInput>;

/** One issue of a preview's sample. */
export const BulkSampleIssue = z.object({ key: z.string(), summary: z.string(), linked: z.boolean() });

/**
 * Result of `previewBulk`. `query` is what the run will search: the typed JQL restricted to the connection's
 * project on the searched side. `total` counts every match (already linked ones included); `sample` the first 10.
 */
export const BulkPreview = z.object({ direction: BulkDirection, query: z.string(), total: z.number().int(), sample: z.array(BulkSampleIssue) });
export type BulkPreview = z.infer<typeof BulkPreview>;

/** Payload of `startBulk`: the preview's input plus the person's confirmation. */
export const StartBulkInput = BulkPreviewInput.extend({ confirmed: z.literal(true) });
export type StartBulkInput = z.input<typeof StartBulkInput>;

/** Payload of `getBulkRun`, `cancelBulk`, `resumeBulk` and `retryBulkFailures`. */
export const BulkRunRef = z.object({ runId: z.string().regex(/^[a-zA-Z0-9-]{1,60}$/, 'That bulk run id is malformed.') });

/** One issue that could not be linked or imported, with the reason in words. */
export const BulkFailure = z.object({ key: z.string(), reason: z.string() });

/** A bulk run as the settings page shows it. */
export const BulkRunView = z.object({
  runId: z.string(),
  direction: BulkDirection,
  query: z.string(),
  /** `running` (the queue works on it), `cancelled` (stopped by a person; resumable), `done`. */
  state: z.enum(['running', 'cancelled', 'done']),
  /** Issues matched when the run started. */
  total: z.number().int(),
  created: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  /** Failures, oldest first (the first 200). */
  failures: z.array(BulkFailure),
  /** ISO-8601 times. */
  startedAt: z.string(),
  updatedAt: z.string(),
});
export type BulkRunView = z.infer<typeof BulkRunView>;

/** Result of `listBulkRuns`: this project's runs, newest first (at most 10). */
export const BulkRunList = z.object({ runs: z.array(BulkRunView) });
export type BulkRunList = z.infer<typeof BulkRunList>;
