/**
 * Wires the notification ports (`src/sync/notify.ts`) to Forge for one connection (area `notifications`): Jira's
 * notify API, project roles and role-restricted comments on the local site as the app, the Slack webhook from
 * the connection's secret over Forge's egress `fetch`, and the token episode and digest in KVS. Failures are
 * written to the console (`forge logs`), never thrown into the sync.
 */
import { addRoleComment, issueHasAssignee, notifyIssue, postSlack, roleMembers } from '../jira/notify-api';
import type { Connection } from '../model/connection';
import { SyncError } from '../model/errors';
import * as notifyStore from '../store/notify';
import type { NotifyPorts } from '../sync/notify';

/** The project role whose members "project admins" are. */
export const PROJECT_ADMINS_ROLE = 'Administrators';

/** Notification ports of one connection. */
export function notifyPortsFor(connection: Connection): NotifyPorts {
  const id = connection.id;
  return {
    sendEmail: (issue, mail, to) => notifyIssue(issue, mail, to),
    // Jira answers 400 when the caller is named as a recipient: the app never emails itself.
    projectAdmins: async (projectKey) => (await roleMembers(projectKey, PROJECT_ADMINS_ROLE)).filter((accountId) => accountId !== connection.localAppAccountId),
    hasAssignee: issueHasAssignee,
    async postSlack(payload) {
      const url = await notifyStore.getSlackWebhook(id);
      if (!url) throw new SyncError('not-configured', 'No Slack webhook URL is stored for this connection. Enter one in Project settings → Task sync → Notifications.');
      await postSlack(url, payload);
    },
    addInternalComment: (issue, body, role) => addRoleComment(issue, body, role),
    tokenEpisode: { swap: (open) => notifyStore.swapTokenEpisode(id, open ? new Date().toISOString() : null) },
    digest: { get: () => notifyStore.getDigest(id), update: (change) => notifyStore.updateDigest(id, change) },
    outcome: {
      failed: (channel, issueKey, message) => notifyStore.setChannelFailure(id, channel, { at: new Date().toISOString(), issueKey, message: message.slice(0, 2000) }),
      sent: (channel) => notifyStore.clearChannelFailure(id, channel),
    },
    now: () => new Date(),
    warn: (message) => console.warn(message),
  };
}
