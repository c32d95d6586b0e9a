/**
 * What a built page costs before it can paint, against its budget, and where those bytes come from. Node-side build
 * code only (used by `static/build.ts`, `npm run bench` and `test/integration/page-size.test.ts`).
 *
 * "Up front" is exactly what the browser fetches because of the built `index.html`: its `<script src>`, its
 * `<link rel="modulepreload">` and its `<link rel="stylesheet">` files (JS + CSS), gzip level 9. Chunks reached
 * only through a dynamic `import()` are on demand and do not count.
 * @see https://vite.dev/guide/features.html#async-chunk-loading-optimization
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { transformSync } from 'esbuild';
import type { Page } from './vite.pages';

/**
 * Up-front budget per page in KB (1 KB = 1024 bytes) of gzip JS + CSS. The glance and the field render on every
 * issue view (the field on every board card too), the panel under every issue, settings for admins only; the
 * admin page (Jira admins, rarely; 98.6 KB since its table is a plain token-styled one) is held under the panel's.
 */
export const PAGE_BUDGET_KB: Record<Page, number> = { glance: 40, panel: 110, settings: 170, field: 40, admin: 110 };

/**
 * The pages of `sizes` whose up-front gzip is over their budget (more than `budgetKb` × 1024 bytes; exactly the
 * budget is within it). `npm run build:ui` exits 1 and `test/integration/page-size.test.ts` fails when any is.
 */
export function overBudget(sizes: readonly Pick<PageSize, 'page' | 'initialGzip' | 'budgetKb'>[]): Page[] {
  return sizes.filter((s) => s.initialGzip > s.budgetKb * 1024).map((s) => s.page);
}

/** One chunk of the app's own code that a page loads only on demand (a dynamic `import()` under `static/`). */
export interface LazyChunk {
  /** The module the chunk starts from, relative to `static/`, e.g. `panel/src/conflicts/rich.tsx`. */
  module: string;
  bytes: number;
  gzip: number;
}

/** One file `index.html` loads up front. */
export interface InitialFile {
  /** Path inside the page's `dist`, e.g. `assets/index-Dms8vbJ6.js`. */
  file: string;
  bytes: number;
  gzip: number;
}

/**
 * Size of a built page in bytes, gzip level 9: `initialGzip` is what `index.html` loads up front (JS + CSS, each
 * file in `initialFiles`), `budgetKb` its budget; `lazyFiles` counts the JS chunks only loaded on demand, of which
 * `lazyChunks` are the app's own (e.g. the panel's conflict list, the contract's schemas) and the rest Atlaskit's
 * theme CSS as JS, which the pages never load (Forge's `view.theme.enable()` applies the theme).
 */
export interface PageSize {
  page: Page;
  initialBytes: number;
  initialGzip: number;
  initialFiles: InitialFile[];
  budgetKb: number;
  lazyFiles: number;
  lazyChunks: LazyChunk[];
}

/** What of Vite's build result {@link measure} and {@link breakdown} read (a Rolldown output chunk). */
export interface BuiltChunk {
  type: 'chunk' | 'asset';
  fileName: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  facadeModuleId?: string | null;
  imports?: string[];
  modules?: Record<string, { code?: string | null }>;
}

const gzip = (buf: Buffer | string) => zlib.gzipSync(buf, { level: 9 }).length;

/**
 * The files a built `index.html` makes the browser load before any script runs: module scripts, module preloads
 * and stylesheets, relative to the page's `dist`.
 * @param html the built `index.html`
 */
export function initialFilesOf(html: string): string[] {
  const tags = html.match(/<(?:script|link)\b[^>]*>/g) ?? [];
  const files = new Set<string>();
  for (const tag of tags) {
    const url = /\b(?:src|href)="([^"]+)"/.exec(tag)?.[1];
    if (!url || /^[a-z]+:|^\/\//i.test(url)) continue;
    const isScript = tag.startsWith('<script');
    const rel = /\brel="([^"]+)"/.exec(tag)?.[1] ?? '';
    if (isScript || rel === 'modulepreload' || rel === 'stylesheet') files.add(url.replace(/^\.\//, ''));
  }
  return [...files];
}

/**
 * Measures a built page in `outDir` (its `index.html` and `assets/`).
 * @param chunks Vite's output for the page (to name the app's lazy chunks)
 * @throws if `index.html` or a file it names is missing
 */
export function measure(page: Page, outDir: string, chunks: BuiltChunk[]): PageSize {
  const html = fs.readFileSync(path.join(outDir, 'index.html'), 'utf8');
  const initialFiles = initialFilesOf(html).map((file) => {
    const buf = fs.readFileSync(path.join(outDir, file));
    return { file, bytes: buf.length, gzip: gzip(buf) };
  });
  const initialJs = initialFiles.filter((f) => f.file.endsWith('.js')).length;
  const lazyFiles = fs.readdirSync(path.join(outDir, 'assets')).filter((n) => n.endsWith('.js')).length - initialJs;
  const lazyChunks = chunks
    .filter((c) => c.type === 'chunk' && c.isDynamicEntry && c.facadeModuleId?.startsWith(__dirname) && !c.facadeModuleId.includes('node_modules'))
    .map((c) => {
      const buf = fs.readFileSync(path.join(outDir, c.fileName));
      return { module: path.relative(__dirname, c.facadeModuleId!), bytes: buf.length, gzip: gzip(buf) };
    });
  return {
    page,
    initialBytes: initialFiles.reduce((a, f) => a + f.bytes, 0),
    initialGzip: initialFiles.reduce((a, f) => a + f.gzip, 0),
    initialFiles,
    budgetKb: PAGE_BUDGET_KB[page],
    lazyFiles,
    lazyChunks,
  };
}

/** One line of {@link breakdown}: a package (or a folder of ours) in the up-front JS. */
export interface SizeShare {
  /** npm package (`react-dom`, `@atlaskit/tooltip`) or our folder (`static/panel/src`, `src/contract`). */
  what: string;
  /** Its modules' code minified on its own (esbuild), bytes. */
  bytes: number;
  /** That code gzipped on its own, bytes: an estimate (gzip of the whole chunk is smaller than the sum). */
  gzip: number;
}

/**
 * Where the up-front JS of a page comes from, largest first: each module of the entry chunk and its static
 * imports, grouped by package. The shares are estimates (each group gzipped alone); use them to choose what to
 * cut, and {@link measure} for the real total.
 */
export function breakdown(chunks: BuiltChunk[]): SizeShare[] {
  const entry = chunks.find((c) => c.type === 'chunk' && c.isEntry);
  if (!entry) return [];
  const initial = new Set([entry.fileName, ...(entry.imports ?? [])]);
  const code = new Map<string, string>();
  for (const c of chunks) {
    if (c.type !== 'chunk' || !initial.has(c.fileName)) continue;
    for (const [id, m] of Object.entries(c.modules ?? {})) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id)?.[1];
      const what = pkg ?? path.relative(path.dirname(__dirname), path.dirname(id.replace(/^\0/, '')));
      code.set(what, (code.get(what) ?? '') + (m.code ?? ''));
    }
  }
  return [...code]
    .map(([what, src]) => {
      const min = minify(src);
      return { what, bytes: Buffer.byteLength(min), gzip: gzip(min) };
    })
    .sort((a, b) => b.gzip - a.gzip);
}

/** `src` minified as the build would (Vite's chunk modules are rendered before minification). */
function minify(src: string): string {
  try {
    return transformSync(src, { minify: true, loader: 'js' }).code;
  } catch {
    return src; // a fragment esbuild cannot parse on its own: counted as is
  }
}

/** `12.3 KB` (1 KB = 1024 bytes). */
export const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;

/** One line per page: up-front gzip against the budget, then its on-demand chunks. */
export function sizeReport(sizes: PageSize[]): string {
  const lines: string[] = [];
  for (const s of sizes) {
    const over = overBudget([s]).length > 0;
    const themes = s.lazyFiles - s.lazyChunks.length;
    lines.push(
      `${s.page.padEnd(9)} ${kb(s.initialGzip).padStart(9)} gzip up front (JS + CSS, ${kb(s.initialBytes)} raw) / budget ${s.budgetKb} KB ${over ? 'OVER BUDGET' : 'ok'}` +
        (themes > 0 ? ` (+${themes} lazy theme chunks, not loaded)` : ''),
    );
    for (const c of s.lazyChunks) lines.push(`          on demand: ${c.module} ${kb(c.bytes)}, ${kb(c.gzip)} gzip`);
  }
  return lines.join('\n');
}
