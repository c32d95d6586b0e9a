/**
 * Attachments on a running sandbox as a person handles them over Jira's REST API: upload (multipart, with
 * `X-Atlassian-Token: no-check`), list an issue's files, download, and learn a file's media id (the UUID ADF
 * `media` nodes name, from the 303 of `GET /rest/api/3/attachment/content/{id}`).
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-attachments/
 */
import assert from 'node:assert/strict';
import type { SandboxClient, SiteName } from '../../sandbox/client';

/** Basic credentials of a Jira user of the sandbox (default: the site's admin). */
export type Credentials = { email: string; apiToken: string };

const basic = (who: Credentials) => `Basic ${Buffer.from(`${who.email}:${who.apiToken}`).toString('base64')}`;

/** Helpers bound to one sandbox. */
export function attachmentHelpers(sb: SandboxClient) {
  const auth = (site: SiteName, who?: Credentials) => basic(who ?? sb.cfg[site].admin);
  return {
    /** Uploads one file (multipart, `X-Atlassian-Token` unless `token: false`) as `who` (default the admin). */
    async upload(site: SiteName, key: string, filename: string, bytes: Uint8Array<ArrayBuffer>, opts: { token?: boolean; who?: Credentials } = {}): Promise<{ status: number; body: any }> {
      const form = new FormData();
      form.append('file', new Blob([bytes], { type: 'image/png' }), filename);
      const res = await fetch(`${sb.cfg[site].url}/rest/api/3/issue/${key}/attachments`, {
        method: 'POST',
        headers: { Authorization: auth(site, opts.who), Accept: 'application/json', ...(opts.token === false ? {} : { 'X-Atlassian-Token': 'no-check' }) },
        body: form,
      });
      return { status: res.status, body: await res.json() };
    },
    /** The issue's `attachment` field. */
    async attachments(site: SiteName, key: string): Promise<Array<{ id: string; filename: string; size: number }>> {
      const res = await sb.rest(site, 'GET', `/rest/api/3/issue/${key}?fields=attachment`);
      return res.body.fields.attachment;
    },
    /** A file's bytes (`redirect=false`). */
    async content(site: SiteName, id: string): Promise<Buffer> {
      const res = await fetch(`${sb.cfg[site].url}/rest/api/3/attachment/content/${id}?redirect=false`, { headers: { Authorization: auth(site) } });
      assert.equal(res.status, 200);
      return Buffer.from(await res.arrayBuffer());
    },
    /** A file's media id, from the Media Services URL Jira redirects its content to. */
    async mediaId(site: SiteName, id: string): Promise<string> {
      const res = await fetch(`${sb.cfg[site].url}/rest/api/3/attachment/content/${id}`, { headers: { Authorization: auth(site) }, redirect: 'manual' });
      assert.equal(res.status, 303);
      const m = /\/file\/([0-9a-f-]{36})\/binary/.exec(res.headers.get('location') ?? '');
      assert.ok(m, `a Media Services location, got ${res.headers.get('location')}`);
      return m[1];
    },
  };
}

/** `n` bytes of a repeatable pattern. */
export const bytes = (n: number, seed = 7): Uint8Array<ArrayBuffer> => Uint8Array.from({ length: n }, (_, i) => (i * seed) % 251);
