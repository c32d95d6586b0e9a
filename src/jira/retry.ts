/**
 * The one retry policy used by both Jira adapters: retry 429 and 5xx (and network errors for idempotent requests)
 * with exponential backoff and full jitter, honouring `Retry-After` (seconds) and `X-RateLimit-Reset` (ISO-8601).
 * A wait longer than `maxWaitMs` is not slept in-process: the caller gets a retryable `SyncError` carrying
 * `retryAfterMs`, and the queue retries the whole job later (Forge consumers should not sleep for minutes).
 * @see https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
 */
export interface RetryPolicy {
  /** Attempts in total, including the first. */
  attempts: number;
  /** First backoff step in ms; doubles each attempt. */
  baseDelayMs: number;
  /** Longest single wait slept in-process, in ms. */
  maxWaitMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 250, maxWaitMs: 5_000 };

/** Response statuses worth retrying. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504 || status === 500;
}

/**
 * How long to wait before the next attempt, in ms.
 * @param attempt 1 for the wait after the first failure
 * @param headers response headers (`retry-after`, `x-ratelimit-reset`), when there was a response
 */
export function retryDelayMs(
  attempt: number,
  headers: { get(name: string): string | null } | undefined,
  policy: RetryPolicy = DEFAULT_RETRY,
  now: number = Date.now(),
  random: () => number = Math.random,
): number {
  const retryAfter = headers?.get('retry-after');
  if (retryAfter && /^\d+(\.\d+)?$/.test(retryAfter.trim())) return Math.ceil(Number(retryAfter) * 1000);
  const reset = headers?.get('x-ratelimit-reset');
  if (reset) {
    const at = Date.parse(reset);
    if (!Number.isNaN(at) && at > now) return at - now;
  }
  const cap = policy.baseDelayMs * 2 ** (attempt - 1);
  return Math.round(cap / 2 + random() * (cap / 2));
}
