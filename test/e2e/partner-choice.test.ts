/**
 * A project with two connections: the admin adds the second one in Project settings (the sandbox has one partner
 * site with one project, so the second connection goes to the local site's DAEMON project, which the app reaches
 * the same way), and the panel of an unlinked issue then asks which partner before creating anything.
 */
import { afterAll as after, beforeAll as before, test } from 'vitest';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchBrowser, newPage, screenshot, startE2eSandbox, type E2eSandbox } from './browser';
import { waitForValue } from './wait';

let sandbox: E2eSandbox;
let browser: Browser;

before(async () => {
  sandbox = await startE2eSandbox(7810);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await sandbox?.close();
});

test('with two connections the panel asks which partner, and the copy is created in the chosen one', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(`${sandbox.baseUrl}/project-settings/ALOY`);
  const settings = page.frameLocator('iframe[title*="task-sync-settings"]');
  await settings.getByRole('button', { name: 'Add connection' }).click();
  await settings.locator('#partnerUrl').fill('https://local.atlassian.net');
  await settings.locator('#email').fill(sandbox.cfg.local.admin.email);
  await settings.locator('#apiToken').fill(sandbox.cfg.local.admin.apiToken);
  await settings.locator('#partnerProjectKey').fill('DAEMON');
  await settings.getByRole('button', { name: 'Save' }).click();
  await settings.getByText('Settings saved').waitFor({ timeout: 20_000 });
  await settings.getByRole('button', { name: 'Back to connections' }).click();
  const rows = settings.getByRole('table', { name: 'Connections' }).locator('tbody tr td:first-child');
  await rows.nth(1).waitFor();
  assert.deepEqual(await rows.allTextContents(), ['partner.atlassian.net · PARTNER', 'local.atlassian.net · DAEMON']);
  await screenshot(page, 'connections-2-two');

  await page.goto(`${sandbox.baseUrl}/browse/ALOY-3`);
  const panel = page.frameLocator('iframe[title*="task-sync-panel"]');
  await panel.getByTestId('task-sync-toggle').click();
  const dialog = panel.getByRole('dialog');
  const first = dialog.getByLabel('partner.atlassian.net · PARTNER');
  const second = dialog.getByLabel('local.atlassian.net · DAEMON');
  await second.waitFor();
  assert.equal(await first.isChecked(), true, 'the first partner is chosen until the user picks another');
  await second.check();
  await screenshot(page, 'panel-partner-choice');
  await dialog.getByRole('button', { name: 'Start syncing' }).click();
  const link = panel.getByRole('link', { name: /^DAEMON-\d+$/ });
  await link.waitFor({ timeout: 20_000 });
  await panel.getByTestId('task-sync-toggle-label').filter({ hasText: /^Synced with local\.atlassian\.net$/ }).waitFor();
  await context.close();
});

test('with two connections a removed one is gone from the list and the panel goes back to a single partner', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(`${sandbox.baseUrl}/project-settings/ALOY`);
  const settings = page.frameLocator('iframe[title*="task-sync-settings"]');
  await settings.getByRole('button', { name: 'Remove local.atlassian.net · DAEMON' }).click();
  await settings.getByRole('dialog').getByRole('button', { name: 'Remove connection' }).click();
  const rows = settings.getByRole('table', { name: 'Connections' }).locator('tbody tr');
  await settings.getByRole('dialog').waitFor({ state: 'detached' });
  await waitForValue(() => rows.count(), 1, 'one connection left after Remove');

  await page.goto(`${sandbox.baseUrl}/browse/ALOY-4`);
  const panel = page.frameLocator('iframe[title*="task-sync-panel"]');
  await panel.getByTestId('task-sync-toggle').click();
  await panel.getByRole('dialog').getByText('project PARTNER and keep both in sync?', { exact: false }).waitFor();
  assert.equal(await panel.getByRole('radio').count(), 0, 'one partner: no choice offered');
  await context.close();
});
