/**
 * The one retry policy: every wait the app makes before trying again, in one place.
 * - **HTTP calls** (both Jira adapters): retry 429 and 5xx (and network errors for idempotent requests) with
 *   exponential backoff and full jitter, honouring `Retry-After` (seconds) and `X-RateLimit-Reset` (ISO-8601). A
 *   wait longer than `maxWaitMs` is not slept in-process: the caller gets a retryable `SyncError` carrying
 *   `retryAfterMs`, and the queue retries the whole job later (Forge consumers should not sleep for minutes).
 * - **Sync jobs** (queue retries): exponential 5, 10, 20, 40 s with jitter, never sooner than `Retry-After`.
 * - **Reconcile** retrying a failed link: a cool-down doubling from 5 minutes to an hour.
 * - **Claims**: how long a job's or a creation's claim lasts.
 * @see https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/async-events-api/#retry-events
 */
import type { RetryPolicy } from '../jira/site';

/** Retries Forge makes of a failed job after the first attempt (the platform allows 4). */
export const MAX_JOB_RETRIES = 4;
/**
 * How long a job's claim on its link lasts, in seconds: longer than a consumer may run (900 s in manifest.yml), so
 * a slow job never loses it to a second one. If the holder dies, reconcile picks the link up once it expires.
 */
export const LINK_CLAIM_TTL_S = 960;
/** How long a partner-issue creation claim lasts, in seconds (a resolver runs at most 25 s). */
export const CREATE_CLAIM_TTL_S = 120;
/** A second opt-in waits for the first one's link: this often (ms), this many times (10 s in all). */
export const LINK_WAIT = { everyMs: 250, times: 40 };

/** Attempts, first backoff step and longest in-process wait of an HTTP call. */
export const HTTP_RETRY_SETTINGS = { attempts: 3, baseDelayMs: 250, maxWaitMs: 5_000 };

/**
 * How long to wait before the next HTTP attempt, in ms.
 * @param attempt 1 for the wait after the first failure
 * @param headers response headers (`retry-after`, `x-ratelimit-reset`), when there was a response
 */
export function retryDelayMs(
  attempt: number,
  headers: { get(name: string): string | null } | undefined,
  baseDelayMs = HTTP_RETRY_SETTINGS.baseDelayMs,
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
  const cap = baseDelayMs * 2 ** (attempt - 1);
  return Math.round(cap / 2 + random() * (cap / 2));
}

/** The HTTP policy both Jira adapters use (`createJiraSite(transport, HTTP_RETRY)`). */
export const HTTP_RETRY: RetryPolicy = {
  attempts: HTTP_RETRY_SETTINGS.attempts,
  maxWaitMs: HTTP_RETRY_SETTINGS.maxWaitMs,
  delayMs: (attempt, headers) => retryDelayMs(attempt, headers),
};

/**
 * Seconds before Forge retries a failed job: exponential (5, 10, 20, 40 s) with jitter of up to half a step, and
 * never sooner than the partner's `Retry-After`.
 */
export function jobRetryAfterSeconds(retryCount: number, retryAfterMs = 0, random: () => number = Math.random): number {
  const step = 5 * 2 ** retryCount;
  return Math.max(1, Math.ceil(retryAfterMs / 1000), Math.round(step + random() * (step / 2)));
}

/**
 * How old a failure must be before reconcile retries the link, in ms: 5 minutes after the first failed run,
 * doubling with each further one, at most an hour — so a partner that stays down is not hammered.
 */
export function failedCooldownMs(attempts: number): number {
  return Math.min(60 * 60_000, 5 * 60_000 * 2 ** Math.max(0, attempts - 1));
}
