/**
 * The connection editor's worklog choices (`Connection.worklogs`): **Sync worklogs** (an Atlaskit toggle, on by
 * default; off keeps every hour on its own site) and what a mirrored worklog does to the remaining estimate of the
 * issue it lands on (a native select, like the conflict policy: two fixed options). The estimate choice is disabled
 * while worklogs do not sync. Keyboard: Tab to the toggle, Space toggles; the select's label and help text are tied
 * to it (`aria-describedby`) for screen readers.
 */
import Toggle from '@atlaskit/toggle';
import { Label } from '@atlaskit/form/label';
import { HelperMessage } from '@atlaskit/form/helper-message';
import type { WorklogSettings as Settings } from '../../../src/model/connection';

const ESTIMATES: Array<{ value: Settings['adjustEstimate']; label: string; help: string }> = [
  { value: 'leave', label: "Leave it to each site's own estimate", help: 'A copied worklog never changes the remaining estimate where it lands: each company keeps its own planning (Jira adjustEstimate=leave).' },
  { value: 'auto', label: 'Reduce it by the time copied', help: 'A copied worklog reduces the remaining estimate of the issue it lands on, as if the work had been logged there (Jira adjustEstimate=auto).' },
];

/** Props: the current choice and where a change goes. */
export interface WorklogSettingsProps {
  value: Settings;
  onChange: (value: Settings) => void;
  disabled?: boolean;
}

/** The worklog part of the connection form. */
export function WorklogSettings({ value, onChange, disabled }: WorklogSettingsProps) {
  const estimate = ESTIMATES.find((e) => e.value === value.adjustEstimate) ?? ESTIMATES[0];
  return (
    <fieldset className="ts-field ts-fieldset" data-testid="worklog-settings">
      <legend className="ts-legend">Worklogs (time tracking)</legend>
      <div className="ts-row">
        <Toggle id="worklogsEnabled" testId="worklogs-enabled" isChecked={value.enabled} isDisabled={disabled}
          onChange={(e) => onChange({ ...value, enabled: e.currentTarget.checked })} />
        <label htmlFor="worklogsEnabled">Sync worklogs</label>
      </div>
      <HelperMessage>
        {value.enabled
          ? 'Time logged on a synced issue is copied to the other site, with who logged it. Edits and deletes follow.'
          : 'Hours stay on the site where they were logged; nothing about worklogs is read or written.'}
      </HelperMessage>
      <Label htmlFor="worklogsEstimate">Remaining estimate when a worklog is copied</Label>
      <select id="worklogsEstimate" name="worklogsEstimate" className="ts-select" value={value.adjustEstimate} aria-describedby="worklogsEstimate-help"
        disabled={disabled || !value.enabled} onChange={(e) => onChange({ ...value, adjustEstimate: e.currentTarget.value as Settings['adjustEstimate'] })}>
        {ESTIMATES.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
      <div id="worklogsEstimate-help"><HelperMessage>{estimate.help}</HelperMessage></div>
    </fieldset>
  );
}
