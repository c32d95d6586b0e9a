/**
 * Attachment routes, as Jira Cloud answers them:
 * - `POST /rest/api/3/issue/{issueIdOrKey}/attachments`: `multipart/form-data`, one or more parts named `file`;
 *   refused with 403 "XSRF check failed" unless the request carries `X-Atlassian-Token: no-check`; a file over the
 *   site's upload limit is answered 413 and nothing is attached; 200 with the list of `Attachment`s.
 * - `GET /rest/api/3/attachment/{id}` (`AttachmentMetadata`), `DELETE` (204).
 * - `GET /rest/api/3/attachment/content/{id}`: by default 303 to the Media Services download URL
 *   (`…/file/<media file UUID>/binary`, served here under `/__media/`); with `redirect=false` 200 and the bytes.
 * - `GET /rest/api/3/attachment/meta` (`AttachmentSettings`: enabled, uploadLimit).
 * Bytes stream from and to disk (`@fastify/multipart`), never held whole in memory.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-attachments/
 * @see https://github.com/fastify/fastify-multipart
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { addAttachment, attachmentSettings, contentPath, deleteAttachment, findAttachment, findByMediaId, renderAttachment, renderMetadata } from '../attachments';
import { JiraError } from '../errors';
import { visibleIssue } from '../permissions';
import type { SiteRuntime } from '../runtime';

/** Jira's limit on files in one upload request. */
const MAX_FILES = 60;

/**
 * Opens a stored file for streaming; a file deleted since it was looked up (a delete racing the download) is
 * answered 404 as Jira does for a gone attachment, not with a bare 500. @throws JiraError 404
 */
async function openContent(file: string, id: string): Promise<fs.ReadStream> {
  const stream = fs.createReadStream(file);
  try {
    await new Promise((resolve, reject) => stream.once('open', resolve).once('error', reject));
  } catch {
    throw JiraError.notFound(`The attachment with id '${id}' does not exist`);
  }
  return stream;
}

/** Registers the attachment routes on a site's app (multipart parsing only in their own context). */
export function attachmentRoutes(app: FastifyInstance, rt: SiteRuntime): void {
  const { store, render } = rt;
  const base = rt.site.publicUrl;
  const ctx = { store, notify: rt.notify };

  app.register(async (scope) => {
    await scope.register(multipart);

    scope.post<{ Params: { issueIdOrKey: string } }>('/rest/api/3/issue/:issueIdOrKey/attachments', async (req, reply) => {
      if (String(req.headers['x-atlassian-token'] ?? '').toLowerCase() !== 'no-check') {
        return reply.code(403).send({ errorMessages: ['XSRF check failed'], errors: {} });
      }
      const issue = visibleIssue(store, req.actor, req.params.issueIdOrKey);
      const settings = attachmentSettings(store);
      if (!settings.enabled) throw JiraError.forbidden('Attachments are disabled.');
      if (!req.isMultipart()) throw JiraError.badRequest('The request is not multipart/form-data: send the file as a part named "file".');
      const received: Array<{ tmpFile: string; filename: string; mimeType: string; size: number }> = [];
      const discard = () => received.forEach((f) => fs.rmSync(f.tmpFile, { force: true }));
      try {
        for await (const part of req.parts({ limits: { fileSize: settings.uploadLimit, files: MAX_FILES + 1 } })) {
          if (part.type !== 'file' || part.fieldname !== 'file') continue;
          const tmpFile = path.join(os.tmpdir(), `jira-upload-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
          const entry = { tmpFile, filename: part.filename || 'file', mimeType: part.mimetype || 'application/octet-stream', size: 0 };
          received.push(entry);
          part.file.on('data', (chunk: Buffer) => (entry.size += chunk.length));
          await pipeline(part.file, fs.createWriteStream(tmpFile));
          if (part.file.truncated) {
            discard();
            return reply.code(413).send({ errorMessages: [`The file '${entry.filename}' is too large to attach: files may be at most ${settings.uploadLimit} bytes on this site.`], errors: {} });
          }
        }
      } catch (err) {
        discard();
        if ((err as { code?: string }).code === 'FST_FILES_LIMIT') return reply.code(413).send({ errorMessages: [`At most ${MAX_FILES} files can be attached at once.`], errors: {} });
        throw err;
      }
      if (received.length > MAX_FILES) {
        discard();
        return reply.code(413).send({ errorMessages: [`At most ${MAX_FILES} files can be attached at once.`], errors: {} });
      }
      if (!received.length) throw JiraError.badRequest('No file was sent: attach it as a multipart part named "file".');
      const added = received.map((f) => addAttachment(ctx, req.actor, issue, f));
      return added.map((a) => renderAttachment(render.as(req.actor), base, a));
    });
  });

  app.get('/rest/api/3/attachment/meta', async () => attachmentSettings(store));

  app.get<{ Params: { id: string } }>('/rest/api/3/attachment/:id', async (req) => {
    const { issue, attachment } = findAttachment(store, req.params.id);
    visibleIssue(store, req.actor, issue.id);
    return renderMetadata(render.as(req.actor), base, attachment);
  });

  app.delete<{ Params: { id: string } }>('/rest/api/3/attachment/:id', async (req, reply) => {
    const { issue, attachment } = findAttachment(store, req.params.id);
    visibleIssue(store, req.actor, issue.id);
    deleteAttachment(ctx, req.actor, issue, attachment);
    return reply.code(204).send();
  });

  app.get<{ Params: { id: string }; Querystring: { redirect?: string } }>('/rest/api/3/attachment/content/:id', async (req, reply) => {
    const { issue, attachment } = findAttachment(store, req.params.id);
    visibleIssue(store, req.actor, issue.id);
    if (req.query.redirect !== 'false') {
      const name = encodeURIComponent(attachment.filename);
      return reply.code(303).header('location', `${base}/__media/file/${attachment.mediaId}/binary?client=jira&name=${name}`).send();
    }
    return reply
      .code(200)
      .header('content-type', attachment.mimeType)
      .header('content-length', String(attachment.size))
      .send(await openContent(contentPath(store, attachment.id), attachment.id));
  });

  // Media Services' download URL (api.media.atlassian.com in Jira Cloud), where the content redirect points.
  app.get<{ Params: { mediaId: string } }>('/__media/file/:mediaId/binary', async (req, reply) => {
    const a = findByMediaId(store, req.params.mediaId);
    if (!a) return reply.code(404).send({ error: 'file not found' });
    return reply.code(200).header('content-type', a.mimeType).header('content-length', String(a.size)).send(fs.createReadStream(contentPath(store, a.id)));
  });
}
