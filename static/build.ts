/**
 * Builds the Custom UI pages with Vite into `static/<page>/dist` (what manifest.yml's `resources` point at).
 * Run with `npm run build:ui [-- <page>…]`; prints each page's up-front size (gzip JS + CSS) against its budget
 * (`static/sizes.ts`). `npm run build:ui -- --why <page>…` also lists which packages those bytes come from.
 */
import path from 'node:path';
import { PAGES, pageConfig, type Page } from './vite.pages';
import { breakdown, kb, measure, overBudget, sizeReport, type BuiltChunk, type PageSize, type SizeShare } from './sizes';

export type { LazyChunk, PageSize } from './sizes';

/** A built page: its sizes and, on request, where the up-front bytes come from. */
export interface BuiltPage extends PageSize {
  shares?: SizeShare[];
}

/**
 * Builds the given pages (default all) one after another.
 * @param opts.outRoot build into `<outRoot>/<page>` instead of `static/<page>/dist` (a test's temp dir)
 * @param opts.why also compute {@link breakdown} per page
 * @returns the sizes per page
 * @throws whatever Vite throws on a compile error (the message names file and line)
 */
export async function buildUi(pages: readonly Page[] = PAGES, opts: { outRoot?: string; why?: boolean } = {}): Promise<BuiltPage[]> {
  const { build } = await import('vite');
  const sizes: BuiltPage[] = [];
  for (const page of pages) {
    const config = await pageConfig(page);
    if (opts.outRoot) config.build.outDir = path.join(opts.outRoot, page);
    const out = await build(config);
    const chunks = (Array.isArray(out) ? out : [out]).flatMap((o) => ('output' in o ? (o.output as BuiltChunk[]) : []));
    sizes.push({ ...measure(page, config.build.outDir, chunks), ...(opts.why ? { shares: breakdown(chunks) } : {}) });
  }
  return sizes;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const why = args.includes('--why');
  const only = args.filter((a) => a !== '--why') as Page[];
  buildUi(only.length ? only : PAGES, { why }).then(
    (sizes) => {
      console.log(sizeReport(sizes));
      for (const s of sizes.filter((p) => p.shares)) {
        console.log(`\n${s.page}: up-front JS by package (each gzipped alone, an estimate)`);
        for (const sh of s.shares!.slice(0, 25)) console.log(`  ${kb(sh.gzip).padStart(9)}  ${sh.what}`);
      }
      if (overBudget(sizes).length) process.exitCode = 1;
    },
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
