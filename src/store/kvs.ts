/**
 * Forge KVS access: secrets (API token, webhook secret), links with their base snapshots, the partner →
 * local link index, creation claims, watermarks and the sync log. Every value read back is parsed with its zod
 * schema from `records.ts`.
 * @see https://developer.atlassian.com/platform/forge/storage-reference/storage-api-basic/
 */
import { kvs, WhereConditions } from '@forge/kvs';
import { randomUUID } from 'node:crypto';
import { compactBase, compactConflict } from '../model/base-digest';
import { SyncError } from '../model/errors';
import { migrateLink } from './migrate';
import { ConflictedEntry, FailedEntry, LinkRecord, Watermark } from './records';

/** Every KVS key the app writes. */
export const key = {
  /** Legacy one-partner settings (read once, migrated to a connection). */
  settings: (projectKey: string) => `settings:${projectKey}`,
  settingsPrefix: 'settings:',
  connection: (projectKey: string, id: string) => `connection:${projectKey}:${id}`,
  connectionPrefix: (projectKey?: string) => (projectKey ? `connection:${projectKey}:` : 'connection:'),
  apiToken: (credentialsRef: string) => `token:${credentialsRef}`,
  webhookSecret: (credentialsRef: string) => `webhook-secret:${credentialsRef}`,
  link: (localIssueId: string) => `link:${localIssueId}`,
  linkPrefix: 'link:',
  partnerIndex: (partnerUrl: string, partnerIssueId: string) => `plink:${new URL(partnerUrl).host}:${partnerIssueId}`,
  claim: (name: string) => `claim:${name}`,
  pending: (localIssueId: string) => `pending:${localIssueId}`,
  pendingPrefix: 'pending:',
  // Under the link's pending mark, so one prefix query reads both; `listPending` skips them (a candidate owes no
  // work unless its check fails).
  pendingEcho: (localIssueId: string) => `pending:${localIssueId}:echo:${randomUUID().slice(0, 12)}`,
  pendingEchoPrefix: (localIssueId: string) => `pending:${localIssueId}:echo:`,
  /** Echo candidates as versions before 2026-12 kept them (`pending-echo:<id>:<uuid>`), moved by ./pending-migrate.ts. */
  legacyPendingEchoPrefix: 'pending-echo:',
  failed: (localIssueId: string) => `failed:${localIssueId}`,
  failedPrefix: 'failed:',
  conflicted: (localIssueId: string) => `conflicted:${localIssueId}`,
  conflictedPrefix: 'conflicted:',
  conflictedIndexBuilt: 'migration:conflicted-index',
  intent: (localIssueId: string) => `create-intent:${localIssueId}`,
  reconcile: (connectionId: string) => `reconcile:${connectionId}`,
  webhookSeen: (identifier: string) => `webhook-seen:${identifier.slice(0, 200)}`,
  watermark: (connectionId: string) => `watermark:${connectionId}`,
  /** Marker: the KVS sync log (`log:` keys, before the custom entity) was moved to the `sync-log` entity. */
  logMigrated: 'migration:log-entities',
  // Versions before the custom entity: newest first, as KVS returns keys in ascending order and the time counts down.
  log: (projectKey: string, at: number) => `log:${projectKey}:${String(9_999_999_999_999 - at).padStart(13, '0')}:${randomUUID().slice(0, 8)}`,
  logPrefix: (projectKey: string) => `log:${projectKey}:`,
};

export function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { message: string } } }, value: unknown, what: string): T {
  const res = schema.safeParse(value);
  if (!res.success) throw new SyncError('internal', `Stored ${what} is unreadable (${res.error.message}). Save the settings again or unlink the issue.`);
  return res.data;
}

/**
 * Every `{key, value}` whose key starts with `prefix`, in key order, reading KVS pages of 20 (Forge's maximum).
 * Stop early by breaking out of the loop.
 */
export async function* scan<T>(prefix: string): AsyncGenerator<{ key: string; value: T }> {
  let cursor: string | undefined;
  do {
    let q = kvs.query().where('key', WhereConditions.beginsWith(prefix)).limit(20);
    if (cursor) q = q.cursor(cursor);
    const page = await q.getMany<T>();
    yield* page.results;
    cursor = page.nextCursor;
  } while (cursor);
}

/** The partner API token (a Forge secret). Never returned by any resolver or written to the log. */
export async function getApiToken(credentialsRef: string): Promise<string | undefined> {
  return kvs.getSecret<string>(key.apiToken(credentialsRef));
}
export async function setApiToken(credentialsRef: string, token: string): Promise<void> {
  await kvs.setSecret(key.apiToken(credentialsRef), token);
}

/** The HMAC secret of the partner's admin webhook (a Forge secret). */
export async function getWebhookSecret(credentialsRef: string): Promise<string | undefined> {
  return kvs.getSecret<string>(key.webhookSecret(credentialsRef));
}
export async function setWebhookSecret(credentialsRef: string, secret: string): Promise<void> {
  await kvs.setSecret(key.webhookSecret(credentialsRef), secret);
}
/** Removes a connection's secrets (when the connection is removed). */
export async function deleteSecrets(credentialsRef: string): Promise<void> {
  await kvs.deleteSecret(key.apiToken(credentialsRef));
  await kvs.deleteSecret(key.webhookSecret(credentialsRef));
}

/** The link of a local issue, or undefined. */
export async function getLink(localIssueId: string): Promise<LinkRecord | undefined> {
  const value = await kvs.get(key.link(localIssueId));
  return value === undefined ? undefined : parse(LinkRecord, migrateLink(value), `link of issue ${localIssueId}`);
}

/** Forge KVS's largest value: 240 KiB. @see https://developer.atlassian.com/platform/forge/limits-kvs-ce/ */
export const KVS_VALUE_MAX_BYTES = 240 * 1024;

/**
 * Saves a link with its partner → local index entry, its failed-index and its conflicted-index entries, in one KVS
 * transaction. Large
 * descriptions in the base snapshot and in conflict records are stored as digests (see `src/sync/base-digest.ts`),
 * so a link stays well under {@link KVS_VALUE_MAX_BYTES} whatever the descriptions' size.
 * @throws SyncError `internal` naming the issue if the record is still too large (nothing is written then)
 */
export async function saveLink(link: LinkRecord, partnerUrl: string): Promise<void> {
  const record = LinkRecord.parse({ ...link, base: compactBase(link.base), conflicts: link.conflicts.map(compactConflict) });
  const bytes = Buffer.byteLength(JSON.stringify(record));
  if (bytes > KVS_VALUE_MAX_BYTES) {
    throw new SyncError('internal', `The sync record of ${link.localIssueKey} ↔ ${link.partnerIssueKey} would be ${Math.ceil(bytes / 1024)} KiB, over Forge storage's 240 KiB limit, so it was not saved. It has ${link.comments.length} mirrored comments.`);
  }
  let tx = kvs
    .transact()
    .set(key.link(link.localIssueId), record)
    .set(key.partnerIndex(partnerUrl, link.partnerIssueId), link.localIssueId);
  if (record.state === 'failed') {
    const entry: FailedEntry = {
      projectKey: record.projectKey,
      connectionId: record.connectionId,
      localIssueId: record.localIssueId,
      localIssueKey: record.localIssueKey,
      partnerIssueKey: record.partnerIssueKey,
      code: record.lastErrorCode,
      message: record.lastError,
      at: new Date().toISOString(),
      attempts: Math.max(1, record.failCount),
    };
    tx = tx.set(key.failed(link.localIssueId), entry);
  } else {
    tx = tx.delete(key.failed(link.localIssueId));
  }
  const conflicted = conflictedEntry(record);
  if (conflicted) {
    tx = tx.set(key.conflicted(link.localIssueId), conflicted);
  } else {
    tx = tx.delete(key.conflicted(link.localIssueId));
  }
  await tx.execute();
}

/**
 * The `conflicted:` index entry of a link with conflicts waiting for a person, or null. A link whose last run also
 * failed (a status no transition reaches) still has its conflicts waiting; a broken one has none to decide.
 */
function conflictedEntry(record: LinkRecord): ConflictedEntry | null {
  if (record.state === 'broken' || !record.conflicts.length) return null;
  return {
    projectKey: record.projectKey,
    connectionId: record.connectionId,
    localIssueId: record.localIssueId,
    localIssueKey: record.localIssueKey,
    partnerIssueKey: record.partnerIssueKey,
    fields: record.conflicts.map((c) => c.name ?? c.field),
    since: record.conflicts.map((c) => c.since ?? record.lastSyncAt ?? new Date().toISOString()).sort()[0],
  };
}

/**
 * Once per installation (marker `migration:conflicted-index`): adds the `conflicted:` index entries of links that
 * were conflicted before the index existed (versions before the conflict resolver), so the sync log's waiting list
 * shows them without waiting for their next job. Run by the scheduled reconcile (900 s), never by a resolver.
 * @returns how many entries were added (0 once done)
 */
export async function backfillConflictedIndex(): Promise<number> {
  if (await kvs.get(key.conflictedIndexBuilt)) return 0;
  let added = 0;
  for await (const item of scan<unknown>(key.linkPrefix)) {
    const link = LinkRecord.safeParse(migrateLink(item.value));
    const entry = link.success ? conflictedEntry(link.data) : null;
    if (!entry || (await kvs.get(key.conflicted(entry.localIssueId)))) continue;
    await kvs.set(key.conflicted(entry.localIssueId), entry);
    added++;
  }
  await kvs.set(key.conflictedIndexBuilt, { at: new Date().toISOString(), added });
  return added;
}

/** Removes a link and its index entries (the issues themselves are left alone). */
export async function deleteLink(link: LinkRecord, partnerUrl: string): Promise<void> {
  await kvs
    .transact()
    .delete(key.link(link.localIssueId))
    .delete(key.partnerIndex(partnerUrl, link.partnerIssueId))
    .delete(key.failed(link.localIssueId))
    .delete(key.conflicted(link.localIssueId))
    .execute();
}

/** Failed links of a project, oldest failure first; `limit` caps the count. */
export async function listFailed(projectKey: string, limit = 10_000): Promise<FailedEntry[]> {
  const out: FailedEntry[] = [];
  for await (const item of scan<unknown>(key.failedPrefix)) {
    const entry = parse(FailedEntry, item.value, `failed entry ${item.key}`);
    if (entry.projectKey === projectKey) out.push(entry);
  }
  return out.sort((a, b) => a.at.localeCompare(b.at)).slice(0, limit);
}

/**
 * Links of a project with conflicts waiting for a person (the `conflicted:` index `saveLink` keeps), oldest
 * conflict first. Links conflicted before this index existed are added by {@link backfillConflictedIndex}.
 */
export async function listConflicted(projectKey: string): Promise<ConflictedEntry[]> {
  const out: ConflictedEntry[] = [];
  for await (const item of scan<unknown>(key.conflictedPrefix)) {
    const entry = parse(ConflictedEntry, item.value, `conflict entry ${item.key}`);
    if (entry.projectKey === projectKey) out.push(entry);
  }
  return out.sort((a, b) => a.since.localeCompare(b.since));
}

/**
 * Records that a partner issue is about to be created for a local issue. If it is still there on the next attempt,
 * the earlier attempt may have created the issue without us hearing back (a timeout), so look before creating.
 */
export async function setCreateIntent(localIssueId: string): Promise<void> {
  await kvs.set(key.intent(localIssueId), { at: new Date().toISOString() }, { ttl: { value: 1, unit: 'DAYS' } });
}
export async function hasCreateIntent(localIssueId: string): Promise<boolean> {
  return (await kvs.get(key.intent(localIssueId))) !== undefined;
}
export async function clearCreateIntent(localIssueId: string): Promise<void> {
  await kvs.delete(key.intent(localIssueId));
}

/** True if a webhook with this `X-Atlassian-Webhook-Identifier` was already accepted (in the last day). */
export async function webhookSeen(identifier: string): Promise<boolean> {
  return (await kvs.get(key.webhookSeen(identifier))) !== undefined;
}
/** Remembers an accepted webhook identifier for a day, so a replay of the same delivery is ignored. */
export async function markWebhookSeen(identifier: string): Promise<void> {
  await kvs.set(key.webhookSeen(identifier), true, { ttl: { value: 1, unit: 'DAYS' } });
}

/** Where an interrupted reconcile of a connection stopped (resumed by the next invocation). */
export async function getReconcileProgress<T>(connectionId: string): Promise<T | undefined> {
  return kvs.get<T>(key.reconcile(connectionId));
}
export async function setReconcileProgress<T>(connectionId: string, progress: T | undefined): Promise<void> {
  if (progress === undefined) await kvs.delete(key.reconcile(connectionId));
  else await kvs.set(key.reconcile(connectionId), progress);
}

/** The local issue id linked to a partner issue, or undefined. */
export async function findLocalIssueId(partnerUrl: string, partnerIssueId: string): Promise<string | undefined> {
  return kvs.get<string>(key.partnerIndex(partnerUrl, partnerIssueId));
}

/**
 * Takes a named claim (a lock) if nobody holds it: exactly one caller gets `true` until it is released or expires
 * after `ttlSeconds` (so a crashed holder cannot block forever). Used for partner-issue creation
 * (`create:<localIssueId>`) and to keep jobs of one link from running concurrently (`job:<localIssueId>`).
 */
export async function claim(name: string, ttlSeconds: number): Promise<boolean> {
  try {
    await kvs.set(key.claim(name), { at: new Date().toISOString() }, { keyPolicy: 'FAIL_IF_EXISTS', ttl: { value: ttlSeconds, unit: 'SECONDS' } });
    return true;
  } catch (err) {
    // The key exists: someone else holds the claim (Forge answers 409 with a conflict code).
    const e = err as { code?: string; responseDetails?: { status?: number } };
    if (e.responseDetails?.status === 409 || /ALREADY_EXISTS|CONFLICT/i.test(e.code ?? '')) return false;
    throw err;
  }
}
export async function release(name: string): Promise<void> {
  await kvs.delete(key.claim(name));
}

/** How {@link acquireClaim} asks: attempts, the wait between them (ms), optional jitter, and the claim's TTL (s). */
export interface ClaimAsk {
  attempts: number;
  waitMs: number;
  ttlSeconds: number;
  /** Wait up to as much again at random, so writers that met do not ask again in step. */
  jitter?: boolean;
}

/**
 * Asks for claim `name` up to `o.attempts` times, `o.waitMs` apart (see {@link claim}).
 * @returns whether it is held now (the caller must {@link release} it)
 * @throws what KVS throws
 */
export async function acquireClaim(name: string, o: ClaimAsk): Promise<boolean> {
  for (let i = 0; i < o.attempts; i++) {
    if (await claim(name, o.ttlSeconds)) return true;
    await new Promise((r) => setTimeout(r, o.waitMs * (o.jitter ? 1 + Math.random() : 1)));
  }
  return false;
}

// notifications: a read–modify–write under a short claim, for records several jobs may change at once
/**
 * Runs `fn` while holding claim `name` (`FAIL_IF_EXISTS` with a TTL, so a crashed holder cannot block it for
 * longer than `ttlSeconds`), asking again every `waitMs` up to `attempts` times.
 * @returns what `fn` returns, or `undefined` when the claim stayed held by someone else
 * @throws what `fn` or KVS throws (the claim is released either way)
 */
export async function withClaim<T>(name: string, fn: () => Promise<T>, o: ClaimAsk = { attempts: 60, waitMs: 50, ttlSeconds: 10 }): Promise<T | undefined> {
  if (!(await acquireClaim(name, o))) return undefined;
  try {
    return await fn();
  } finally {
    await release(name);
  }
}

/** Marks that a link changed while its job was running, so the running job goes round once more. */
export async function setPending(localIssueId: string): Promise<void> {
  await kvs.set(key.pending(localIssueId), true, { ttl: { value: 1, unit: 'DAYS' } });
}
/** Local issue ids with a pending mark: work owed to links whose claim was held (reconcile queues them). */
export async function listPending(): Promise<string[]> {
  const ids: string[] = [];
  for await (const item of scan(key.pendingPrefix)) {
    const id = item.key.slice(key.pendingPrefix.length);
    if (!id.includes(':')) ids.push(id); // `<id>:echo:<uuid>` is a candidate, not a mark
  }
  return ids;
}

/**
 * Leaves an echo candidate for the holder of a link's claim: a partner delivery that may only report the app's own
 * write, which the holder re-checks against the link it saves (see `src/sync/runner.ts`). One key per candidate
 * (`pending:<id>:echo:<uuid>`), so concurrent deliveries never overwrite each other; kept a day like the pending mark.
 */
export async function setPendingEcho(localIssueId: string, candidate: Record<string, unknown>): Promise<void> {
  await kvs.set(key.pendingEcho(localIssueId), candidate, { ttl: { value: 1, unit: 'DAYS' } });
}

/**
 * The link's pending mark and echo candidates, from one prefix query on `pending:<id>` (pages of 20). That prefix
 * also begins the keys of links whose id extends this one (`pending:<id>7`); those are skipped. `stopAtFirst`
 * ends the read at the first key of this link.
 */
async function readPending(localIssueId: string, stopAtFirst: boolean): Promise<{ run: boolean; echoes: { key: string; value: Record<string, unknown> }[] }> {
  const mark = key.pending(localIssueId);
  const echoPrefix = key.pendingEchoPrefix(localIssueId);
  const found = { run: false, echoes: [] as { key: string; value: Record<string, unknown> }[] };
  for await (const item of scan<Record<string, unknown>>(mark)) {
    if (item.key === mark) found.run = true;
    else if (item.key.startsWith(echoPrefix)) found.echoes.push(item);
    else continue;
    if (stopAtFirst) break;
  }
  return found;
}

/**
 * Reads and clears what a link owes: its pending mark (`run`) and its echo candidates (oldest key order), with
 * one KVS query plus a delete per key found.
 */
export async function takeOwed(localIssueId: string): Promise<{ run: boolean; echoes: Record<string, unknown>[] }> {
  const { run, echoes } = await readPending(localIssueId, false);
  if (run) await kvs.delete(key.pending(localIssueId));
  for (const item of echoes) await kvs.delete(item.key);
  return { run, echoes: echoes.map((i) => i.value) };
}
/** True if the pending mark or an echo candidate is set (leaves them); one KVS query. */
export async function hasPending(localIssueId: string): Promise<boolean> {
  const { run, echoes } = await readPending(localIssueId, true);
  return run || echoes.length > 0;
}

export async function getWatermark(connectionId: string): Promise<Watermark | undefined> {
  const value = await kvs.get(key.watermark(connectionId));
  return value === undefined ? undefined : parse(Watermark, value, 'reconcile watermark');
}
export async function setWatermark(connectionId: string, mark: Watermark): Promise<void> {
  await kvs.set(key.watermark(connectionId), mark);
}

// The sync log lives in the Custom Entity Store now (./log.ts); `log:` keys are only read by ./log-migrate.ts.
export { appendLog, LOG_RETENTION_DAYS, readLog } from './log';
