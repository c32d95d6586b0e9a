/**
 * Turns off zod's compiled parsers for the pages. Forge's CSP has no 'unsafe-eval', and zod probes
 * `new Function('')` (a CSP violation, reported to Forge) when a schema is defined, to compile fast parsers. The pages
 * parse small resolver answers: the plain parser is quick enough and needs no eval. It is
 * imported first by `contract-check.ts` (the schemas loaded on demand) and by pages that import the contract up front
 * (settings `main.tsx`, the field's edit view), so it runs before `src/contract` defines its schemas.
 *
 * Imports `config` from `zod/v4/core` rather than `z` from `zod`: the setting lives in one global
 * (`globalThis.__zod_globalConfig`) shared by every copy of zod, and `zod/v4/core` tree-shakes to that function, so a
 * page that loads its schemas on demand (the glance) keeps zod's 28 KB gzip out of its first paint.
 * @see https://zod.dev/api (z.config jitless)
 */
import { config } from 'zod/v4/core';

config({ jitless: true });
