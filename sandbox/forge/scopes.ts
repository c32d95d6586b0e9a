/**
 * The OAuth scope check Jira Cloud applies to every Forge product call (`asApp()` / `asUser()` `requestJira`): the
 * app's token carries exactly the manifest's `permissions.scopes` (a user's consent grants those same scopes), and
 * Jira refuses an operation unless the token holds one of the scope groups the operation accepts.
 *
 * Where the groups come from: the operation's `x-atlassian-oauth2-scopes` in Jira's OpenAPI spec
 * (`../shared/data/jira-platform-openapi-v3.json`): a `Current` group of classic scopes (e.g. `read:jira-work`)
 * and a `Beta` group of granular ones (e.g. `read:issue:jira`, …). Holding every scope of either group is enough;
 * this is how `@forge/lint` decides (`getMissingScopes` in node_modules/@forge/manifest/out/scopes/index.js) and how
 * Jira words its refusal ("The resource can be accessed by having one of these groups of scopes"). The few
 * operations without that extension fall back to the spec's `security` OAuth2 scopes, as the linter does.
 *
 * A refused call gets what Jira answers a token without the scope: HTTP 401, `x-failure-category:
 * FAILURE_CLIENT_SCOPE_CHECK`, body `{"code":401,"message":"Unauthorized; scope does not match"}`. A call to an
 * operation the spec does not have at all is refused the same way (no scope can match it), with a host log line
 * saying so, since it usually means a typo in a path or an endpoint Atlassian removed.
 * @see https://developer.atlassian.com/cloud/jira/platform/scopes-for-oauth-2-3LO-and-forge-apps/
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/permissions/#scopes
 * @see https://community.developer.atlassian.com/t/forge-app-401-unauthorized-failure-client-scope-check-when-calling-ex-jira-cloudid-rest-api-3-project-search-from-webtrigger/96127
 */
import { findOperation } from '../jira/openapi';

/** Who made a product call: `asApp()` (and plain `requestJira`) or `asUser()`. */
export type CallerKind = 'app' | 'user';

/** One REST operation the app called, as the scope check saw it. */
export interface ProductCall {
  as: CallerKind;
  method: string;
  /** The spec's path template (`/rest/api/3/issue/{issueIdOrKey}`), or the concrete path when not in the spec. */
  path: string;
  /** Scope groups the operation accepts (any one suffices); empty when the operation is not in the spec. */
  acceptedScopes: string[][];
  allowed: boolean;
  count: number;
}

/** Outcome of {@link ScopeCheck.check}: `refusal` is the Response to give the app instead of calling Jira. */
export type ScopeVerdict = { allowed: true } | { allowed: false; refusal: Response; reason: string };

/** Jira's body for a token whose scopes do not cover the operation. */
export const SCOPE_MISMATCH_BODY = { code: 401, message: 'Unauthorized; scope does not match' } as const;

/** Checks product calls against the granted scopes and records every operation called. */
export class ScopeCheck {
  private readonly seen = new Map<string, ProductCall>();

  /**
   * @param granted the manifest's `permissions.scopes`
   * @param log host log (one line per refusal)
   */
  constructor(
    private readonly granted: readonly string[],
    private readonly log: (m: string) => void,
  ) {}

  /**
   * Decides one call. `pathAndQuery` is what the app passed to `requestJira` (`/rest/api/3/issue/ALOY-1?fields=x`).
   */
  check(as: CallerKind, method: string, pathAndQuery: string): ScopeVerdict {
    const m = method.toUpperCase();
    const op = findOperation(m, pathAndQuery);
    const template = op?.template ?? pathAndQuery.split('?')[0];
    const groups = op?.scopeGroups ?? [];
    const allowed = groups.some((g) => g.every((s) => this.granted.includes(s)));
    this.record({ as, method: m, path: template, acceptedScopes: groups, allowed });
    if (allowed) return { allowed: true };
    const reason = !op
      ? `${m} ${template} is not an operation of the Jira Cloud REST API (not in the OpenAPI spec), so no scope allows it`
      : `${m} ${template} needs scope ${groups.map((g) => g.join(' + ')).join(' or ')}; the manifest grants ${this.granted.join(', ') || 'none'}`;
    this.log(`[forge] scope check refused ${as === 'app' ? 'asApp' : 'asUser'} ${m} ${template}: ${reason}`);
    const refusal = new Response(JSON.stringify(SCOPE_MISMATCH_BODY), {
      status: 401,
      headers: { 'content-type': 'application/json', 'x-failure-category': 'FAILURE_CLIENT_SCOPE_CHECK' },
    });
    return { allowed: false, refusal, reason };
  }

  /** Every distinct operation called so far (by caller kind, method and template), with how often. */
  calls(): ProductCall[] {
    return [...this.seen.values()].map((c) => ({ ...c, acceptedScopes: c.acceptedScopes.map((g) => [...g]) }));
  }

  /** The scopes the app's token carries. */
  grantedScopes(): string[] {
    return [...this.granted];
  }

  private record(c: Omit<ProductCall, 'count'>): void {
    const key = `${c.as} ${c.method} ${c.path}`;
    const prev = this.seen.get(key);
    if (prev) prev.count++;
    else this.seen.set(key, { ...c, count: 1 });
  }
}
