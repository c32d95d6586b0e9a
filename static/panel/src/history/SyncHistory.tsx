/**
 * The issue's last ten sync events (`getIssueSyncHistory`), newest first: time, outcome and message, with each
 * copied field's before → after. Loaded on demand from the panel (lazy), refreshed when the link changes.
 */
import { useEffect, useState } from 'react';
import Lozenge from '@atlaskit/lozenge';
import type { IssueSyncHistory, ResolverError, ResolverResult, SyncLogEntry } from '../../../../src/contract';
import { ErrorNote } from '../../../shared/ErrorNote';
import { absoluteTime, relativeTime } from '../../../shared/time';

const BAD = new Set(['failed', 'rejected', 'broken', 'retrying']);

/**
 * History list; `version` (the link's last sync time) reloads it. `load` calls `getIssueSyncHistory`: passed in by
 * the panel so this chunk holds no schemas (the contract and zod stay in the panel's first chunk, after jitless).
 */
export function SyncHistory({ version, load }: { version: string | null; load: () => Promise<ResolverResult<IssueSyncHistory>> }) {
  const [entries, setEntries] = useState<SyncLogEntry[] | null>(null);
  const [error, setError] = useState<ResolverError | null>(null);
  useEffect(() => {
    void load().then((res) => {
      if (res.ok) {
        setEntries(res.data.entries);
        setError(null);
      } else setError(res.error);
    });
  }, [version, load]);
  // The region and its heading stay in every state, so a screen reader finds "Sync history" while it loads or fails.
  return (
    <section aria-label="Sync history" className="ts-history" aria-busy={!entries && !error}>
      <h3 className="ts-history-title">Sync history</h3>
      {error ? (
        <ErrorNote error={error} title="The sync history could not be read" />
      ) : !entries ? (
        <p className="ts-muted" role="status">Loading sync history…</p>
      ) : entries.length === 0 ? (
        <p className="ts-muted">No sync events for this issue in the last 30 days.</p>
      ) : (
        <ol className="ts-history-list">
          {entries.map((e) => (
            <li key={e.id}>
              <span title={absoluteTime(e.at)}>{relativeTime(e.at)}</span>{' '}
              <Lozenge appearance={BAD.has(e.outcome) ? 'removed' : e.outcome === 'conflict' ? 'moved' : e.outcome === 'no-change' ? 'default' : 'success'}>{e.outcome}</Lozenge>{' '}
              <span>{e.message}</span>
              {e.changes?.length ? (
                <ul className="ts-history-changes">
                  {e.changes.map((c) => (
                    <li key={`${c.field}-${c.to}`}>
                      {c.name} on the {c.to} issue: {c.before} → {c.after}
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
