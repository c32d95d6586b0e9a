/**
 * The partner choice in the "Sync with …?" confirmation, shown when the project has several connections and the
 * issue is not linked yet: one radio per connection, named by its label (`partner.atlassian.net · PARTNER`).
 */
import type { ReactNode } from 'react';
import type { PartnerChoice } from '../../../src/contract';

/** Props: the issue being linked, the project's partners, the chosen connection id and the change handler. */
export interface PartnerPickerProps {
  issueKey: string;
  partners: PartnerChoice[];
  chosen: string;
  onChoose: (connectionId: string) => void;
  /** The question above the radios (default: "Create a copy of KEY and keep both in sync, in:"). */
  legend?: ReactNode;
}

/** "Create a copy of KEY in:" and a radio group naming each partner. */
export function PartnerPicker(p: PartnerPickerProps) {
  return (
    <fieldset className="ts-partner-pick">
      <legend>
        {p.legend ?? (
          <>
            Create a copy of <strong>{p.issueKey}</strong> and keep both in sync, in:
          </>
        )}
      </legend>
      {p.partners.map((partner) => (
        <label key={partner.connectionId} className="ts-partner-option">
          <input
            type="radio"
            name={p.legend ? 'task-sync-partner-existing' : 'task-sync-partner'}
            value={partner.connectionId}
            checked={partner.connectionId === p.chosen}
            onChange={() => p.onChoose(partner.connectionId)}
          />{' '}
          {partner.label}
        </label>
      ))}
    </fieldset>
  );
}
