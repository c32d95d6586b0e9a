/**
 * Notifications of a connection (issue 11, "Notifications"): who is told when a link's sync fails after its
 * retries, the partner token stops working, or a conflict waits for a decision under `manual`; and the episode a
 * link is in, so each episode is told once and its end gets one recovery note.
 *
 * Stored inside the connection record (`Connection.notifications`) and the link record (`LinkRecord.notice`):
 * both optional and defaulted, so records written before notifications existed parse unchanged (all channels off,
 * no episode open). The Slack webhook URL is not here: it is a Forge secret (`src/store/notify.ts`).
 */
import { z } from 'zod';

/**
 * Role names Jira accepts in a comment's `visibility` (`{type: 'role', value}`): a project role's name, 1–255
 * characters as Jira's role names are.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/#api-rest-api-3-issue-issueidorkey-comment-post
 */
export const RoleName = z.string().trim().min(1, 'Enter the name of a project role, e.g. Administrators').max(255);

/** Recipients of Jira's own email (`POST /rest/api/3/issue/{issueIdOrKey}/notify`); none chosen = channel off. */
export const EmailRecipients = z.object({
  assignee: z.boolean().default(false),
  watchers: z.boolean().default(false),
  /** Members of the project's Administrators role (read with `GET /rest/api/3/project/{key}/role/{id}`). */
  projectAdmins: z.boolean().default(false),
});

/** What the connection's notifications are, each channel its own setting. Every field defaults to off. */
export const NotificationSettings = z.object({
  email: EmailRecipients.default(() => ({ assignee: false, watchers: false, projectAdmins: false })),
  /** Post to the Slack incoming webhook stored as the connection's secret; `digest` = one message a day instead. */
  slack: z
    .object({ enabled: z.boolean().default(false), digest: z.boolean().default(false) })
    .default(() => ({ enabled: false, digest: false })),
  /**
   * An internal comment on the local issue, visible only to project role `role` (default Developers: Jira lets the
   * app restrict a comment only to a role the app's user is in); never mirrored to the partner.
   */
  comment: z
    .object({ enabled: z.boolean().default(false), role: RoleName.default('Developers') })
    .default(() => ({ enabled: false, role: 'Developers' })),
});
export type NotificationSettings = z.infer<typeof NotificationSettings>;

/** Settings of a connection stored before notifications existed: every channel off. */
export function defaultNotificationSettings(): NotificationSettings {
  return NotificationSettings.parse({});
}

/** A connection's notification settings, every channel off when it has none stored. */
export function notificationsOf(c: { notifications?: NotificationSettings }): NotificationSettings {
  return c.notifications ?? defaultNotificationSettings();
}

/** Kinds of trouble an admin is told about. */
export const EpisodeKind = z.enum(['failed', 'partner-auth', 'conflict']);
export type EpisodeKind = z.infer<typeof EpisodeKind>;

/**
 * The failure episode a link is in (stored on the link as `notice`; `null` = none). `since` and `notifiedAt` are
 * ISO-8601; `notifiedAt` is null while the opening notification is left for the daily digest.
 */
export const Notice = z.object({
  kind: EpisodeKind,
  since: z.string(),
  notifiedAt: z.string().nullable().default(null),
});
export type Notice = z.infer<typeof Notice>;

/**
 * A Slack incoming-webhook URL as Slack issues them: `https://hooks.slack.com/services/<team>/<channel>/<secret>`.
 * @see https://api.slack.com/messaging/webhooks
 */
export const SLACK_WEBHOOK_PATTERN = /^https:\/\/hooks\.slack\.com\/services\/[A-Z0-9]{2,40}\/[A-Z0-9]{2,40}\/[A-Za-z0-9]{8,80}$/;

/** The channels a notification goes out on. */
export const NotifyChannelName = z.enum(['email', 'slack', 'comment']);
export type NotifyChannelName = z.infer<typeof NotifyChannelName>;

/**
 * The stored token episode of a connection (`notify-token:<connectionId>`): `since` (ISO-8601) while open, `null`
 * once closed. Records written before closing was a swap (2026-12) are `{since}` and only ever open (closing
 * deleted them), so they parse unchanged as open; a missing record is closed.
 */
export const TokenEpisodeRecord = z.object({ since: z.string().nullable() });
export type TokenEpisodeRecord = z.infer<typeof TokenEpisodeRecord>;

/**
 * A channel's last failure to send (`notify-failure:<connectionId>:<channel>`), shown on the settings page until
 * the channel sends again. `at` is ISO-8601; `issueKey` is null for the daily digest; `message` is in words (Slack's or
 * Jira's answer and what to do).
 */
export const ChannelFailure = z.object({ at: z.string(), issueKey: z.string().nullable(), message: z.string().max(2000) });
export type ChannelFailure = z.infer<typeof ChannelFailure>;
