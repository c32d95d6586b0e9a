/**
 * Calls the app's resolvers through `@forge/bridge`'s `invoke` and parses every answer with the resolver contract,
 * so the pages only ever see a well-formed {@link ResolverResult}. The schemas (and zod) arrive in a chunk of their
 * own, fetched while the first `invoke` is on its way (`./contract-check.ts`), so they are not part of any page's
 * up-front size and cost no extra wait.
 * @see ../../src/contract/index.ts
 */
import { invoke } from '@forge/bridge';
import type { z } from 'zod';
import type { ResolverName, ResolverResult, ResolverSchemas } from '../../src/contract';

let contract: Promise<typeof import('./contract-check.js')> | undefined;
/** The contract chunk, requested once per page. */
function loadContract(): Promise<typeof import('./contract-check.js')> {
  contract ??= import('./contract-check.js');
  return contract;
}

type Schemas = typeof ResolverSchemas;
/** What a resolver accepts (before defaults are applied). */
export type PayloadOf<N extends ResolverName> = z.input<Schemas[N]['payload']>;
/** What a resolver returns in `data`. */
export type DataOf<N extends ResolverName> = z.infer<Schemas[N]['result']>;

/**
 * Invokes resolver `name` with `payload`. Never throws: a bridge failure or an answer that does not match the
 * contract comes back as `{ok: false, error: {code: 'internal', message}}` with words a person can act on.
 */
export async function callResolver<N extends ResolverName>(
  name: N,
  payload: PayloadOf<N>,
): Promise<ResolverResult<DataOf<N>>> {
  // Both requests leave at once: the schemas load while the resolver runs.
  const schemas = loadContract();
  let raw: unknown;
  let checker: Awaited<typeof schemas>;
  try {
    raw = await invoke(name, payload as Record<string, unknown>);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return fail(`Could not reach Task sync (${why}). Reload the page and try again.`);
  }
  try {
    checker = await schemas;
  } catch (err) {
    // A failed chunk load is forgotten, so the next call fetches it again (e.g. after a network blip).
    contract = undefined;
    const why = err instanceof Error ? err.message : String(err);
    return fail(`Task sync could not load part of this page (${why}). Reload the page and try again.`);
  }
  const parsed = checker.resolverResult(checker.ResolverSchemas[name].result).safeParse(raw);
  if (!parsed.success) {
    return fail('Task sync answered with something this page does not understand. Reload the page; if it persists, tell your Jira admin.');
  }
  return parsed.data as ResolverResult<DataOf<N>>;
}

function fail(message: string): { ok: false; error: { code: 'internal'; message: string } } {
  return { ok: false, error: { code: 'internal', message } };
}
