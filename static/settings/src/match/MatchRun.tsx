/**
 * Links the previewed pairs with the chosen starting values, 5 pairs per `applyMatch` call (each call stays well
 * inside a resolver's 25 s; pairs a call had no time for go into the next), with a progress bar and a report:
 * linked, and failed with the reason for each.
 */
import { useState } from 'react';
import Button from '@atlaskit/button/new';
import type { ApplyMatchResult, MatchPreviewView, ResolverError } from '../../../../src/contract';
import { callResolver } from '../../../shared/api';
import { ErrorNote } from '../../../shared/ErrorNote';

type Side = 'local' | 'partner';
const CHUNK = 5;

/** Props of {@link MatchRun}. */
export interface MatchRunProps {
  connectionId: string;
  pairs: MatchPreviewView['pairs'];
  fields: MatchPreviewView['fields'];
  chosen: Record<string, Side>;
  onDone: (result: ApplyMatchResult) => void;
}

/** The "Link N pairs" button, the progress and the report. */
export function MatchRun({ connectionId, pairs, fields, chosen, onDone }: MatchRunProps) {
  const [running, setRunning] = useState(false);
  const [done, setDone] = useState<ApplyMatchResult | null>(null);
  const [error, setError] = useState<ResolverError | null>(null);
  const open = fields.filter((f) => !chosen[f.field]);

  const run = async () => {
    setRunning(true);
    setError(null);
    const total: ApplyMatchResult = { linked: [], failed: [], notTried: [] };
    let queue = pairs.map((p) => ({ localIssueId: p.localIssueId, localKey: p.localKey, partnerKey: p.partnerKey }));
    while (queue.length) {
      const chunk = queue.slice(0, CHUNK);
      const res = await callResolver('applyMatch', { connectionId, pairs: chunk, fields: chosen, confirmed: true });
      if (!res.ok) {
        setError(res.error);
        break;
      }
      total.linked.push(...res.data.linked);
      total.failed.push(...res.data.failed);
      queue = [...res.data.notTried, ...queue.slice(CHUNK)];
      setDone({ ...total });
    }
    setRunning(false);
    setDone({ ...total });
    onDone(total);
  };
  const handled = done ? done.linked.length + done.failed.length : 0;

  return (
    <div className="ts-stack">
      <div className="ts-row">
        <Button appearance="primary" isDisabled={running || open.length > 0 || done !== null} onClick={() => void run()}>
          {running ? 'Linking…' : open.length ? `Choose ${open.length} more` : `Link ${pairs.length} ${pairs.length === 1 ? 'pair' : 'pairs'}`}
        </Button>
      </div>
      {(running || done) && (
        <div className="ts-stack">
          <progress max={pairs.length} value={handled} aria-label="Pairs linked" />
          <p role="status" data-testid="match-progress">{handled} of {pairs.length} done · {done?.linked.length ?? 0} linked · {done?.failed.length ?? 0} failed</p>
        </div>
      )}
      {done && done.failed.length > 0 && (
        <ul aria-label="Pairs not linked">
          {done.failed.map((f) => <li key={f.localKey}>{f.localKey} ↔ {f.partnerKey}: {f.message}</li>)}
        </ul>
      )}
      {error && <ErrorNote error={error} title="Linking stopped" />}
    </div>
  );
}
