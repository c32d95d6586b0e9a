/**
 * Notifications in Forge KVS (area `notifications`): a connection's Slack incoming-webhook URL as a Forge secret
 * (`slack-webhook:<connectionId>`, never returned by a resolver), its token episode (`notify-token:<connectionId>`,
 * open while the partner refuses the API token) and its digest lines (`notify-digest:<connectionId>`, at most
 * `DIGEST_MAX_LINES`, far below KVS's 240 KiB per value).
 * @see https://developer.atlassian.com/platform/forge/storage-reference/kvs-api-secret/
 * @see https://developer.atlassian.com/platform/forge/storage-reference/storage-api-basic/
 */
import { kvs } from '@forge/kvs';
import { z } from 'zod';
import { parse } from './kvs';

/** KVS keys of this area. */
export const notifyKey = {
  slackWebhook: (connectionId: string) => `slack-webhook:${connectionId}`,
  tokenEpisode: (connectionId: string) => `notify-token:${connectionId}`,
  digest: (connectionId: string) => `notify-digest:${connectionId}`,
};

const TokenEpisode = z.object({ since: z.string() });
const Digest = z.object({ lines: z.array(z.string()) });

/** The connection's Slack webhook URL (a secret), or undefined. */
export async function getSlackWebhook(connectionId: string): Promise<string | undefined> {
  return kvs.getSecret<string>(notifyKey.slackWebhook(connectionId));
}

/** Stores (a string) or removes (`null`) the connection's Slack webhook URL. */
export async function setSlackWebhook(connectionId: string, url: string | null): Promise<void> {
  if (url === null) await kvs.deleteSecret(notifyKey.slackWebhook(connectionId));
  else await kvs.setSecret(notifyKey.slackWebhook(connectionId), url);
}

/** Whether the connection's token episode is open. */
export async function isTokenEpisodeOpen(connectionId: string): Promise<boolean> {
  const v = await kvs.get(notifyKey.tokenEpisode(connectionId));
  return v !== undefined && !!parse(TokenEpisode, v, `token episode of ${connectionId}`);
}

/** Opens (with `since`, ISO-8601) or closes the connection's token episode. */
export async function setTokenEpisode(connectionId: string, since: string | null): Promise<void> {
  if (since === null) await kvs.delete(notifyKey.tokenEpisode(connectionId));
  else await kvs.set(notifyKey.tokenEpisode(connectionId), { since });
}

/** The connection's digest lines waiting for the daily message, oldest first. */
export async function getDigest(connectionId: string): Promise<string[]> {
  const v = await kvs.get(notifyKey.digest(connectionId));
  return v === undefined ? [] : parse(Digest, v, `notification digest of ${connectionId}`).lines;
}

/** Replaces the connection's digest lines (empty = deleted). */
export async function setDigest(connectionId: string, lines: string[]): Promise<void> {
  if (!lines.length) await kvs.delete(notifyKey.digest(connectionId));
  else await kvs.set(notifyKey.digest(connectionId), { lines });
}

/** Removes everything of the area for a removed connection. */
export async function deleteNotifyRecords(connectionId: string): Promise<void> {
  await kvs.deleteSecret(notifyKey.slackWebhook(connectionId));
  await kvs.transact().delete(notifyKey.tokenEpisode(connectionId)).delete(notifyKey.digest(connectionId)).execute();
}
