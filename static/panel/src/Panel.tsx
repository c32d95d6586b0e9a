/**
 * The issue panel: "Sync this issue with <partner>?" toggle (off by default), a confirmation naming the partner
 * site and project before anything is created, then the link's details. Polls `getIssueSync` while visible so
 * "Last synced" stays current.
 */
import { useCallback, useRef, useState } from 'react';
import { events } from '@forge/bridge';
import Toggle from '@atlaskit/toggle';
import Tooltip from '@atlaskit/tooltip';
import Spinner from '@atlaskit/spinner';
import type { IssueSyncView, ResolverError } from '../../../src/contract';
import { callResolver } from '../../shared/api';
import { ErrorNote } from '../../shared/ErrorNote';
import { LINK_CHANGED_EVENT } from '../../shared/events';
import { usePolling } from '../../shared/hooks';
import { hostOf } from '../../shared/time';
import { ConfirmDialog } from './ConfirmDialog';
import { LinkDetails } from './LinkDetails';
import './panel.css';

/** How often the panel re-reads the link while the page is visible (ms). */
export const POLL_MS = 5_000;

/** Panel for one issue; `issueKey` names the issue in the confirmation. */
export function Panel({ issueKey }: { issueKey: string }) {
  const [view, setView] = useState<IssueSyncView | null>(null);
  const [loadError, setLoadError] = useState<ResolverError | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [enabling, setEnabling] = useState(false);
  const [enableError, setEnableError] = useState<ResolverError | null>(null);
  // A ref, not state: a second click can land before React re-renders the disabled button.
  const inFlight = useRef(false);

  const load = useCallback(async () => {
    if (inFlight.current) return;
    const res = await callResolver('getIssueSync', {});
    if (res.ok) {
      setView(res.data);
      setLoadError(null);
    } else setLoadError(res.error);
  }, []);
  usePolling(load, POLL_MS);

  const startSyncing = async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setEnabling(true);
    setEnableError(null);
    try {
      const res = await callResolver('enableSync', { confirmed: true });
      if (res.ok) {
        setView(res.data);
        setConfirming(false);
        void events.emit(LINK_CHANGED_EVENT, { issueKey });
      } else setEnableError(res.error);
    } finally {
      inFlight.current = false;
      setEnabling(false);
    }
  };

  if (!view) {
    return loadError ? <ErrorNote error={loadError} /> : <Spinner size="medium" label="Loading sync status" />;
  }
  if (!view.partner) {
    return (
      <p className="ts-panel-note">
        Task sync is not set up for this project. Ask a project admin to set it up in Project settings → Task sync.
      </p>
    );
  }

  const partnerHost = hostOf(view.partner.siteUrl);
  const linked = view.link !== null;
  const label = `Sync this issue with ${partnerHost}?`;
  const toggle = (
    <Toggle
      id="task-sync-toggle"
      testId="task-sync-toggle"
      isChecked={linked || confirming}
      isDisabled={linked}
      onChange={() => {
        if (linked) return;
        setEnableError(null);
        setConfirming(true);
      }}
    />
  );

  // While the dialog is open the frame needs room for it: a Custom UI iframe only grows with its content.
  return (
    <div className="ts-panel" style={confirming ? { minHeight: 320 } : undefined}>
      <div className="ts-row">
        {linked ? <Tooltip content="Unlinking comes in a later version">{toggle}</Tooltip> : toggle}
        <label htmlFor="task-sync-toggle" className="ts-panel-label">
          {label}
        </label>
      </div>
      {view.link && <LinkDetails link={view.link} />}
      {loadError && <ErrorNote error={loadError} />}
      <ConfirmDialog
        isOpen={confirming}
        issueKey={issueKey}
        partnerHost={partnerHost}
        partnerProjectKey={view.partner.projectKey}
        isBusy={enabling}
        error={enableError}
        onCancel={() => {
          if (!inFlight.current) setConfirming(false);
        }}
        onConfirm={() => void startSyncing()}
      />
    </div>
  );
}
