/**
 * Up-front size of every Custom UI page stays within its budget (`static/sizes.ts` PAGE_BUDGET_KB: glance and
 * Partner sync field 40 KB, panel 110 KB, settings 170 KB, gzip JS + CSS of what `index.html` loads before any
 * dynamic import). A build-output check, not a timed one: the pages are built into a temp dir and measured.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll as after, beforeAll as before, test } from 'vitest';
import { buildUi, type BuiltPage } from '../../static/build';
import { initialFilesOf, overBudget, PAGE_BUDGET_KB, sizeReport } from '../../static/sizes';
import { PAGES } from '../../static/vite.pages';

const outRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'task-sync-page-size-'));
let sizes: BuiltPage[] = [];

before(async () => {
  sizes = await buildUi(PAGES, { outRoot });
}, 240_000);
after(() => fs.rmSync(outRoot, { recursive: true, force: true }));

test('every page loads no more than its budget up front (gzip JS + CSS)', () => {
  assert.equal(sizes.length, PAGES.length);
  for (const s of sizes) assert.equal(s.budgetKb, PAGE_BUDGET_KB[s.page], `${s.page} is measured against its budget`);
  assert.deepEqual(overBudget(sizes), [], `pages over budget:\n${sizeReport(sizes)}`);
});

test('a page one byte over its budget fails the check and is reported OVER BUDGET; exactly at the budget passes', () => {
  const glance = sizes.find((s) => s.page === 'glance')!;
  const atBudget = { ...glance, initialGzip: glance.budgetKb * 1024 };
  const over = { ...glance, initialGzip: glance.budgetKb * 1024 + 1 };
  assert.deepEqual(overBudget([atBudget]), []);
  assert.deepEqual(overBudget([over]), ['glance']);
  assert.match(sizeReport([over]), /glance .* OVER BUDGET/);
  assert.doesNotMatch(sizeReport([atBudget]), /OVER BUDGET/);
});

test('no page loads fonts, images or other files up front besides its JS and CSS (CSS url()s are inline data only)', () => {
  for (const s of sizes) {
    const dir = path.join(outRoot, s.page, 'assets');
    for (const css of fs.readdirSync(dir).filter((f) => f.endsWith('.css'))) {
      const urls = [...fs.readFileSync(path.join(dir, css), 'utf8').matchAll(/url\(\s*['"]?([^'")]+)/g)].map((m) => m[1]);
      const fetched = urls.filter((u) => !u.startsWith('data:'));
      assert.deepEqual(fetched, [], `${s.page}/${css} makes the browser fetch more files`);
    }
    const other = fs.readdirSync(dir).filter((f) => !/\.(js|css)$/.test(f));
    assert.deepEqual(other, [], `${s.page}: assets other than JS and CSS`);
  }
});

test('the measure counts every script, module preload and stylesheet index.html names, and nothing else', () => {
  for (const s of sizes) {
    const html = fs.readFileSync(path.join(outRoot, s.page, 'index.html'), 'utf8');
    const named = initialFilesOf(html);
    assert.ok(named.some((f) => f.endsWith('.js')) && named.some((f) => f.endsWith('.css')), `${s.page}: index.html names a script and a stylesheet`);
    assert.deepEqual(s.initialFiles.map((f) => f.file).sort(), named.sort(), s.page);
    const onDisk = named.reduce((a, f) => a + fs.statSync(path.join(outRoot, s.page, f)).size, 0);
    assert.equal(s.initialBytes, onDisk, `${s.page}: raw bytes are the files' sizes`);
    assert.ok(s.initialGzip > 0 && s.initialGzip < s.initialBytes, `${s.page}: gzip is smaller than raw`);
  }
});

test('initialFilesOf reads module scripts, preloads and stylesheets but not icons or external URLs', () => {
  const html = `<script type="module" crossorigin src="./assets/index-a.js"></script>
    <link rel="modulepreload" crossorigin href="./assets/vendor-b.js">
    <link rel="stylesheet" href="./assets/index-c.css"><link rel="icon" href="./favicon.svg">
    <script src="https://example.com/x.js"></script>`;
  assert.deepEqual(initialFilesOf(html), ['assets/index-a.js', 'assets/vendor-b.js', 'assets/index-c.css']);
});

test('what a page loads on demand stays out of its up-front size (the glance fetches the schemas beside its first call)', () => {
  const glance = sizes.find((s) => s.page === 'glance')!;
  const schemas = glance.lazyChunks.find((c) => c.module === 'shared/contract-check.ts');
  assert.ok(schemas, `the glance loads the resolver schemas on demand; its lazy chunks: ${glance.lazyChunks.map((c) => c.module).join(', ')}`);
  assert.ok(!glance.initialFiles.some((f) => f.file.includes('contract-check')));
});
