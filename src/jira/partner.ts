/**
 * The partner site: Jira Cloud REST over Forge's egress `fetch` with Basic auth (email + API token). The URL was
 * validated as `https://*.atlassian.net` (the manifest's only egress) before it gets here.
 * @see https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/
 */
import { fetch } from '@forge/api';
import { createJiraSite } from './client';
import type { JiraSite, RetryPolicy, Transport } from './site';

/** Partner connection details. `apiToken` comes from Forge secret storage and is never logged or returned. */
export interface PartnerCredentials {
  /** `https://<name>.atlassian.net`, no trailing slash. */
  siteUrl: string;
  email: string;
  apiToken: string;
}

/** How long one partner request may take before we give up on it, in ms (a POST is then not repeated blindly). */
export const PARTNER_REQUEST_TIMEOUT_MS = 10_000;

/** Transport that calls the partner Jira with Basic auth. */
export function partnerTransport(creds: PartnerCredentials): Transport {
  const auth = `Basic ${Buffer.from(`${creds.email}:${creds.apiToken}`).toString('base64')}`;
  return {
    label: `partner site ${creds.siteUrl}`,
    side: 'partner',
    async send(method, path, body) {
      return fetch(`${creds.siteUrl}${path}`, {
        method,
        headers: {
          Authorization: auth,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(PARTNER_REQUEST_TIMEOUT_MS),
      });
    },
    // attachments: multipart uploads (encoded by the caller, Content-Type with its boundary) and file downloads.
    async sendRaw(method, path, req) {
      return fetch(`${creds.siteUrl}${path}`, {
        method,
        headers: { Authorization: auth, Accept: 'application/json', ...req.headers },
        body: req.body,
        redirect: req.redirect ?? 'follow',
        signal: AbortSignal.timeout(req.timeoutMs ?? PARTNER_REQUEST_TIMEOUT_MS),
      });
    },
  };
}

/** The partner site as a `JiraSite`. */
export function partnerSite(creds: PartnerCredentials, retry: RetryPolicy): JiraSite {
  return createJiraSite(partnerTransport(creds), retry);
}
