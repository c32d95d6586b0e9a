/**
 * What bulk matching found: the pairs (each with the fields whose values differ), issues with no counterpart,
 * ambiguous keys (never guessed) and pairs already linked; then the starting value of each differing field, for
 * all pairs at once.
 */
import Button from '@atlaskit/button/new';
import type { MatchPreviewView } from '../../../../src/contract';

type Side = 'local' | 'partner';

/** Props of {@link MatchPreviewList}. */
export interface MatchPreviewListProps {
  preview: MatchPreviewView;
  chosen: Record<string, Side>;
  disabled: boolean;
  onChoose: (field: string, side: Side) => void;
  onChooseAll: (side: Side) => void;
}

const keys = (list: string[]) => (list.length > 12 ? `${list.slice(0, 12).join(', ')} and ${list.length - 12} more` : list.join(', '));

/** The preview and the per-field choice. */
export function MatchPreviewList({ preview: p, chosen, disabled, onChoose, onChooseAll }: MatchPreviewListProps) {
  return (
    <section className="ts-stack" aria-label="Match preview">
      <p role="status" data-testid="match-summary">
        {p.pairs.length} {p.pairs.length === 1 ? 'pair' : 'pairs'} found · {p.unmatchedLocal.length} local and {p.unmatchedPartner.length} partner issues without a match · {p.ambiguous.length} ambiguous · {p.alreadyLinked.length} already linked
        {p.truncated && ' · more than 1,000 issues matched on one side: narrow the JQL'}
      </p>
      {p.pairs.length > 0 && (
        <table className="ts-table" aria-label="Pairs found">
          <thead><tr><th>Local</th><th>Partner</th><th>Summary</th><th>Fields that differ</th></tr></thead>
          <tbody>
            {p.pairs.map((x) => (
              <tr key={x.localKey}><td>{x.localKey}</td><td>{x.partnerKey}</td><td>{x.summary}</td><td>{x.differing.join(', ') || 'none'}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      {p.ambiguous.length > 0 && (
        <div>
          <strong>Ambiguous (not linked):</strong>
          <ul aria-label="Ambiguous keys">
            {p.ambiguous.map((a) => <li key={a.value}>{a.value}: local {a.localKeys.join(', ') || 'none'} · partner {a.partnerKeys.join(', ') || 'none'}</li>)}
          </ul>
        </div>
      )}
      {p.unmatchedLocal.length > 0 && <p className="ts-muted">No partner match: {keys(p.unmatchedLocal)}</p>}
      {p.unmatchedPartner.length > 0 && <p className="ts-muted">No local match: {keys(p.unmatchedPartner)}</p>}
      {p.alreadyLinked.length > 0 && <p className="ts-muted">Already linked: {p.alreadyLinked.map((a) => a.why).join('; ')}</p>}
      {p.fields.length > 0 && (
        <div className="ts-stack" role="group" aria-label="Starting values">
          <p>Which side does each differing field start from? Its value is written to the other issue of every pair.</p>
          <div className="ts-row">
            <Button isDisabled={disabled} onClick={() => onChooseAll('local')}>All from local</Button>
            <Button isDisabled={disabled} onClick={() => onChooseAll('partner')}>All from partner</Button>
          </div>
          {p.fields.map((f) => (
            <div key={f.field} className="ts-row" role="group" aria-label={`Starting value of ${f.name}`}>
              <span className="ts-match-field">{f.name} <span className="ts-muted">({f.pairs} {f.pairs === 1 ? 'pair' : 'pairs'})</span></span>
              {f.choices.map((side) => (
                <Button key={side} isDisabled={disabled} isSelected={chosen[f.field] === side} aria-pressed={chosen[f.field] === side} onClick={() => onChoose(f.field, side)}>
                  {side === 'local' ? 'Use local' : 'Use partner'}
                </Button>
              ))}
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
