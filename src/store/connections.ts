/**
 * Connections in Forge KVS (`connection:<projectKey>:<id>`), with the migration of a project's one-partner
 * settings (`settings:<projectKey>`, see `./migrate.ts`) on first read: the connection, its watermark and reconcile
 * progress are written and the old settings removed in one KVS transaction, so a concurrent first read by another
 * invocation migrates to the same record.
 * @see https://developer.atlassian.com/platform/forge/storage-reference/storage-api-basic/
 */
import { kvs } from '@forge/kvs';
import { Connection } from '../model/connection';
import { SyncError } from '../model/errors';
import { key, parse, scan } from './kvs';
import { connectionFromLegacy } from './migrate';

/** Migrates the legacy settings of `projectKey`, if any. @returns the migrated connection, or undefined */
async function migrateLegacy(projectKey: string): Promise<Connection | undefined> {
  const legacy = await kvs.get(key.settings(projectKey));
  if (legacy === undefined) return undefined;
  let connection: Connection;
  try {
    connection = connectionFromLegacy(legacy);
  } catch (err) {
    throw new SyncError('internal', `Stored Task sync settings of ${projectKey} are unreadable (${(err as Error).message}). Set up the connection again in Project settings → Task sync.`);
  }
  const [mark, progress] = await Promise.all([kvs.get(key.watermark(projectKey)), kvs.get(key.reconcile(projectKey))]);
  let tx = kvs.transact().set(key.connection(projectKey, connection.id), connection).delete(key.settings(projectKey));
  if (mark !== undefined) tx = tx.set(key.watermark(connection.id), mark).delete(key.watermark(projectKey));
  if (progress !== undefined) tx = tx.set(key.reconcile(connection.id), progress).delete(key.reconcile(projectKey));
  await tx.execute();
  return connection;
}

/** The connections of a project, oldest first (migrating legacy settings on first use). */
export async function listConnections(projectKey: string): Promise<Connection[]> {
  await migrateLegacy(projectKey);
  const out: Connection[] = [];
  for await (const item of scan<unknown>(key.connectionPrefix(projectKey))) out.push(parse(Connection, item.value, `connection ${item.key}`));
  return out.sort((a, b) => a.savedAt.localeCompare(b.savedAt));
}

/** One connection of a project, or undefined. */
export async function getConnection(projectKey: string, id: string): Promise<Connection | undefined> {
  const value = await kvs.get(key.connection(projectKey, id));
  if (value !== undefined) return parse(Connection, value, `connection ${id} of ${projectKey}`);
  const migrated = await migrateLegacy(projectKey);
  return migrated?.id === id ? migrated : undefined;
}

export async function saveConnection(connection: Connection): Promise<void> {
  await kvs.set(key.connection(connection.projectKey, connection.id), Connection.parse(connection));
}

export async function deleteConnection(connection: Pick<Connection, 'projectKey' | 'id'>): Promise<void> {
  await kvs.transact().delete(key.connection(connection.projectKey, connection.id)).delete(key.watermark(connection.id)).delete(key.reconcile(connection.id)).execute();
}

/** Every connection of every project (the scheduled reconcile walks them), migrating legacy settings first. */
export async function listAllConnections(): Promise<Connection[]> {
  const legacy: string[] = [];
  for await (const item of scan(key.settingsPrefix)) legacy.push(item.key.slice(key.settingsPrefix.length));
  for (const projectKey of legacy) await migrateLegacy(projectKey);
  const out: Connection[] = [];
  for await (const item of scan<unknown>(key.connectionPrefix())) out.push(parse(Connection, item.value, `connection ${item.key}`));
  return out;
}
