/**
 * Small numeric helpers and the plain-text table the bench prints.
 */

/** p50/p95/max/mean of a sample, in the sample's unit (ms here). */
export interface Summary {
  n: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile `p` (0..100) of `xs`; NaN for an empty sample. */
export function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** Summarises a sample (values rounded to 0.1). */
export function summarise(xs: number[]): Summary {
  const r = (v: number) => Math.round(v * 10) / 10;
  const mean = xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
  return { n: xs.length, p50: r(percentile(xs, 50)), p95: r(percentile(xs, 95)), max: r(percentile(xs, 100)), mean: r(mean) };
}

/** Mean of each key over a list of records with numeric values. */
export function meanOf<K extends string>(rows: Record<K, number>[], keys: readonly K[]): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const k of keys) out[k] = rows.length ? Math.round((rows.reduce((a, r) => a + r[k], 0) / rows.length) * 100) / 100 : NaN;
  return out;
}

/** `1234567` → `1.2 MB`. */
export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** `12345` → `12.1 KB`. */
export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** A row of the printed table: what was measured, the figure, and what dominates it. */
export interface Row {
  what: string;
  figure: string;
  dominatedBy: string;
}

/** Renders rows as an aligned three-column table; long "dominated by" notes wrap under their row. */
export function table(rows: Row[]): string {
  const w1 = Math.max(4, ...rows.map((r) => r.what.length));
  const w2 = Math.max(6, ...rows.map((r) => r.figure.length));
  const line = (a: string, b: string, c: string) => `${a.padEnd(w1)} │ ${b.padEnd(w2)} │ ${c}`;
  const out = [line('what', 'figure', 'dominated by'), `${'─'.repeat(w1)}─┼─${'─'.repeat(w2)}─┼─${'─'.repeat(40)}`];
  for (const r of rows) out.push(line(r.what, r.figure, r.dominatedBy));
  return out.join('\n');
}
