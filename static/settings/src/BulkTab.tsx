/**
 * The Bulk tab: link local issues matching a JQL to new partner copies, or import partner issues matching a JQL
 * as new local issues. Enter JQL → Preview (how many match, a sample) → Confirm; then a progress bar of the queue
 * at work (polled every second), Cancel / Resume, and at the end a report of created, skipped and failed issues,
 * each failure with its reason, and Retry failed.
 */
import { useCallback, useEffect, useState } from 'react';
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import { SectionMessage } from '../../shared/Message'; // pages: loaded on demand
import Textfield from '@atlaskit/textfield';
import type { BulkDirection, BulkPreview, BulkRunView, ResolverError } from '../../../src/contract';
import { callResolver } from '../../shared/api';
import { ErrorNote } from '../../shared/ErrorNote';

/** How often a running run is read again (ms). */
export const POLL_MS = 1_000;

const WORDS: Record<BulkDirection, { title: string; jql: string; confirm: (n: number) => string; made: string }> = {
  link: { title: 'Link by JQL', jql: 'JQL over this project', confirm: (n) => `Create partner copies of ${n} issues`, made: 'partner copies created' },
  import: { title: 'Import from partner by JQL', jql: 'JQL over the partner project', confirm: (n) => `Import ${n} partner issues`, made: 'local issues imported' },
};

/** Percent of a run's matches handled so far (0–100). */
export function percentDone(run: Pick<BulkRunView, 'total' | 'created' | 'skipped' | 'failed' | 'state'>): number {
  if (run.state === 'done' || run.total === 0) return 100;
  return Math.min(100, Math.floor(((run.created + run.skipped + run.failed) / run.total) * 100));
}

/** One direction's flow: JQL, preview, confirm, progress, report. */
function BulkFlow({ direction }: { direction: BulkDirection }) {
  const w = WORDS[direction];
  const [jql, setJql] = useState('');
  const [preview, setPreview] = useState<BulkPreview | null>(null);
  const [run, setRun] = useState<BulkRunView | null>(null);
  const [error, setError] = useState<ResolverError | null>(null);
  const [busy, setBusy] = useState(false);

  const act = useCallback(async <T,>(call: () => Promise<{ ok: true; data: T } | { ok: false; error: ResolverError }>, then: (d: T) => void) => {
    setBusy(true);
    setError(null);
    const res = await call();
    setBusy(false);
    if (res.ok) then(res.data);
    else setError(res.error);
  }, []);

  // Coming back to the page shows this direction's newest run if it is not finished (running or cancelled).
  useEffect(() => {
    void callResolver('listBulkRuns', {}).then((res) => {
      const open = res.ok ? res.data.runs.find((r) => r.direction === direction) : undefined;
      if (open && open.state !== 'done') setRun((current) => current ?? open);
    });
  }, [direction]);

  useEffect(() => {
    if (!run || run.state !== 'running') return;
    const t = setTimeout(async () => {
      const res = await callResolver('getBulkRun', { runId: run.runId });
      if (res.ok) setRun(res.data);
      else setError(res.error);
    }, POLL_MS);
    return () => clearTimeout(t);
  }, [run]);

  const pct = run ? percentDone(run) : 0;
  return (
    <section className="ts-bulk" aria-label={w.title}>
      <Heading size="small" as="h2">{w.title}</Heading>
      <label className="ts-field">
        <span>{w.jql}</span>
        <Textfield
          name={`bulk-jql-${direction}`}
          aria-label={`${w.title}: JQL`}
          value={jql}
          placeholder={direction === 'link' ? 'key >= ALOY-200 AND labels = partner' : 'labels = for-us'}
          onChange={(e) => { setJql((e.target as HTMLInputElement).value); setPreview(null); }}
          isDisabled={run?.state === 'running'}
        />
      </label>
      <div className="ts-actions">
        <Button onClick={() => act(() => callResolver('previewBulk', { direction, jql }), setPreview)} isDisabled={busy || !jql.trim() || run?.state === 'running'}>
          Preview
        </Button>
      </div>
      {error && <ErrorNote error={error} title="That did not work" />}
      {preview && !run && (
        <div className="ts-bulk-preview" role="region" aria-label={`${w.title} preview`}>
          <p role="status">{preview.total} {preview.total === 1 ? 'issue matches' : 'issues match'} <code>{preview.query}</code>. Already linked ones will be skipped.</p>
          <ul>
            {preview.sample.map((s) => (
              <li key={s.key}>{s.key} {s.summary} {s.linked && <Lozenge>linked</Lozenge>}</li>
            ))}
          </ul>
          {preview.total > 0 && (
            <Button appearance="primary" isDisabled={busy} onClick={() => act(() => callResolver('startBulk', { direction, jql, confirmed: true }), (r) => { setRun(r); setPreview(null); })}>
              {w.confirm(preview.total)}
            </Button>
          )}
        </div>
      )}
      {run && (
        <div className="ts-bulk-run" role="region" aria-label={`${w.title} progress`}>
          <div className="ts-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label={`${w.title} progress`}>
            <div className="ts-progress-fill" style={{ width: `${pct}%` }} />
          </div>
          <p role="status">
            {run.state === 'done' ? 'Done: ' : run.state === 'cancelled' ? 'Cancelled: ' : 'Working: '}
            {run.created} {w.made}, {run.skipped} skipped (already linked), {run.failed} failed, of {run.total}.
          </p>
          <div className="ts-actions">
            {run.state === 'running' && <Button isDisabled={busy} onClick={() => act(() => callResolver('cancelBulk', { runId: run.runId }), setRun)}>Cancel</Button>}
            {run.state === 'cancelled' && <Button appearance="primary" isDisabled={busy} onClick={() => act(() => callResolver('resumeBulk', { runId: run.runId }), setRun)}>Resume</Button>}
            {run.state === 'done' && run.failures.length > 0 && (
              <Button appearance="primary" isDisabled={busy} onClick={() => act(() => callResolver('retryBulkFailures', { runId: run.runId }), setRun)}>Retry failed</Button>
            )}
            {run.state !== 'running' && <Button isDisabled={busy} onClick={() => { setRun(null); setPreview(null); }}>New run</Button>}
          </div>
          {run.failures.length > 0 && (
            <SectionMessage appearance="warning" title={`${run.failed} failed`}>
              <ul aria-label="Failures">
                {run.failures.map((f) => (
                  <li key={f.key}><strong>{f.key}</strong>: {f.reason}</li>
                ))}
              </ul>
            </SectionMessage>
          )}
        </div>
      )}
    </section>
  );
}

/** Both flows, one above the other. */
export function BulkTab() {
  return (
    <div className="ts-bulk-tab">
      <p className="ts-muted">Bring many issues under sync at once. The work runs in the background; you can leave this page and come back.</p>
      <BulkFlow direction="link" />
      <BulkFlow direction="import" />
    </div>
  );
}
