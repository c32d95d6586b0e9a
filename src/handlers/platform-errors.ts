/**
 * Which errors belong to the Forge platform rather than to the app, so a handler must let them reach Forge instead
 * of turning them into its own answer. The list is `@forge/api`'s own (`isForgePlatformError`,
 * node_modules/@forge/api/out/api/errors.js): `NEEDS_AUTHENTICATION_ERR`, `PROXY_ERR`, `FUNCTION_FETCH_ERR`,
 * `REQUEST_EGRESS_ALLOWLIST_ERR`, `SEND_EMAIL_ERR`, `API_NOT_READY_ERR`.
 *
 * Why they must escape: an `asUser()` call by a user who has not yet allowed the app access throws
 * `NeedsAuthenticationError` (the proxy answers `forge-proxy-error: NEEDS_AUTHENTICATION_ERR`); when it leaves the
 * resolver, Forge shows the user the consent prompt ("Allow access") and the call can succeed afterwards. Caught and
 * answered as an app error, the user meets a dead end. The other platform errors (proxy, fetch, egress, API not
 * ready) are failures of the platform that Forge reports and counts as such; wrapped in an app error they would
 * read as a bug of ours with a platform message nobody can act on.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/product-fetch-api/
 * @see https://developer.atlassian.com/platform/forge/apis-reference/fetch-api-product.requestgraph/
 */
import { isForgePlatformError } from '@forge/api';

/** How deep to follow `cause` (our SyncError keeps the original error there). */
const MAX_CAUSES = 5;

/**
 * The Forge platform error that `err` is or wraps (through `cause`), or undefined for an error of the app.
 * @returns the platform error itself, to rethrow unchanged
 */
export function platformErrorIn(err: unknown): Error | undefined {
  let e: unknown = err;
  for (let depth = 0; e instanceof Error && depth <= MAX_CAUSES; depth++, e = e.cause) {
    if (isForgePlatformError(e)) return e;
  }
  return undefined;
}
