/**
 * The attachment calls of a `JiraSite`, over the same retrying `call` as every other REST call (`./client.ts`).
 *
 * Rules relied on (Jira Cloud REST v3, issue attachments):
 * - an upload is `POST /rest/api/3/issue/{issueIdOrKey}/attachments` with `multipart/form-data`, the file in a part
 *   named `file`, and the header `X-Atlassian-Token: no-check` (without it Jira refuses with 403 "XSRF check
 *   failed"); the answer is a list of `Attachment`; a file over the site's limit is answered 413;
 * - `GET /rest/api/3/attachment/content/{id}` answers 303 to the Media Services URL `…/file/<uuid>/binary`, whose
 *   UUID is the id ADF `media` nodes carry (not the numeric attachment id); with `redirect=false` it answers 200
 *   with the bytes in one request;
 * - `GET /rest/api/3/attachment/meta` gives `uploadLimit` in bytes.
 * A POST is never repeated blindly (see `client.ts`), so an upload whose answer was lost is not duplicated here;
 * the sync notices the copy by its id map on the next run instead.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-attachments/
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-attachments/#api-rest-api-3-attachment-content-id-get
 */
import { SyncError } from '../model/errors';
import type { JiraAttachment, JiraSite, RawRequest, TransportResponse } from './site';

const enc = encodeURIComponent;

/** How long one file transfer may take, in ms (a 100 MiB file at ~2 MB/s). Other calls keep their own timeout. */
export const ATTACHMENT_TRANSFER_TIMEOUT_MS = 60_000;

/** The `call` of `createJiraSite`: retries, and turns Jira's error answers into `SyncError`s. */
type Call = <T>(method: string, path: string, body?: unknown, opts?: { allow404?: boolean; raw?: RawRequest }) => Promise<T>;

/** The media file UUID in a Media Services URL (`…/file/<uuid>/binary…`), or undefined. */
export function mediaIdFromLocation(location: string | null): string | undefined {
  const m = /\/file\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\/|$|\?)/i.exec(location ?? '');
  return m?.[1];
}

/**
 * One file as a `multipart/form-data` body with a part named `file`, encoded by the platform's own `FormData`
 * serialisation (undici's, through `Response`), because Forge's fetch takes an `ArrayBuffer`, not a `FormData`.
 * @returns the `Content-Type` header (with its boundary) and the bytes
 */
export async function multipartBody(file: { filename: string; mimeType: string; data: ArrayBuffer }): Promise<{ contentType: string; body: ArrayBuffer }> {
  const form = new FormData();
  form.append('file', new Blob([file.data], { type: file.mimeType || 'application/octet-stream' }), file.filename);
  const encoded = new Response(form);
  return { contentType: encoded.headers.get('content-type') ?? 'multipart/form-data', body: await encoded.arrayBuffer() };
}

/**
 * The attachment methods of a site.
 * @param call the site's `call`
 * @param who the site's label for messages
 */
export function attachmentCalls(call: Call, who: string): Pick<JiraSite, 'getAttachmentSettings' | 'downloadAttachment' | 'attachmentMediaId' | 'addAttachment' | 'deleteAttachment'> {
  return {
    async getAttachmentSettings() {
      const meta = await call<{ enabled?: boolean; uploadLimit?: number }>('GET', '/rest/api/3/attachment/meta');
      return { enabled: meta?.enabled !== false, uploadLimit: Number(meta?.uploadLimit ?? Number.MAX_SAFE_INTEGER) };
    },
    async downloadAttachment(id) {
      const res = await call<TransportResponse>('GET', `/rest/api/3/attachment/content/${enc(id)}?redirect=false`, undefined, { raw: { timeoutMs: ATTACHMENT_TRANSFER_TIMEOUT_MS } });
      return res.arrayBuffer();
    },
    async attachmentMediaId(id) {
      const res = await call<TransportResponse>('GET', `/rest/api/3/attachment/content/${enc(id)}`, undefined, { raw: { redirect: 'manual' } });
      return mediaIdFromLocation(res.headers.get('location'));
    },
    async addAttachment(issueIdOrKey, file) {
      const { contentType, body } = await multipartBody(file);
      const res = await call<TransportResponse>('POST', `/rest/api/3/issue/${enc(issueIdOrKey)}/attachments`, undefined, {
        raw: { headers: { 'X-Atlassian-Token': 'no-check', 'Content-Type': contentType }, body, timeoutMs: ATTACHMENT_TRANSFER_TIMEOUT_MS },
      });
      const list = JSON.parse(await res.text()) as JiraAttachment[];
      if (!Array.isArray(list) || !list[0]) throw new SyncError('jira-rejected', `The ${who} answered an upload of ${file.filename} without the attachment it made.`);
      return { ...list[0], id: String(list[0].id) };
    },
    async deleteAttachment(id) {
      await call('DELETE', `/rest/api/3/attachment/${enc(id)}`, undefined, { allow404: true });
    },
  };
}
