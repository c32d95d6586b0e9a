/**
 * hierarchy (issue 12): the issue's links as the sync sees them, under the panel's link state: which are mirrored
 * on the partner and, for each that is not, why in words ("Blocks ALOY-9: not mirrored, ALOY-9 is not synced"),
 * and the parent a sub-task waits for. A plain list with a heading, so screen readers read it in order.
 */
import { useEffect, useState } from 'react';
import type { IssueLinksView } from '../../../src/contract/hierarchy';
import { callResolver } from '../../shared/api';

/** Reloads when `version` changes (after a sync or a toggle). Shows nothing when the issue has no links. */
export function IssueLinksNote({ issueKey, version }: { issueKey: string; version?: unknown }) {
  const [view, setView] = useState<IssueLinksView | null>(null);
  useEffect(() => {
    let live = true;
    void callResolver('getIssueLinks', {}).then((res) => {
      if (live && res.ok) setView(res.data);
    });
    return () => {
      live = false;
    };
  }, [issueKey, version]);
  if (!view || (!view.links.length && !view.waitingFor)) return null;
  return (
    <section data-testid="panel-issue-links" aria-label="Issue links and parent" style={{ marginTop: 'var(--ds-space-150, 12px)', color: 'var(--ds-text, #172B4D)', font: 'var(--ds-font-body, 14px/20px sans-serif)' }}>
      {view.waitingFor && <p data-testid="panel-waiting">Waits until {view.waitingFor} is synced: its copy is made under {view.waitingFor}'s copy right after.</p>}
      {view.links.length > 0 && (
        <>
          <h3 style={{ font: 'var(--ds-font-heading-xsmall, 600 14px/16px sans-serif)', margin: 'var(--ds-space-100, 8px) 0' }}>Issue links</h3>
          <ul style={{ margin: 0, paddingInlineStart: 'var(--ds-space-250, 20px)' }}>
            {view.links.map((l) => (
              <li key={l.id} style={{ color: l.mirrored ? 'var(--ds-text, #172B4D)' : 'var(--ds-text-subtle, #44546F)' }}>{l.text}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
