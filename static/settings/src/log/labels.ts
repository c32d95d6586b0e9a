/** Words and lozenge colours of the sync log's outcomes, directions and triggers (one place for table, filters, CSV). */
import type { SyncLogEntry } from '../../../../src/contract';

type Appearance = 'success' | 'removed' | 'moved' | 'default' | 'inprogress' | 'new';
export const OUTCOME: Record<SyncLogEntry['outcome'], Appearance> = {
  created: 'new',
  synced: 'success',
  'no-change': 'default',
  conflict: 'moved',
  resolved: 'success',
  failed: 'removed',
  retrying: 'inprogress',
  rejected: 'removed',
  broken: 'removed',
  paused: 'moved',
  resumed: 'inprogress',
  unlinked: 'default',
};
export const DIRECTION: Record<SyncLogEntry['direction'], string> = {
  'local-to-partner': 'To partner',
  'partner-to-local': 'From partner',
  both: 'Both ways',
  none: '—',
};
export const TRIGGER: Record<SyncLogEntry['trigger'], string> = {
  create: 'Sync turned on',
  event: 'Local edit',
  webhook: 'Partner edit',
  reconcile: 'Reconcile',
  manual: 'Manual',
};

/** How many field names the Fields column shows before "+N more" (the detail view and the CSV list them all). */
export const FIELDS_SHOWN = 4;

/**
 * The Fields cell of one entry: display names where the entry carries its changes (`changes[].name`, e.g. `Status`),
 * else the stored field ids (entries of sync turned on, or written before issue 11); at most {@link FIELDS_SHOWN},
 * then `+N more`. `—` when the run wrote no field.
 */
export function fieldsCell(e: Pick<SyncLogEntry, 'fields' | 'changes'>): string {
  const names = e.changes?.length ? [...new Set(e.changes.map((c) => c.name))] : e.fields;
  if (!names.length) return '—';
  if (names.length <= FIELDS_SHOWN) return names.join(', ');
  const shown = names.slice(0, FIELDS_SHOWN - 1);
  return `${shown.join(', ')} +${names.length - shown.length} more`;
}
