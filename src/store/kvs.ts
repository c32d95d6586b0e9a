/**
 * Forge KVS access: settings, secrets (API token, webhook secret), links with their base snapshots, the partner →
 * local link index, creation claims, watermarks and the sync log. Every value read back is parsed with its zod
 * schema from `records.ts`.
 * @see https://developer.atlassian.com/platform/forge/storage-reference/storage-api-basic/
 */
import { kvs, WhereConditions } from '@forge/kvs';
import { randomUUID } from 'node:crypto';
import type { SyncLogEntry } from '../contract';
import { SyncError } from '../sync/errors';
import { LinkRecord, ProjectSettings, Watermark, type NewLogEntry } from './records';

const key = {
  settings: (projectKey: string) => `settings:${projectKey}`,
  apiToken: (projectKey: string) => `token:${projectKey}`,
  webhookSecret: (projectKey: string) => `webhook-secret:${projectKey}`,
  link: (localIssueId: string) => `link:${localIssueId}`,
  partnerIndex: (partnerUrl: string, partnerIssueId: string) => `plink:${new URL(partnerUrl).host}:${partnerIssueId}`,
  claim: (name: string) => `claim:${name}`,
  pending: (localIssueId: string) => `pending:${localIssueId}`,
  watermark: (projectKey: string) => `watermark:${projectKey}`,
  // Newest first: KVS returns keys in ascending order, so the time part counts down.
  log: (projectKey: string, at: number) => `log:${projectKey}:${String(9_999_999_999_999 - at).padStart(13, '0')}:${randomUUID().slice(0, 8)}`,
  logPrefix: (projectKey: string) => `log:${projectKey}:`,
};

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { message: string } } }, value: unknown, what: string): T {
  const res = schema.safeParse(value);
  if (!res.success) throw new SyncError('internal', `Stored ${what} is unreadable (${res.error.message}). Save the settings again or unlink the issue.`);
  return res.data;
}

/** Project settings, or undefined when the project is not set up. */
export async function getSettings(projectKey: string): Promise<ProjectSettings | undefined> {
  const value = await kvs.get(key.settings(projectKey));
  return value === undefined ? undefined : parse(ProjectSettings, value, `settings of ${projectKey}`);
}

export async function saveSettings(settings: ProjectSettings): Promise<void> {
  await kvs.set(key.settings(settings.projectKey), ProjectSettings.parse(settings));
}

/** The partner API token (a Forge secret). Never returned by any resolver or written to the log. */
export async function getApiToken(projectKey: string): Promise<string | undefined> {
  return kvs.getSecret<string>(key.apiToken(projectKey));
}
export async function setApiToken(projectKey: string, token: string): Promise<void> {
  await kvs.setSecret(key.apiToken(projectKey), token);
}

/** The HMAC secret of the partner's admin webhook (a Forge secret). */
export async function getWebhookSecret(projectKey: string): Promise<string | undefined> {
  return kvs.getSecret<string>(key.webhookSecret(projectKey));
}
export async function setWebhookSecret(projectKey: string, secret: string): Promise<void> {
  await kvs.setSecret(key.webhookSecret(projectKey), secret);
}

/** The link of a local issue, or undefined. */
export async function getLink(localIssueId: string): Promise<LinkRecord | undefined> {
  const value = await kvs.get(key.link(localIssueId));
  return value === undefined ? undefined : parse(LinkRecord, value, `link of issue ${localIssueId}`);
}

/** Saves a link and its partner → local index entry. */
export async function saveLink(link: LinkRecord, partnerUrl: string): Promise<void> {
  const record = LinkRecord.parse(link);
  await kvs.set(key.link(link.localIssueId), record);
  await kvs.set(key.partnerIndex(partnerUrl, link.partnerIssueId), link.localIssueId);
}

/** The local issue id linked to a partner issue, or undefined. */
export async function findLocalIssueId(partnerUrl: string, partnerIssueId: string): Promise<string | undefined> {
  return kvs.get<string>(key.partnerIndex(partnerUrl, partnerIssueId));
}

/** Every link of a project (reads all pages; KVS pages hold at most 20 items). */
export async function listLinks(projectKey: string): Promise<LinkRecord[]> {
  const links: LinkRecord[] = [];
  let cursor: string | undefined;
  do {
    let q = kvs.query().where('key', WhereConditions.beginsWith('link:')).limit(20);
    if (cursor) q = q.cursor(cursor);
    const page = await q.getMany<unknown>();
    for (const item of page.results) {
      const link = parse(LinkRecord, item.value, `link ${item.key}`);
      if (link.projectKey === projectKey) links.push(link);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return links;
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

/** Marks that a link changed while its job was running, so the running job goes round once more. */
export async function setPending(localIssueId: string): Promise<void> {
  await kvs.set(key.pending(localIssueId), true, { ttl: { value: 1, unit: 'HOURS' } });
}
/** True if the pending mark is set (leaves it). */
export async function hasPending(localIssueId: string): Promise<boolean> {
  return (await kvs.get(key.pending(localIssueId))) !== undefined;
}
/** Reads and clears the pending mark; true if it was set. */
export async function takePending(localIssueId: string): Promise<boolean> {
  const was = (await kvs.get(key.pending(localIssueId))) !== undefined;
  if (was) await kvs.delete(key.pending(localIssueId));
  return was;
}

export async function getWatermark(projectKey: string): Promise<Watermark | undefined> {
  const value = await kvs.get(key.watermark(projectKey));
  return value === undefined ? undefined : parse(Watermark, value, 'reconcile watermark');
}
export async function setWatermark(projectKey: string, mark: Watermark): Promise<void> {
  await kvs.set(key.watermark(projectKey), mark);
}

/** Appends one sync-log entry and returns it with its id and time. */
export async function appendLog(projectKey: string, entry: NewLogEntry, now = Date.now()): Promise<SyncLogEntry> {
  const k = key.log(projectKey, now);
  const full: SyncLogEntry = { id: k.slice(key.logPrefix(projectKey).length), at: new Date(now).toISOString(), ...entry };
  await kvs.set(k, full);
  return full;
}

/** The newest `limit` sync-log entries of a project, newest first. */
export async function readLog(projectKey: string, limit: number): Promise<SyncLogEntry[]> {
  const entries: SyncLogEntry[] = [];
  let cursor: string | undefined;
  do {
    let q = kvs.query().where('key', WhereConditions.beginsWith(key.logPrefix(projectKey))).limit(Math.min(20, limit - entries.length));
    if (cursor) q = q.cursor(cursor);
    const page = await q.getMany<SyncLogEntry>();
    entries.push(...page.results.map((r) => r.value));
    cursor = page.nextCursor;
  } while (cursor && entries.length < limit);
  return entries;
}
