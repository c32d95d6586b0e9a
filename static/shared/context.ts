/**
 * Reads the Forge context of the current module (`view.getContext`) and applies the person's colour mode to the
 * page with Atlaskit tokens, so every colour written as `var(--ds-…)` follows light or dark.
 * @see https://developer.atlassian.com/platform/forge/apis-reference/ui-api-bridge/view/#getcontext
 */
import { view } from '@forge/bridge';
import { setGlobalTheme } from '@atlaskit/tokens/set-global-theme';

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
  colorMode: 'light' | 'dark';
}

/**
 * Loads the context and sets the global theme (light unless the context's theme says dark).
 * @throws if the bridge is missing or `getContext` fails
 */
export async function loadContext(): Promise<PageContext> {
  const ctx = await view.getContext();
  const ext = (ctx.extension ?? {}) as { issue?: { key?: string }; project?: { key?: string } };
  const colorMode = ctx.theme?.colorMode === 'dark' ? 'dark' : 'light';
  await setGlobalTheme({ colorMode });
  return {
    moduleKey: ctx.moduleKey,
    accountId: ctx.accountId ?? null,
    siteUrl: ctx.siteUrl,
    issueKey: ext.issue?.key ?? null,
    projectKey: ext.project?.key ?? null,
    colorMode,
  };
}
