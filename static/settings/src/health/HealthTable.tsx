/** The charts' data as a table (the accessible alternative): one row per hour that had any activity. */
import type { HealthPoint } from '../../../../src/contract';
import { hourLabel, latencyText } from './format';

/** A plain `<table>` with headers, hours without runs left out (said in the caption). */
export function HealthTable({ points, withDay, caption }: { points: HealthPoint[]; withDay: boolean; caption: string }) {
  const active = points.filter((p) => p.runs || p.rateLimitHits);
  return (
    <table className="ts-health-table" data-testid="health-table">
      <caption>{caption}; hours without runs are left out.</caption>
      <thead>
        <tr>
          <th scope="col">Hour (UTC)</th>
          <th scope="col">Runs</th>
          <th scope="col">Synced</th>
          <th scope="col">Failed</th>
          <th scope="col">429s</th>
          <th scope="col">Latency p50</th>
          <th scope="col">Latency p95</th>
        </tr>
      </thead>
      <tbody>
        {active.map((p) => (
          <tr key={p.hour}>
            <th scope="row">{hourLabel(p.hour, withDay)}</th>
            <td>{p.runs}</td>
            <td>{p.synced}</td>
            <td>{p.failures}</td>
            <td>{p.rateLimitHits}</td>
            <td>{p.p50Ms === null ? '—' : `≤ ${latencyText(p.p50Ms)}`}</td>
            <td>{p.p95Ms === null ? '—' : `≤ ${latencyText(p.p95Ms)}`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
