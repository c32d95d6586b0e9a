/**
 * The issue panel: "Sync this issue with <partner>?" toggle (off by default; once on, its label says so: "Synced
 * with <partner>", or "Sync with <partner> is paused"). Turning it on asks for confirmation
 * naming the partner site and project before anything is created; once linked, the link's details and actions
 * (Sync now, Pause/Resume, Unlink) show, and turning the toggle off means Unlink, with the same confirmation.
 * Polls `getIssueSync` while visible so "Last synced" stays current. A conflicted link also shows the fields
 * waiting for a decision, with their choices (`./conflicts/ConflictList.tsx`, loaded on demand). An issue not yet
 * synced can instead be linked with a partner issue that already exists (`./existing/LinkExistingDialog.tsx`, loaded
 * on demand): the person chooses the starting value of every field that differs.
 */
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { events } from '@forge/bridge';
import Toggle from '@atlaskit/toggle';
import { SectionMessage } from '../../shared/Message'; // pages: loaded on demand
import Spinner from '@atlaskit/spinner';
import Button from '@atlaskit/button/new';
import type { IssueSyncView, ResolverError } from '../../../src/contract';
import { callResolver } from '../../shared/api';
import { ErrorNote } from '../../shared/ErrorNote';
import { LINK_CHANGED_EVENT } from '../../shared/events';
import { usePolling } from '../../shared/hooks';
import { hostOf } from '../../shared/time';
import { useAction } from '../../shared/useAction';
import { ConfirmDialog } from '../../shared/ConfirmDialog'; // pages: shared, loads its modal on demand
import { PartnerPicker } from './PartnerPicker';
import { LinkActions } from './LinkActions';
import { LinkDetails } from './LinkDetails';
import { OfferNote } from './OfferNote';
import { IssueLinksNote } from './IssueLinksNote'; // hierarchy
import './panel.css';

// Only a conflicted link needs the conflict list; its chunk (and the rich-text one inside it) loads then.
const ConflictList = lazy(() => import('./conflicts/ConflictList.js').then((m) => ({ default: m.ConflictList })));
// Linking with an existing partner issue loads its dialog when asked for.
const LinkExistingDialog = lazy(() => import('./existing/LinkExistingDialog.js').then((m) => ({ default: m.LinkExistingDialog })));
// log: the issue's last ten sync events, on demand
const SyncHistory = lazy(() => import('./history/SyncHistory.js').then((m) => ({ default: m.SyncHistory })));
const loadHistory = () => callResolver('getIssueSyncHistory', {});

/** How often the panel re-reads the link while the page is visible (ms). */
export const POLL_MS = 5_000;
/** How long "Sync queued." stays after Sync now (ms). */
const NOTICE_MS = 8_000;

type Dialog = 'enable' | 'unlink' | 'existing' | null;

/** The toggle's words: a question while off, and what is true once on (so a checked toggle never still asks). */
function toggleLabel(link: IssueSyncView['link'], partnerHost: string): string {
  if (!link) return `Sync this issue with ${partnerHost}?`;
  return link.paused ? `Sync with ${partnerHost} is paused` : `Synced with ${partnerHost}`;
}

/** Panel for one issue; `issueKey` names the issue in the confirmations. */
export function Panel({ issueKey }: { issueKey: string }) {
  const [view, setView] = useState<IssueSyncView | null>(null);
  const [loadError, setLoadError] = useState<ResolverError | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  // What the last action did: a quiet line (Sync queued), or a success message (a conflict settled).
  const [notice, setNotice] = useState<{ text: string; success?: boolean } | null>(null);
  // Which partner to sync with, when the project has several connections and the issue is not linked yet.
  const [chosen, setChosen] = useState<string | null>(null);
  const action = useAction();

  const load = useCallback(async () => {
    // A poll answering mid-action could show the state from before the action.
    if (action.isRunning()) return;
    const res = await callResolver('getIssueSync', {});
    if (action.isRunning()) return;
    if (res.ok) {
      setView(res.data);
      setLoadError(null);
    } else setLoadError(res.error);
  }, [action.isRunning]);
  usePolling(load, POLL_MS);
  // field area: the Partner sync field turns sync on and off too; its announcement makes the panel re-read at once.
  useEffect(() => {
    const sub = events.on(LINK_CHANGED_EVENT, () => void load());
    return () => void sub.then((s) => s.unsubscribe());
  }, [load]);

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);

  /** Applies a successful action's view and tells the glance the link changed. */
  const applied = (data: IssueSyncView | null): boolean => {
    if (!data) return false;
    setView(data);
    void events.emit(LINK_CHANGED_EVENT, { issueKey });
    return true;
  };
  const openDialog = (d: Dialog, connectionId?: string) => {
    action.clearError();
    if (connectionId && view && view.partners.length > 1) setChosen(connectionId);
    else if (d === 'enable' && view && !view.link && view.partners.length > 1) setChosen((c) => c ?? view.partners[0]!.connectionId);
    setNotice(null);
    setDialog(d);
  };
  const closeDialog = () => {
    if (!action.isRunning()) setDialog(null);
  };
  const confirmDialog = async () => {
    const enable = chosen ? { confirmed: true as const, connectionId: chosen } : { confirmed: true as const };
    const data = dialog === 'enable' ? await action.run('enableSync', enable) : await action.run('unlinkIssue', { confirmed: true });
    if (applied(data)) setDialog(null);
  };
  const syncNow = async () => {
    setNotice(null);
    if (applied(await action.run('syncNow', {}))) setNotice({ text: 'Sync queued. This panel updates when it is done.' });
  };
  /** After a conflict is settled: say what was written, re-read the link (it may be in sync again), tell the glance. */
  const resolved = async (done: string) => {
    setNotice({ text: done, success: true });
    await load();
    void events.emit(LINK_CHANGED_EVENT, { issueKey });
  };
  const setPaused = async (paused: boolean) => {
    setNotice(null);
    applied(await action.run('setSyncPaused', { paused }));
  };

  if (!view) {
    return loadError ? <ErrorNote error={loadError} /> : <Spinner size="medium" label="Loading sync status" />;
  }
  const choosing = !view.link && view.partners.length > 1;
  const partner = view.partner ?? (choosing ? view.partners.find((p) => p.connectionId === chosen) ?? view.partners[0]! : null);
  if (!partner) {
    return (
      <p className="ts-panel-note">
        Task sync is not set up for this project. Ask a project admin to set it up in Project settings → Task sync.
      </p>
    );
  }

  const partnerHost = choosing ? 'a partner' : hostOf(partner.siteUrl);
  const link = view.link;
  const checked = dialog === 'enable' ? true : dialog === 'unlink' ? false : link !== null;
  const linkedExisting = (data: IssueSyncView) => {
    applied(data);
    setDialog(null);
    setNotice({ text: `Linked with ${data.link?.partnerIssueKey ?? 'the partner issue'}; the chosen values were written to both issues.`, success: true });
  };
  const busy = action.busy !== null;

  // While a dialog is open the frame needs room for it: a Custom UI iframe only grows with its content.
  return (
    <div className="ts-panel" style={dialog === 'existing' ? { minHeight: 640 } : dialog ? { minHeight: 420 } : undefined}>
      <div className="ts-row">
        <Toggle
          id="task-sync-toggle"
          testId="task-sync-toggle"
          isChecked={checked}
          isDisabled={busy}
          onChange={() => openDialog(link ? 'unlink' : 'enable')}
        />
        <label htmlFor="task-sync-toggle" className="ts-panel-label" data-testid="task-sync-toggle-label">
          {toggleLabel(link, partnerHost)}
        </label>
      </div>
      {!link && <OfferNote issueKey={issueKey} disabled={busy} onReview={(id) => openDialog('enable', id)} />}
      {!link && (
        <div className="ts-row">
          <Button appearance="subtle" isDisabled={busy} onClick={() => openDialog('existing')}>
            Link to an existing partner issue
          </Button>
        </div>
      )}
      {link && <LinkDetails link={link} />}
      {link?.state === 'conflicted' && (
        <Suspense fallback={<Spinner size="medium" label="Loading conflicts" />}>
          <ConflictList issueKey={issueKey} version={link.lastSyncAt} paused={link.paused} onResolved={(done) => void resolved(done)} />
        </Suspense>
      )}
      <IssueLinksNote issueKey={issueKey} version={link?.lastSyncAt ?? null} /> {/* hierarchy */}
      {link && <LinkActions link={link} busy={action.busy} onSyncNow={() => void syncNow()} onSetPaused={(p) => void setPaused(p)} onUnlink={() => openDialog('unlink')} />}
      {link && <Suspense fallback={null}><SyncHistory version={link.lastSyncAt} load={loadHistory} /></Suspense> /* log */}
      {notice && !notice.success && (
        <span className="ts-muted" role="status">
          {notice.text}
        </span>
      )}
      {notice?.success && (
        <SectionMessage appearance="success">
          <p role="status">{notice.text}</p>
        </SectionMessage>
      )}
      {action.error && !dialog && <ErrorNote error={action.error} />}
      {loadError && <ErrorNote error={loadError} />}
      <ConfirmDialog
        isOpen={dialog === 'enable'}
        title={`Sync with ${partnerHost}?`}
        confirmLabel="Start syncing"
        busyLabel="Starting…"
        errorTitle="Sync was not started"
        isBusy={busy}
        error={action.error}
        onCancel={closeDialog}
        onConfirm={() => void confirmDialog()}
      >
        {choosing ? (
          <PartnerPicker issueKey={issueKey} partners={view.partners} chosen={partner.connectionId} onChoose={setChosen} />
        ) : (
          <p>
            Create a copy of <strong>{issueKey}</strong> in <strong>{partnerHost}</strong> project{' '}
            <strong>{partner.projectKey}</strong> and keep both in sync?
          </p>
        )}
      </ConfirmDialog>
      {dialog === 'existing' && (
        <Suspense fallback={<Spinner size="medium" label="Loading" />}>
          <LinkExistingDialog
            isOpen
            issueKey={issueKey}
            partners={view.partners}
            initial={partner.connectionId}
            onClose={() => setDialog(null)}
            onLinked={linkedExisting}
          />
        </Suspense>
      )}
      <ConfirmDialog
        isOpen={dialog === 'unlink' && link !== null}
        title={`Unlink from ${link?.partnerIssueKey ?? 'the partner issue'}?`}
        confirmLabel="Unlink"
        busyLabel="Unlinking…"
        confirmAppearance="warning"
        errorTitle="Sync was not stopped"
        isBusy={busy}
        error={action.error}
        onCancel={closeDialog}
        onConfirm={() => void confirmDialog()}
      >
        <p>
          Stop syncing <strong>{issueKey}</strong> with <strong>{link?.partnerIssueKey}</strong>? Both issues stay as they are.
        </p>
        <p>Turning sync on again later creates a new copy in {partnerHost}.</p>
      </ConfirmDialog>
    </div>
  );
}
