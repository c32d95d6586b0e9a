/**
 * Notifications in Forge KVS (area `notifications`): a connection's Slack incoming-webhook URL as a Forge secret
 * (`slack-webhook:<connectionId>`, never returned by a resolver), its token episode (`notify-token:<connectionId>`,
 * open while the partner refuses the API token), its digest lines (`notify-digest:<connectionId>`, at most
 * `DIGEST_MAX_LINES`, far below KVS's 240 KiB per value) and each channel's last failure
 * (`notify-failure:<connectionId>:<channel>`, shown on the settings page until that channel sends again).
 *
 * Several sync jobs run at once, so the two records they share change atomically: the token episode with one
 * `kvs.set(…, {keyPolicy: 'OVERRIDE', returnValue: 'PREVIOUS'})` (a swap: whoever sees it closed before opening
 * it is the one who tells), the digest under a short claim (`claim:notify-digest:<connectionId>`).
 * @see https://developer.atlassian.com/platform/forge/storage-reference/kvs-api-secret/
 * @see https://developer.atlassian.com/platform/forge/storage-reference/kvs-api/ (set options; node_modules/@forge/kvs/out/interfaces/types.d.ts `OverrideAndReturnSetOptions`)
 */
import { kvs } from '@forge/kvs';
import { z } from 'zod';
import { ChannelFailure, TokenEpisodeRecord, type NotifyChannelName } from '../model/notifications';
import { parse, withClaim } from './kvs';

/** KVS keys of this area. */
export const notifyKey = {
  slackWebhook: (connectionId: string) => `slack-webhook:${connectionId}`,
  tokenEpisode: (connectionId: string) => `notify-token:${connectionId}`,
  digest: (connectionId: string) => `notify-digest:${connectionId}`,
  failure: (connectionId: string, channel: NotifyChannelName) => `notify-failure:${connectionId}:${channel}`,
};

const CHANNELS: NotifyChannelName[] = ['email', 'slack', 'comment'];
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
  return v !== undefined && parse(TokenEpisodeRecord, v, `token episode of ${connectionId}`).since !== null;
}

/**
 * Opens (`at`, ISO-8601) or closes (`null`) the connection's token episode in one atomic write.
 * @returns whether it was open just before: of jobs racing to open (or close) it, exactly one sees the other state
 */
export async function swapTokenEpisode(connectionId: string, at: string | null): Promise<boolean> {
  const prev = await kvs.set<TokenEpisodeRecord, unknown>(notifyKey.tokenEpisode(connectionId), { since: at }, { keyPolicy: 'OVERRIDE', returnValue: 'PREVIOUS' });
  return prev !== undefined && parse(TokenEpisodeRecord, prev.value, `token episode of ${connectionId}`).since !== null;
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

/**
 * Changes the connection's digest lines under its claim, so lines that jobs add at the same moment are all kept.
 * @throws Error when the claim stayed held for about 3 s (the caller logs it; the line is lost, the sync is not)
 */
export async function updateDigest(connectionId: string, change: (lines: string[]) => string[]): Promise<void> {
  const done = await withClaim(`notify-digest:${connectionId}`, async () => {
    await setDigest(connectionId, change(await getDigest(connectionId)));
    return true;
  });
  if (!done) throw new Error('The digest stayed busy for 3 seconds; this line was left out of it.');
}

/** Records that `channel` failed to send (replacing its previous failure). */
export async function setChannelFailure(connectionId: string, channel: NotifyChannelName, failure: ChannelFailure): Promise<void> {
  await kvs.set(notifyKey.failure(connectionId, channel), failure);
}

/** Forgets `channel`'s failure once it sent (a delete of a missing key is a no-op in `@forge/kvs`). */
export async function clearChannelFailure(connectionId: string, channel: NotifyChannelName): Promise<void> {
  await kvs.delete(notifyKey.failure(connectionId, channel));
}

/** The last failure of each channel that has not sent since, oldest first. */
export async function getChannelFailures(connectionId: string): Promise<Array<ChannelFailure & { channel: NotifyChannelName }>> {
  const out: Array<ChannelFailure & { channel: NotifyChannelName }> = [];
  for (const channel of CHANNELS) {
    const v = await kvs.get(notifyKey.failure(connectionId, channel));
    if (v !== undefined) out.push({ channel, ...parse(ChannelFailure, v, `${channel} notification failure of ${connectionId}`) });
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}

/** Removes everything of the area for a removed connection. */
export async function deleteNotifyRecords(connectionId: string): Promise<void> {
  await kvs.deleteSecret(notifyKey.slackWebhook(connectionId));
  let tx = kvs.transact().delete(notifyKey.tokenEpisode(connectionId)).delete(notifyKey.digest(connectionId));
  for (const channel of CHANNELS) tx = tx.delete(notifyKey.failure(connectionId, channel));
  await tx.execute();
}
