/**
 * The sandbox's colour theme, as Jira hands it to Custom UI: the person's choice (light or dark) is kept in a
 * cookie by the host page, so it lasts across pages; each frame gets it as `theme` in `view.getContext()`
 * (Forge's `FullContext.theme`, an Atlaskit `ThemeState`), and after `view.theme.enable()` the bridge applies it to
 * the frame's document and follows every change, as Forge's bridge does.
 *
 * Applying a theme uses Atlaskit's own pieces: the `data-theme` / `data-color-mode` attributes that
 * `@atlaskit/tokens` reads, and its theme CSS served as stylesheets from the UI host (Forge serves its own from its
 * CDN, which its CSP's `style-src` allows), so applying a theme needs no inline `<style>`.
 * @see https://developer.atlassian.com/platform/forge/design-tokens-and-theming/
 * @see https://developer.atlassian.com/platform/forge/apis-reference/ui-api-bridge/view/#theme
 */

/** Light or dark, as the theme switch offers. */
export type ColorMode = 'light' | 'dark';

/** Cookie that keeps the choice (`light` | `dark`) across pages. */
export const THEME_COOKIE = 'sandbox-theme';

/** Path the theme stylesheets are served under: `/sandbox-theme/<theme id>.css`. */
export const THEME_CSS_PATH = '/sandbox-theme';

// CommonJS internals of @atlaskit/tokens: the import map of its theme CSS and the helpers setGlobalTheme uses.
const themeImportMap: Record<string, () => Promise<{ default: string }>> = require('@atlaskit/tokens/dist/cjs/artifacts/theme-import-map').default;
const { themeObjectToString } = require('@atlaskit/tokens/dist/cjs/theme-object-to-string') as { themeObjectToString: (t: object) => string };
const { getThemePreferences } = require('@atlaskit/tokens/dist/cjs/utils/get-theme-preferences') as { getThemePreferences: (t: object) => string[] };

/** Jira's theme state for `colorMode`: Atlassian's default light, dark, spacing, typography, shape and motion themes. */
export function themeState(colorMode: ColorMode) {
  return { colorMode, dark: 'dark', light: 'light', spacing: 'spacing', typography: 'typography', shape: 'shape', motion: 'motion', contrastMode: 'no-preference' } as const;
}

/** What applying `colorMode` to a document means: the `<html>` attributes and the theme CSS to load. */
export function themeApplication(colorMode: ColorMode): { attrs: Record<string, string>; themeIds: string[] } {
  const { colorMode: _mode, contrastMode: _contrast, ...themes } = themeState(colorMode);
  return {
    attrs: { 'data-theme': themeObjectToString(themes), 'data-color-mode': colorMode },
    themeIds: getThemePreferences(themeState(colorMode)),
  };
}

/** The CSS of Atlaskit theme `id` (e.g. `dark`, `spacing`), or undefined for an unknown id. */
export async function themeCss(id: string): Promise<string | undefined> {
  const load = Object.hasOwn(themeImportMap, id) ? themeImportMap[id] : undefined;
  return load ? (await load()).default : undefined;
}

/** The colour mode of a request: `?theme=` if given, else the cookie, else light. */
export function colorModeOf(query: unknown, cookieHeader: string | undefined): ColorMode {
  const asked = (query as { theme?: string } | undefined)?.theme;
  if (asked === 'dark' || asked === 'light') return asked;
  const cookie = (cookieHeader ?? '').split(';').map((c) => c.trim().split('=')).find(([k]) => k === THEME_COOKIE);
  return cookie?.[1] === 'dark' ? 'dark' : 'light';
}
