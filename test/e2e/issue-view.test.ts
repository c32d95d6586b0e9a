/**
 * The issue view in a browser against the full sandbox: a person turns sync on for a real issue from the panel,
 * confirms the dialog naming the partner site and project, and sees the partner issue in the panel, the glance and
 * the issue context; the theme switch turns every frame dark and the choice follows to project settings.
 */
import { afterAll as after, beforeAll as before, test } from 'vitest';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchBrowser, newPage, screenshot, startE2eSandbox, type E2eSandbox } from './browser';

const ISSUE = 'ALOY-1';
let sandbox: E2eSandbox;
let browser: Browser;

before(async () => {
  sandbox = await startE2eSandbox(7760);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await sandbox?.close();
});

test('turning sync on for an issue, after confirming, shows the partner issue in the panel, the glance and the issue context', async () => {
  // 1280×800: the README's screenshot is taken from this page once the issue is linked.
  const { context, page } = await newPage(browser, 'light', { width: 1280, height: 800 });
  await page.goto(`${sandbox.baseUrl}/browse/${ISSUE}`);
  assert.equal(await page.getByTestId('issue-key').textContent(), ISSUE);
  assert.notEqual((await page.getByTestId('issue-summary').textContent())?.trim(), '', 'the issue view shows a summary');

  const panel = page.frameLocator('iframe[title*="task-sync-panel"]');
  const toggle = panel.getByTestId('task-sync-toggle');
  await panel.getByText('Sync this issue with partner.atlassian.net?').waitFor();
  assert.equal(await panel.getByTestId('task-sync-toggle--input').isChecked(), false, 'the toggle starts off');
  await screenshot(page, 'issue-view-1-not-synced');

  await toggle.click();
  const dialog = panel.getByRole('dialog');
  await dialog.waitFor();
  const question = (await dialog.textContent()) ?? '';
  assert.match(question, new RegExp(`Create a copy of ${ISSUE} in partner\\.atlassian\\.net project PARTNER and keep both in sync\\?`));
  await screenshot(page, 'issue-view-2-confirm');

  await dialog.getByRole('button', { name: 'Start syncing' }).click();
  const partnerLink = panel.getByRole('link', { name: /^PARTNER-\d+$/ });
  await partnerLink.waitFor({ timeout: 20_000 });
  const partnerKey = (await partnerLink.textContent())!;
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await panel.getByTestId('task-sync-toggle--input').isChecked(), true, 'the toggle is on once linked');
  assert.equal(await panel.getByTestId('task-sync-toggle-label').textContent(), 'Synced with partner.atlassian.net', 'the label says sync is on, no longer asks');
  assert.equal(await panel.getByTestId('task-sync-toggle--input').isDisabled(), false, 'turning the toggle off is how to unlink');
  await panel.getByText(/^Last synced /).waitFor();
  for (const name of ['Sync now', 'Pause sync', 'Unlink']) await panel.getByRole('button', { name, exact: true }).waitFor();

  const glance = page.frameLocator('iframe[title*="task-sync-glance"]');
  const glanceButton = glance.getByRole('button', { name: `Synced with ${partnerKey}` });
  await glanceButton.waitFor({ timeout: 10_000 });
  await glanceButton.hover();
  const tooltip = glance.getByRole('tooltip');
  await tooltip.waitFor();
  assert.equal((await tooltip.textContent())?.trim(), `Synced with ${partnerKey} on partner.atlassian.net`);
  // jira:issueContext mounts the same page under its own module key; its resolver calls answer the same link.
  const issueContext = page.frameLocator('iframe[title*="task-sync-context"]');
  await issueContext.getByRole('button', { name: `Synced with ${partnerKey}` }).waitFor({ timeout: 10_000 });
  await screenshot(page, 'issue-view-3-synced');
  await screenshot(page, 'issue-view', { docs: true, fullPage: false });

  // The partner key opens the partner issue in a new tab, mapped from partner.atlassian.net to the emulator.
  const requested: string[] = [];
  context.on('request', (r) => requested.push(r.url()));
  const [tab] = await Promise.all([context.waitForEvent('page'), partnerLink.click()]);
  await tab.waitForLoadState('domcontentloaded');
  const partnerUrl = `${sandbox.cfg.partner.url}/browse/${partnerKey}`;
  assert.ok(requested.includes(partnerUrl), `expected a new tab loading ${partnerUrl}, saw ${requested.join(', ')}`);
  await context.close();
});

test('the synced issue view also reads well in dark mode', async () => {
  const { context, page } = await newPage(browser, 'dark');
  await page.goto(`${sandbox.baseUrl}/browse/${ISSUE}?theme=dark`);
  const panel = page.frameLocator('iframe[title*="task-sync-panel"]');
  await panel.getByRole('link', { name: /^PARTNER-\d+$/ }).waitFor();
  assert.equal(await panel.locator('html').getAttribute('data-color-mode'), 'dark');
  await screenshot(page, 'issue-view-4-synced-dark');
  await context.close();
});

/** Relative luminance (0 black … 1 white) of a CSS `rgb(r, g, b)` colour. */
function luminance(rgb: string): number {
  const [r, g, b] = rgb.match(/\d+/g)!.slice(0, 3).map((c) => Number(c) / 255);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

test('switching to dark on the issue view turns every frame dark at once, and project settings opens dark too', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(`${sandbox.baseUrl}/browse/${ISSUE}`);
  const frames = ['task-sync-panel', 'task-sync-glance', 'task-sync-context'].map((key) => page.frameLocator(`iframe[title*="${key}"]`));
  await frames[0].getByRole('link', { name: /^PARTNER-\d+$/ }).waitFor({ timeout: 20_000 });
  for (const f of frames) assert.equal(await f.locator('html').getAttribute('data-color-mode'), 'light');
  assert.ok(luminance(await frames[0].locator('body').evaluate((el) => getComputedStyle(el).color)) < 0.3, 'dark text in light mode');

  await page.getByTestId('theme-switch').click();
  // No reload: the host tells each frame through the bridge, which re-applies the theme the app enabled.
  for (const f of frames) await f.locator('html[data-color-mode="dark"]').waitFor();
  await page.getByTestId('theme-switch').filter({ hasText: /^Switch to light$/ }).waitFor({ timeout: 5_000 });
  assert.ok(luminance(await frames[0].locator('body').evaluate((el) => getComputedStyle(el).color)) > 0.6, 'light text in dark mode');
  const contextTheme = await frames[0].locator('body').evaluate(async () => {
    const ctx = await (window as unknown as { __bridge: { callBridge: (n: string) => Promise<{ theme: { colorMode: string } }> } }).__bridge.callBridge('getContext');
    return ctx.theme.colorMode;
  });
  assert.equal(contextTheme, 'dark', 'view.getContext() answers the new theme');
  await screenshot(page, 'theme-1-issue-view-dark');

  await page.goto(`${sandbox.baseUrl}/project-settings/ALOY`);
  await page.locator('html[data-color-mode="dark"]').waitFor({ timeout: 5_000 }); // the host page remembers the choice
  const settings = page.frameLocator('iframe[title*="task-sync-settings"]');
  await settings.getByRole('table', { name: 'Connections' }).waitFor();
  assert.equal(await settings.locator('html').getAttribute('data-color-mode'), 'dark');
  assert.ok(luminance(await settings.locator('body').evaluate((el) => getComputedStyle(el).color)) > 0.6, 'the settings page is rendered dark');
  await screenshot(page, 'theme-2-settings-dark');

  await page.getByTestId('theme-switch').click();
  await settings.locator('html[data-color-mode="light"]').waitFor();
  await page.reload();
  await settings.getByRole('table', { name: 'Connections' }).waitFor();
  assert.equal(await settings.locator('html').getAttribute('data-color-mode'), 'light', 'switching back lasts too');
  await context.close();
});
