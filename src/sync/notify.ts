/**
 * Sending notifications (issue 11): on every save of a link, {@link noticeOnSave} works out the link's episode
 * (`./notify-episodes.ts`) and, when an episode opens or heals, tells the connection's channels: Jira's own email
 * (notify API), Slack (now, or in the daily digest), and an internal comment on the local issue restricted to a
 * project role. A channel that fails to send is logged to the console and never fails the sync. I/O goes through
 * {@link NotifyPorts}; `src/handlers/notify-deps.ts` builds them over Forge.
 */
import { connectionLabel, type Connection } from '../model/connection';
import type { LinkRecord } from '../model/link';
import { notificationsOf, type NotificationSettings } from '../model/notifications';
import { appendDigest, nextEpisode, tokenStep, toldAfterToken, type EpisodeEvent } from './notify-episodes';
import { emailBody, noticeComment, noticeText, slackLine, slackPayload, type NoticeText } from './notify-text';

/** Who gets Jira's email: flags of the notify API's `to`, plus accounts resolved by the app (project admins). */
export interface EmailTo {
  assignee: boolean;
  watchers: boolean;
  accountIds: string[];
}

/** What sending needs from the world. Every method may throw; the caller logs and carries on. */
export interface NotifyPorts {
  /** `POST /rest/api/3/issue/{issueIdOrKey}/notify` on the local site, as the app. */
  sendEmail(issueIdOrKey: string, mail: ReturnType<typeof emailBody>, to: EmailTo): Promise<void>;
  /** accountIds in the project's Administrators role. */
  projectAdmins(projectKey: string): Promise<string[]>;
  /** Whether the local issue has an assignee (Jira answers 400 to `to.assignee` on an unassigned issue). */
  hasAssignee(issueIdOrKey: string): Promise<boolean>;
  /** Posts to the connection's Slack webhook. @throws when none is stored or Slack does not answer 2xx */
  postSlack(payload: { text: string }): Promise<void>;
  /** Adds an internal comment on the local issue, visible to project role `role`. */
  addInternalComment(issueIdOrKey: string, body: ReturnType<typeof noticeComment>, role: string): Promise<void>;
  /** The connection's token episode (one for all its links). */
  tokenEpisode: { isOpen(): Promise<boolean>; set(open: boolean): Promise<void> };
  /** The connection's digest lines waiting for the daily message. */
  digest: { get(): Promise<string[]>; set(lines: string[]): Promise<void> };
  now(): Date;
  warn(message: string): void;
}

/** Which channels a connection has on. */
export function channelsOn(s: NotificationSettings): { email: boolean; slack: boolean; comment: boolean } {
  return { email: s.email.assignee || s.email.watchers || s.email.projectAdmins, slack: s.slack.enabled, comment: s.comment.enabled };
}

/** Why a link is in trouble, in the sync log's words. */
function detailOf(link: LinkRecord, event: EpisodeEvent): string {
  if (event.event === 'recovered') return '';
  if (event.kind === 'conflict') {
    const names = link.conflicts.map((c) => c.name ?? c.field);
    return names.length ? `Waiting for a decision: ${names.join(', ')}.` : '';
  }
  return link.lastError ?? '';
}

/**
 * Works out the episode of `link` (about to be saved). Returns the link to save, with its `notice` updated, and
 * what to send once it is saved (so a save that fails sends nothing, and its retry decides again). Neither throws:
 * a channel that fails is logged with `warn`.
 * @see ./notify-episodes.ts for the rules
 */
export async function noticeOnSave(ports: NotifyPorts, connection: Connection, link: LinkRecord): Promise<{ link: LinkRecord; afterSave: () => Promise<void> }> {
  const nothing = async () => undefined;
  const step = nextEpisode(link, ports.now().toISOString());
  if (!step.tell) return { link: step.notice === (link.notice ?? null) ? link : { ...link, notice: step.notice }, afterSave: nothing };
  let told: EpisodeEvent | null = step.tell;
  try {
    if (step.tell.kind === 'partner-auth') {
      const token = tokenStep(await ports.tokenEpisode.isOpen(), step);
      if (token) await ports.tokenEpisode.set(token === 'open');
      told = toldAfterToken(step, token);
    }
  } catch (err) {
    ports.warn(`Notification of ${link.localIssueKey} skipped: the token episode could not be read or saved (${messageOf(err)}).`);
    told = null;
  }
  const next = { ...link, notice: step.notice };
  const event = told;
  return { link: next, afterSave: event ? () => tell(ports, connection, next, event) : nothing };
}

/** Sends one notification on every channel that is on; each failure is logged, the others still send. */
export async function tell(ports: NotifyPorts, connection: Connection, link: Pick<LinkRecord, 'localIssueId' | 'localIssueKey' | 'partnerIssueKey' | 'projectKey' | 'lastError' | 'conflicts'>, event: EpisodeEvent): Promise<void> {
  const s = notificationsOf(connection);
  const t = noticeText({
    event,
    localIssueKey: link.localIssueKey,
    partnerIssueKey: link.partnerIssueKey,
    connection: connectionLabel(connection),
    localSiteUrl: connection.localSiteUrl,
    detail: detailOf(link as LinkRecord, event),
  });
  const on = channelsOn(s);
  const attempt = async (channel: string, send: () => Promise<void>) => {
    try {
      await send();
    } catch (err) {
      ports.warn(`Task sync could not send the ${channel} notification for ${link.localIssueKey} (${connectionLabel(connection)}): ${messageOf(err)} The sync itself is not affected.`);
    }
  };
  if (on.email) await attempt('email', () => sendEmail(ports, s, link.localIssueId, link.projectKey, t));
  if (on.slack) {
    const line = slackLine(t, link.localIssueKey);
    if (s.slack.digest) await attempt('Slack digest', async () => ports.digest.set(appendDigest(await ports.digest.get(), line)));
    else await attempt('Slack', () => ports.postSlack(slackPayload([line])));
  }
  if (on.comment) await attempt('internal comment', () => ports.addInternalComment(link.localIssueId, noticeComment(t), s.comment.role));
}

async function sendEmail(ports: NotifyPorts, s: NotificationSettings, issueId: string, projectKey: string, t: NoticeText): Promise<void> {
  const accountIds = s.email.projectAdmins ? await ports.projectAdmins(projectKey) : [];
  const assignee = s.email.assignee && (await ports.hasAssignee(issueId));
  if (!assignee && !s.email.watchers && !accountIds.length) throw new Error('Nobody to email: the issue has no assignee and the project role Administrators has no members. Choose watchers or another recipient.');
  await ports.sendEmail(issueId, emailBody(t), { assignee, watchers: s.email.watchers, accountIds });
}

/**
 * Sends a connection's daily Slack digest: one message with every line collected since the last one, then empties
 * it. Nothing is sent when there is nothing to report or the digest is off.
 * @returns the number of lines sent
 * @throws whatever `postSlack` throws (the lines are kept for the next day)
 */
export async function sendDigest(ports: NotifyPorts, connection: Connection): Promise<number> {
  const s = notificationsOf(connection).slack;
  if (!s.enabled || !s.digest) return 0;
  const lines = await ports.digest.get();
  if (!lines.length) return 0;
  await ports.postSlack(slackPayload(lines, `Task sync daily digest for ${connection.projectKey} ↔ ${connectionLabel(connection)}: ${lines.length} change${lines.length === 1 ? '' : 's'}`));
  await ports.digest.set([]);
  return lines.length;
}

/** The test notification of the settings page, sent at once on every channel that is on (the digest too). */
export async function sendTestNotice(ports: NotifyPorts, connection: Connection, issue: { id: string; key: string }): Promise<{ sent: string[]; failed: Array<{ channel: string; message: string }> }> {
  const s = notificationsOf(connection);
  const on = channelsOn(s);
  const t: NoticeText = {
    subject: `[Task sync] Test notification for ${connection.projectKey} ↔ ${connectionLabel(connection)}`,
    body: `This is a test sent from Project settings → Task sync. Failures, a partner token that stops working and conflicts waiting for a decision will be told like this, once per episode, with a note when they heal.`,
    issueUrl: `${connection.localSiteUrl.replace(/\/+$/, '')}/browse/${encodeURIComponent(issue.key)}`,
  };
  const sent: string[] = [];
  const failed: Array<{ channel: string; message: string }> = [];
  const attempt = async (channel: string, send: () => Promise<void>) => {
    try {
      await send();
      sent.push(channel);
    } catch (err) {
      failed.push({ channel, message: messageOf(err) });
    }
  };
  if (on.email) await attempt('email', () => sendEmail(ports, s, issue.id, connection.projectKey, t));
  if (on.slack) await attempt('slack', () => ports.postSlack(slackPayload([slackLine(t, issue.key)])));
  if (on.comment) await attempt('comment', () => ports.addInternalComment(issue.id, noticeComment(t), s.comment.role));
  return { sent, failed };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
