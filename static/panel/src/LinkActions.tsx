/**
 * The buttons under a linked issue's details: Sync now, Pause sync / Resume sync, Unlink. A broken link (the
 * partner issue is gone) offers only Unlink, since nothing else can succeed. Every button is disabled while any
 * call of the panel is in flight, so nothing is sent twice.
 */
import Button from '@atlaskit/button/new';
import type { LinkView } from '../../../src/contract';

/** Props of {@link LinkActions}. `busy` is the resolver name of the call in flight, or null. */
export interface LinkActionsProps {
  link: LinkView;
  busy: string | null;
  onSyncNow: () => void;
  onSetPaused: (paused: boolean) => void;
  onUnlink: () => void;
}

/** A row of buttons acting on one link. */
export function LinkActions({ link, busy, onSyncNow, onSetPaused, onUnlink }: LinkActionsProps) {
  const disabled = busy !== null;
  const broken = link.state === 'broken';
  return (
    <div className="ts-row" role="group" aria-label="Sync actions">
      {!broken && (
        <Button onClick={onSyncNow} isDisabled={disabled || link.paused}>
          {busy === 'syncNow' ? 'Syncing…' : 'Sync now'}
        </Button>
      )}
      {!broken && (
        <Button onClick={() => onSetPaused(!link.paused)} isDisabled={disabled}>
          {link.paused ? (busy === 'setSyncPaused' ? 'Resuming…' : 'Resume sync') : busy === 'setSyncPaused' ? 'Pausing…' : 'Pause sync'}
        </Button>
      )}
      {/* Unlink is the only way forward for a broken link, so it stands out then. */}
      <Button appearance={broken ? 'primary' : 'subtle'} onClick={onUnlink} isDisabled={disabled}>
        Unlink
      </Button>
    </div>
  );
}
