/**
 * The issue view in a browser against the full sandbox: a person turns sync on for a real issue from the panel,
 * confirms the dialog naming the partner site and project, and sees the partner issue in the panel and glance.
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

test('turning sync on for an issue, after confirming, shows the partner issue in the panel and the glance', async () => {
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
