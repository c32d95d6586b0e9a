/**
 * Health metrics, pure: one aggregate per connection per hour (runs, synced, failures by outcome, rate-limit hits
 * and a fixed latency histogram), how a logged run adds to it, and the series the charts and the admin page read
 * (per hour, with p50/p95 latency estimated from the histogram). No I/O; the store is `src/store/metrics.ts`.
 *
 * Why a histogram: percentiles cannot be added up hour by hour, but bucket counts can; with fixed bucket bounds a
 * p95 over any range of hours is the merge of their buckets. The estimate is the upper bound of the bucket the
 * percentile falls in (never optimistic), so its error is at most one bucket width (bounds grow ≈ ×2).
 */
import { z } from 'zod';

/**
 * Upper bounds of the latency buckets, in ms: a sample `v` falls in the first bucket with `v <= bound`; the last,
 * open-ended bucket (index `LATENCY_BOUNDS_MS.length`) holds everything slower than 15 minutes.
 */
export const LATENCY_BOUNDS_MS = [50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 900_000] as const;
const BUCKETS = LATENCY_BOUNDS_MS.length + 1;

/** Outcomes counted as failures (each counted by name in `failures`). */
export const FAILURE_OUTCOMES = ['failed', 'rejected', 'broken'] as const;
/** Outcomes counted as a successful sync that moved something. */
export const SYNCED_OUTCOMES = ['created', 'synced', 'resolved'] as const;
/** Outcomes of a run that ended in agreement (the link's `lastSyncAt` moves). */
const SUCCESS_OUTCOMES = new Set(['created', 'synced', 'no-change', 'conflict', 'resolved']);
/** Outcomes that are a sync job's run (the rest of the log is people's actions: pause, resume, unlink). */
const RUN_OUTCOMES = new Set(['created', 'synced', 'no-change', 'conflict', 'resolved', 'failed', 'rejected', 'broken']);

/** How long an hour's aggregate is kept (KVS TTL), in days: the 7-day chart plus the hour in progress. */
export const METRICS_RETENTION_DAYS = 8;

/**
 * The stored aggregate of one connection and one UTC hour. Counts are whole numbers; `latency` has one count per
 * bucket of {@link LATENCY_BOUNDS_MS} (plus the open one). Every field defaults, so older or partial records parse.
 */
export const HourMetrics = z.object({
  /** ISO-8601 start of the UTC hour, e.g. `2026-12-02T17:00:00.000Z`. */
  hour: z.string(),
  /** Sync job runs logged (every outcome of a run, including `no-change`). */
  runs: z.number().int().min(0).default(0),
  /** Runs that copied something (`created`, `synced`, `resolved`). */
  synced: z.number().int().min(0).default(0),
  /** Runs that found a new conflict. */
  conflicts: z.number().int().min(0).default(0),
  /** Failures by outcome: `failed`, `rejected`, `broken`. */
  failures: z.record(z.string(), z.number().int().min(0)).default({}),
  /** HTTP 429 answers either Jira site gave this connection's calls (each retry's 429 counts). */
  rateLimitHits: z.number().int().min(0).default(0),
  /** Latency samples (ms from event received to job end) per bucket. */
  latency: z.array(z.number().int().min(0)).default([]),
  /** Links of the connection created minus removed in the hour (may be negative). Absent in older records: 0. */
  links: z.number().int().default(0),
  /** ISO-8601 end of the hour's newest successful run (any outcome of {@link SUCCESS_OUTCOMES}), or null. */
  lastSyncAt: z.string().nullable().default(null),
});
export type HourMetrics = z.infer<typeof HourMetrics>;

/** What one logged run adds: its outcome, the 429s seen since the last one, and its latency (ms) when known. */
export interface RunSample {
  outcome: string;
  rateLimitHits?: number;
  latencyMs?: number;
  /** Links created (+1) or removed (−1) by this entry. */
  linksDelta?: number;
  /** ISO-8601 time the run ended (sets `lastSyncAt` of a successful run). */
  endedAt?: string;
}

/** ISO-8601 start of the UTC hour that `at` (ms since the epoch) falls in. */
export function hourOf(at: number): string {
  return new Date(Math.floor(at / 3_600_000) * 3_600_000).toISOString();
}

/** An hour with nothing counted. */
export function emptyHour(hour: string): HourMetrics {
  return { hour, runs: 0, synced: 0, conflicts: 0, failures: {}, rateLimitHits: 0, latency: new Array(BUCKETS).fill(0), links: 0, lastSyncAt: null };
}

/** Index of the latency bucket of `ms` (negative → the first; slower than the last bound → the open bucket). */
export function bucketOf(ms: number): number {
  const i = LATENCY_BOUNDS_MS.findIndex((b) => ms <= b);
  return i === -1 ? LATENCY_BOUNDS_MS.length : i;
}

/**
 * `hour` with `sample` added (a new object; `hour` is not changed). Entries that are not runs add only 429s and
 * link changes.
 */
export function addRun(hour: HourMetrics, sample: RunSample): HourMetrics {
  const next: HourMetrics = { ...hour, failures: { ...hour.failures }, latency: padded(hour.latency) };
  next.rateLimitHits += Math.max(0, Math.round(sample.rateLimitHits ?? 0));
  next.links += Math.round(sample.linksDelta ?? 0);
  if (!RUN_OUTCOMES.has(sample.outcome)) return next;
  if (SUCCESS_OUTCOMES.has(sample.outcome) && sample.endedAt) next.lastSyncAt = newest(next.lastSyncAt, sample.endedAt);
  next.runs += 1;
  if ((SYNCED_OUTCOMES as readonly string[]).includes(sample.outcome)) next.synced += 1;
  if (sample.outcome === 'conflict') next.conflicts += 1;
  if ((FAILURE_OUTCOMES as readonly string[]).includes(sample.outcome)) next.failures[sample.outcome] = (next.failures[sample.outcome] ?? 0) + 1;
  if (sample.latencyMs !== undefined && Number.isFinite(sample.latencyMs)) next.latency[bucketOf(sample.latencyMs)] += 1;
  return next;
}

/** Two hours' counts added (for a range of hours or several connections); `hour` is taken from `a`. */
export function mergeHours(a: HourMetrics, b: HourMetrics): HourMetrics {
  const failures = { ...a.failures };
  for (const [k, v] of Object.entries(b.failures)) failures[k] = (failures[k] ?? 0) + v;
  const la = padded(a.latency);
  const lb = padded(b.latency);
  return {
    hour: a.hour,
    runs: a.runs + b.runs,
    synced: a.synced + b.synced,
    conflicts: a.conflicts + b.conflicts,
    failures,
    rateLimitHits: a.rateLimitHits + b.rateLimitHits,
    latency: la.map((n, i) => n + lb[i]),
    links: a.links + b.links,
    lastSyncAt: newest(a.lastSyncAt, b.lastSyncAt),
  };
}

/** The later of two ISO-8601 times (null when both are). */
function newest(a: string | null, b: string | null): string | null {
  return !a ? b : !b ? a : a > b ? a : b;
}

/** Failures of an hour, all outcomes together. */
export function failureCount(h: Pick<HourMetrics, 'failures'>): number {
  return Object.values(h.failures).reduce((s, n) => s + n, 0);
}

/**
 * The `q`-th percentile (0 < q ≤ 1) of the samples in a histogram, as the upper bound of the bucket it falls in
 * (ms), or null without samples. A percentile in the open bucket answers its lower bound (900,000 ms): "slower
 * than 15 minutes".
 * @throws RangeError when `q` is not in (0, 1]
 */
export function percentileMs(latency: readonly number[], q: number): number | null {
  if (!(q > 0 && q <= 1)) throw new RangeError(`percentile must be in (0, 1], got ${q}`);
  const total = latency.reduce((s, n) => s + n, 0);
  if (!total) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < latency.length; i++) {
    seen += latency[i];
    if (seen >= rank) return LATENCY_BOUNDS_MS[Math.min(i, LATENCY_BOUNDS_MS.length - 1)];
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1];
}

/** One point of a chart: an hour's counts and latency percentiles. */
export interface HealthPoint {
  /** ISO-8601 start of the UTC hour. */
  hour: string;
  runs: number;
  synced: number;
  failures: number;
  conflicts: number;
  rateLimitHits: number;
  /** Latency percentiles in ms (bucket upper bounds), null when the hour had no timed run. */
  p50Ms: number | null;
  p95Ms: number | null;
  /** Timed runs (latency samples) in the hour. */
  samples: number;
}

/**
 * The last `hours` hours ending with the hour of `now` (oldest first), one point per hour, hours without a record
 * counting zero. `records` may hold several connections' records of the same hour: they are added up.
 */
export function hourlySeries(records: readonly HourMetrics[], hours: number, now: number): HealthPoint[] {
  const byHour = new Map<string, HourMetrics>();
  for (const r of records) byHour.set(r.hour, byHour.has(r.hour) ? mergeHours(byHour.get(r.hour)!, r) : r);
  const last = Date.parse(hourOf(now));
  const out: HealthPoint[] = [];
  for (let i = hours - 1; i >= 0; i--) {
    const hour = new Date(last - i * 3_600_000).toISOString();
    out.push(pointOf(byHour.get(hour) ?? emptyHour(hour)));
  }
  return out;
}

/** The totals of a range of hours as one point (its `hour` is the first record's, or `since`). */
export function totalOf(records: readonly HourMetrics[], since: string): HealthPoint {
  return pointOf(records.reduce((acc, r) => mergeHours(acc, r), emptyHour(since)));
}

function pointOf(h: HourMetrics): HealthPoint {
  const latency = padded(h.latency);
  return {
    hour: h.hour,
    runs: h.runs,
    synced: h.synced,
    failures: failureCount(h),
    conflicts: h.conflicts,
    rateLimitHits: h.rateLimitHits,
    p50Ms: percentileMs(latency, 0.5),
    p95Ms: percentileMs(latency, 0.95),
    samples: latency.reduce((s, n) => s + n, 0),
  };
}

/** A latency array with one count per bucket (older or shorter records padded with zeros). */
function padded(latency: readonly number[]): number[] {
  return Array.from({ length: BUCKETS }, (_, i) => latency[i] ?? 0);
}
