/**
 * The words of a notification: an email's subject, text and HTML bodies (Jira's notify API), a Slack message, and
 * the internal comment's ADF. Pure; `./notify.ts` sends them.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-notify-post
 * @see https://api.slack.com/reference/surfaces/formatting
 */
import { doc, p, strong, text } from '@atlaskit/adf-utils/builders';
import type { AdfDoc } from '../model/types';
import type { EpisodeEvent } from './notify-episodes';

/** What a notification is about. */
export interface NoticeSubject {
  event: EpisodeEvent;
  localIssueKey: string;
  partnerIssueKey: string;
  /** `partner.atlassian.net · PARTNER` */
  connection: string;
  /** Local site base URL, e.g. `https://acme.atlassian.net`, for the issue link. */
  localSiteUrl: string;
  /** The link's last error (failures) or the waiting fields (conflicts), in the sync log's words. */
  detail: string;
}

/** The text of a notification, for every channel. */
export interface NoticeText {
  subject: string;
  /** One or two sentences: what happened, what to do. */
  body: string;
  issueUrl: string;
}

const WHAT_TO_DO: Record<EpisodeEvent['kind'], string> = {
  failed: 'Fix the cause named above, then use Retry in Project settings → Task sync → Sync log (the scheduled reconcile also retries failed issues).',
  'partner-auth': 'Enter a new API token for the partner account in Project settings → Task sync, then use Test connection. Every issue of this connection waits until then.',
  conflict: 'Open the issue and choose the value to keep in its Task sync panel.',
};

const OPENED: Record<EpisodeEvent['kind'], string> = {
  failed: 'stopped syncing',
  'partner-auth': 'cannot sync: the partner site no longer accepts the API token',
  conflict: 'has a conflict waiting for a decision',
};

const HEALED: Record<EpisodeEvent['kind'], string> = {
  failed: 'syncs again',
  'partner-auth': 'syncs again: the partner site accepts the API token',
  conflict: 'syncs again: its conflict was settled',
};

/** The words of one notification. */
export function noticeText(s: NoticeSubject): NoticeText {
  const issueUrl = `${s.localSiteUrl.replace(/\/+$/, '')}/browse/${encodeURIComponent(s.localIssueKey)}`;
  const pair = `${s.localIssueKey} ↔ ${s.partnerIssueKey} (${s.connection})`;
  if (s.event.event === 'recovered') {
    return { subject: `[Task sync] Recovered: ${s.localIssueKey} ${HEALED[s.event.kind]}`, body: `${pair} ${HEALED[s.event.kind]}. Nothing else to do.`, issueUrl };
  }
  const detail = s.detail.trim() ? ` ${s.detail.trim()}` : '';
  return { subject: `[Task sync] ${s.localIssueKey} ${OPENED[s.event.kind]}`, body: `${pair} ${OPENED[s.event.kind]}.${detail} ${WHAT_TO_DO[s.event.kind]}`, issueUrl };
}

const escapeHtml = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Body of `POST /rest/api/3/issue/{issueIdOrKey}/notify` without its recipients (`to`). */
export function emailBody(t: NoticeText): { subject: string; textBody: string; htmlBody: string } {
  return {
    subject: t.subject,
    textBody: `${t.body}\n\n${t.issueUrl}`,
    htmlBody: `<p>${escapeHtml(t.body)}</p><p><a href="${escapeHtml(t.issueUrl)}">${escapeHtml(t.issueUrl)}</a></p>`,
  };
}

/** Slack's three characters that must be escaped in message text. */
const escapeSlack = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One Slack line for a notification: `*subject* — body <url|KEY>`. */
export function slackLine(t: NoticeText, issueKey: string): string {
  return `*${escapeSlack(t.subject)}*: ${escapeSlack(t.body)} <${t.issueUrl}|${escapeSlack(issueKey)}>`;
}

/** The payload of a Slack incoming webhook: `{text}` (Slack's mrkdwn). */
export function slackPayload(lines: readonly string[], heading?: string): { text: string } {
  return { text: [...(heading ? [`*${escapeSlack(heading)}*`] : []), ...lines].join('\n') };
}

/**
 * The first paragraph of every internal comment the app writes: how the comment sync recognises it (with the
 * app's account as author) and never mirrors it (`isInternalNotice` in `./comments.ts`).
 */
export const NOTICE_MARKER = 'Task sync notice (internal):';

/** The internal comment of a notification: the marker in bold, then the subject and the body. */
export function noticeComment(t: NoticeText): AdfDoc {
  return doc(p(strong(NOTICE_MARKER), text(` ${t.subject}`)), p(text(t.body))) as AdfDoc;
}

/** Whether an ADF comment body starts with the notice marker paragraph (see {@link noticeComment}). */
export function startsWithNoticeMarker(body: AdfDoc | null | undefined): boolean {
  const first = body?.content?.[0];
  const lead = first?.type === 'paragraph' ? first.content?.[0] : undefined;
  return lead?.type === 'text' && lead.text === NOTICE_MARKER && !!lead.marks?.some((m) => m.type === 'strong');
}
