/**
 * {@link ConnectionPorts} over plain in-memory data, for unit tests of the engine's use cases (reconcile, the
 * claim loop). Only the outside world is replaced: Jira sites are given per test, KVS is a Map, the clock is fixed.
 * Nothing of the engine itself is faked.
 */
import type { JiraSite } from '../../../src/jira/site';
import type { Connection } from '../../../src/model/connection';
import type { LinkRecord } from '../../../src/model/link';
import type { FailedEntry, NewLogEntry, SyncJobEvent, Watermark } from '../../../src/store/records';
import type { ConnectionPorts } from '../../../src/sync/ports';
import { LEGACY_FIELDS } from '../../../src/store/migrate';

/** A connection ALOY ↔ PARTNER with the five legacy rows and empty maps. */
export function testConnection(over: Partial<Connection> = {}): Connection {
  return {
    schemaVersion: 2,
    id: 'c-test',
    projectKey: 'ALOY',
    projectId: '10000',
    localSiteUrl: 'https://local.atlassian.net',
    partnerUrl: 'https://partner.atlassian.net',
    email: 'admin@partner.example',
    partnerProjectKey: 'PARTNER',
    partnerProjectId: '10000',
    credentialsRef: 'c-test',
    partnerIssueTypes: [{ id: '10001', name: 'Task' }],
    conflictPolicy: 'newest-wins',
    mirrorRoleRestrictedComments: false,
    offerJql: '',
    worklogs: { enabled: true, adjustEstimate: 'leave' }, // worklogs
    mapping: { fields: structuredClone(LEGACY_FIELDS), issueTypes: { toPartner: {}, toLocal: {} }, status: { toPartner: {}, toLocal: {} }, priority: { toPartner: {}, toLocal: {} }, users: { toPartner: {}, toLocal: {} } },
    statusNames: { local: {}, partner: {} },
    partnerAccountId: 'partner-app',
    localAppAccountId: 'local-app',
    webhookId: null,
    savedAt: '2026-11-22T09:00:00.000Z',
    ...over,
  };
}

/** What the memory ports recorded. */
export interface MemoryState {
  links: Map<string, LinkRecord>;
  partnerIndex: Map<string, string>;
  claims: Set<string>;
  pending: Set<string>;
  echoes: { id: string; candidate: Record<string, unknown> }[];
  failed: FailedEntry[];
  queued: SyncJobEvent[];
  log: NewLogEntry[];
  progress: unknown;
  watermark: Watermark | undefined;
}

/**
 * Ports for `connection` over memory. `local` / `partner` default to sites whose every call throws (a test that
 * needs one gives it); `overrides` replace any part.
 */
export function memoryPorts(opts: { connection?: Connection; local?: Partial<JiraSite>; partner?: Partial<JiraSite>; now?: number; timeLeftMs?: number } = {}): { ports: ConnectionPorts; state: MemoryState } {
  const state: MemoryState = { links: new Map(), partnerIndex: new Map(), claims: new Set(), pending: new Set(), echoes: [], failed: [], queued: [], log: [], progress: undefined, watermark: undefined };
  const unused = (side: string) =>
    new Proxy({} as JiraSite, {
      get: (target, name) => (name in target ? (target as any)[name] : name === 'side' ? side : name === 'label' ? `${side} site` : () => Promise.reject(new Error(`unexpected ${side}.${String(name)}`))),
    });
  const site = (side: 'local' | 'partner', given?: Partial<JiraSite>): JiraSite => Object.assign(unused(side), given ?? {});
  const now = opts.now ?? Date.parse('2026-11-22T10:00:00.000Z');
  const ports: ConnectionPorts = {
    connection: opts.connection ?? testConnection(),
    local: site('local', opts.local),
    partner: site('partner', opts.partner),
    links: {
      get: async (id) => structuredClone(state.links.get(id)),
      save: async (link) => {
        state.links.set(link.localIssueId, structuredClone(link));
        state.partnerIndex.set(link.partnerIssueId, link.localIssueId);
      },
      findByPartner: async (id) => state.partnerIndex.get(id),
      listFailed: async () => [...state.failed],
    },
    claims: {
      claim: async (name) => (state.claims.has(name) ? false : (state.claims.add(name), true)),
      release: async (name) => void state.claims.delete(name),
      setPending: async (id) => void state.pending.add(id),
      hasPending: async (id) => state.pending.has(id) || state.echoes.some((e) => e.id === id),
      listPending: async () => [...state.pending],
      setPendingEcho: async (id, candidate) => void state.echoes.push({ id, candidate }),
      takeOwed: async (id) => {
        const mine = state.echoes.filter((e) => e.id === id);
        state.echoes = state.echoes.filter((e) => e.id !== id);
        return { run: state.pending.delete(id), echoes: mine.map((e) => e.candidate) };
      },
    },
    intents: { set: async () => undefined, has: async () => false, clear: async () => undefined },
    reconcile: {
      getProgress: async <T>() => (state.progress === undefined ? undefined : (structuredClone(state.progress) as T)),
      setProgress: async (p) => void (state.progress = p === undefined ? undefined : structuredClone(p)),
      getWatermark: async () => state.watermark,
      setWatermark: async (m) => void (state.watermark = m),
    },
    log: async (entry) => void state.log.push(entry),
    enqueue: async (jobs) => void state.queued.push(...jobs),
    clock: { now: () => new Date(now), sleep: async () => undefined, timeLeftMs: () => opts.timeLeftMs ?? 800_000, random: () => 0.5 },
  };
  return { ports, state };
}

/** A link of the test connection between local issue `localIssueId` and partner issue `partnerIssueId`. */
export function testLink(localIssueId: string, partnerIssueId: string, over: Partial<LinkRecord> = {}): LinkRecord {
  return {
    connectionId: 'c-test', projectKey: 'ALOY', localIssueId, localIssueKey: `ALOY-${localIssueId}`, partnerIssueId, partnerIssueKey: `PARTNER-${partnerIssueId}`,
    base: { local: {}, partner: {} }, comments: [], state: 'ok', paused: false, lastSyncAt: null, lastError: null, lastErrorCode: null, failCount: 0, conflicts: [], skippedComments: [], shown: null, worklogs: [],
    ...over,
  };
}
