/**
 * Which users have allowed the app to act on their behalf. On Forge, `asUser()` calls need the user's consent
 * ("Allow access" screen, granting the manifest's scopes); until then the platform's proxy answers the product call
 * with a `forge-proxy-error: NEEDS_AUTHENTICATION_ERR` header, which unmodified `@forge/api` turns into a thrown
 * `NeedsAuthenticationError` (node_modules/@forge/api/out/api/fetch.js, `handleProxyResponseErrors`). A resolver that
 * lets that error escape makes Forge show the consent prompt instead of the app's answer.
 *
 * In the sandbox every user has consented unless put in the "has not consented" state with
 * `POST /__sandbox/consent {accountId, consented: false}` (routes.ts); `consented: true` is clicking "Allow access".
 * @see https://developer.atlassian.com/platform/forge/apis-reference/fetch-api-product.requestgraph/ (asUser: "If the
 *   user initiating the request has not granted permission to the app …")
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/product-fetch-api/
 */

/** The proxy's answer to an `asUser()` call from a user who has not consented (or with no user at all). */
export function needsAuthentication(message: string): Response {
  return new Response(JSON.stringify({ message }), {
    status: 401,
    headers: { 'content-type': 'application/json', 'forge-proxy-error': 'NEEDS_AUTHENTICATION_ERR' },
  });
}

/** Per-user consent state of one installation. */
export class UserConsent {
  private readonly refused = new Set<string>();

  /** True unless `accountId` was put in the "has not consented" state. */
  has(accountId: string): boolean {
    return !this.refused.has(accountId);
  }

  /** Grants (`true`, as clicking "Allow access") or withdraws (`false`) the consent of `accountId`. */
  set(accountId: string, consented: boolean): void {
    if (consented) this.refused.delete(accountId);
    else this.refused.add(accountId);
  }

  /** Users currently without consent. */
  withoutConsent(): string[] {
    return [...this.refused];
  }
}
