/**
 * The panel's "Waiting for your decision" section for a conflicted link: reads `getConflicts`, shows each
 * conflicting field (`./ConflictField.tsx`), and after a person's choice asks "writes this value to both ALOY-1
 * and PARTNER-7" before calling `resolveConflict`. Loaded lazily by the panel (only a conflicted link needs it);
 * the rich-text renderer inside is a further lazy chunk.
 *
 * States: loading (spinner), error (ErrorNote and Try again), empty (nothing waits any more), the list. Choices
 * are disabled, with the reason, when the server says the person may not resolve (`canResolve`: permission to
 * edit the issue).
 */
import { useCallback, useEffect, useState } from 'react';
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import Spinner from '@atlaskit/spinner';
import type { ConflictView, IssueConflicts, ResolveConflictInput, ResolverError } from '../../../../src/contract';
import { callResolver } from '../../../shared/api';
import { ErrorNote } from '../../../shared/ErrorNote';
import { useAction } from '../../../shared/useAction';
import { ConfirmDialog } from '../../../shared/ConfirmDialog';
import { ConflictField } from './ConflictField';
import { ConflictValue } from './ConflictValue';
import { RichView } from './RichText';
import './conflicts.css';

/**
 * Props of {@link ConflictList}. `onResolved` runs after every settled field with what was done in words; the
 * panel shows it (this list is gone once the link is back in sync) and re-reads the link.
 */
export interface ConflictListProps {
  issueKey: string;
  /** Changes whenever the link was synced again, so the list is re-read then. */
  version: string | null;
  /** Whether sync of the link is paused: nothing can be written then, so the choices wait for Resume sync. */
  paused: boolean;
  onResolved: (done: string) => void;
}

/** What the confirmation shows will be written: the chosen side's value, or the merged draft. */
function ChosenValue({ input, conflict }: { input: ResolveConflictInput; conflict: ConflictView }) {
  if (input.choice === 'local') return <ConflictValue value={conflict.local} />;
  if (input.choice === 'partner') return <ConflictValue value={conflict.partner} />;
  if (input.adf) return <RichView doc={input.adf} fallbackText="(the merged text)" />;
  return <div className="ts-conflict-plain">{input.text ? input.text : '(empty)'}</div>;
}

/** The conflicts of the issue in the Forge context, with their choices. */
export function ConflictList({ issueKey, version, paused, onResolved }: ConflictListProps) {
  const [data, setData] = useState<IssueConflicts | null>(null);
  const [loadError, setLoadError] = useState<ResolverError | null>(null);
  const [pending, setPending] = useState<ResolveConflictInput | null>(null);
  const action = useAction();

  const load = useCallback(async () => {
    setLoadError(null);
    const res = await callResolver('getConflicts', {});
    if (res.ok) setData(res.data);
    else setLoadError(res.error);
  }, []);
  useEffect(() => {
    if (!action.isRunning()) void load();
  }, [load, version, action.isRunning]);

  const localKey = data?.issueKey ?? issueKey;
  const partnerKey = data?.partnerIssueKey ?? 'the partner issue';
  const conflict = pending ? data?.conflicts.find((c) => c.field === pending.field) : undefined;
  const confirm = async () => {
    if (!pending || !conflict) return;
    const res = await action.run('resolveConflict', pending);
    // Refused (say a side changed meanwhile): the dialog shows why; the list behind it is read again.
    if (!res) return void load();
    setData(res);
    setPending(null);
    onResolved(`${conflict.name}: the ${pending.choice} value was written to ${localKey} and ${partnerKey}.`);
  };
  const choose = (input: ResolveConflictInput) => {
    action.clearError();
    setPending(input);
  };

  let body;
  if (!data) {
    body = loadError ? (
      <div className="ts-stack">
        <ErrorNote error={loadError} title="The conflicts could not be loaded" />
        <div><Button onClick={() => void load()}>Try again</Button></div>
      </div>
    ) : (
      <Spinner size="medium" label="Loading conflicts" />
    );
  } else if (data.conflicts.length === 0) {
    body = <p className="ts-panel-note">No field waits for a decision any more. The next sync clears the Conflict mark.</p>;
  } else {
    const reason = !data.canResolve
      ? `Only people who may edit ${localKey} can choose a value.`
      : paused
        ? 'Sync is paused: choose Resume sync first, then a value.'
        : null;
    body = data.conflicts.map((c) => (
      <ConflictField key={c.field} conflict={c} issueKey={localKey} partnerKey={partnerKey} busy={action.busy !== null}
        disabledReason={reason} onChoose={choose} />
    ));
  }

  const n = data?.conflicts.length ?? 0;
  return (
    <section className="ts-conflicts ts-stack" aria-label="Conflicts" style={pending ? { minHeight: 420 } : undefined}>
      <div>
        <Heading size="xsmall" as="h2">
          {n > 0 ? `Waiting for your decision (${n} ${n === 1 ? 'field' : 'fields'})` : 'Conflicts'}
        </Heading>
        {n > 0 && <p className="ts-muted ts-conflicts-intro">These fields changed on both sides since the last sync. The other fields keep syncing.</p>}
      </div>
      {body}
      {loadError && data && <ErrorNote error={loadError} title="The conflicts could not be re-read" />}
      {/* A refused choice whose field is no longer listed (the dialog closed with it) still says why. */}
      {action.error && !conflict && <ErrorNote error={action.error} title="The conflict was not resolved" />}
      <ConfirmDialog
        isOpen={pending !== null && conflict !== undefined}
        title={`${pending?.choice === 'merged' ? 'Use' : 'Keep'} the ${pending?.choice ?? ''} ${conflict?.name ?? 'value'}?`}
        confirmLabel="Write to both"
        busyLabel="Writing…"
        errorTitle="The conflict was not resolved"
        isBusy={action.busy !== null}
        error={action.error}
        onCancel={() => !action.isRunning() && setPending(null)}
        onConfirm={() => void confirm()}
      >
        <p>
          This writes this value to both <strong>{localKey}</strong> and <strong>{partnerKey}</strong>, and it becomes the
          value both sides agree on:
        </p>
        {pending && conflict && (
          <div className="ts-conflict-chosen">
            <ChosenValue input={pending} conflict={conflict} />
          </div>
        )}
      </ConfirmDialog>
    </section>
  );
}
