/**
 * The Sync log tab's Failed section: links whose last sync job failed, each with Retry, plus Retry all and one
 * Retry all "<code>" per error code present (say every `partner-auth` failure once a token is fixed). Renders
 * nothing while no link has failed.
 */
import Button from '@atlaskit/button/new';
import DynamicTable from '@atlaskit/dynamic-table';
import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import { SectionMessage } from '../../shared/Message'; // pages: loaded on demand
import type { FailedLink, ResolverError } from '../../../src/contract';
import { ErrorNote } from '../../shared/ErrorNote';
import { absoluteTime } from '../../shared/time';

/** Which failed links a retry covers (the `retryFailed` payload). */
export type RetryScope = { scope: 'one'; localIssueKey: string } | { scope: 'all' } | { scope: 'code'; code: string };

/** Props of {@link FailedSyncs}. `busy` is the tag of the retry in flight (see {@link retryTag}), or null. */
export interface FailedSyncsProps {
  failed: FailedLink[];
  busy: string | null;
  /** "Queued N issues for another try." after a retry, else null. */
  notice: string | null;
  error: ResolverError | null;
  onRetry: (scope: RetryScope) => void;
}

/** The `busy` tag of a retry, so only the clicked button says "Retrying…". */
export function retryTag(s: RetryScope): string {
  return s.scope === 'one' ? `retry:one:${s.localIssueKey}` : s.scope === 'code' ? `retry:code:${s.code}` : 'retry:all';
}

/** "Queued 1 issue for another try." / "Queued 3 issues for another try." */
export function queuedNotice(queued: number): string {
  return `Queued ${queued} ${queued === 1 ? 'issue' : 'issues'} for another try.`;
}

const HEAD = {
  cells: ['Issue', 'Partner issue', 'Error', 'Message', 'Failed at', ''].map((c, i) => ({ key: c || `col${i}`, content: c })),
};

/** Failed links with their retry buttons, the notice of the last retry and its error. */
export function FailedSyncs({ failed, busy, notice, error, onRetry }: FailedSyncsProps) {
  const messages = (
    <>
      {notice && (
        <SectionMessage appearance="success">
          <p role="status">{notice}</p>
        </SectionMessage>
      )}
      {error && <ErrorNote error={error} title="Retry did not start" />}
    </>
  );
  if (failed.length === 0) return notice || error ? <div className="ts-failed">{messages}</div> : null;

  const codes = [...new Set(failed.map((f) => f.code).filter((c): c is string => c !== null))].sort();
  const button = (scope: RetryScope, label: string, appearance: 'default' | 'primary' = 'default') => (
    <Button key={retryTag(scope)} appearance={appearance} onClick={() => onRetry(scope)} isDisabled={busy !== null}>
      {busy === retryTag(scope) ? 'Retrying…' : label}
    </Button>
  );
  const rows = failed.map((f) => ({
    key: f.localIssueKey,
    cells: [
      { key: 'local', content: <span className="ts-nowrap">{f.localIssueKey}</span> },
      { key: 'partner', content: <span className="ts-nowrap">{f.partnerIssueKey}</span> },
      { key: 'code', content: f.code ? <Lozenge appearance="removed">{f.code}</Lozenge> : '—' },
      { key: 'message', content: f.message ?? '—' },
      { key: 'at', content: <span title={f.at}>{absoluteTime(f.at)}</span> },
      { key: 'retry', content: button({ scope: 'one', localIssueKey: f.localIssueKey }, 'Retry') },
    ],
  }));

  return (
    <section className="ts-failed" aria-label="Failed syncs">
      <div className="ts-log-toolbar">
        <Heading size="small" as="h2">
          Failed ({failed.length})
        </Heading>
        <div className="ts-row">
          {button({ scope: 'all' }, 'Retry all', 'primary')}
          {codes.map((code) => button({ scope: 'code', code }, `Retry all "${code}"`))}
        </div>
      </div>
      {messages}
      <DynamicTable head={HEAD} rows={rows} label="Failed syncs" />
    </section>
  );
}
