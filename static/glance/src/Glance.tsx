/**
 * The issue glance: a sync icon and one line of text. Linked → "Synced with PARTNER-12" (or "Paused", "Sync
 * failing", "Conflict with …", "Link … broken"), a tooltip naming the partner site or the problem, and a click opens the partner issue;
 * not linked → "Not synced". One component, so both
 * `jira:issueGlance` and `jira:issueContext` can mount it. It renders on every issue view, so it is built on Preact
 * (`react` aliased to `preact/compat` for this page, `static/vite.pages.ts`) and draws its tooltip itself
 * (`./HoverNote.tsx`) with Atlaskit's tokens: 40 KB gzip up front at most (`test/integration/page-size.test.ts`).
 *
 * Atlaskit under Preact, tried in Chromium (glance on the issue view, light and dark, `npm run build:ui -- glance`):
 * - `@atlaskit/spinner` works and costs 3.4 KB gzip up front: used for the loading state.
 * - `@atlaskit/tooltip` works too (hover shows `role="tooltip"`, Escape hides it) but takes the glance from 12.3 to
 *   52.5 KB gzip up front (top layer 9.1, popper 7.8 + 2.9, tokens 5.8, tooltip 5.1, motion 3.3, …), over the 40 KB
 *   budget on its own: hence `HoverNote`.
 * - `@atlaskit/lozenge` works and costs 23.5 KB (35.8 KB up front: primitives, tokens, app provider); the glance's
 *   words already carry the state, so it stays out.
 */
import { useCallback, useEffect, useState } from 'react';
import { events, router } from '@forge/bridge';
import type { IssueSyncView } from '../../../src/contract';
import { callResolver } from '../../shared/api';
import { LINK_CHANGED_EVENT } from '../../shared/events';
import { SyncIcon } from '../../shared/SyncIcon';
import { hostOf } from '../../shared/time';
import Spinner from '@atlaskit/spinner';
import { HoverNote } from './HoverNote';
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
      <HoverNote content={error}>
        {(props) => (
          <span className="ts-glance ts-glance--muted" tabIndex={0} {...props}>
            <SyncIcon /> Sync status unavailable
          </span>
        )}
      </HoverNote>
    );
  }
  if (!view) {
    return (
      <span className="ts-glance ts-glance--muted" role="status">
        <Spinner size="small" /> Loading…
      </span>
    );
  }

  const link = view.link;
  if (!link) {
    return (
      <span className="ts-glance ts-glance--muted" aria-label={`${issueKey ?? 'This issue'} is not synced`}>
        <SyncIcon /> Not synced
      </span>
    );
  }
  const site = hostOf(link.partnerIssueUrl);
  // The words follow the link's state, so a paused, failing or broken link never claims to be in sync.
  const [label, note] = link.state === 'broken'
    ? [`Link to ${link.partnerIssueKey} broken`, link.lastError ?? 'One of the issues was deleted.']
    : link.paused
      ? [`Paused: ${link.partnerIssueKey}`, `Sync with ${link.partnerIssueKey} on ${site} is paused`]
      : link.state === 'failed'
        ? [`Sync failing: ${link.partnerIssueKey}`, link.lastError ?? `Sync with ${link.partnerIssueKey} is failing`]
        : link.state === 'conflicted'
          ? [`Conflict with ${link.partnerIssueKey}`, `A field of ${link.partnerIssueKey} changed on both sides and waits for a decision`]
          : [`Synced with ${link.partnerIssueKey}`, `Synced with ${link.partnerIssueKey} on ${site}`];
  return (
    <HoverNote content={note}>
      {(props) => (
        <button type="button" className={`ts-glance ${link.state === 'ok' && !link.paused ? 'ts-glance--linked' : 'ts-glance--muted'}`} onClick={() => void router.open(link.partnerIssueUrl)} {...props}>
          <SyncIcon /> {label}
        </button>
      )}
    </HoverNote>
  );
}
