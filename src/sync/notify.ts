/**
 * Sending notifications (issue 11): on every save of a link, {@link noticeOnSave} works out the link's episode
 * (`./notify-episodes.ts`) and, when an episode opens or heals, tells the connection's channels: Jira's own email
 * (notify API), Slack (now, or in the daily digest), and an internal comment on the local issue restricted to a
 * project role. A channel that fails to send is logged to the console and never fails the sync. I/O goes through
 * {@link NotifyPorts}; `src/handlers/notify-deps.ts` builds them over Forge.
 */
import { connectionLabel, type Connection } from '../model/connection';
import type { LinkRecord } from '../model/link';
import { notificationsOf, type NotificationSettings, type NotifyChannelName } from '../model/notifications';
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
  /**
   * The connection's token episode (one for all its links): `swap(open)` opens or closes it in one atomic write
   * and answers whether it was open just before, so of two jobs racing to open it only one tells.
   */
  tokenEpisode: { swap(open: boolean): Promise<boolean> };
  /** The connection's digest lines waiting for the daily message; `update` is atomic (concurrent jobs keep all). */
  digest: { get(): Promise<string[]>; update(change: (lines: string[]) => string[]): Promise<void> };
  /** Each channel's last outcome, for the settings page: a failure in words, or that it sent (clears it). */
  outcome: { failed(channel: NotifyChannelName, issueKey: string | null, message: string): Promise<void>; sent(channel: NotifyChannelName): Promise<void> };
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
      const wasOpen = await ports.tokenEpisode.swap(step.tell.event === 'opened');
      told = toldAfterToken(step, tokenStep(wasOpen, step));
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
  const attempt = (channel: NotifyChannelName, label: string, send: () => Promise<void>) =>
    sendRecorded(ports, channel, link.localIssueKey, send, (message) => ports.warn(`Task sync could not send the ${label} notification for ${link.localIssueKey} (${connectionLabel(connection)}): ${message} The sync itself is not affected.`));
  if (on.email) await attempt('email', 'email', () => sendEmail(ports, s, link.localIssueId, link.projectKey, t));
  if (on.slack) {
    const line = slackLine(t, link.localIssueKey);
    if (s.slack.digest) await attempt('slack', 'Slack digest', () => ports.digest.update((lines) => appendDigest(lines, line)));
    else await attempt('slack', 'Slack', () => ports.postSlack(slackPayload([line])));
  }
  if (on.comment) await attempt('comment', 'internal comment', () => ports.addInternalComment(link.localIssueId, noticeComment(t), s.comment.role));
}

/**
 * Sends on one channel and records the outcome for the settings page; a failure goes to `onError` in words.
 * Never throws: recording the outcome failing (KVS down) is logged too.
 * @returns the failure message, or null when it sent
 */
async function sendRecorded(ports: NotifyPorts, channel: NotifyChannelName, issueKey: string | null, send: () => Promise<void>, onError: (message: string) => void): Promise<string | null> {
  let failure: string | null = null;
  try {
    await send();
  } catch (err) {
    failure = messageOf(err);
    onError(failure);
  }
  try {
    if (failure === null) await ports.outcome.sent(channel);
    else await ports.outcome.failed(channel, issueKey, failure);
  } catch (err) {
    ports.warn(`Task sync could not record the outcome of the ${channel} notification for ${issueKey}: ${messageOf(err)}`);
  }
  return failure;
}

async function sendEmail(ports: NotifyPorts, s: NotificationSettings, issueId: string, projectKey: string, t: NoticeText): Promise<void> {
  const accountIds = s.email.projectAdmins ? await ports.projectAdmins(projectKey) : [];
  const assignee = s.email.assignee && (await ports.hasAssignee(issueId));
  if (!assignee && !s.email.watchers && !accountIds.length) {
    const why = [...(s.email.assignee ? ['the issue has no assignee'] : []), ...(s.email.projectAdmins ? ['the project role Administrators has no members'] : [])].join(' and ');
    throw new Error(`Nobody to email: ${why}. Choose watchers or another recipient.`);
  }
  await ports.sendEmail(issueId, emailBody(t), { assignee, watchers: s.email.watchers, accountIds });
}

/**
 * Sends a connection's daily Slack digest: one message with every line collected since the last one, then empties
 * it. Nothing is sent when there is nothing to report or the digest is off. A failed post keeps the lines for the
 * next day and is recorded as Slack's failure (shown on the settings page), like any channel's.
 * @returns the number of lines sent
 * @throws Error in words when the post fails (the lines are kept)
 */
export async function sendDigest(ports: NotifyPorts, connection: Connection): Promise<number> {
  const s = notificationsOf(connection).slack;
  if (!s.enabled || !s.digest) return 0;
  const lines = await ports.digest.get();
  if (!lines.length) return 0;
  const heading = `Task sync daily digest for ${connection.projectKey} ↔ ${connectionLabel(connection)}: ${lines.length} change${lines.length === 1 ? '' : 's'}`;
  let failure: string | null = null;
  await sendRecorded(ports, 'slack', null, () => ports.postSlack(slackPayload(lines, heading)), (message) => (failure = `The daily digest (${lines.length} line${lines.length === 1 ? '' : 's'}) could not be posted: ${message}`));
  if (failure) throw new Error(failure);
  // Lines added while the message was on its way stay for tomorrow (the digest only ever grows at its end).
  await ports.digest.update((now) => now.slice(lines.length));
  return lines.length;
}

/** The test notification of the settings page, sent at once on every channel that is on (the digest too). */
export async function sendTestNotice(ports: NotifyPorts, connection: Connection, issue: { id: string; key: string }): Promise<{ sent: NotifyChannelName[]; failed: Array<{ channel: NotifyChannelName; message: string }> }> {
  const s = notificationsOf(connection);
  const on = channelsOn(s);
  const t: NoticeText = {
    subject: `[Task sync] Test notification for ${connection.projectKey} ↔ ${connectionLabel(connection)}`,
    body: `This is a test sent from Project settings → Task sync. Failures, a partner token that stops working and conflicts waiting for a decision will be told like this, once per episode, with a note when they heal.`,
    issueUrl: `${connection.localSiteUrl.replace(/\/+$/, '')}/browse/${encodeURIComponent(issue.key)}`,
  };
  const sent: NotifyChannelName[] = [];
  const failed: Array<{ channel: NotifyChannelName; message: string }> = [];
  const attempt = async (channel: NotifyChannelName, send: () => Promise<void>) => {
    const failure = await sendRecorded(ports, channel, issue.key, send, () => undefined);
    if (failure === null) sent.push(channel);
    else failed.push({ channel, message: failure });
  };
  if (on.email) await attempt('email', () => sendEmail(ports, s, issue.id, connection.projectKey, t));
  if (on.slack) await attempt('slack', () => ports.postSlack(slackPayload([slackLine(t, issue.key)])));
  if (on.comment) await attempt('comment', () => ports.addInternalComment(issue.id, noticeComment(t), s.comment.role));
  return { sent, failed };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
