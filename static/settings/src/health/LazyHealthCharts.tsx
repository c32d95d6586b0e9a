/**
 * The health charts, loaded on demand: `HealthCharts` and recharts are their own chunk, fetched when the Sync log
 * tab (which mounts this) opens, so the settings page's first load does not carry them.
 */
import { lazy, Suspense } from 'react';
import Spinner from '@atlaskit/spinner';

const HealthCharts = lazy(() => import('./HealthCharts.js').then((m) => ({ default: m.HealthCharts })));

/** Mounts the charts, with a spinner while their chunk loads. */
export function LazyHealthCharts() {
  return (
    <Suspense fallback={<Spinner size="medium" label="Loading sync health" />}>
      <HealthCharts />
    </Suspense>
  );
}
