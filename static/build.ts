/**
 * Builds the three Custom UI pages with Vite into `static/<page>/dist` (what manifest.yml's `resources` point at).
 * Run with `npm run build:ui`; prints each page's up-front JS size raw and gzipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { PAGES, pageConfig, type Page } from './vite.pages';

/** One chunk of the app's own code that a page loads only on demand (a dynamic `import()` under `static/`). */
export interface LazyChunk {
  /** The module the chunk starts from, relative to `static/`, e.g. `panel/src/conflicts/rich.tsx`. */
  module: string;
  bytes: number;
  gzip: number;
}

/**
 * Size of a built page's JavaScript in bytes, gzip level 9: `initialGzip` is what `index.html` loads up front
 * (entry script and its preloads); `lazyFiles` counts the chunks only loaded on demand, of which `lazyChunks` are
 * the app's own (e.g. the panel's conflict list and its rich-text renderer, loaded when a conflict is shown) and
 * the rest Atlaskit's theme CSS as JS, which the pages never load (Forge's `view.theme.enable()` applies the theme).
 */
export interface PageSize {
  page: Page;
  initialBytes: number;
  initialGzip: number;
  lazyFiles: number;
  lazyChunks: LazyChunk[];
}

/** What of Vite's build result {@link measure} reads (a Rollup output chunk). */
interface BuiltChunk {
  type: 'chunk' | 'asset';
  fileName: string;
  isDynamicEntry?: boolean;
  facadeModuleId?: string | null;
}

/**
 * Builds the given pages (default all) one after another.
 * @returns the JS size per page
 * @throws whatever Vite throws on a compile error (the message names file and line)
 */
export async function buildUi(pages: readonly Page[] = PAGES): Promise<PageSize[]> {
  const { build } = await import('vite');
  const sizes: PageSize[] = [];
  for (const page of pages) {
    const config = await pageConfig(page);
    const out = await build(config);
    const chunks = (Array.isArray(out) ? out : [out]).flatMap((o) => ('output' in o ? (o.output as BuiltChunk[]) : []));
    sizes.push(measure(page, config.build.outDir, chunks));
  }
  return sizes;
}

function measure(page: Page, outDir: string, chunks: BuiltChunk[]): PageSize {
  const html = fs.readFileSync(path.join(outDir, 'index.html'), 'utf8');
  const initial = new Set([...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]));
  let initialBytes = 0;
  let initialGzip = 0;
  for (const f of initial) {
    const buf = fs.readFileSync(path.join(outDir, f));
    initialBytes += buf.length;
    initialGzip += zlib.gzipSync(buf, { level: 9 }).length;
  }
  const lazyFiles = fs.readdirSync(path.join(outDir, 'assets')).filter((n) => n.endsWith('.js')).length - initial.size;
  const lazyChunks = chunks
    .filter((c) => c.type === 'chunk' && c.isDynamicEntry && c.facadeModuleId?.startsWith(__dirname) && !c.facadeModuleId.includes('node_modules'))
    .map((c) => {
      const buf = fs.readFileSync(path.join(outDir, c.fileName));
      return { module: path.relative(__dirname, c.facadeModuleId!), bytes: buf.length, gzip: zlib.gzipSync(buf, { level: 9 }).length };
    });
  return { page, initialBytes, initialGzip, lazyFiles, lazyChunks };
}

if (require.main === module) {
  const only = process.argv.slice(2) as Page[];
  buildUi(only.length ? only : PAGES).then(
    (sizes) => {
      for (const s of sizes) {
        const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
        const themes = s.lazyFiles - s.lazyChunks.length;
        console.log(`${s.page.padEnd(9)} ${kb(s.initialBytes)} JS up front, ${kb(s.initialGzip)} gzip (+${themes} lazy theme chunks, not loaded)`);
        for (const c of s.lazyChunks) console.log(`          on demand: ${c.module} ${kb(c.bytes)}, ${kb(c.gzip)} gzip`);
      }
    },
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
