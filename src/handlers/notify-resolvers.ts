/**
 * Resolvers of a connection's notifications (area `notifications`, settings page, admins only): read them, save
 * them (the Slack webhook URL as a Forge secret, never returned), and send a test notification on every channel
 * that is on. Bad input is refused in words and changes nothing.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/custom-ui-resolver/
 */
import { ResolverSchemas, type NotificationsView, type TestNotificationResult } from '../contract';
import { projectRoleNames, roleActors } from '../jira/notify-api';
import type { Connection } from '../model/connection';
import { SyncError } from '../model/errors';
import { notificationsOf, type NotificationSettings, type NotifyChannelName } from '../model/notifications';
import { getConnection, saveConnection } from '../store/connections';
import { key, scan } from '../store/kvs';
import * as notifyStore from '../store/notify';
import { sendTestNotice } from '../sync/notify';
import { projectKeyOf, requireProjectAdmin, type CallerContext } from './auth';
import { appLocalSite } from './deps';
import { notifyPortsFor } from './notify-deps';
import { parsePayload, respond } from './respond';

type Req = { payload: unknown; context: CallerContext };

/** The caller's connection, after checking they administer the page's project. @throws SyncError `forbidden`, `not-configured` */
async function adminConnection(context: CallerContext, connectionId: string): Promise<Connection> {
  const projectKey = projectKeyOf(context);
  await requireProjectAdmin(projectKey);
  const connection = await getConnection(projectKey, connectionId);
  if (!connection) throw new SyncError('not-configured', `Project ${projectKey} has no such partner connection. Reload the page and choose one.`);
  return connection;
}

async function view(connection: Connection): Promise<NotificationsView> {
  return {
    connectionId: connection.id,
    settings: notificationsOf(connection),
    slackWebhookSet: !!(await notifyStore.getSlackWebhook(connection.id)),
    failures: await notifyStore.getChannelFailures(connection.id),
  };
}

/** A local issue linked through the connection, for a test notification without an issue key. */
async function someLinkedIssue(connection: Connection): Promise<string | undefined> {
  for await (const item of scan<{ connectionId?: string; localIssueKey?: string; state?: string }>(key.linkPrefix)) {
    if (item.value.connectionId === connection.id && item.value.localIssueKey && item.value.state !== 'broken') return item.value.localIssueKey;
  }
  return undefined;
}

/**
 * Refuses a role Jira would not let the app restrict its comment to ("You are currently not a member of the project
 * role"). Membership through a group actor cannot be read by the app, so a role with group actors is let through
 * (a refusal then shows as the channel's failure on the page); a role of user actors only must list the app.
 * @throws SyncError `invalid-input`
 */
async function requireAppInRole(connection: Connection, role: string): Promise<void> {
  const actors = await roleActors(connection.projectKey, role);
  const app = connection.localAppAccountId;
  if (!actors || !app || actors.groupActors > 0 || actors.accountIds.includes(app)) return;
  throw new SyncError('invalid-input', `The app is not in project role "${role}", so Jira would refuse its comment restricted to that role. Choose a role the app is in (Developers, or atlassian-addons-project-access), or add the app to "${role}" in Project settings → People. Nothing was saved.`);
}

/** Channels whose setup a save changes (the Slack URL counts as Slack's). */
function changedChannels(before: NotificationSettings, after: NotificationSettings, newSlackUrl: boolean): NotifyChannelName[] {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return [
    ...(same(before.email, after.email) ? [] : (['email'] as const)),
    ...(same(before.slack, after.slack) && !newSlackUrl ? [] : (['slack'] as const)),
    ...(same(before.comment, after.comment) ? [] : (['comment'] as const)),
  ];
}

/** Resolver definitions keyed by function key. */
export const notifyResolvers = {
  getNotifications: ({ payload, context }: Req) =>
    respond(async () => {
      const input = parsePayload(ResolverSchemas.getNotifications.payload, payload);
      return view(await adminConnection(context, input.connectionId));
    }),

  saveNotifications: ({ payload, context }: Req) =>
    respond(async () => {
      const input = parsePayload(ResolverSchemas.saveNotifications.payload, payload);
      const connection = await adminConnection(context, input.connectionId);
      const { settings } = input;
      const stored = !!(await notifyStore.getSlackWebhook(connection.id));
      const willHaveSlack = input.slackWebhookUrl === undefined ? stored : input.slackWebhookUrl !== null;
      if (settings.slack.enabled && !willHaveSlack) {
        throw new SyncError('invalid-input', 'Slack is turned on but no webhook URL is stored. Paste the incoming-webhook URL from Slack, or turn Slack off. Nothing was saved.');
      }
      if (settings.comment.enabled) {
        const roles = await projectRoleNames(connection.projectKey);
        if (!roles.includes(settings.comment.role)) {
          throw new SyncError('invalid-input', `Project ${connection.projectKey} has no role "${settings.comment.role}" (its roles: ${roles.join(', ')}). Choose one of them for the internal comment. Nothing was saved.`);
        }
        await requireAppInRole(connection, settings.comment.role);
      }
      if (input.slackWebhookUrl !== undefined) await notifyStore.setSlackWebhook(connection.id, input.slackWebhookUrl);
      const next = { ...connection, notifications: settings };
      await saveConnection(next);
      // A channel set up anew starts with a clean slate: its old failure described a setup that is gone.
      for (const channel of changedChannels(notificationsOf(connection), settings, input.slackWebhookUrl !== undefined)) await notifyStore.clearChannelFailure(connection.id, channel);
      return view(next);
    }),

  sendTestNotification: ({ payload, context }: Req) =>
    respond(async (): Promise<TestNotificationResult> => {
      const input = parsePayload(ResolverSchemas.sendTestNotification.payload, payload);
      const connection = await adminConnection(context, input.connectionId);
      const issueKey = input.issueKey ?? (await someLinkedIssue(connection));
      if (!issueKey) throw new SyncError('invalid-input', 'No issue syncs through this connection yet. Enter the key of an issue of the project to send the test about.');
      if (!issueKey.startsWith(`${connection.projectKey}-`)) throw new SyncError('invalid-input', `${issueKey} is not an issue of project ${connection.projectKey}. Enter one of its issues.`);
      const issue = await appLocalSite().getIssue(issueKey, ['summary']).catch(() => {
        throw new SyncError('not-found', `Issue ${issueKey} was not found on this site. Enter the key of an existing issue of ${connection.projectKey}.`);
      });
      const result = await sendTestNotice(notifyPortsFor(connection), connection, { id: issue.id, key: issue.key });
      if (!result.sent.length && !result.failed.length) throw new SyncError('invalid-input', 'Every notification channel is off. Turn one on and save, then send a test.');
      return { issueKey: issue.key, ...result } as TestNotificationResult;
    }),
};
