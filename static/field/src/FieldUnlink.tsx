/**
 * The field's edit view on a synced issue: the question answered Yes; choosing No offers Unlink the way the
 * panel does ("Stop syncing ALOY-1 with PARTNER-7? Both issues stay as they are."), and only **Unlink** acts
 * (`unlinkIssue`, the panel's resolver), then submits the emptied value. Pausing stays in the panel.
 */
import { useState } from 'react';
import Button from '@atlaskit/button/new';
import { events } from '@forge/bridge';
import { LINK_CHANGED_EVENT } from '../../shared/events';
import type { LinkView } from '../../../src/contract';
import { callResolver } from '../../shared/api';
import { hostOf } from '../../shared/time';

/**
 * @param issueKey the local issue; @param link its link; @param submit saves the field value (`view.submit`);
 * @param close leaves editing (`view.close`, inline only; null in a dialog)
 */
export function FieldUnlink({ issueKey, link, submit, close }: { issueKey: string; link: LinkView; submit: (v: string | null) => Promise<void>; close: (() => void) | null }) {
  const [answer, setAnswer] = useState<'yes' | 'no'>('yes');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const site = hostOf(link.partnerIssueUrl);

  const unlink = async () => {
    setBusy(true);
    setError(null);
    const res = await callResolver('unlinkIssue', { confirmed: true });
    if (!res.ok) {
      setBusy(false);
      return setError(`Sync was not stopped: ${res.error.message}`);
    }
    void events.emit(LINK_CHANGED_EVENT, { issueKey });
    await submit(null).catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
    setBusy(false);
  };

  return (
    <div className="ts-edit">
      <fieldset>
        <legend>Sync this issue with {site}?</legend>
        <label><input type="radio" name="ts-sync" checked={answer === 'no'} onChange={() => setAnswer('no')} /> No</label>
        <label><input type="radio" name="ts-sync" checked={answer === 'yes'} onChange={() => setAnswer('yes')} /> Yes</label>
      </fieldset>
      <p className="ts-note" data-testid="field-linked">Synced with {link.partnerIssueKey}. Pause it in the Task sync panel.</p>
      {answer === 'no' && (
        <div className="ts-confirm" role="group" aria-label="Confirm unlink">
          <p className="ts-note" data-testid="field-unlink-text">
            Stop syncing {issueKey} with {link.partnerIssueKey}? Both issues stay as they are. Turning sync on again later creates a new copy in {site}.
          </p>
          <div className="ts-confirm__actions">
            <Button appearance="warning" isDisabled={busy} onClick={() => void unlink()}>{busy ? 'Unlinking…' : 'Unlink'}</Button>
            <Button onClick={() => setAnswer('yes')}>Keep syncing</Button>
          </div>
        </div>
      )}
      {error && <p className="ts-error" role="alert">{error}</p>}
      {answer === 'yes' && close && <div className="ts-confirm__actions"><Button onClick={close}>Cancel</Button></div>}
    </div>
  );
}
