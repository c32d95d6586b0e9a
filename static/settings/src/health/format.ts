/**
 * Words and labels of the health charts: hour ticks, latency bounds (the histogram's percentiles are bucket upper
 * bounds, so they read "≤ 2.5 s"), and the one-sentence summary a screen reader gets for each chart.
 */
import type { HealthPoint } from '../../../../src/contract';

/** `17:00` for a 24-hour chart, `Tue 17:00` for a 7-day one (UTC, as the hours are stored). */
export function hourLabel(iso: string, withDay: boolean): string {
  const d = new Date(iso);
  const hm = `${String(d.getUTCHours()).padStart(2, '0')}:00`;
  return withDay ? `${d.toLocaleDateString('en', { weekday: 'short', timeZone: 'UTC' })} ${hm}` : hm;
}

/** A latency bound in ms as people read it: `50 ms`, `2.5 s`, `2 min`. */
export function latencyText(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${ms / 1000} s`;
  return `${ms / 60_000} min`;
}

/** Summary of the syncs chart, e.g. "12 runs, 9 synced, 1 failed in the last 24 hours; busiest hour 17:00 UTC (8 runs)." */
export function syncSummary(points: HealthPoint[], total: HealthPoint, rangeText: string): string {
  if (!total.runs) return `No sync runs in the ${rangeText}.`;
  const busiest = points.reduce((a, b) => (b.runs > a.runs ? b : a), points[0]);
  return `${total.runs} runs, ${total.synced} synced, ${total.failures} failed, ${total.rateLimitHits} rate-limit answers (429) in the ${rangeText}; busiest hour ${hourLabel(busiest.hour, true)} UTC (${busiest.runs} runs).`;
}

/** Summary of the latency chart. */
export function latencySummary(total: HealthPoint, rangeText: string): string {
  if (!total.samples) return `No timed runs in the ${rangeText}: latency is measured for edits that arrive as events or webhooks.`;
  return `Propagation latency over ${total.samples} edits in the ${rangeText}: half arrived within ${latencyText(total.p50Ms)}, 95 % within ${latencyText(total.p95Ms)}.`;
}
