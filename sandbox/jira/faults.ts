/**
 * Fault injection for one emulated site (`POST /__sandbox/faults`): random errors, timeouts that commit the write
 * and never answer, latency, an outage switch, a per-user rate limit like Jira Cloud's burst limit, and webhook
 * drops, duplicates and delays. Randomness comes from a seedable RNG so a test can reproduce a run.
 * @see https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
 */
import { z } from 'zod';
import { JiraError } from './errors';

const rate = z.number().min(0).max(1);
const range = z
  .tuple([z.number().int().min(0), z.number().int().min(0)])
  .refine(([a, b]) => a <= b, { message: 'the first number (min) must not exceed the second (max)' });

/**
 * Body of `POST /__sandbox/faults`; every key optional, merged into the current faults.
 * Rates are probabilities 0..1; `…Ms` ranges are `[min, max]` in ms, drawn uniformly per request or delivery.
 */
export const FaultsBody = z
  .object({
    webhookDrop: rate,
    webhookDuplicate: rate,
    webhookDelayMs: range,
    errorRate: rate,
    errorStatus: z.array(z.number().int().min(400).max(599)).min(1),
    timeoutRate: rate,
    /** With `timeoutRate`: drop the held connection after this many ms (a reset after commit) instead of never. */
    timeoutHoldMs: z.number().int().min(0).max(600_000),
    latencyMs: range,
    rateLimit: z.object({ perSecond: z.number().positive(), burst: z.number().int().min(1) }).strict(),
    down: z.boolean(),
    seed: z.number().int(),
  })
  .strict()
  .partial();

/** Current fault settings (what `POST /__sandbox/faults` answers). */
export type FaultSettings = z.infer<typeof FaultsBody>;

/** How often each fault fired since start or the last stats reset. */
export interface FaultCounts {
  error: number;
  timeout: number;
  latency: number;
  outage: number;
  rateLimited: number;
  webhookDrop: number;
  webhookDuplicate: number;
  webhookDelay: number;
}

const zeroCounts = (): FaultCounts => ({ error: 0, timeout: 0, latency: 0, outage: 0, rateLimited: 0, webhookDrop: 0, webhookDuplicate: 0, webhookDelay: 0 });

/** mulberry32: small, fast, good enough to reproduce fault sequences. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Outcome of taking a rate-limit token: the headers to send, and whether the request may go on. */
export interface RateDecision {
  ok: boolean;
  headers: Record<string, string>;
}

/** Fault settings, RNG, per-user token buckets and counters of one site. */
export class Faults {
  settings: FaultSettings = {};
  counts: FaultCounts = zeroCounts();
  private rng: () => number = Math.random;
  private buckets = new Map<string, { tokens: number; at: number }>();

  /**
   * Validates and merges a faults body. A `seed` restarts the RNG; a new `rateLimit` refills every bucket.
   * @throws JiraError 400 naming the offending field (`errors: {<field>: message}`)
   */
  apply(body: unknown): FaultSettings {
    const parsed = FaultsBody.safeParse(body ?? {});
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const i of parsed.error.issues) {
        const field = i.path.length ? i.path.join('.') : ((i as any).keys?.join(', ') ?? 'body');
        errors[field] = i.code === 'unrecognized_keys' ? `Unknown fault ${field}.` : i.message;
      }
      throw new JiraError(400, ['Invalid faults body.'], errors);
    }
    Object.assign(this.settings, parsed.data);
    if (parsed.data.seed !== undefined) this.rng = seeded(parsed.data.seed);
    if (parsed.data.rateLimit) this.buckets.clear();
    return this.settings;
  }

  /** Clears every fault (the RNG goes back to `Math.random`). */
  clear(): void {
    this.settings = {};
    this.rng = Math.random;
    this.buckets.clear();
  }

  /** Zeroes the counters. */
  resetCounts(): void {
    this.counts = zeroCounts();
  }

  /** True with probability `p` (0 or undefined: never, without consuming randomness). */
  chance(p: number | undefined): boolean {
    return !!p && this.rng() < p;
  }

  /** A whole number drawn uniformly from `[min, max]` (ms); 0 without a range. */
  between(r: [number, number] | undefined): number {
    if (!r) return 0;
    return r[0] + Math.floor(this.rng() * (r[1] - r[0] + 1));
  }

  /** One element of `xs`, drawn with the fault RNG. */
  pick<T>(xs: T[]): T {
    return xs[Math.floor(this.rng() * xs.length)];
  }

  /**
   * Takes one token from `userKey`'s bucket (capacity `burst`, refilled at `perSecond`). Without a `rateLimit`
   * fault every request passes with no headers. A refusal carries Jira Cloud's 429 headers: `Retry-After` (whole
   * seconds), `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset` (ISO-8601) and `RateLimit-Reason`.
   */
  takeToken(userKey: string, now = Date.now()): RateDecision {
    const rl = this.settings.rateLimit;
    if (!rl) return { ok: true, headers: {} };
    const b = this.buckets.get(userKey) ?? { tokens: rl.burst, at: now };
    b.tokens = Math.min(rl.burst, b.tokens + ((now - b.at) / 1000) * rl.perSecond);
    b.at = now;
    this.buckets.set(userKey, b);
    const headers: Record<string, string> = { 'X-RateLimit-Limit': String(rl.burst) };
    if (b.tokens >= 1) {
      b.tokens -= 1;
      headers['X-RateLimit-Remaining'] = String(Math.floor(b.tokens));
      if (b.tokens < rl.burst * 0.2) headers['X-RateLimit-NearLimit'] = 'true';
      return { ok: true, headers };
    }
    this.counts.rateLimited++;
    const waitMs = ((1 - b.tokens) / rl.perSecond) * 1000;
    headers['X-RateLimit-Remaining'] = '0';
    headers['Retry-After'] = String(Math.max(1, Math.ceil(waitMs / 1000)));
    headers['X-RateLimit-Reset'] = new Date(now + waitMs).toISOString();
    headers['RateLimit-Reason'] = 'jira-burst-based';
    return { ok: false, headers };
  }
}

/** Jira's error body for an injected status. */
export function faultError(status: number): JiraError {
  if (status === 429) return new JiraError(429, ['Rate limit exceeded.']);
  if (status === 503) return new JiraError(503, ['Service Unavailable: the site is temporarily unable to handle the request.']);
  if (status === 504) return new JiraError(504, ['Gateway Timeout']);
  if (status >= 500) return new JiraError(status, ['Internal server error']);
  return new JiraError(status, [`HTTP ${status}`]);
}
