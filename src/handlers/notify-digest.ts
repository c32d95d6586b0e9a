/**
 * Scheduled daily (`notify-digest-schedule`, interval `day`): sends each connection's Slack digest, when it chose
 * one and something happened since the last (`src/sync/notify.ts` `sendDigest`). A connection whose Slack post
 * fails keeps its lines for the next day and is logged; the others still send. Forge does not retry a scheduled
 * trigger's errors, so none is thrown.
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/scheduled-trigger/
 */
import { connectionLabel } from '../model/connection';
import { notificationsOf } from '../model/notifications';
import { listAllConnections } from '../store/connections';
import { sendDigest } from '../sync/notify';
import { notifyPortsFor } from './notify-deps';

/** Handler of the `notify-digest` scheduled trigger. */
export async function handler(): Promise<{ statusCode: number }> {
  for (const connection of await listAllConnections()) {
    if (!notificationsOf(connection).slack.enabled || !notificationsOf(connection).slack.digest) continue;
    try {
      await sendDigest(notifyPortsFor(connection), connection);
    } catch (err) {
      console.warn(`Task sync could not send the daily Slack digest of ${connection.projectKey} ↔ ${connectionLabel(connection)}: ${err instanceof Error ? err.message : String(err)} It is kept for tomorrow.`);
    }
  }
  return { statusCode: 200 };
}
