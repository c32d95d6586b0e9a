/**
 * Browser and sandbox plumbing for the e2e tests: starts the full sandbox (or uses one already running at
 * `E2E_BASE_URL`), launches Debian's Chromium headless through playwright-core, and saves screenshots into
 * `test-results/`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { sandboxConfig, type SandboxConfig } from '../../sandbox/config';
import { startSandbox } from '../../sandbox/start';

/** Where screenshots go (git-ignored). */
export const RESULTS_DIR = path.resolve(__dirname, '../../test-results');
/** Where the README's screenshots live (committed). */
export const DOCS_DIR = path.resolve(__dirname, '../../docs');

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
    return { cfg, baseUrl: external.replace(/\/$/, ''), close: async () => {} };
  }
  const cfg = sandboxConfig({
    basePort,
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'task-sync-e2e-')),
  });
  const running = await startSandbox({ cfg, fresh: true });
  return { cfg, baseUrl: cfg.hostUrl, close: () => running.close() };
}

/** Launches headless Chromium (`/usr/bin/chromium`, or `CHROMIUM_PATH`). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh browser context (default 1280×900) with `colorScheme` set, and one page in it. */
export async function newPage(
  browser: Browser,
  colorScheme: 'light' | 'dark' = 'light',
  viewport = { width: 1280, height: 900 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, colorScheme });
  return { context, page: await context.newPage() };
}

/**
 * Saves a screenshot as `<dir>/<name>.png` and returns its path: the full page into `test-results/` by default,
 * or with `{dir: DOCS_DIR, fullPage: false}` exactly the viewport, as the README shows it.
 */
export async function screenshot(page: Page, name: string, opts: { dir?: string; fullPage?: boolean } = {}): Promise<string> {
  const dir = opts.dir ?? RESULTS_DIR;
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: opts.fullPage ?? true });
  return file;
}
