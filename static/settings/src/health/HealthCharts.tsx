/**
 * Health charts of the Sync log tab: syncs and failures per hour, and propagation latency (p50/p95) per hour, over
 * the last 24 hours or 7 days, from the hourly metrics (`getHealth`). Drawn with recharts; this module is its own
 * chunk, imported only when the log tab opens (see `./LazyHealthCharts.tsx`). Every chart has a text summary
 * (`aria-describedby`) and a "Show as table" alternative; colours are design tokens, so light and dark follow the
 * theme.
 * @see https://recharts.github.io/en-US/api
 */
import { useCallback, useEffect, useState } from 'react';
import Button from '@atlaskit/button/new';
import Spinner from '@atlaskit/spinner';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { HealthView, ResolverError } from '../../../../src/contract';
import { callResolver } from '../../../shared/api';
import { ErrorNote } from '../../../shared/ErrorNote';
import { HealthTable } from './HealthTable';
import { hourLabel, latencySummary, latencyText, syncSummary } from './format';
import './health.css';

type RangeKey = 'day' | 'week';
const RANGES: Record<RangeKey, { label: string; words: string }> = { day: { label: '24 hours', words: 'last 24 hours' }, week: { label: '7 days', words: 'last 7 days' } };

const AXIS = { stroke: 'var(--ds-border)', tick: { fill: 'var(--ds-text-subtle)', fontSize: 12 } };
const TOOLTIP = {
  contentStyle: { background: 'var(--ds-surface-overlay)', border: '1px solid var(--ds-border)', color: 'var(--ds-text)' },
  labelStyle: { color: 'var(--ds-text)' },
};

/** The charts for the project's connections (all added up). */
export function HealthCharts() {
  const [view, setView] = useState<HealthView | null>(null);
  const [error, setError] = useState<ResolverError | null>(null);
  const [range, setRange] = useState<RangeKey>('day');
  const [asTable, setAsTable] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    const res = await callResolver('getHealth', {});
    if (res.ok) setView(res.data);
    else setError(res.error);
  }, []);
  useEffect(() => void load(), [load]);

  if (error) {
    return (
      <section aria-label="Sync health" className="ts-health">
        <ErrorNote error={error} title="Sync health could not be read" />
        <div className="ts-health-retry">
          <Button onClick={() => void load()}>Try again</Button>
        </div>
      </section>
    );
  }
  if (!view) return <section aria-label="Sync health" className="ts-health ts-health-loading"><Spinner label="Loading sync health" /></section>;

  const { points, total } = view[range];
  const words = RANGES[range].words;
  const week = range === 'week';
  const data = points.map((p) => ({ ...p, label: hourLabel(p.hour, week), p50: p.p50Ms, p95: p.p95Ms }));
  return (
    <section aria-labelledby="ts-health-title" className="ts-health" data-testid="health-charts">
      <div className="ts-health-head">
        <h2 id="ts-health-title" className="ts-health-title">Sync health</h2>
        <div role="group" aria-label="Time range" className="ts-health-range">
          {(Object.keys(RANGES) as RangeKey[]).map((k) => (
            <Button key={k} isSelected={range === k} aria-pressed={range === k} onClick={() => setRange(k)}>
              {RANGES[k].label}
            </Button>
          ))}
        </div>
        <Button appearance="subtle" aria-pressed={asTable} onClick={() => setAsTable((t) => !t)}>
          {asTable ? 'Show as charts' : 'Show as table'}
        </Button>
        <Button appearance="subtle" onClick={() => void load()}>Refresh</Button>
      </div>
      {!total.runs && !total.rateLimitHits ? (
        <p className="ts-muted" data-testid="health-empty">No sync runs in the {words}. Charts appear once issues sync.</p>
      ) : asTable ? (
        <HealthTable points={points} withDay={week} caption={`Syncs, failures and latency per hour, ${words} (UTC)`} />
      ) : (
        <div className="ts-health-charts">
          <figure className="ts-health-figure" aria-describedby="ts-health-syncs-summary">
            <figcaption>Syncs and failures per hour</figcaption>
            <div role="img" aria-label={syncSummary(points, total, words)} className="ts-health-plot">
              <ResponsiveContainer width="100%" height={220}>
                <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
                  <CartesianGrid stroke="var(--ds-border)" strokeDasharray="3 3" vertical={false} />
                  <XAxis dataKey="label" {...AXIS} interval="preserveStartEnd" minTickGap={24} />
                  <YAxis allowDecimals={false} {...AXIS} />
                  <Tooltip {...TOOLTIP} cursor={{ fill: 'var(--ds-background-neutral-subtle-hovered)' }} />
                  <Legend wrapperStyle={{ color: 'var(--ds-text)' }} />
                  <Bar dataKey="synced" name="Synced" stackId="runs" fill="var(--ds-chart-success)" isAnimationActive={false} />
                  <Bar dataKey="failures" name="Failed" stackId="runs" fill="var(--ds-chart-danger)" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
            <p id="ts-health-syncs-summary" className="ts-muted" data-testid="health-syncs-summary">{syncSummary(points, total, words)}</p>
          </figure>
          <figure className="ts-health-figure" aria-describedby="ts-health-latency-summary">
            <figcaption>Propagation latency (event received → job end)</figcaption>
            <div role="img" aria-label={latencySummary(total, words)} className="ts-health-plot">
              <ResponsiveContainer width="100%" height={220}>
                <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
                  <CartesianGrid stroke="var(--ds-border)" strokeDasharray="3 3" vertical={false} />
                  <XAxis dataKey="label" {...AXIS} interval="preserveStartEnd" minTickGap={24} />
                  <YAxis scale="log" domain={[50, 'auto']} allowDataOverflow {...AXIS} tickFormatter={(v: number) => latencyText(v)} />
                  <Tooltip {...TOOLTIP} formatter={(v) => `≤ ${latencyText(Number(v))}`} />
                  <Legend wrapperStyle={{ color: 'var(--ds-text)' }} />
                  <Line dataKey="p50" name="p50" stroke="var(--ds-chart-brand)" strokeWidth={2} dot={{ r: 2 }} connectNulls={false} isAnimationActive={false} />
                  <Line dataKey="p95" name="p95" stroke="var(--ds-chart-warning-bold)" strokeWidth={2} dot={{ r: 2 }} connectNulls={false} isAnimationActive={false} />
                </LineChart>
              </ResponsiveContainer>
            </div>
            <p id="ts-health-latency-summary" className="ts-muted" data-testid="health-latency-summary">{latencySummary(total, words)}</p>
          </figure>
        </div>
      )}
    </section>
  );
}
