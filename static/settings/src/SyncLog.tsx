/**
 * The Sync log tab: the latest sync-log entries (newest first, as the resolver returns them) with a Refresh button.
 */
import { useCallback, useEffect, useState } from 'react';
import Button from '@atlaskit/button/new';
import DynamicTable from '@atlaskit/dynamic-table';
import Lozenge from '@atlaskit/lozenge';
import type { ResolverError, SyncLogEntry } from '../../../src/contract';
import { callResolver } from '../../shared/api';
import { ErrorNote } from '../../shared/ErrorNote';
import { absoluteTime } from '../../shared/time';

type Appearance = 'success' | 'removed' | 'moved' | 'default' | 'inprogress' | 'new';
const OUTCOME: Record<SyncLogEntry['outcome'], Appearance> = {
  created: 'new',
  synced: 'success',
  'no-change': 'default',
  conflict: 'moved',
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

/** Sync log table for the project in the Forge context. */
export function SyncLog() {
  const [entries, setEntries] = useState<SyncLogEntry[] | null>(null);
  const [error, setError] = useState<ResolverError | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    const res = await callResolver('getSyncLog', { limit: 100 });
    setLoading(false);
    if (res.ok) {
      setEntries(res.data.entries);
      setError(null);
    } else setError(res.error);
  }, []);
  useEffect(() => void load(), [load]);

  const rows = (entries ?? []).map((e) => ({
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
    <section aria-label="Sync log">
      <div className="ts-log-toolbar">
        <span className="ts-muted">{entries?.length ? `Latest ${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}, newest first` : ''}</span>
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
  );
}
