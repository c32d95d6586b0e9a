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
    projectAdmins: (projectKey) => roleMembers(projectKey, PROJECT_ADMINS_ROLE),
    hasAssignee: issueHasAssignee,
    async postSlack(payload) {
      const url = await notifyStore.getSlackWebhook(id);
      if (!url) throw new SyncError('not-configured', 'No Slack webhook URL is stored for this connection. Enter one in Project settings → Task sync → Notifications.');
      await postSlack(url, payload);
    },
    addInternalComment: (issue, body, role) => addRoleComment(issue, body, role),
    tokenEpisode: {
      isOpen: () => notifyStore.isTokenEpisodeOpen(id),
      set: (open) => notifyStore.setTokenEpisode(id, open ? new Date().toISOString() : null),
    },
    digest: { get: () => notifyStore.getDigest(id), set: (lines) => notifyStore.setDigest(id, lines) },
    now: () => new Date(),
    warn: (message) => console.warn(message),
  };
}
