/**
 * The sync log's filters: outcome, connection, direction, trigger, issue key (either side), time range (from/to,
 * local time) and "Show runs that changed nothing". Each control has a visible label; changing one reads the first
 * page again (the caller resets paging). The no-change switch is an Atlaskit Toggle with its label.
 */
import Select from '@atlaskit/select';
import Textfield from '@atlaskit/textfield';
import Toggle from '@atlaskit/toggle';
import type { SettingsView, SyncLogEntry, SyncLogFilter } from '../../../../src/contract';
import { DIRECTION, TRIGGER } from './labels';

type Opt = { label: string; value: string };
const OUTCOMES: SyncLogEntry['outcome'][] = ['synced', 'no-change', 'conflict', 'failed', 'retrying', 'rejected', 'broken', 'created', 'resolved', 'paused', 'resumed', 'unlinked'];
const ANY: Opt = { label: 'Any', value: '' };

/**
 * `2026-12-02T10:00` (datetime-local, the browser's time zone) ↔ ISO-8601. The input has minutes only, so "to"
 * takes in its whole minute (10:00 means up to 10:00:59.999): a run at 10:00:30 is "up to 10:00" to a reader.
 */
function toIso(local: string, endOfMinute = false): string | undefined {
  const ms = Date.parse(local);
  return Number.isNaN(ms) ? undefined : new Date(ms + (endOfMinute ? 59_999 : 0)).toISOString();
}
const toLocalInput = (iso?: string) => (iso ? new Date(Date.parse(iso) - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16) : '');

function Choice({ id, label, options, value, onChange }: { id: string; label: string; options: Opt[]; value?: string; onChange: (v?: string) => void }) {
  const all = [ANY, ...options];
  return (
    <div className="ts-filter">
      <label htmlFor={id}>{label}</label>
      <Select inputId={id} options={all} value={all.find((o) => o.value === (value ?? '')) ?? ANY} onChange={(o) => onChange((o as Opt | null)?.value || undefined)} />
    </div>
  );
}

/** Filter controls over `filter`; `onChange` gets the whole new filter. */
export function LogFilters({ filter, connections, onChange }: { filter: SyncLogFilter; connections: SettingsView[]; onChange: (f: SyncLogFilter) => void }) {
  const set = (patch: Partial<SyncLogFilter>) => onChange({ ...filter, ...patch });
  return (
    <div className="ts-filters" role="group" aria-label="Filter the sync log">
      <Choice id="log-outcome" label="Outcome" options={OUTCOMES.map((o) => ({ label: o, value: o }))} value={filter.outcome} onChange={(v) => set({ outcome: v as SyncLogFilter['outcome'] })} />
      <Choice id="log-connection" label="Connection" options={connections.map((c) => ({ label: c.label, value: c.id }))} value={filter.connectionId} onChange={(v) => set({ connectionId: v })} />
      <Choice id="log-direction" label="Direction" options={Object.entries(DIRECTION).map(([value, label]) => ({ value, label: value === 'none' ? 'Nothing moved' : label }))} value={filter.direction} onChange={(v) => set({ direction: v as SyncLogFilter['direction'] })} />
      <Choice id="log-trigger" label="Trigger" options={Object.entries(TRIGGER).map(([value, label]) => ({ value, label }))} value={filter.trigger} onChange={(v) => set({ trigger: v as SyncLogFilter['trigger'] })} />
      <div className="ts-filter">
        <label htmlFor="log-issue">Issue key (either side)</label>
        <Textfield id="log-issue" placeholder="ALOY-12" defaultValue={filter.issueKey ?? ''} onBlur={(e) => set({ issueKey: e.currentTarget.value.trim() || undefined })} onKeyDown={(e) => e.key === 'Enter' && set({ issueKey: e.currentTarget.value.trim() || undefined })} />
      </div>
      <div className="ts-filter">
        <label htmlFor="log-from">From</label>
        <Textfield id="log-from" type="datetime-local" value={toLocalInput(filter.from)} onChange={(e) => set({ from: toIso(e.currentTarget.value) })} />
      </div>
      <div className="ts-filter">
        <label htmlFor="log-to">To</label>
        <Textfield id="log-to" type="datetime-local" value={toLocalInput(filter.to)} onChange={(e) => set({ to: toIso(e.currentTarget.value, true) })} />
      </div>
      <div className="ts-muted ts-filter-check">
        <Toggle id="log-no-change" isChecked={filter.includeNoChange ?? false} onChange={(ev) => set({ includeNoChange: ev.target.checked })} />
        <label htmlFor="log-no-change">Show runs that changed nothing</label>
      </div>
    </div>
  );
}
