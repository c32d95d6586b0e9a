/**
 * What a site tells the outside world after a write: admin webhook deliveries (Jira Cloud payloads, v2 issue
 * representation, HMAC-signed) and, on the local site, Forge product events posted to the sandbox host.
 * @see https://developer.atlassian.com/cloud/jira/platform/webhooks/
 * @see https://developer.atlassian.com/platform/forge/events-reference/jira/
 */
import crypto from 'node:crypto';
import type { SandboxConfig } from '../config';
import { compileJql } from './jql';
import type { Faults } from './faults';
import type { Outbox } from './outbound';
import type { Renderer } from './render';
import type { SiteStore } from './store';
import { MentionLog, richTextOf } from './mentions';
import type { Adf, CommentRec, HistoryRec, IssueRec } from './types';
import { isWorklogChange, worklogProductEventPayload, worklogWebhookPayload, WORKLOG_EVENTS, type WorklogChange } from './worklog-events'; // worklogs
import { attachmentEventPayload, attachmentWebhookBody } from './attachments'; // attachments
import type { AttachmentRec } from './types'; // attachments

/**
 * A write that happened on a site. `issue` is the state after the write (before deletion for deletes); an edit
 * may carry the rich text it replaced (`before`, `previousBody`), from which mention notifications are worked out.
 */
export type Change =
  | { kind: 'issue_created' | 'issue_deleted'; issue: IssueRec; actorId: string; history?: HistoryRec }
  | { kind: 'issue_updated'; issue: IssueRec; actorId: string; history: HistoryRec; before?: Pick<IssueRec, 'description' | 'environment' | 'custom'> }
  | { kind: 'comment_created' | 'comment_updated' | 'comment_deleted'; issue: IssueRec; actorId: string; comment: CommentRec; previousBody?: Adf }
  | WorklogChange; // worklogs

// attachments: an attachment added or deleted (`issue` is the issue it is on), see `./attachments.ts`.
export type AttachmentChange = { kind: 'attachment_created' | 'attachment_deleted'; issue: IssueRec; actorId: string; attachment: AttachmentRec };

/** `issue_event_type_name` Jira puts in `jira:issue_updated` deliveries. */
function issueEventTypeName(c: Change): string {
  switch (c.kind) {
    case 'issue_created': return 'issue_created';
    case 'issue_deleted': return 'issue_deleted';
    case 'comment_created': return 'issue_commented';
    case 'comment_updated': return 'issue_comment_edited';
    case 'comment_deleted': return 'issue_comment_deleted';
    case 'worklog_created': case 'worklog_updated': case 'worklog_deleted': return WORKLOG_EVENTS[c.kind].issueEventTypeName; // worklogs
    case 'issue_updated': {
      const fields = c.history.items.map((i) => i.fieldId);
      if (fields.includes('status')) return 'issue_generic';
      if (fields.length === 1 && fields[0] === 'assignee') return 'issue_assigned';
      return 'issue_updated';
    }
  }
}

/** Forge product event type of a change (comment edits have no documented event, so none is sent). */
export function forgeEventType(kind: Change['kind']): string | null {
  return ({
    issue_created: 'avi:jira:created:issue',
    issue_updated: 'avi:jira:updated:issue',
    issue_deleted: 'avi:jira:deleted:issue',
    comment_created: 'avi:jira:commented:issue',
    comment_updated: null,
    comment_deleted: 'avi:jira:deleted:comment',
    ...Object.fromEntries(Object.entries(WORKLOG_EVENTS).map(([k, v]) => [k, v.forge])), // worklogs
  } as Record<Change['kind'], string | null>)[kind] ?? null;
}

/** Fans one change out to webhooks, product events and mention notifications. */
export class Notifier {
  /** Mention notifications sent by this site's writes (`GET /__sandbox/mentions`). */
  readonly mentions: MentionLog;

  constructor(
    private readonly cfg: SandboxConfig,
    private readonly store: SiteStore,
    private readonly render: Renderer,
    private readonly outbox: Outbox,
    private readonly faults: Faults,
  ) {
    this.mentions = new MentionLog(store);
  }

  /** Builds every payload now (so later writes cannot alter them) and queues the deliveries. */
  emit(c: Change | AttachmentChange): void {
    if ('attachment' in c) return this.attachmentEvents(c); // attachments
    this.mentionNotices(c);
    this.webhooks(c);
    if (this.store.site.name === 'local') this.productEvent(c);
  }

  /** The mention notifications of a write (see `./mentions.ts`). */
  private mentionNotices(c: Change): void {
    const log = this.mentions;
    if (c.kind === 'issue_created' || c.kind === 'issue_updated') {
      const before = c.kind === 'issue_updated' ? richTextOf(c.before ?? c.issue) : {};
      for (const [field, doc] of Object.entries(richTextOf(c.issue))) log.record(c.issue, c.actorId, c.kind, field, before[field] ?? null, doc);
    } else if (c.kind === 'comment_created' || c.kind === 'comment_updated') {
      log.record(c.issue, c.actorId, c.kind, `comment:${c.comment.id}`, c.kind === 'comment_updated' ? (c.previousBody ?? c.comment.body) : null, c.comment.body);
    }
  }

  /** The v2 webhook payload of a change for one event name. */
  webhookPayload(c: Change, event: string): Record<string, unknown> {
    if (isWorklogChange(c) && event === c.kind) return worklogWebhookPayload(this.render, c); // worklogs
    const i = c.issue;
    const body: Record<string, unknown> = { timestamp: Date.now(), webhookEvent: event };
    if (event.startsWith('jira:')) body.issue_event_type_name = issueEventTypeName(c);
    body.user = this.render.user(c.actorId, '2');
    if ('comment' in c) body.comment = this.render.comment(i, c.comment, '2');
    const fields = event.startsWith('comment_') ? ['summary', 'issuetype', 'project', 'assignee', 'priority', 'status'] : undefined;
    const rendered = this.render.issue(i, fields, { v: '2' });
    body.issue = { id: rendered.id, self: rendered.self, key: rendered.key, fields: rendered.fields };
    if ('history' in c && c.history && c.history.items.length) body.changelog = { id: c.history.id, items: c.history.items };
    return body;
  }

  private webhooks(c: Change): void {
    const events = c.kind.startsWith('comment_') || c.kind.startsWith('worklog_') /* worklogs */ ? [c.kind, 'jira:issue_updated'] : [`jira:${c.kind}`];
    for (const hook of this.store.state.webhooks) {
      if (!hook.enabled) continue;
      for (const event of events.filter((e) => hook.events.includes(e))) {
        if (hook.jql && !this.matches(hook.jql, c.issue)) continue;
        const raw = hook.excludeBody ? '' : JSON.stringify(this.webhookPayload(c, event));
        const id = crypto.randomUUID();
        const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Atlassian-Webhook-Identifier': id };
        if (hook.secret) headers['X-Hub-Signature'] = `sha256=${crypto.createHmac('sha256', hook.secret).update(raw).digest('hex')}`;
        this.deliver(hook.url, raw, headers);
      }
    }
    this.dynamicWebhooks(c, events);
  }

  /**
   * Dynamic webhooks: one delivery per URL and event, naming every matched registration in `matchedWebhookIds`.
   * `fieldIdsFilter` narrows `jira:issue_updated` to changelogs touching one of the fields.
   */
  private dynamicWebhooks(c: Change, events: string[]): void {
    const now = Date.now();
    const live = (this.store.state.dynamicWebhooks ?? []).filter((h) => h.expirationDate > now);
    for (const event of events) {
      const byUrl = new Map<string, number[]>();
      for (const h of live) {
        if (!h.events.includes(event) || (h.jqlFilter && !this.matches(h.jqlFilter, c.issue))) continue;
        if (event === 'jira:issue_updated' && h.fieldIdsFilter?.length && 'history' in c && c.history) {
          if (!c.history.items.some((i) => h.fieldIdsFilter!.includes(i.fieldId))) continue;
        }
        byUrl.set(h.url, [...(byUrl.get(h.url) ?? []), h.id]);
      }
      for (const [url, ids] of byUrl) {
        const raw = JSON.stringify({ ...this.webhookPayload(c, event), matchedWebhookIds: ids });
        this.deliver(url, raw, { 'Content-Type': 'application/json', 'X-Atlassian-Webhook-Identifier': crypto.randomUUID() });
      }
    }
  }

  /**
   * Queues one webhook delivery, applying the webhook faults: drop (never sent), duplicate (sent twice with the same
   * `X-Atlassian-Webhook-Identifier`), delay (each copy waits its own random time, so order is not guaranteed).
   */
  private deliver(url: string, raw: string, headers: Record<string, string>): void {
    const f = this.faults;
    const c = this.outbox.counters.webhooks;
    if (f.chance(f.settings.webhookDrop)) {
      c.dropped++;
      f.counts.webhookDrop++;
      return;
    }
    const copies = f.chance(f.settings.webhookDuplicate) ? 2 : 1;
    if (copies === 2) c.duplicated++, f.counts.webhookDuplicate++;
    for (let n = 0; n < copies; n++) {
      const delayMs = f.between(f.settings.webhookDelayMs as [number, number] | undefined);
      if (delayMs) f.counts.webhookDelay++;
      this.outbox.post('webhooks', url, raw, (attempt) => (attempt ? { ...headers, 'X-Atlassian-Webhook-Retry': String(attempt) } : headers), { delayMs });
    }
  }

  private matches(jql: string, issue: IssueRec): boolean {
    try {
      return compileJql(jql, this.store).match(issue);
    } catch {
      return false;
    }
  }

  /** The Forge product event payload (`{eventType, atlassianId, issue, changelog?, comment?, associatedUsers}`). */
  productEventPayload(c: Change, eventType: string): Record<string, unknown> {
    if (isWorklogChange(c)) return worklogProductEventPayload(this.render, c, eventType); // worklogs
    const i = c.issue;
    const fields = ['summary', 'issuetype', 'creator', 'created', 'project', 'reporter', 'assignee', 'updated', 'status', 'priority', 'labels'];
    const issue = this.render.issue(i, fields);
    const payload: Record<string, unknown> = {
      eventType,
      atlassianId: c.actorId,
      issue: { id: issue.id, key: issue.key, fields: issue.fields },
      associatedUsers: [{ accountId: c.actorId }],
    };
    if (c.kind === 'issue_updated') payload.changelog = { id: c.history.id, items: c.history.items };
    if ('comment' in c) {
      const { id, author, body, updateAuthor, created, updated, jsdPublic, visibility } = this.render.comment(i, c.comment) as any;
      payload.comment = { id, author, body, updateAuthor, created, updated, jsdPublic, ...(visibility ? { visibility } : {}) };
    }
    return payload;
  }

  // attachments: `attachment_created` / `attachment_deleted` admin webhooks (attachment only, no issue, as Jira Cloud
  // sends them) and, on the local site, `avi:jira:created:attachment` / `avi:jira:deleted:attachment`.
  private attachmentEvents(c: AttachmentChange): void {
    for (const hook of this.store.state.webhooks) {
      if (!hook.enabled || !hook.events.includes(c.kind) || (hook.jql && !this.matches(hook.jql, c.issue))) continue;
      const raw = hook.excludeBody ? '' : JSON.stringify(attachmentWebhookBody(this.render, this.store.site.publicUrl, c.kind, c.attachment));
      const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Atlassian-Webhook-Identifier': crypto.randomUUID() };
      if (hook.secret) headers['X-Hub-Signature'] = `sha256=${crypto.createHmac('sha256', hook.secret).update(raw).digest('hex')}`;
      this.deliver(hook.url, raw, headers);
    }
    if (this.store.site.name !== 'local') return;
    const eventType = c.kind === 'attachment_created' ? 'avi:jira:created:attachment' : 'avi:jira:deleted:attachment';
    const body = JSON.stringify({ eventType, payload: attachmentEventPayload(eventType, c.actorId, c.issue, c.attachment) });
    this.outbox.post('events', `${this.cfg.hostUrl}/__sandbox/product-event`, body, () => ({ 'Content-Type': 'application/json' }), { attempts: 3, backoffMs: 100 });
  }

  // hierarchy: issue link events (no `issue` in them, so outside `Change`)
  /**
   * Announces an issue link made or unmade: admin webhooks subscribed to `issuelink_created`/`issuelink_deleted`
   * (signed like the others; a JQL filter passes when either issue matches it) get `{timestamp, webhookEvent,
   * issueLink}`, and on the local site the Forge product event (`avi:jira:created:issuelink` /
   * `avi:jira:deleted:issuelink`) carries `forgePayload`.
   */
  emitLinkEvent(event: 'issuelink_created' | 'issuelink_deleted', issueLink: Record<string, unknown>, issues: IssueRec[], forgePayload: Record<string, unknown>): void {
    const raw = JSON.stringify({ timestamp: Date.now(), webhookEvent: event, issueLink });
    for (const hook of this.store.state.webhooks) {
      if (!hook.enabled || !hook.events.includes(event)) continue;
      if (hook.jql && !issues.some((i) => this.matches(hook.jql, i))) continue;
      const body = hook.excludeBody ? '' : raw;
      const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Atlassian-Webhook-Identifier': crypto.randomUUID() };
      if (hook.secret) headers['X-Hub-Signature'] = `sha256=${crypto.createHmac('sha256', hook.secret).update(body).digest('hex')}`;
      this.deliver(hook.url, body, headers);
    }
    if (this.store.site.name !== 'local') return;
    const eventType = event === 'issuelink_created' ? 'avi:jira:created:issuelink' : 'avi:jira:deleted:issuelink';
    const body = JSON.stringify({ eventType, payload: { eventType, ...forgePayload } });
    this.outbox.post('events', `${this.cfg.hostUrl}/__sandbox/product-event`, body, () => ({ 'Content-Type': 'application/json' }), { attempts: 3, backoffMs: 100 });
  }

  private productEvent(c: Change): void {
    const eventType = forgeEventType(c.kind);
    if (!eventType) return;
    const body = JSON.stringify({ eventType, payload: this.productEventPayload(c, eventType) });
    this.outbox.post('events', `${this.cfg.hostUrl}/__sandbox/product-event`, body, () => ({ 'Content-Type': 'application/json' }), { attempts: 3, backoffMs: 100 });
  }
}
