/**
 * Migrations of stored records written by earlier versions. A real installation has settings, links and logs in
 * KVS; each is migrated on first use, so an upgrade never needs a person:
 * - **settings → connection.** Before connections existed a project had one partner, stored as
 *   `settings:<projectKey>` with a status/priority map. It becomes connection `legacy-<projectKey>` syncing the
 *   same five fields (summary, description, priority, labels, status) with the same maps, and keeps its secrets
 *   (`credentialsRef` = the project key) and its registered webhook (whose URL names only the project).
 * - **links without a connection id** belong to the project's legacy connection; their base snapshot already has
 *   the shape "field id → value" (the five field ids), so only the id is added.
 * Pure functions: `src/store/connections.ts` and `src/store/kvs.ts` do the reads and writes.
 */
import { z } from 'zod';
import { Connection, CONNECTION_SCHEMA_VERSION, legacyConnectionId } from '../model/connection';
import type { FieldMap } from '../model/mapping';

const IdMap = z.record(z.string(), z.string());

/**
 * `settings:<projectKey>` as the one-partner version stored it: a connection's fields without id, credentials
 * reference and field mapping, with a status/priority map instead.
 */
export const LegacySettings = Connection.omit({ schemaVersion: true, id: true, credentialsRef: true, mapping: true }).extend({
  mapping: z.object({
    toPartner: z.object({ status: IdMap, priority: IdMap }),
    toLocal: z.object({ status: IdMap, priority: IdMap }),
  }),
});
export type LegacySettings = z.infer<typeof LegacySettings>;

/** The five fields the one-partner version synced, as mapping rows. */
export const LEGACY_FIELDS: FieldMap[] = [
  { local: 'summary', partner: 'summary', kind: 'text', direction: 'both', name: { local: 'Summary', partner: 'Summary' } },
  { local: 'description', partner: 'description', kind: 'paragraph', direction: 'both', name: { local: 'Description', partner: 'Description' } },
  { local: 'priority', partner: 'priority', kind: 'priority', direction: 'both', name: { local: 'Priority', partner: 'Priority' } },
  { local: 'labels', partner: 'labels', kind: 'labels', direction: 'both', name: { local: 'Labels', partner: 'Labels' } },
  { local: 'status', partner: 'status', kind: 'status', direction: 'both', name: { local: 'Status', partner: 'Status' } },
];

/**
 * The connection a project's legacy settings become (see the module comment). Issue types are left to the
 * defaults at creation (same name, else the partner's default type), as the old version chose them; users are
 * unmapped until an admin opens the mapping editor.
 * @throws ZodError when `raw` is not legacy settings
 */
export function connectionFromLegacy(raw: unknown): Connection {
  const s = LegacySettings.parse(raw);
  const { mapping, ...rest } = s;
  return {
    ...rest,
    schemaVersion: CONNECTION_SCHEMA_VERSION,
    id: legacyConnectionId(s.projectKey),
    credentialsRef: s.projectKey,
    mapping: {
      fields: LEGACY_FIELDS.map((f) => ({ ...f, name: { ...f.name } })),
      issueTypes: { toPartner: {}, toLocal: {} },
      status: { toPartner: { ...mapping.toPartner.status }, toLocal: { ...mapping.toLocal.status } },
      priority: { toPartner: { ...mapping.toPartner.priority }, toLocal: { ...mapping.toLocal.priority } },
      users: { toPartner: {}, toLocal: {} },
    },
  };
}

/** A stored link, with `connectionId` filled in for a link written before connections existed. */
export function migrateLink(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const link = raw as Record<string, unknown>;
  if (typeof link.connectionId === 'string') return raw;
  return { ...link, connectionId: legacyConnectionId(String(link.projectKey ?? '')) };
}

/**
 * The key an echo candidate stored by a version before 2026-12 (`pending-echo:<localIssueId>:<uuid>`) has now
 * (`pending:<localIssueId>:echo:<uuid>`, beside the link's pending mark), or undefined for a key of another shape.
 */
export function pendingEchoKeyFromLegacy(legacyKey: string): { localIssueId: string; key: string } | undefined {
  const m = /^pending-echo:([^:]+):([^:]+)$/.exec(legacyKey);
  return m ? { localIssueId: m[1], key: `pending:${m[1]}:echo:${m[2]}` } : undefined;
}
