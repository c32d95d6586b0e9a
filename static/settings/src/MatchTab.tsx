/**
 * The "Link existing" tab: pair issues that already exist on both sides, in bulk. A JQL on each side (within the
 * connection's two projects), a key to pair them by (a field holding the other side's key, or equal summaries),
 * a preview (pairs with their differing fields, unmatched, ambiguous, already linked), the starting value of every
 * differing field (all from one side, or per field), then linking in chunks of 5 pairs per call with progress.
 * Nothing is written before "Link N pairs".
 */
import { useCallback, useEffect, useState } from 'react';
import Button from '@atlaskit/button/new';
import Spinner from '@atlaskit/spinner';
import Textfield from '@atlaskit/textfield';
import type { ApplyMatchResult, MatchPreviewInput, MatchPreviewView, ResolverError, SettingsView } from '../../../src/contract';
import { callResolver } from '../../shared/api';
import { ErrorNote } from '../../shared/ErrorNote';
import { useAction } from '../../shared/useAction';
import { MatchPreviewList } from './match/MatchPreviewList';
import { MatchRun } from './match/MatchRun';
import './match/match.css';

type KeyKind = 'partner-field' | 'local-field' | 'summary';
type Side = 'local' | 'partner';

/** The bulk match form, its preview and the run. */
export function MatchTab() {
  const [connections, setConnections] = useState<SettingsView[] | null>(null);
  const [loadError, setLoadError] = useState<ResolverError | null>(null);
  const [connectionId, setConnectionId] = useState('');
  const [localJql, setLocalJql] = useState('');
  const [partnerJql, setPartnerJql] = useState('');
  const [keyKind, setKeyKind] = useState<KeyKind>('partner-field');
  const [keyField, setKeyField] = useState('');
  const [preview, setPreview] = useState<MatchPreviewView | null>(null);
  const [chosen, setChosen] = useState<Record<string, Side>>({});
  const [result, setResult] = useState<ApplyMatchResult | null>(null);
  const action = useAction();

  const load = useCallback(async () => {
    const res = await callResolver('listConnections', {});
    if (!res.ok) return setLoadError(res.error);
    setConnections(res.data.connections);
    setConnectionId((c) => c || res.data.connections[0]?.id || '');
  }, []);
  useEffect(() => void load(), [load]);

  if (!connections) return loadError ? <ErrorNote error={loadError} /> : <Spinner label="Loading connections" />;
  if (!connections.length) return <p className="ts-muted">Add a partner connection in the Settings tab first.</p>;

  const key: MatchPreviewInput['key'] = keyKind === 'summary' ? { kind: 'summary' } : { kind: keyKind, field: keyField.trim() };
  const find = async () => {
    setResult(null);
    const data = await action.run('previewMatch', { connectionId, localJql, partnerJql, key });
    if (data) {
      setPreview(data);
      setChosen({});
    }
  };
  const chooseAll = (side: Side) => setChosen(Object.fromEntries((preview?.fields ?? []).map((f) => [f.field, f.choices.includes(side) ? side : f.choices[0]!])));
  const connection = connections.find((c) => c.id === connectionId) ?? connections[0]!;

  return (
    <div className="ts-stack ts-match">
      <p>
        Link issues of {connection.projectKey} with issues that already exist in {connection.partnerProjectKey}: find both sets by JQL, pair them by a key, check the preview, choose which side each differing field starts from, then link.
      </p>
      {connections.length > 1 && (
        <label className="ts-field">
          Partner
          <select value={connectionId} onChange={(e) => { setConnectionId(e.currentTarget.value); setPreview(null); }}>
            {connections.map((c) => <option key={c.id} value={c.id}>{c.label}</option>)}
          </select>
        </label>
      )}
      <form className="ts-stack ts-form" onSubmit={(e) => { e.preventDefault(); void find(); }}>
        <label className="ts-field">
          Local issues (JQL within {connection.projectKey}; empty: all)
          <Textfield aria-label="Local JQL" value={localJql} placeholder="labels = partner-work" onChange={(e) => setLocalJql(e.currentTarget.value)} />
        </label>
        <label className="ts-field">
          Partner issues (JQL within {connection.partnerProjectKey}; empty: all)
          <Textfield aria-label="Partner JQL" value={partnerJql} placeholder="created >= -30d" onChange={(e) => setPartnerJql(e.currentTarget.value)} />
        </label>
        <fieldset className="ts-partner-pick ts-fieldset">
          <legend>Pair them by</legend>
          {([
            ['partner-field', `a ${connection.partnerProjectKey} field that holds the local issue key`],
            ['local-field', `a ${connection.projectKey} field that holds the partner issue key`],
            ['summary', 'equal summaries'],
          ] as const).map(([kind, words]) => (
            <label key={kind} className="ts-row">
              <input type="radio" name="match-key" value={kind} checked={keyKind === kind} onChange={() => setKeyKind(kind)} /> {words}
            </label>
          ))}
          {keyKind !== 'summary' && (
            <Textfield aria-label="Key field id" value={keyField} placeholder="customfield_10010" onChange={(e) => setKeyField(e.currentTarget.value)} />
          )}
        </fieldset>
        <div className="ts-row">
          <Button type="submit" appearance="primary" isDisabled={action.busy !== null || (keyKind !== 'summary' && !keyField.trim())}>
            {action.busy === 'previewMatch' ? 'Finding pairs…' : 'Find pairs'}
          </Button>
        </div>
      </form>
      {action.error && <ErrorNote error={action.error} title="No pairs were found" />}
      {preview && <MatchPreviewList preview={preview} chosen={chosen} disabled={action.busy !== null} onChoose={(f, s) => setChosen((c) => ({ ...c, [f]: s }))} onChooseAll={chooseAll} />}
      {preview && preview.pairs.length > 0 && (
        <MatchRun key={JSON.stringify(preview.pairs.map((p) => p.localKey))} connectionId={connectionId} pairs={preview.pairs} fields={preview.fields} chosen={chosen} onDone={setResult} />
      )}
      {result && result.failed.length > 0 && <p className="ts-muted">Fix what the list says, then Find pairs again: pairs linked meanwhile are listed as already linked.</p>}
    </div>
  );
}
