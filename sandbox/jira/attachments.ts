/**
 * Attachments of an emulated site, as Jira Cloud keeps them: metadata on the issue (`IssueRec.attachments`), the
 * bytes in a file per attachment (`${dataDir}/attachments-<site>/<id>`, so large files never pass through the
 * JSON state), and a Media Services file UUID per attachment (`mediaId`), which is what ADF `media` nodes name and
 * what `GET /rest/api/3/attachment/content/{id}` redirects to (`…/file/<uuid>/binary`). Adding or deleting one
 * writes an `Attachment` changelog item (so `jira:issue_updated` / `avi:jira:updated:issue` follow, as in Jira)
 * and emits `attachment_created` / `attachment_deleted`.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-attachments/
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { JiraError } from './errors';
import type { Notifier } from './notify';
import type { Renderer } from './render';
import { jiraDate, type SiteStore } from './store';
import type { AttachmentRec, IssueRec, UserRec } from './types';

/**
 * Attachment settings of a site (`GET /rest/api/3/attachment/meta`). Jira Cloud's default upload limit is 2 GB;
 * an admin can lower it, and tests do with {@link setAttachmentSettings}.
 */
export interface AttachmentSettings {
  enabled: boolean;
  /** Largest file accepted, in bytes. */
  uploadLimit: number;
}

const DEFAULT_SETTINGS: AttachmentSettings = { enabled: true, uploadLimit: 2 * 1024 * 1024 * 1024 };
const settingsOf = new WeakMap<SiteStore, AttachmentSettings>();

/** The site's attachment settings. */
export function attachmentSettings(store: SiteStore): AttachmentSettings {
  return settingsOf.get(store) ?? DEFAULT_SETTINGS;
}

/**
 * Changes a site's attachment settings (what an admin does in Jira settings → Attachments).
 * @throws RangeError when `uploadLimit` is not a positive integer
 */
export function setAttachmentSettings(store: SiteStore, change: Partial<AttachmentSettings>): AttachmentSettings {
  const next = { ...attachmentSettings(store), ...change };
  if (!Number.isInteger(next.uploadLimit) || next.uploadLimit <= 0) throw new RangeError(`uploadLimit must be a positive whole number of bytes, not ${next.uploadLimit}`);
  settingsOf.set(store, next);
  return next;
}

/** Folder of a site's attachment files. */
function folder(store: SiteStore): string {
  return path.join(store.cfg.dataDir, `attachments-${store.site.name}`);
}

/** Path of an attachment's bytes. */
export function contentPath(store: SiteStore, id: string): string {
  return path.join(folder(store), id);
}

/** A new unused attachment id (never reused, also after deletes). */
function nextAttachmentId(store: SiteStore): string {
  const all = store.issues().flatMap((i) => i.attachments ?? []).map((a) => Number(a.id));
  const next = Math.max(store.state.attachmentCounter ?? 10000, ...all) + 1;
  store.state.attachmentCounter = next;
  return String(next);
}

/** Finds an attachment by id over every issue. @throws JiraError 404 as Jira answers an unknown id */
export function findAttachment(store: SiteStore, id: string): { issue: IssueRec; attachment: AttachmentRec } {
  for (const issue of store.issues()) {
    const attachment = issue.attachments?.find((a) => a.id === id);
    if (attachment) return { issue, attachment };
  }
  throw JiraError.notFound(`The attachment with id '${id}' does not exist`);
}

/** Finds an attachment by its media file id. */
export function findByMediaId(store: SiteStore, mediaId: string): AttachmentRec | undefined {
  for (const issue of store.issues()) {
    const a = issue.attachments?.find((x) => x.mediaId === mediaId);
    if (a) return a;
  }
  return undefined;
}

/** What adding and deleting need. */
export interface AttachmentContext {
  store: SiteStore;
  notify: Notifier;
}

/**
 * Stores a file already written to `tmpFile` (moved into place) as a new attachment of `issue`, records the
 * changelog item and emits the events.
 */
export function addAttachment(ctx: AttachmentContext, actor: UserRec, issue: IssueRec, file: { tmpFile: string; filename: string; mimeType: string; size: number }): AttachmentRec {
  const id = nextAttachmentId(ctx.store);
  fs.mkdirSync(folder(ctx.store), { recursive: true });
  fs.renameSync(file.tmpFile, contentPath(ctx.store, id));
  const now = jiraDate();
  const rec: AttachmentRec = { id, filename: file.filename, mimeType: file.mimeType, size: file.size, created: now, authorId: actor.accountId, mediaId: crypto.randomUUID() };
  (issue.attachments ??= []).push(rec);
  const history = { id: ctx.store.nextId('historyId'), authorId: actor.accountId, created: now, items: [{ field: 'Attachment', fieldtype: 'jira' as const, fieldId: 'attachment', from: null, fromString: null, to: id, toString: rec.filename }] };
  issue.changelog.push(history);
  issue.updated = now;
  ctx.store.touch();
  ctx.notify.emit({ kind: 'attachment_created', issue, actorId: actor.accountId, attachment: rec });
  ctx.notify.emit({ kind: 'issue_updated', issue, actorId: actor.accountId, history });
  return rec;
}

/** Deletes an attachment (its file too), records the changelog item and emits the events. */
export function deleteAttachment(ctx: AttachmentContext, actor: UserRec, issue: IssueRec, rec: AttachmentRec): void {
  issue.attachments = (issue.attachments ?? []).filter((a) => a.id !== rec.id);
  fs.rmSync(contentPath(ctx.store, rec.id), { force: true });
  const now = jiraDate();
  const history = { id: ctx.store.nextId('historyId'), authorId: actor.accountId, created: now, items: [{ field: 'Attachment', fieldtype: 'jira' as const, fieldId: 'attachment', from: rec.id, fromString: rec.filename, to: null, toString: null }] };
  issue.changelog.push(history);
  issue.updated = now;
  ctx.store.touch();
  ctx.notify.emit({ kind: 'attachment_deleted', issue, actorId: actor.accountId, attachment: rec });
  ctx.notify.emit({ kind: 'issue_updated', issue, actorId: actor.accountId, history });
}

/**
 * The `Attachment` shape of the issue `attachment` field, the upload answer and webhooks (`id` a string, `content`
 * the download URL; no thumbnail: the emulator makes none).
 */
export function renderAttachment(render: Renderer, base: string, a: AttachmentRec, v: '2' | '3' = '3'): Record<string, unknown> {
  return {
    self: `${base}/rest/api/${v}/attachment/${a.id}`,
    id: a.id,
    filename: a.filename,
    author: render.user(a.authorId, v),
    created: a.created,
    size: a.size,
    mimeType: a.mimeType,
    content: `${base}/rest/api/${v}/attachment/content/${a.id}`,
  };
}

/** `AttachmentMetadata` (`GET /rest/api/3/attachment/{id}`): as {@link renderAttachment} but `id` an int64. */
export function renderMetadata(render: Renderer, base: string, a: AttachmentRec): Record<string, unknown> {
  return { ...renderAttachment(render, base, a), id: Number(a.id), properties: {} };
}

/**
 * The admin webhook body of an attachment event. Jira Cloud's carries the attachment only, not the issue it is on
 * (the `jira:issue_updated` delivery with the `Attachment` changelog item names the issue).
 * @see https://developer.atlassian.com/cloud/jira/platform/webhooks/
 */
export function attachmentWebhookBody(render: Renderer, base: string, event: string, a: AttachmentRec): Record<string, unknown> {
  return { timestamp: Date.now(), webhookEvent: event, attachment: renderAttachment(render, base, a, '2') };
}

/**
 * The Forge product event payload of `avi:jira:created:attachment` / `avi:jira:deleted:attachment`:
 * `{eventType, atlassianId, attachment: {id, issueId, fileName, mimeType, size, created}}`. `created` is written
 * without a zone, in UTC (`2026-12-02 17:10:00.000`), as Jira's attachment events do.
 * @see https://developer.atlassian.com/platform/forge/events-reference/jira/ (Attachment events)
 */
export function attachmentEventPayload(eventType: string, actorId: string, issue: IssueRec, a: AttachmentRec): Record<string, unknown> {
  const created = a.created.replace('T', ' ').replace(/\+0000$/, '');
  return { eventType, atlassianId: actorId, attachment: { id: a.id, issueId: issue.id, fileName: a.filename, mimeType: a.mimeType, size: a.size, created } };
}
