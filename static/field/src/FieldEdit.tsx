/**
 * The field's edit view: the panel's question, "Sync this issue with partner.atlassian.net?", No by default. Yes
 * opens a confirmation naming the partner site and project (a choice of partner when the project has several);
 * only Confirm acts:
 * - in the create dialog (`renderContext` `issue-create`) it submits `sync:<connectionId>` as the field value; the
 *   app makes the partner copy once Jira has created the issue (`avi:jira:created:issue`);
 * - on an existing issue (`issue-view`: Jira's inline edit) it calls `enableSync` (the panel's toggle) and submits
 *   the field's new text ("⇄ PARTNER-12"), which Jira saves and shows; Cancel leaves editing (`view.close`).
 * On a synced issue No offers Unlink as the panel does (`./FieldUnlink.tsx`).
 * When an "offer sync" rule matched the issue, the question is pre-asked (Yes pre-selected, still to confirm).
 * `view.submit` throws when Jira refuses the value; the words are shown and nothing else changes.
 * @see https://developer.atlassian.com/platform/forge/apis-reference/ui-api-bridge/view/#submit
 */
import '../../shared/jitless';
import { useEffect, useState } from 'react';
import Button from '@atlaskit/button/new';
import { events, view } from '@forge/bridge';
import { LINK_CHANGED_EVENT } from '../../shared/events';
import type { FieldSyncView, PartnerChoice } from '../../../src/contract';
import { callResolver } from '../../shared/api';
import { hostOf } from '../../shared/time';
import { FieldUnlink } from './FieldUnlink';

/** Sets the field's value (`view.submit`), which Jira saves with the issue; rejects when Jira refuses it. */
const submit = (value: string | null) => view.submit(value);
/** Leaves the issue view's inline editor without a change. */
const close = () => void view.close().catch(() => undefined);

/** @param renderContext where Jira renders the editor (`issue-create`, `issue-view`); @param value the field's current value */
export function FieldEdit({ renderContext, value }: { renderContext: string; value: string | null }) {
  const creating = renderContext === 'issue-create';
  const inline = renderContext === 'issue-view';
  const [data, setData] = useState<FieldSyncView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [answer, setAnswer] = useState<'no' | 'yes'>(value && /^sync(:|$)/.test(value) ? 'yes' : 'no');
  const [partnerId, setPartnerId] = useState<string>('');
  const [confirmed, setConfirmed] = useState(Boolean(value && /^sync(:|$)/.test(value)));
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void callResolver('getFieldSync', {}).then((res) => {
      if (!res.ok) return setError(res.error.message);
      setData(res.data);
      setPartnerId(res.data.offered?.connectionId ?? res.data.partners[0]?.connectionId ?? '');
      if (res.data.offered) setAnswer('yes');
    });
  }, []);

  if (error && !data) {
    // Nothing to ask without the connections; inline, Cancel still leaves the editor (Escape does too).
    return (
      <div className="ts-edit">
        <p className="ts-error" role="alert">{error}</p>
        {inline && <div className="ts-confirm__actions"><Button onClick={close}>Cancel</Button></div>}
      </div>
    );
  }
  if (!data) return <p className="ts-note">Loading…</p>;
  if (!data.partners.length) return <p className="ts-note">Task sync is not set up for project {data.projectKey}. A project admin can set it up in Project settings → Task sync.</p>;
  if (data.link && data.issueKey) return <FieldUnlink issueKey={data.issueKey} link={data.link} submit={submit} close={inline ? close : null} />;

  const partner: PartnerChoice = data.partners.find((p) => p.connectionId === partnerId) ?? data.partners[0];
  const site = hostOf(partner.siteUrl);
  const question = data.partners.length === 1 ? `Sync this issue with ${site}?` : 'Sync this issue with a partner?';

  const choose = (next: 'no' | 'yes') => {
    setAnswer(next);
    setConfirmed(false);
    if (next === 'no' && creating) void submit(null);
  };

  const confirm = async () => {
    setBusy(true);
    if (creating) {
      await submit(`sync:${partner.connectionId}`);
      setConfirmed(true);
      setBusy(false);
      return;
    }
    const res = await callResolver('enableSync', { confirmed: true, connectionId: partner.connectionId });
    if (!res.ok) {
      setBusy(false);
      return setError(res.error.message);
    }
    setConfirmed(true);
    // The glance re-reads the link at once (the panel polls).
    void events.emit(LINK_CHANGED_EVENT, { issueKey: data?.issueKey });
    await submit(res.data.link ? `⇄ ${res.data.link.partnerIssueKey}` : null).catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
    setBusy(false);
  };

  return (
    <div className="ts-edit">
      <fieldset>
        <legend>{question}</legend>
        {data.offered && <p className="ts-note" data-testid="field-offered">Suggested: this issue matches the rule for {data.offered.label}.</p>}
        <label><input type="radio" name="ts-sync" checked={answer === 'no'} onChange={() => choose('no')} /> No</label>
        <label><input type="radio" name="ts-sync" checked={answer === 'yes'} onChange={() => choose('yes')} /> Yes</label>
      </fieldset>
      {answer === 'yes' && !confirmed && (
        <div className="ts-confirm" role="group" aria-label="Confirm sync">
          {data.partners.length > 1 && (
            <label>
              Partner{' '}
              <select value={partner.connectionId} onChange={(e) => setPartnerId(e.target.value)} data-testid="field-partner">
                {data.partners.map((p) => <option key={p.connectionId} value={p.connectionId}>{p.label}</option>)}
              </select>
            </label>
          )}
          <p className="ts-note" data-testid="field-confirm-text">
            {creating ? 'Once the issue is created, a' : 'A'} copy is created in project {partner.projectKey} on {site}, and from then on both issues stay in sync.
          </p>
          <div className="ts-confirm__actions">
            <Button appearance="primary" isDisabled={busy} onClick={() => void confirm()}>Confirm sync with {partner.projectKey}</Button>
            <Button onClick={() => choose('no')}>Cancel</Button>
          </div>
        </div>
      )}
      {error && <p className="ts-error" role="alert">{error}</p>}
      {answer === 'yes' && confirmed && <p className="ts-note" data-testid="field-confirmed">{creating ? `Will sync with ${partner.label} once created.` : `Syncing with ${partner.label}.`}</p>}
      {inline && answer === 'no' && <div className="ts-confirm__actions"><Button onClick={close}>Cancel</Button></div>}
    </div>
  );
}
