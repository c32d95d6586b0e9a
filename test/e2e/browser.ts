/**
 * Browser and sandbox plumbing for the e2e tests: starts the full sandbox (or uses one already running at
 * `E2E_BASE_URL`), launches Debian's Chromium headless through playwright-core, and saves screenshots into
 * `test-results/` (git-ignored; `npm run docs:screenshots` alone writes `docs/`).
 *
 * Every page opened with {@link newPage} is watched in all its frames: a Content-Security-Policy violation
 * (`securitypolicyviolation`), a console error (failed loads such as a missing favicon included) or an uncaught
 * error on a sandbox page fails the test that was running (an `afterEach` registered here), with what happened and
 * where. A test that provokes problems on purpose takes them with {@link takeProblems}.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { sandboxConfig, type SandboxConfig } from '../../sandbox/config';
import { startSandbox } from '../../sandbox/start';

/** Where screenshots go (git-ignored). */
export const RESULTS_DIR = path.resolve(__dirname, '../../test-results');
/** Where the README's screenshots live (committed): written only when `DOCS_SCREENSHOTS=1` (`npm run docs:screenshots`). */
export const DOCS_DIR = path.resolve(__dirname, '../../docs');

/** Something a page did that a person or Forge would call broken. */
export interface PageProblem {
  kind: 'csp-violation' | 'console-error' | 'uncaught-error';
  /** URL of the frame (or resource) it happened in. */
  url: string;
  text: string;
}

const problems = new Map<BrowserContext, PageProblem[]>();
// Only pages the sandbox serves count; a partner page opened in a new tab is the emulator's REST host.
const watchedOrigins = new Set<string>();

/** Counts problems of pages on `url`'s origin (the sandbox host of this file; {@link startE2eSandbox} does it). */
export function watchOrigin(url: string): void {
  watchedOrigins.add(new URL(url).origin);
}

/** Returns and forgets the problems seen so far in `context` (for a test that provokes them on purpose). */
export function takeProblems(context: BrowserContext): PageProblem[] {
  const list = problems.get(context) ?? [];
  problems.set(context, []);
  return list;
}

afterEach(() => {
  const found = [...problems.values()].flat();
  problems.clear();
  if (found.length) {
    throw new Error(`The pages reported ${found.length} problem(s):\n${found.map((p) => `- ${p.kind} in ${p.url}: ${p.text}`).join('\n')}`);
  }
});

async function watchProblems(context: BrowserContext): Promise<void> {
  const list: PageProblem[] = [];
  problems.set(context, list);
  const add = (p: PageProblem) => {
    let origin = '';
    try {
      origin = new URL(p.url).origin;
    } catch {
      // about:blank and the like: counted, they can only be ours
    }
    if (!origin || origin === 'null' || watchedOrigins.has(origin)) problems.get(context)?.push(p);
  };
  await context.exposeBinding('__reportCspViolation', ({ frame }, v: { directive: string; blocked: string; sample: string }) => {
    add({ kind: 'csp-violation', url: frame.url(), text: `${v.directive} blocked ${v.blocked || 'inline'}${v.sample ? ` (${v.sample})` : ''}` });
  });
  // Runs in every frame of every page, before the frame's own scripts (Playwright's init scripts ignore the CSP).
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      void (window as unknown as { __reportCspViolation: (v: object) => Promise<void> }).__reportCspViolation({
        directive: e.effectiveDirective,
        blocked: e.blockedURI,
        sample: e.sample,
      });
    });
  });
  context.on('console', (msg) => {
    if (msg.type() === 'error') add({ kind: 'console-error', url: msg.location().url || msg.page()?.url() || '', text: msg.text() });
  });
  context.on('weberror', (err) => add({ kind: 'uncaught-error', url: err.page()?.url() ?? '', text: err.error().message }));
}

/** A running sandbox as the tests see it. */
export interface E2eSandbox {
  cfg: SandboxConfig;
  /** App host base URL, e.g. `http://127.0.0.1:7760`. */
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * Starts a fresh full sandbox (`sandbox/start.ts` `startSandbox`) on `basePort` (+1, +2 for the sites) with its state
 * in a temporary directory; each test file passes its own port so files can run in parallel. With `E2E_BASE_URL`
 * set, uses that running host instead and starts nothing.
 */
export async function startE2eSandbox(basePort: number): Promise<E2eSandbox> {
  const external = process.env.E2E_BASE_URL;
  if (external) {
    const cfg = sandboxConfig({ basePort: Number(new URL(external).port) });
    watchOrigin(external);
    return { cfg, baseUrl: external.replace(/\/$/, ''), close: async () => {} };
  }
  const cfg = sandboxConfig({
    basePort,
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'task-sync-e2e-')),
  });
  const running = await startSandbox({ cfg, fresh: true });
  watchOrigin(cfg.hostUrl);
  return { cfg, baseUrl: cfg.hostUrl, close: () => running.close() };
}

/** Launches headless Chromium (`/usr/bin/chromium`, or `CHROMIUM_PATH`). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh browser context (default 1280×900) with `colorScheme` set, watched for problems, and one page in it. */
export async function newPage(
  browser: Browser,
  colorScheme: 'light' | 'dark' = 'light',
  viewport = { width: 1280, height: 900 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, colorScheme });
  await watchProblems(context);
  return { context, page: await context.newPage() };
}

/**
 * Saves a screenshot as `<dir>/<name>.png` and returns its path: the full page into `test-results/` by default.
 * `{docs: true, fullPage: false}` is the README's picture: exactly the viewport, into `docs/` when
 * `DOCS_SCREENSHOTS=1` (`npm run docs:screenshots`), else into `test-results/` like the rest, so `npm test` leaves
 * the work tree as it was.
 */
export async function screenshot(page: Page, name: string, opts: { docs?: boolean; fullPage?: boolean } = {}): Promise<string> {
  const dir = opts.docs && process.env.DOCS_SCREENSHOTS === '1' ? DOCS_DIR : RESULTS_DIR;
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: opts.fullPage ?? true });
  return file;
}
