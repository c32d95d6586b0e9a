/**
 * The app's one error type. Every failure that reaches an admin or a user is a `SyncError`: a stable `code`, a
 * `message` written for a Jira admin (what happened and what to do), whether retrying can help, and the cause.
 * It is turned into a sync-log entry in `src/sync/job.ts` and into a resolver error in `src/handlers/respond.ts`.
 */
export type SyncErrorCode =
  | 'invalid-input'
  | 'forbidden'
  | 'not-configured'
  | 'partner-auth'
  | 'partner-unreachable'
  | 'partner-project'
  | 'not-found'
  | 'rate-limited'
  | 'jira-rejected'
  | 'jira-unavailable'
  | 'no-transition'
  | 'bad-signature'
  | 'internal';

export class SyncError extends Error {
  readonly code: SyncErrorCode;
  /** True when the same call may succeed later (timeouts, 429, 5xx, network). */
  readonly retryable: boolean;
  /** Suggested wait before retrying, in ms (from `Retry-After` on 429/503), if known. */
  readonly retryAfterMs?: number;

  constructor(
    code: SyncErrorCode,
    message: string,
    opts: { retryable?: boolean; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'SyncError';
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/** Wraps anything thrown into a `SyncError` (unknown errors become `internal`, not retryable). */
export function toSyncError(err: unknown): SyncError {
  if (err instanceof SyncError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new SyncError('internal', `Unexpected error: ${message}`, { cause: err });
}
