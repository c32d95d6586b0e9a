/**
 * The Sync log tab: the Waiting for a decision section (conflicts a person must settle, with links to both
 * issues) and the Failed section (links whose last job failed, with Retry buttons) above the latest sync-log
 * entries (newest first, as the resolver returns them), and a Refresh button that re-reads all three.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import Button from '@atlaskit/button/new';
import DynamicTable from '@atlaskit/dynamic-table';
import Lozenge from '@atlaskit/lozenge';
import type { FailedLink, ResolverError, SyncLogEntry, WaitingConflict } from '../../../src/contract';
import { callResolver } from '../../shared/api';
import { ErrorNote } from '../../shared/ErrorNote';
import { absoluteTime } from '../../shared/time';
import { useAction } from '../../shared/useAction';
import { FailedSyncs, queuedNotice, retryTag, type RetryScope } from './FailedSyncs';
import { WaitingConflicts } from './WaitingConflicts';
import { LazyHealthCharts } from './health/LazyHealthCharts'; // health: charts, their own chunk

/** How long after a retry both lists are read again (ms): long enough for a quick job to finish. */
export const REFRESH_AFTER_RETRY_MS = 2_000;

type Appearance = 'success' | 'removed' | 'moved' | 'default' | 'inprogress' | 'new';
const OUTCOME: Record<SyncLogEntry['outcome'], Appearance> = {
  created: 'new',
  synced: 'success',
  'no-change': 'default',
  conflict: 'moved',
  resolved: 'success',
  failed: 'removed',
  rejected: 'removed',
  broken: 'removed',
  paused: 'moved',
  resumed: 'inprogress',
  unlinked: 'default',
};
const DIRECTION: Record<SyncLogEntry['direction'], string> = {
  'local-to-partner': 'To partner',
  'partner-to-local': 'From partner',
  both: 'Both ways',
  none: '—',
};

const HEAD = {
  cells: ['Time', 'Trigger', 'Direction', 'Issue', 'Partner issue', 'Fields', 'Outcome', 'Message'].map((c) => ({
    key: c,
    content: c,
  })),
};

/** Failed section and sync log table for the project in the Forge context. */
export function SyncLog() {
  const [entries, setEntries] = useState<SyncLogEntry[] | null>(null);
  const [failed, setFailed] = useState<FailedLink[]>([]);
  const [waiting, setWaiting] = useState<WaitingConflict[]>([]);
  const [error, setError] = useState<ResolverError | null>(null);
  const [loading, setLoading] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  // Every job is logged, including the many that found both sides equal (mostly echoes of our own writes).
  const [showQuiet, setShowQuiet] = useState(false);
  const retry = useAction();
  const refreshTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const load = useCallback(async () => {
    setLoading(true);
    const [log, failures, conflicts] = await Promise.all([
      callResolver('getSyncLog', { limit: 100 }),
      callResolver('getFailedLinks', {}),
      callResolver('getWaitingConflicts', {}),
    ]);
    setLoading(false);
    if (log.ok) setEntries(log.data.entries);
    if (failures.ok) setFailed(failures.data.failed);
    if (conflicts.ok) setWaiting(conflicts.data.conflicts);
    // All fail alike for a non-admin; one note is enough.
    setError(!log.ok ? log.error : !failures.ok ? failures.error : !conflicts.ok ? conflicts.error : null);
  }, []);
  useEffect(() => {
    void load();
    return () => clearTimeout(refreshTimer.current);
  }, [load]);

  const onRetry = async (scope: RetryScope) => {
    setNotice(null);
    const res = await retry.run('retryFailed', scope, retryTag(scope));
    if (!res) return;
    setNotice(queuedNotice(res.queued));
    clearTimeout(refreshTimer.current);
    refreshTimer.current = setTimeout(() => void load(), REFRESH_AFTER_RETRY_MS);
  };

  const shown = (entries ?? []).filter((e) => showQuiet || e.outcome !== 'no-change');
  const quiet = (entries?.length ?? 0) - shown.length;
  const rows = shown.map((e) => ({
    key: e.id,
    cells: [
      { key: 'at', content: <span title={e.at}>{absoluteTime(e.at)}</span> },
      { key: 'trigger', content: e.trigger },
      { key: 'direction', content: DIRECTION[e.direction] },
      { key: 'local', content: <span className="ts-nowrap">{e.localIssueKey ?? '—'}</span> },
      { key: 'partner', content: <span className="ts-nowrap">{e.partnerIssueKey ?? '—'}</span> },
      { key: 'fields', content: e.fields.join(', ') || '—' },
      { key: 'outcome', content: <Lozenge appearance={OUTCOME[e.outcome]}>{e.outcome}</Lozenge> },
      { key: 'message', content: e.message },
    ],
  }));

  return (
    <>
      <LazyHealthCharts /> {/* health */}
      <WaitingConflicts waiting={waiting} />
      <FailedSyncs failed={failed} busy={retry.busy} notice={notice} error={retry.error} onRetry={(s) => void onRetry(s)} />
      <section aria-label="Sync log">
        <div className="ts-log-toolbar">
          <span className="ts-muted">{entries?.length ? `Latest ${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}, newest first` : ''}</span>
          <label className="ts-muted">
            <input type="checkbox" checked={showQuiet} onChange={(ev) => setShowQuiet(ev.target.checked)} /> Show runs that changed nothing
            {!showQuiet && quiet > 0 ? ` (${quiet} hidden)` : ''}
          </label>
          <Button onClick={() => void load()} isDisabled={loading}>
            {loading ? 'Refreshing…' : 'Refresh'}
          </Button>
        </div>
        {error && <ErrorNote error={error} />}
        <DynamicTable
          head={HEAD}
          rows={rows}
          isLoading={entries === null && !error}
          emptyView={<p>No sync activity yet. Entries appear here when an issue is synced.</p>}
          rowsPerPage={25}
          defaultPage={1}
          label="Sync log entries"
        />
      </section>
    </>
  );
}
