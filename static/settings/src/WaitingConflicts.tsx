/**
 * The Sync log tab's "Waiting for a decision" section: links whose fields changed on both sides under a `manual`
 * policy and wait for a person (`getWaitingConflicts`, oldest first). Each row names both issues as links (the
 * local issue opens in this tab, where its panel offers the choices; the partner issue in a new tab), the
 * conflicting fields and since when. Renders nothing while nothing waits.
 */
import { router } from '@forge/bridge';
import DynamicTable from '@atlaskit/dynamic-table';
import Heading from '@atlaskit/heading';
import type { WaitingConflict } from '../../../src/contract';
import { useNow } from '../../shared/hooks';
import { absoluteTime, relativeTime } from '../../shared/time';

const HEAD = { cells: ['Issue', 'Partner issue', 'Fields', 'Waiting since'].map((c) => ({ key: c, content: c })) };

/** An issue key as a link to `url`; `sameTab` navigates the Jira page, else a new tab opens. */
export function IssueLink({ issueKey, url, sameTab }: { issueKey: string; url: string; sameTab: boolean }) {
  return (
    <a
      href={url}
      className="ts-nowrap"
      onClick={(e) => {
        e.preventDefault();
        void (sameTab ? router.navigate(url) : router.open(url));
      }}
    >
      {issueKey}
    </a>
  );
}

/** The waiting list, or nothing when it is empty. */
export function WaitingConflicts({ waiting }: { waiting: WaitingConflict[] }) {
  const now = useNow();
  if (waiting.length === 0) return null;
  const rows = waiting.map((w) => ({
    key: `${w.connectionId}:${w.localIssueKey}`,
    cells: [
      { key: 'local', content: <IssueLink issueKey={w.localIssueKey} url={w.localIssueUrl} sameTab /> },
      { key: 'partner', content: <IssueLink issueKey={w.partnerIssueKey} url={w.partnerIssueUrl} sameTab={false} /> },
      { key: 'fields', content: w.fields.join(', ') },
      { key: 'since', content: <span title={absoluteTime(w.since)}>{relativeTime(w.since, now)}</span> },
    ],
  }));
  return (
    <section className="ts-waiting" aria-label="Waiting for a decision">
      <div className="ts-log-toolbar">
        <Heading size="small" as="h2">
          Waiting for a decision ({waiting.length})
        </Heading>
      </div>
      <p className="ts-muted">
        These fields changed on both sides and the policy leaves the choice to a person. Open the issue and choose in
        its Task sync panel.
      </p>
      <DynamicTable head={HEAD} rows={rows} label="Conflicts waiting for a decision" />
    </section>
  );
}
