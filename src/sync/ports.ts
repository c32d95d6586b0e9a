/**
 * What the engine needs from the world for one connection: both Jira sites, the link store, claims, the sync log,
 * the queue and a clock. One `portsFor(connection)` in `src/handlers/deps.ts` builds it over Forge; every use case
 * (sync job, opt-in creation, reconcile, the claim loop) takes it, so there is one bag of ports, not one per flow.
 */
import type { Connection } from '../model/connection';
import type { LinkRecord } from '../model/link';
import type { JiraSite } from '../jira/site';
import type { FailedEntry, NewLogEntry, SyncJobEvent, Watermark } from '../store/records';

export interface ConnectionPorts {
  connection: Connection;
  local: JiraSite;
  partner: JiraSite;
  links: {
    get(localIssueId: string): Promise<LinkRecord | undefined>;
    /** Saves the link (and shows its status lozenge on the local issue). */
    save(link: LinkRecord): Promise<void>;
    /** health: a new link was saved for the first time (the connection's link count follows; never throws). */
    noteCreated?(link: LinkRecord): Promise<void>;
    /** The local issue id linked to a partner issue of this connection's site, or undefined. */
    findByPartner(partnerIssueId: string): Promise<string | undefined>;
    /** This connection's failed links, oldest first. */
    listFailed(): Promise<FailedEntry[]>;
  };
  /** Named claims (locks with a TTL) and the per-link pending marks of the claim loop (`./runner.ts`). */
  claims: {
    claim(name: string, ttlSeconds: number): Promise<boolean>;
    release(name: string): Promise<void>;
    setPending(localIssueId: string): Promise<void>;
    /** True if the pending mark or an echo candidate is set. */
    hasPending(localIssueId: string): Promise<boolean>;
    listPending(): Promise<string[]>;
    /** An echo candidate (a trimmed partner delivery, see `echoCandidate`) for the claim's holder to re-check. */
    setPendingEcho(localIssueId: string, candidate: Record<string, unknown>): Promise<void>;
    /** Reads and clears what the link owes: its pending mark (`run`) and its echo candidates, in one look. */
    takeOwed(localIssueId: string): Promise<{ run: boolean; echoes: Record<string, unknown>[] }>;
  };
  /** The create intent of a local issue: set before creating, cleared once linked (see `store/kvs.ts`). */
  intents: { set(localIssueId: string): Promise<void>; has(localIssueId: string): Promise<boolean>; clear(localIssueId: string): Promise<void> };
  reconcile: {
    getProgress<T>(): Promise<T | undefined>;
    setProgress<T>(progress: T | undefined): Promise<void>;
    getWatermark(): Promise<Watermark | undefined>;
    setWatermark(mark: Watermark): Promise<void>;
  };
  /** Appends a sync-log entry of this connection's project (the connection id is added). */
  log(entry: NewLogEntry): Promise<void>;
  enqueue(jobs: SyncJobEvent[]): Promise<void>;
  /** hierarchy: issues waiting for their parent (`./hierarchy-sync.ts`); absent = nothing is remembered. */
  hierarchy?: import('./hierarchy-sync').HierarchyPorts;
  clock: {
    now(): Date;
    sleep(ms: number): Promise<void>;
    /** ms left in this invocation. */
    timeLeftMs(): number;
    random(): number;
  };
}
