/**
 * Vite configuration shared by the three Custom UI pages (settings, panel, glance). Node-side build code only:
 * nothing here ends up in a bundle.
 *
 * Three aliases keep bundles small without changing how the apps are written:
 * - `@forge/bridge` → `shared/forge-bridge.ts`, which re-exports only `invoke`, `view.getContext`, `view.theme`,
 *   `router.open` and `events` from the bridge's own modules. The package root pulls in every bridge API (feature flags, realtime,
 *   object store…) and, being CommonJS with `__exportStar`, cannot be tree-shaken.
 * - `@atlaskit/feature-gate-js-client/feature-gates` → `shared/feature-gates-stub.ts`. Atlaskit asks this client
 *   about experiments; uninitialised it answers defaults anyway, so the stub answers the same without ~110 KB.
 * - `@forge/i18n` → its `ensureLocale` module, the only part `view.getContext` uses.
 * - `@atlaskit/primitives/pressable` → `@atlaskit/primitives/compiled/pressable`. The lozenge imports the emotion
 *   flavour of `Pressable` (for its dropdown-trigger variant, which the pages never render) while styling it with
 *   `cx()` from `@atlaskit/css`, the compiled flavour's styling API; the compiled one takes those styles as they
 *   are and spares every page that shows a lozenge emotion's runtime (≈ 7 KB gzip).
 *
 * The glance (mounted on every issue view, budget 40 KB gzip up front) is built on Preact instead of React:
 * `react`, `react-dom` and the JSX runtime are aliased to `preact/compat` for that page only ({@link PREACT_PAGES}),
 * so the same `.tsx` (typed against React) ships ~10 KB of framework instead of React DOM's ~60 KB. Measured with
 * `npm run build:ui -- --why glance`; see the README's "Page sizes".
 * @see https://vite.dev/guide/api-javascript.html#inlineconfig
 * @see https://preactjs.com/guide/v10/switching-to-preact/#setting-up-compat
 */
import path from 'node:path';

/** The Custom UI pages, one per `resources` entry in manifest.yml (`static/<page>/dist`). */
export const PAGES = ['settings', 'panel', 'glance', 'field', 'admin'] as const; // field: the Partner sync custom field (field area); admin: the Jira admin page (health)
export type Page = (typeof PAGES)[number];

const STATIC_DIR = __dirname;

/**
 * Pages whose React is Preact (`preact/compat`). Atlaskit components work under it (tried in Chromium: spinner,
 * tooltip, lozenge, button); what keeps them out of the glance is their size, see `glance/src/Glance.tsx`.
 */
export const PREACT_PAGES: readonly Page[] = ['glance', 'field'];

/** `react*` → `preact/compat*`, exact names only (so `react-popper` and the like are untouched). */
const PREACT_ALIASES = [
  { find: /^react$/, replacement: 'preact/compat' },
  { find: /^react-dom$/, replacement: 'preact/compat' },
  { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
  { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
  { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/jsx-runtime' },
];

/**
 * Builds the Vite inline config for one page: root `static/<page>`, output `static/<page>/dist`, relative `base`
 * (Forge serves resources from a path it chooses), React plugin and the aliases above.
 * @param page which page
 * @param opts.mode `production` (default) or `development` (unminified, for debugging)
 */
export async function pageConfig(page: Page, opts: { mode?: 'production' | 'development' } = {}) {
  const { default: react } = await import('@vitejs/plugin-react');
  const root = path.join(STATIC_DIR, page);
  const mode = opts.mode ?? 'production';
  return {
    configFile: false as const,
    root,
    base: './',
    mode,
    logLevel: 'warn' as const,
    plugins: [react()],
    define: { 'process.env.NODE_ENV': JSON.stringify(mode) },
    resolve: {
      alias: [
        { find: /^@forge\/bridge$/, replacement: path.join(STATIC_DIR, 'shared/forge-bridge.ts') },
        // getContext only needs `ensureLocale`; the package root also carries every translation helper.
        {
          find: /^@forge\/i18n$/,
          replacement: path.join(STATIC_DIR, '../node_modules/@forge/i18n/out/ensureLocale.js'),
        },
        {
          find: /^@atlaskit\/feature-gate-js-client\/feature-gates$/,
          replacement: path.join(STATIC_DIR, 'shared/feature-gates-stub.ts'),
        },
        { find: /^@atlaskit\/primitives\/pressable$/, replacement: path.join(STATIC_DIR, 'shared/pressable-compiled.ts') },
        ...(PREACT_PAGES.includes(page) ? PREACT_ALIASES : []),
      ],
      dedupe: ['react', 'react-dom'],
    },
    build: {
      outDir: path.join(root, 'dist'),
      emptyOutDir: true,
      sourcemap: false,
      minify: mode === 'production',
      chunkSizeWarningLimit: 1000,
      reportCompressedSize: false,
    },
  };
}
