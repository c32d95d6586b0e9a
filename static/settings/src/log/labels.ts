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
