/**
 * The UI host serves Custom UI with the Content-Security-Policy Forge would (computed by @forge/csp from the
 * manifest), and the browser tests catch every violation: fixture apps under `fixtures/csp/` (one without
 * `permissions.content`, one with `styles: [unsafe-inline]` and an image egress) show a page with an inline
 * `<style>`, an inline script of its own and a script written at run time.
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/permissions/#content-permissions
 */
import { afterAll as after, beforeAll as before, test } from 'vitest';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser, BrowserContext } from 'playwright-core';
import { sandboxConfig } from '../../sandbox/config';
import { registerUiHost } from '../../sandbox/ui';
import { launchBrowser, newPage, takeProblems, watchOrigin, type PageProblem } from './browser';

const FIXTURES = path.join(__dirname, 'fixtures/csp');
const PAGE = '/resources/page/index.html?moduleKey=csp-fixture-panel';
let browser: Browser;
const servers: FastifyInstance[] = [];
const reports: string[] = [];

/** Starts a UI host for the app in `appDir` on `basePort` (+ TEST_PORT_OFFSET); returns its URL. */
async function uiHost(appDir: string, basePort: number): Promise<string> {
  const cfg = sandboxConfig({ basePort });
  const app = Fastify();
  registerUiHost(app, { cfg, appDir, log: (m) => reports.push(m) });
  await app.listen({ host: '127.0.0.1', port: cfg.basePort });
  servers.push(app);
  watchOrigin(cfg.hostUrl);
  return cfg.hostUrl;
}

let strict: string;
let inlineStyles: string;
let realApp: string;

before(async () => {
  strict = await uiHost(path.join(FIXTURES, 'strict'), 7790);
  inlineStyles = await uiHost(path.join(FIXTURES, 'inline-styles'), 7791);
  realApp = await uiHost(path.resolve(__dirname, '../..'), 7792);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
});

const directive = (csp: string, name: string) => csp.split('; ').find((d) => d.startsWith(`${name} `)) ?? '';

/** Waits until `context` has reported `count` CSP violations (and Chromium's console lines for them), then takes them. */
async function violations(context: BrowserContext, count: number): Promise<PageProblem[]> {
  const seen: PageProblem[] = [];
  const deadline = Date.now() + 10_000;
  const enough = () =>
    seen.filter((p) => p.kind === 'csp-violation').length >= count &&
    seen.filter((p) => p.kind === 'console-error' && /Content Security Policy/.test(p.text)).length >= count;
  while (!enough() && Date.now() < deadline) {
    seen.push(...takeProblems(context));
    if (!enough()) await new Promise((r) => setTimeout(r, 50));
  }
  return seen;
}

test("without permissions.content, Forge's CSP blocks an inline <style> and a script written at run time, and the tests see both", async () => {
  const res = await fetch(strict + PAGE);
  const csp = res.headers.get('content-security-policy') ?? '';
  const html = fs.readFileSync(path.join(FIXTURES, 'page/index.html'), 'utf8');
  const inlineScript = /<script>([\s\S]*?)<\/script>/.exec(html)![1];
  const hash = createHash('sha256').update(inlineScript).digest('base64');
  assert.match(directive(csp, 'default-src'), /^default-src 'self' /);
  assert.doesNotMatch(directive(csp, 'style-src'), /unsafe-inline/);
  assert.match(directive(csp, 'script-src'), new RegExp(`'sha256-${hash.replace(/[+/]/g, '\\$&')}'`), 'the page\'s own inline script is allowed by its hash');
  assert.equal(directive(csp, 'report-uri'), 'report-uri /__sandbox/csp-report');
  assert.ok((await fetch(`${strict}/resources/page/late.js`)).headers.get('content-security-policy'), 'every resource carries the policy');

  const { context, page } = await newPage(browser);
  await page.goto(strict + PAGE);
  await page.waitForFunction(() => document.documentElement.dataset.lateScript === 'ran');
  const state = await page.evaluate(() => ({
    color: getComputedStyle(document.getElementById('styled')!).color,
    uploaded: document.documentElement.dataset.uploadedInlineScript,
    injected: document.documentElement.dataset.injectedScript,
  }));
  assert.deepEqual(state, { color: 'rgb(0, 0, 0)', uploaded: 'ran', injected: undefined });

  const seen = await violations(context, 2);
  const csps = seen.filter((p) => p.kind === 'csp-violation').map((p) => p.text.split(' ')[0]).sort();
  assert.deepEqual(csps, ['script-src-elem', 'style-src-elem'], `reported: ${JSON.stringify(seen)}`);
  assert.ok(seen.every((p) => p.url.startsWith(strict)), 'each problem names the page it happened on');
  const deadline = Date.now() + 5_000;
  while (!reports.some((r) => r.includes('style-src')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.ok(reports.some((r) => r.includes(`${strict}/resources/page/index.html`) && r.includes('style-src')), `the UI host logged the browser's report: ${reports.join(' | ')}`);
  await context.close();
});

test('permissions.content.styles unsafe-inline lets the inline <style> apply; images egress joins img-src', async () => {
  const csp = (await fetch(inlineStyles + PAGE)).headers.get('content-security-policy') ?? '';
  assert.match(directive(csp, 'style-src'), / 'unsafe-inline'$/);
  assert.doesNotMatch(directive(csp, 'script-src'), /unsafe-inline/, 'styles never open scripts');
  assert.match(directive(csp, 'img-src'), / https:\/\/images\.partner\.example$/);

  const { context, page } = await newPage(browser);
  await page.goto(inlineStyles + PAGE);
  await page.waitForFunction(() => document.documentElement.dataset.lateScript === 'ran');
  assert.equal(await page.locator('#styled').evaluate((el) => getComputedStyle(el).color), 'rgb(255, 0, 0)');
  const seen = await violations(context, 1);
  assert.deepEqual(seen.filter((p) => p.kind === 'csp-violation').map((p) => p.text.split(' ')[0]), ['script-src-elem'], 'only the run-time script is still blocked');
  await context.close();
});

test("the app's pages run under Forge's policy with inline styles allowed and inline scripts, eval and other hosts refused", async () => {
  const csp = (await fetch(`${realApp}/resources/panel/index.html?moduleKey=task-sync-panel`)).headers.get('content-security-policy') ?? '';
  assert.match(directive(csp, 'style-src'), /^style-src 'self' .* 'unsafe-inline'$/);
  assert.match(directive(csp, 'script-src'), /^script-src 'self' https:\/\/forge\.cdn\.prod\.atlassian-dev\.net /);
  assert.doesNotMatch(directive(csp, 'script-src'), /unsafe-(inline|eval)/);
  assert.match(csp, /; sandbox allow-popups allow-popups-to-escape-sandbox allow-downloads allow-forms allow-modals allow-pointer-lock allow-same-origin allow-scripts;/);
  if (process.env.PRINT_CSP) console.log(csp);
});
