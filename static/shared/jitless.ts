/**
 * Turns off zod's compiled parsers for the pages. Forge's CSP has no 'unsafe-eval', and zod probes
 * `new Function('')` (a CSP violation, reported to Forge) when a schema is defined, to compile fast parsers. The pages
 * parse small resolver answers: the plain parser is quick enough and needs no eval. Imported first by `mount.tsx`,
 * so it runs before `src/contract` defines its schemas.
 * @see https://zod.dev/api (z.config jitless)
 */
import { z } from 'zod';

z.config({ jitless: true });
