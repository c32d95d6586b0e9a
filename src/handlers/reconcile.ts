/**
 * Scheduled reconcile (every 5 minutes): runs or resumes a pass per connection (`src/sync/reconcile.ts`), so a
 * lost event or webhook costs minutes, not data. A connection that fails is logged; the others still run.
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/scheduled-trigger/
 */
import { connectionLabel } from '../model/connection';
import { listAllConnections } from '../store/connections';
import * as store from '../store/kvs';
import { migrateLogToEntities } from '../store/log-migrate';
import { migrateLegacyPendingEchoes } from '../store/pending-migrate';
import { reconcilePass } from '../sync/reconcile';
import { portsFor } from './deps';

/** Handler of the `reconcile` scheduled trigger. */
export async function handler(): Promise<{ statusCode: number }> {
  try {
    await store.backfillConflictedIndex();
    await migrateLogToEntities(); // log: old `log:` keys → the sync-log entity, once
  } catch {
    // KVS trouble: the backfill runs again at the next reconcile; the passes below must still run.
  }
  // runner: old `pending-echo:` candidates → `pending:<id>:echo:`, before the passes list pending links
  await migrateLegacyPendingEchoes().catch(() => undefined); // KVS trouble: moved at the next reconcile
  for (const connection of await listAllConnections()) {
    try {
      await reconcilePass(await portsFor(connection));
    } catch (err) {
      const message = `Reconcile could not check ${connection.projectKey} ↔ ${connectionLabel(connection)}: ${err instanceof Error ? err.message : String(err)} It will try again at the next run.`;
      await store.appendLog(connection.projectKey, { connectionId: connection.id, trigger: 'reconcile', direction: 'none', localIssueKey: null, partnerIssueKey: null, fields: [], outcome: 'failed', message });
    }
  }
  return { statusCode: 200 };
}
