/**
 * Accessibility of every page in both themes: axe-core (Deque's rules engine, WCAG 2.x A/AA) runs inside each of
 * the app's frames (glance, issue context, panel, project settings, the Partner sync field's view and editors) and the test fails on any serious or critical
 * violation, naming the rule, the element and how to fix it. axe is evaluated through Playwright (DevTools
 * protocol), which Forge's CSP does not govern, so the pages run under the same CSP as in the other tests.
 * Screenshots of each page in each theme go to `test-results/`.
 * @see https://github.com/dequelabs/axe-core/blob/develop/doc/API.md#api-name-axerun
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import { afterAll as after, beforeAll as before, test } from 'vitest';
import assert from 'node:assert/strict';
import type { Browser, Frame, Page } from 'playwright-core';
import { launchBrowser, newPage, screenshot, startE2eSandbox, type E2eSandbox } from './browser';

const AXE_SOURCE = fs.readFileSync(createRequire(__filename).resolve('axe-core/axe.min.js'), 'utf8');
let sandbox: E2eSandbox;
let browser: Browser;

before(async () => {
  sandbox = await startE2eSandbox(7990);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await sandbox?.close();
});

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * Serious and critical axe violations in `frame`, as readable lines. The app's frames are transparent (they take the
 * colour of the host surface, as in Jira), which axe would read as white; so the frame's root first gets the
 * colour it is actually drawn on: the nearest opaque background around its `<iframe>` in the host page.
 */
async function axeProblems(frame: Frame, where: string): Promise<string[]> {
  const iframe = await frame.frameElement();
  const surface = await iframe.evaluate((el) => {
    for (let n: Element | null = el as Element; n; n = n.parentElement) {
      const bg = getComputedStyle(n).backgroundColor;
      if (bg && bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg)) return bg;
    }
    return 'rgb(255, 255, 255)';
  });
  await frame.evaluate((bg) => void (document.documentElement.style.backgroundColor = bg), surface);
  await frame.evaluate(AXE_SOURCE);
  const violations = await frame.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: Violation[] }> } }).axe;
    const res = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The app's frame whose title names `moduleKey`. */
function appFrame(page: Page, moduleKey: string): Frame {
  const frame = page.frames().find((f) => f.name().includes(moduleKey) || f.url().includes(moduleKey));
  if (frame) return frame;
  throw new Error(`no frame for ${moduleKey}; frames: ${page.frames().map((f) => f.url()).join(', ')}`);
}

async function frameOf(page: Page, moduleKey: string): Promise<Frame> {
  const handle = await page.locator(`iframe[title*="${moduleKey}"]`).elementHandle();
  const frame = await handle?.contentFrame();
  return frame ?? appFrame(page, moduleKey);
}

for (const theme of ['light', 'dark'] as const) {
  test(`the issue view's glance, issue context and panel have no serious accessibility violation (${theme})`, async () => {
    const { context, page } = await newPage(browser, theme);
    await page.goto(`${sandbox.baseUrl}/browse/ALOY-1${theme === 'dark' ? '?theme=dark' : ''}`);
    const panel = page.frameLocator('iframe[title*="task-sync-panel"]');
    await panel.getByText(/Sync this issue with|Synced with/).waitFor({ timeout: 20_000 });
    await page.frameLocator('iframe[title*="task-sync-glance"]').getByText(/Not synced|Synced with/).waitFor();
    await page.frameLocator('iframe[title*="task-sync-context"]').getByText(/Not synced|Synced with/).waitFor();
    const found: string[] = [];
    for (const key of ['task-sync-glance', 'task-sync-context', 'task-sync-panel']) found.push(...(await axeProblems(await frameOf(page, key), `${key} (${theme})`)));
    await screenshot(page, `a11y-issue-view-${theme}`);
    assert.deepEqual(found, [], found.join('\n'));
    await context.close();
  });

  // field area: the Partner sync field's view and inline editor on the issue view, its editor in the create
  // dialog.
  test(`the Partner sync field on the issue view (view and inline editor) and in the create dialog has no serious accessibility violation (${theme})`, async () => {
    const { context, page } = await newPage(browser, theme);
    const q = theme === 'dark' ? '?theme=dark' : '';
    const found: string[] = [];
    await page.goto(`${sandbox.baseUrl}/browse/ALOY-2${q}`);
    await page.frameLocator('[data-part=read] iframe[title*="task-sync-field"]').getByTestId(/field-empty|field-view/).waitFor({ timeout: 20_000 });
    found.push(...(await axeProblems(await frameOf(page, 'task-sync-field'), `field view (${theme})`)));
    await page.getByRole('button', { name: 'Edit Partner sync' }).click();
    const editor = page.frameLocator('[data-part=editor] iframe');
    await editor.getByRole('radio', { name: 'Yes' }).check();
    await editor.getByRole('button', { name: 'Confirm sync with PARTNER' }).waitFor();
    const editFrame = await (await page.locator('[data-part=editor] iframe').elementHandle())!.contentFrame();
    found.push(...(await axeProblems(editFrame!, `field inline edit (${theme})`)));
    await screenshot(page, `a11y-field-inline-edit-${theme}`);
    await page.goto(`${sandbox.baseUrl}/create/ALOY${q}`);
    await page.frameLocator('iframe[title*="task-sync-field"]').getByRole('radio', { name: 'No', checked: true }).waitFor({ timeout: 20_000 });
    found.push(...(await axeProblems(await frameOf(page, 'task-sync-field'), `field in the create dialog (${theme})`)));
    await screenshot(page, `a11y-create-dialog-${theme}`);
    assert.deepEqual(found, [], found.join('\n'));
    await context.close();
  });

  test(`project settings has no serious accessibility violation (${theme})`, async () => {
    const { context, page } = await newPage(browser, theme);
    await page.goto(`${sandbox.baseUrl}/project-settings/ALOY${theme === 'dark' ? '?theme=dark' : ''}`);
    const settings = page.frameLocator('iframe[title*="task-sync-settings"]');
    await settings.getByRole('table', { name: 'Connections' }).waitFor({ timeout: 20_000 });
    const found = await axeProblems(await frameOf(page, 'task-sync-settings'), `settings (${theme})`);
    await screenshot(page, `a11y-settings-${theme}`);
    assert.deepEqual(found, [], found.join('\n'));
    await context.close();
  });
}
