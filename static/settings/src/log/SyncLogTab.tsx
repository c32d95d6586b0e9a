/**
 * The Sync log tab: Waiting for a decision and Failed (with Retry one / all) above the filtered log. The log is
 * read a page (50) at a time with `querySyncLog`, newest first; Next / Previous keep a stack of cursors, so any
 * number of entries can be paged. A row's Details button opens the entry (`./LogDetail.tsx`); Export CSV reads
 * every page of the current filter and downloads it (`./csv.ts`, papaparse, loaded on click). `chartSlot` is
 * where the log's charts go (another area); nothing is drawn there here.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import Button from '@atlaskit/button/new';
import DynamicTable from '@atlaskit/dynamic-table';
import Lozenge from '@atlaskit/lozenge';
import type { FailedLink, ResolverError, SettingsView, SyncLogEntry, SyncLogFilter, WaitingConflict } from '../../../../src/contract';
import { callResolver } from '../../../shared/api';
import { ErrorNote } from '../../../shared/ErrorNote';
import { absoluteTime } from '../../../shared/time';
import { useAction } from '../../../shared/useAction';
import { FailedSyncs, queuedNotice, retryTag, type RetryScope } from '../FailedSyncs';
import { IssueLink, WaitingConflicts } from '../WaitingConflicts';
import { DIRECTION, fieldsCell, OUTCOME, TRIGGER } from './labels';
import { LogDetail } from './LogDetail';
import { LogFilters } from './LogFilters';

/** How long after a retry the lists are read again (ms): long enough for a quick job to finish. */
export const REFRESH_AFTER_RETRY_MS = 2_000;
/** Entries per page. */
export const LOG_PAGE_SIZE = 50;
/** Most entries one CSV export reads. */
export const CSV_MAX = 20_000;

const HEAD = { cells: ['Time', 'Trigger', 'Direction', 'Issue', 'Partner issue', 'Fields', 'Outcome', 'Message', ''].map((c, i) => ({ key: c || `c${i}`, content: c || <span className="ts-visually-hidden">Details</span> })) };

/**
 * The words of the status line: the page shown and its count, or which page is loading. A short page that still
 * has a cursor says so (the resolver stops reading after a bounded number of Forge reads; the rest follows on Next).
 */
export function pageStatus(page: { entries: unknown[]; cursor: string | null; number: number } | null, loadingPage: number | null): string {
  if (loadingPage !== null) return `Loading page ${loadingPage}…`;
  if (!page) return '';
  const n = page.entries.length;
  const more = page.cursor && n < LOG_PAGE_SIZE ? '; older entries of these filters follow on Next' : '';
  return `Page ${page.number}: ${n} ${n === 1 ? 'entry' : 'entries'}, newest first${more}`;
}

/** The tab; `chartSlot` renders above the log table (charts, added by another area). */
export function SyncLogTab({ chartSlot }: { chartSlot?: ReactNode }) {
  const [filter, setFilter] = useState<SyncLogFilter>({ includeNoChange: false });
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  // `number` travels with the entries, so the status never names a page whose entries are still loading.
  const [page, setPage] = useState<{ entries: SyncLogEntry[]; cursor: string | null; number: number } | null>(null);
  const [connections, setConnections] = useState<SettingsView[]>([]);
  const [failed, setFailed] = useState<FailedLink[]>([]);
  const [waiting, setWaiting] = useState<WaitingConflict[]>([]);
  const [error, setError] = useState<ResolverError | null>(null);
  const [loading, setLoading] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const [open, setOpen] = useState<SyncLogEntry | null>(null);
  const retry = useAction();
  const refreshTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const cursor = cursors[cursors.length - 1];
  const pageNumber = cursors.length;

  const latest = useRef(0);
  const load = useCallback(async () => {
    const request = ++latest.current;
    setLoading(true);
    const [log, failures, conflicts, conns] = await Promise.all([
      callResolver('querySyncLog', { filter, limit: LOG_PAGE_SIZE, cursor }),
      callResolver('getFailedLinks', {}),
      callResolver('getWaitingConflicts', {}),
      callResolver('listConnections', {}),
    ]);
    if (request !== latest.current) return; // filters or page changed meanwhile: a newer read answers
    setLoading(false);
    if (log.ok) setPage({ ...log.data, number: pageNumber });
    if (failures.ok) setFailed(failures.data.failed);
    if (conflicts.ok) setWaiting(conflicts.data.conflicts);
    if (conns.ok) setConnections(conns.data.connections);
    setError(!log.ok ? log.error : !failures.ok ? failures.error : !conflicts.ok ? conflicts.error : null);
  }, [filter, cursor, pageNumber]);
  useEffect(() => {
    void load();
    return () => clearTimeout(refreshTimer.current);
  }, [load]);

  const onFilter = (f: SyncLogFilter) => {
    setFilter(f);
    setCursors([undefined]);
  };
  const onRetry = async (scope: RetryScope) => {
    setNotice(null);
    const res = await retry.run('retryFailed', scope, retryTag(scope));
    if (!res) return;
    setNotice(queuedNotice(res.queued));
    clearTimeout(refreshTimer.current);
    refreshTimer.current = setTimeout(() => void load(), REFRESH_AFTER_RETRY_MS);
  };
  const onExport = async () => {
    setExporting(true);
    setExported(null);
    const all: SyncLogEntry[] = [];
    let next: string | undefined;
    do {
      const res = await callResolver('querySyncLog', { filter, limit: 100, cursor: next });
      if (!res.ok) {
        // Nothing half-read is downloaded: the admin sees why and can export again.
        setError(res.error);
        setExporting(false);
        return;
      }
      all.push(...res.data.entries);
      next = res.data.cursor ?? undefined;
    } while (next && all.length < CSV_MAX);
    const { logCsv, download } = await import('./csv.js');
    download(`sync-log-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.csv`, logCsv(all));
    setExporting(false);
    setExported(`Exported ${all.length} ${all.length === 1 ? 'entry' : 'entries'}${next ? ` (the newest ${CSV_MAX}; narrow the filters for older ones)` : ''}.`);
  };

  // An entry of a connection since removed links nowhere rather than to another connection's site; an entry of a
  // version before connections had ids belongs to the project's only (first) connection.
  const partnerUrlOf = (e: SyncLogEntry): string | undefined =>
    (e.connectionId ? connections.find((c) => c.id === e.connectionId)?.partnerUrl : connections[0]?.partnerUrl) ?? undefined;
  const rows = (page?.entries ?? []).map((e) => ({
    key: e.id,
    cells: [
      { key: 'at', content: <span title={e.at}>{absoluteTime(e.at)}</span> },
      { key: 'trigger', content: TRIGGER[e.trigger] },
      { key: 'direction', content: DIRECTION[e.direction] },
      { key: 'local', content: e.localIssueKey ? <IssueLink issueKey={e.localIssueKey} url={`/browse/${e.localIssueKey}`} sameTab /> : '—' },
      { key: 'partner', content: e.partnerIssueKey && partnerUrlOf(e) ? <IssueLink issueKey={e.partnerIssueKey} url={`${partnerUrlOf(e)}/browse/${e.partnerIssueKey}`} sameTab={false} /> : (e.partnerIssueKey ?? '—') },
      { key: 'fields', content: fieldsCell(e) },
      { key: 'outcome', content: <Lozenge appearance={OUTCOME[e.outcome]}>{e.outcome}</Lozenge> },
      { key: 'message', content: e.message },
      { key: 'open', content: <Button appearance="subtle" onClick={() => setOpen(e)} aria-label={`Details of ${e.outcome} ${e.localIssueKey ?? ''} at ${absoluteTime(e.at)}`}>Details</Button> },
    ],
  }));

  return (
    <>
      <WaitingConflicts waiting={waiting} />
      <FailedSyncs failed={failed} busy={retry.busy} notice={notice} error={retry.error} onRetry={(s) => void onRetry(s)} />
      {chartSlot}
      <section aria-label="Sync log">
        <LogFilters filter={filter} connections={connections} onChange={onFilter} />
        <div className="ts-log-toolbar">
          <span className="ts-muted" role="status">
            {pageStatus(page, loading ? pageNumber : null)}
          </span>
          <Button onClick={() => void load()} isDisabled={loading}>
            {loading ? 'Refreshing…' : 'Refresh'}
          </Button>
          <Button onClick={() => void onExport()} isDisabled={exporting}>
            {exporting ? 'Exporting…' : 'Export CSV'}
          </Button>
          <span className="ts-muted" role="status" aria-label="Export">
            {exported}
          </span>
        </div>
        {error && <ErrorNote error={error} />}
        <DynamicTable head={HEAD} rows={rows} isLoading={(page === null && !error) || loading} emptyView={error ? <p>Nothing to show until the log can be read (see the message above).</p> : <p>No sync log entries match. Entries appear here when an issue is synced.</p>} label="Sync log entries" />
        <nav className="ts-log-paging" aria-label="Sync log pages">
          <Button isDisabled={cursors.length === 1 || loading} onClick={() => setCursors((c) => c.slice(0, -1))}>
            Previous
          </Button>
          <Button isDisabled={!page?.cursor || loading || page.number !== pageNumber} onClick={() => page?.cursor && setCursors((c) => [...c, page.cursor!])}>
            Next
          </Button>
        </nav>
      </section>
      <LogDetail entry={open} partnerUrl={(open && partnerUrlOf(open)) || undefined} onClose={() => setOpen(null)} />
    </>
  );
}
