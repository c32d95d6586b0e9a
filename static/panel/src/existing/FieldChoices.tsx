/**
 * The differing fields of a pair that has no base yet, each with its local and partner values (readable, like a
 * conflict's; see `../conflicts/ConflictValue.tsx`) and the person's choice of the starting truth: Use local or
 * Use partner (a one-way field offers only the side it copies from), or All from local / All from partner.
 */
import Button from '@atlaskit/button/new';
import type { DifferingFieldView } from '../../../../src/contract';
import { ConflictValue } from '../conflicts/ConflictValue';

type Side = 'local' | 'partner';

/** Props of {@link FieldChoices}; `chosen` maps local field ids to the chosen side. */
export interface FieldChoicesProps {
  fields: DifferingFieldView[];
  issueKey: string;
  partnerKey: string;
  chosen: Record<string, Side>;
  disabled: boolean;
  onChoose: (field: string, side: Side) => void;
  onChooseAll: (side: Side) => void;
}

/** The list of differing fields with their choices. */
export function FieldChoices({ fields, issueKey, partnerKey, chosen, disabled, onChoose, onChooseAll }: FieldChoicesProps) {
  const label = { local: `local · ${issueKey}`, partner: `partner · ${partnerKey}` };
  return (
    <div className="ts-stack">
      <div className="ts-row" role="group" aria-label="Choose for every field">
        <Button isDisabled={disabled} onClick={() => onChooseAll('local')}>All from local</Button>
        <Button isDisabled={disabled} onClick={() => onChooseAll('partner')}>All from partner</Button>
      </div>
      {fields.map((f) => {
        const headingId = `pair-${f.field}`;
        return (
          <section key={f.field} className="ts-conflict ts-pair-field" aria-labelledby={headingId} data-field={f.field}>
            <div className="ts-conflict-head">
              <h3 id={headingId} className="ts-conflict-name">{f.name}</h3>
              <span className="ts-muted" data-testid={`chosen-${f.field}`}>{chosen[f.field] ? `Starting value: ${label[chosen[f.field]!]}` : 'Choose the starting value'}</span>
            </div>
            <dl className="ts-conflict-values">
              {(['local', 'partner'] as const).map((side) => (
                <div key={side} className={`ts-conflict-value${chosen[f.field] === side ? ' ts-pair-chosen' : ''}`}>
                  <dt>{side === 'local' ? `Local · ${issueKey}` : `Partner · ${partnerKey}`}</dt>
                  <dd><ConflictValue value={f[side]} /></dd>
                </div>
              ))}
            </dl>
            <div className="ts-row" role="group" aria-label={`Starting value of ${f.name}`}>
              {f.choices.map((side) => (
                <Button key={side} isDisabled={disabled} isSelected={chosen[f.field] === side} aria-pressed={chosen[f.field] === side} onClick={() => onChoose(f.field, side)}>
                  {side === 'local' ? 'Use local' : 'Use partner'}
                </Button>
              ))}
              {f.choices.length === 1 && <span className="ts-muted">This field syncs from {f.choices[0]} only.</span>}
            </div>
          </section>
        );
      })}
    </div>
  );
}
