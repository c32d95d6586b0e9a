/**
 * Reads the Forge context of the current module (`view.getContext`) and turns on Forge's theming
 * (`view.theme.enable()`): the host applies the person's theme (Atlaskit's light or dark tokens) to the page and
 * keeps it in step when they switch, so every colour written as `var(--ds-…)` follows light or dark. The page loads
 * no theme CSS of its own, so it needs no inline `<style>` for it.
 * @see https://developer.atlassian.com/platform/forge/apis-reference/ui-api-bridge/view/#getcontext
 * @see https://developer.atlassian.com/platform/forge/design-tokens-and-theming/
 */
import { view } from '@forge/bridge';

/** The parts of the Forge context the pages use. */
export interface PageContext {
  moduleKey: string;
  accountId: string | null;
  /** Local site base URL, e.g. `https://local.atlassian.net`. */
  siteUrl: string;
  /** Issue key for issue modules (`extension.issue.key`), else null. */
  issueKey: string | null;
  /** Project key (`extension.project.key`), else null. */
  projectKey: string | null;
  /** The colour mode when the page loaded (`theme.colorMode`); the host keeps the page's tokens current after that. */
  colorMode: 'light' | 'dark';
}

/**
 * Loads the context and enables theming; resolves once the host has applied the theme (no light flash in dark).
 * @throws if the bridge is missing or `getContext` / `theme.enable` fails
 */
export async function loadContext(): Promise<PageContext> {
  const [ctx] = await Promise.all([view.getContext(), view.theme.enable()]);
  const ext = (ctx.extension ?? {}) as { issue?: { key?: string }; project?: { key?: string } };
  const colorMode = ctx.theme?.colorMode === 'dark' ? 'dark' : 'light';
  return {
    moduleKey: ctx.moduleKey,
    accountId: ctx.accountId ?? null,
    siteUrl: ctx.siteUrl,
    issueKey: ext.issue?.key ?? null,
    projectKey: ext.project?.key ?? null,
    colorMode,
  };
}
