/**
 * One-time move of the sync log from KVS keys (`log:<project>:<countdown>:<rand>`, versions before the custom
 * entity) to the `sync-log` entity, so old entries show in the filtered log. Each entry keeps its id and time and
 * expires when it would have (30 days after it was written); entries already past that, or unreadable, are
 * dropped. The marker `migration:log-entities` is set once nothing is left, so later runs cost one read.
 * Run by the scheduled reconcile, never by a resolver; a run moves at most `budget` entries and the next run goes on.
 */
import { kvs } from '@forge/kvs';
import { SyncLogEntry } from '../contract';
import { key, scan } from './kvs';
import { DAY_MS, LOG_RETENTION_DAYS, putLogEntity } from './log';

/**
 * Moves up to `budget` `log:` entries to the entity store (each written before its key is deleted, so a crash
 * repeats a write, never loses one).
 * @returns how many entries were moved, and whether the migration is complete (marker set)
 */
export async function migrateLogToEntities(budget = 2_000, now = Date.now()): Promise<{ moved: number; done: boolean }> {
  if (await kvs.get(key.logMigrated)) return { moved: 0, done: true };
  let moved = 0;
  const batch: { key: string; value: unknown }[] = [];
  for await (const item of scan<unknown>('log:')) {
    batch.push(item);
    if (batch.length >= budget) break;
  }
  for (const item of batch) {
    const projectKey = item.key.split(':')[1] ?? '';
    const parsed = SyncLogEntry.safeParse(item.value);
    const leftDays = parsed.success ? LOG_RETENTION_DAYS - (now - Date.parse(parsed.data.at)) / DAY_MS : 0;
    if (parsed.success && projectKey && leftDays > 0) {
      await putLogEntity(projectKey, parsed.data, Math.ceil(leftDays));
      moved++;
    }
    await kvs.delete(item.key);
  }
  const done = batch.length < budget;
  if (done) await kvs.set(key.logMigrated, { at: new Date(now).toISOString(), moved });
  return { moved, done };
}
