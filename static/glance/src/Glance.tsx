/**
 * The issue glance: a sync icon and one line of text. Linked → "Synced with PARTNER-12", a tooltip naming the
 * partner site, and a click opens the partner issue; not linked → "Not synced". One component, so both
 * `jira:issueGlance` and `jira:issueContext` can mount it.
 */
import { useCallback, useEffect, useState } from 'react';
import { events, router } from '@forge/bridge';
import Tooltip from '@atlaskit/tooltip';
import type { IssueSyncView } from '../../../src/contract';
import { callResolver } from '../../shared/api';
import { LINK_CHANGED_EVENT } from '../../shared/events';
import { SyncIcon } from '../../shared/SyncIcon';
import { hostOf } from '../../shared/time';
import './glance.css';

/** Glance for one issue; `issueKey` is only used in words, the resolver knows the issue from the context. */
export function Glance({ issueKey }: { issueKey: string | null }) {
  const [view, setView] = useState<IssueSyncView | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const res = await callResolver('getIssueSync', {});
    if (res.ok) {
      setView(res.data);
      setError(null);
    } else setError(res.error.message);
  }, []);

  useEffect(() => {
    void load();
    // The panel announces link changes, so the glance updates without polling.
    const sub = events.on(LINK_CHANGED_EVENT, () => void load());
    const onVisible = () => document.visibilityState === 'visible' && void load();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      void sub.then((s) => s.unsubscribe());
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [load]);

  if (error) {
    return (
      <Tooltip content={error}>
        <span className="ts-glance ts-glance--muted" tabIndex={0}>
          <SyncIcon /> Sync status unavailable
        </span>
      </Tooltip>
    );
  }
  if (!view) return <span className="ts-glance ts-glance--muted">Loading…</span>;

  const link = view.link;
  if (!link) {
    return (
      <span className="ts-glance ts-glance--muted" aria-label={`${issueKey ?? 'This issue'} is not synced`}>
        <SyncIcon /> Not synced
      </span>
    );
  }
  const site = hostOf(link.partnerIssueUrl);
  return (
    <Tooltip content={`Synced with ${link.partnerIssueKey} on ${site}`} position="bottom-start">
      <button type="button" className="ts-glance ts-glance--linked" onClick={() => void router.open(link.partnerIssueUrl)}>
        <SyncIcon /> Synced with {link.partnerIssueKey}
      </button>
    </Tooltip>
  );
}
