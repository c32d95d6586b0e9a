/**
 * The notifications part of the resolver contract (area `notifications`): read and save a connection's
 * notification channels, and send a test notification. The Slack webhook URL goes in, never out: views say only
 * whether one is stored. Parsed on both sides like the rest of `./index.ts`.
 */
import { z } from 'zod';
import { ChannelFailure, NotificationSettings, NotifyChannelName, SLACK_WEBHOOK_PATTERN } from '../model/notifications';

export { NotificationSettings };

/** Resolver keys of this area. */
export const NotifyResolvers = {
  getNotifications: 'getNotifications',
  saveNotifications: 'saveNotifications',
  sendTestNotification: 'sendTestNotification',
} as const;

/** Payload naming one connection of the page's project. */
export const NotifyConnectionInput = z.object({ connectionId: z.string().min(1).max(60) });

/** A Slack incoming-webhook URL, checked for Slack's shape. */
export const SlackWebhookUrl = z
  .string()
  .trim()
  .regex(SLACK_WEBHOOK_PATTERN, 'The Slack webhook URL must look like https://hooks.slack.com/services/T…/B…/… (Slack → Apps → Incoming WebHooks → Add to Slack). Nothing was saved.');

/**
 * Payload of `saveNotifications`. `slackWebhookUrl`: a new URL to store, `null` to remove the stored one, absent
 * to keep it.
 */
export const SaveNotificationsInput = NotifyConnectionInput.extend({
  settings: NotificationSettings,
  slackWebhookUrl: SlackWebhookUrl.nullable().optional(),
});
export type SaveNotificationsInput = z.input<typeof SaveNotificationsInput>;

/** A connection's notifications as the settings page shows them. */
export const NotificationsView = z.object({
  connectionId: z.string(),
  settings: NotificationSettings,
  /** Whether a Slack webhook URL is stored (the URL itself is a secret and never returned). */
  slackWebhookSet: z.boolean(),
  /** Each channel's last failure to send that it has not sent since (a sync is never failed by one), oldest first. */
  failures: z.array(ChannelFailure.extend({ channel: NotifyChannelName })).default([]),
});
export type NotificationsView = z.infer<typeof NotificationsView>;

/** Payload of `sendTestNotification`: the issue the email and comment are about (default: a linked issue). */
export const TestNotificationInput = NotifyConnectionInput.extend({
  issueKey: z.string().trim().regex(/^[A-Z][A-Z0-9_]*-\d+$/, 'Enter an issue key such as ALOY-12').optional(),
});

/** Channel names of a test notification's result. */
export const NotifyChannel = NotifyChannelName;

/** Result of `sendTestNotification`: which channels sent, which failed and why. */
export const TestNotificationResult = z.object({
  issueKey: z.string(),
  sent: z.array(NotifyChannel),
  failed: z.array(z.object({ channel: NotifyChannel, message: z.string() })),
});
export type TestNotificationResult = z.infer<typeof TestNotificationResult>;

/** Payload and result schemas of this area's resolvers. */
export const NotifyResolverSchemas = {
  getNotifications: { payload: NotifyConnectionInput, result: NotificationsView },
  saveNotifications: { payload: SaveNotificationsInput, result: NotificationsView },
  sendTestNotification: { payload: TestNotificationInput, result: TestNotificationResult },
} as const;
