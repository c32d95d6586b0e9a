/**
 * Resolver plumbing: parse the payload with the contract's schema, run, and turn the result or error into a
 * `ResolverResult`. The one place a `SyncError` becomes a resolver error; Forge platform errors (the consent
 * request above all) are not ours to answer and are rethrown to Forge (see ./platform-errors.ts).
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/custom-ui-resolver/
 */
import type { z } from 'zod';
import type { ResolverResult } from '../contract';
import { SyncError, toSyncError } from '../model/errors';
import { platformErrorIn } from './platform-errors';

const RESOLVER_CODES = new Set(['invalid-input', 'forbidden', 'not-configured', 'partner-auth', 'partner-unreachable', 'partner-project', 'not-found']);

/** Parses `payload` with `schema` or throws an `invalid-input` SyncError naming each bad field. */
export function parsePayload<S extends z.ZodTypeAny>(schema: S, payload: unknown): z.infer<S> {
  const res = schema.safeParse(payload ?? {});
  if (res.success) return res.data;
  const detail = res.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
  throw new SyncError('invalid-input', `Please check the form: ${detail}`);
}

/**
 * Runs a resolver body; errors become `{ok:false, error:{code, message}}` with words for the person.
 * @throws the Forge platform error (e.g. `NeedsAuthenticationError`) when the body failed with one, so that Forge
 *   handles it (a user who has not allowed access yet gets the consent prompt)
 */
export async function respond<T>(run: () => Promise<T>): Promise<ResolverResult<T>> {
  try {
    return { ok: true, data: await run() };
  } catch (err) {
    const platform = platformErrorIn(err);
    if (platform) throw platform;
    const e = toSyncError(err);
    if (e.code === 'internal') console.error('resolver failed', err);
    const code = RESOLVER_CODES.has(e.code) ? (e.code as Exclude<ResolverResult<T>, { ok: true }>['error']['code']) : e.code === 'rate-limited' || e.code === 'jira-unavailable' ? 'partner-unreachable' : 'internal';
    return { ok: false, error: { code, message: e.message } };
  }
}
