/**
 * The local site: Jira REST through Forge's product fetch as the app (`asApp().requestJira`), and the caller's
 * permissions through `asUser()`.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/product-fetch-api/
 */
import api, { assumeTrustedRoute } from '@forge/api';
import { createJiraSite } from './client';
import type { JiraSite, RetryPolicy, Transport } from './site';

/** Transport that calls the local Jira as the app. Paths are built by `client.ts` with every value URI-encoded. */
export function localTransport(): Transport {
  return {
    label: 'local Jira site',
    side: 'local',
    async send(method, path, body) {
      return api.asApp().requestJira(assumeTrustedRoute(path), {
        method,
        headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    },
    // attachments: multipart uploads (encoded by the caller, Content-Type with its boundary) and file downloads.
    async sendRaw(method, path, req) {
      return api.asApp().requestJira(assumeTrustedRoute(path), {
        method,
        headers: { Accept: 'application/json', ...req.headers },
        body: req.body,
        redirect: req.redirect ?? 'follow',
      });
    },
  };
}

/** The local site as a `JiraSite` (acting as the app, so triggers with `ignoreSelf` skip our own writes). */
export function localSite(retry: RetryPolicy): JiraSite {
  return createJiraSite(localTransport(), retry);
}

/**
 * Which of `permissions` the calling user holds in `projectKey` (`GET /rest/api/3/mypermissions` as the user).
 * @returns the set of held permission keys, e.g. `ADMINISTER_PROJECTS`
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-permissions/#api-rest-api-3-mypermissions-get
 */
export async function userPermissions(query: { projectKey?: string; issueKey?: string }, permissions: string[]): Promise<Set<string>> {
  const params = new URLSearchParams({ permissions: permissions.join(',') });
  if (query.projectKey) params.set('projectKey', query.projectKey);
  if (query.issueKey) params.set('issueKey', query.issueKey);
  const res = await api.asUser().requestJira(assumeTrustedRoute(`/rest/api/3/mypermissions?${params}`), {
    headers: { Accept: 'application/json' },
  });
  if (!res.ok) return new Set();
  const body = (await res.json()) as { permissions?: Record<string, { havePermission?: boolean }> };
  return new Set(Object.entries(body.permissions ?? {}).filter(([, p]) => p.havePermission).map(([k]) => k));
}
