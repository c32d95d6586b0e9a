/**
 * Admin webhook signatures: Jira signs each delivery with `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw
 * body>` using the secret given at registration. Compared in constant time.
 * @see https://developer.atlassian.com/cloud/jira/platform/webhooks/#secure-admin-webhooks
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** `sha256=<hex>` for `body` under `secret`. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/**
 * True when `header` is a valid signature of `body`. A missing or malformed header is false, never an exception.
 */
export function verifySignature(body: string, header: string | undefined, secret: string): boolean {
  if (!header || !/^sha256=[0-9a-f]{64}$/i.test(header.trim())) return false;
  const expected = Buffer.from(signBody(body, secret), 'utf8');
  const given = Buffer.from(header.trim().toLowerCase(), 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
