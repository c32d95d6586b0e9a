/**
 * The slice of `@forge/bridge` the pages use, imported module by module so the bundle carries only these.
 * The build aliases `@forge/bridge` to this file (see `static/vite.pages.ts`), so app code imports
 * `@forge/bridge` as usual and type-checks against the real package.
 *
 * Each of these modules reads `globalThis.__bridge.callBridge` when first evaluated, which Forge (or the sandbox's
 * `/sandbox-bridge.js`) defines before the app script runs.
 * @see https://developer.atlassian.com/platform/forge/apis-reference/ui-api-bridge/bridge/
 */
export { invoke } from '../../node_modules/@forge/bridge/out/invoke/invoke';
export { router } from '../../node_modules/@forge/bridge/out/router/router';
export { events } from '../../node_modules/@forge/bridge/out/events/events';
import { getContext } from '../../node_modules/@forge/bridge/out/view/getContext';
import { theme } from '../../node_modules/@forge/bridge/out/view/theme';
import { submit } from '../../node_modules/@forge/bridge/out/view/submit';
import { close } from '../../node_modules/@forge/bridge/out/view/close';

/**
 * `view` with only `getContext`, `theme`, `submit` and `close` (the custom field's edit view submits its value, and
 * its inline editor on the issue view closes without a change).
 */
export const view = { getContext, theme, submit, close };
