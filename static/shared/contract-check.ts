/**
 * The resolver contract's runtime part as the pages need it: the result schemas, which `api.ts` imports on demand
 * (`import('./contract-check')`) so zod and the schemas (≈ 31 KB gzip) load beside the first resolver call instead
 * of before the page's first paint. `jitless` comes first so zod never probes `new Function` under Forge's CSP.
 */
import './jitless';

export { ResolverSchemas, resolverResult } from '../../src/contract';
