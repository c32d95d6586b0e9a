/**
 * The connection editor's worklog choices in a browser (light and dark): Sync worklogs is on by default with the
 * estimate left to each site; turning it off with the keyboard disables the estimate choice, Save stores it, and
 * the connection (read back through the real resolver) no longer syncs worklogs.
 */
import { afterAll as after, beforeAll as before, test } from 'vitest';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { SandboxClient } from '../../sandbox/client';
import { launchBrowser, newPage, screenshot, startE2eSandbox, type E2eSandbox } from './browser';
import { waitForValue } from './wait';

let sandbox: E2eSandbox;
let browser: Browser;

before(async () => {
  sandbox = await startE2eSandbox(7850);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await sandbox?.close();
});

/** Waits until the stored choice is `want` (the save resolves after the notice clears), else fails with what was seen. */
async function waitStored(want: unknown): Promise<void> {
  let seen: unknown;
  for (let i = 0; i < 50; i++) {
    seen = await storedWorklogs();
    if (JSON.stringify(seen) === JSON.stringify(want)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.deepEqual(seen, want);
}

async function storedWorklogs(): Promise<unknown> {
  const res = await new SandboxClient(sandbox.cfg).invoke('task-sync-settings', 'listConnections', {}, { projectKey: 'ALOY' });
  assert.equal(res.ok, true, JSON.stringify(res.error));
  return res.data.connections[0].worklogs;
}

for (const colorMode of ['light', 'dark'] as const) {
  test(`an admin turns worklog sync off and on again with the keyboard, and chooses the estimate (${colorMode})`, async () => {
    const { context, page } = await newPage(browser, colorMode);
    await page.goto(`${sandbox.baseUrl}/project-settings/ALOY${colorMode === 'dark' ? '?theme=dark' : ''}`);
    const settings = page.frameLocator('iframe[title*="task-sync-settings"]');
    await settings.getByRole('button', { name: 'Edit partner.atlassian.net · PARTNER' }).click();
    const group = settings.getByRole('group', { name: 'Worklogs (time tracking)' });
    await group.waitFor();
    const toggle = group.getByRole('checkbox', { name: 'Sync worklogs' });
    const estimate = group.getByRole('combobox', { name: 'Remaining estimate when a worklog is copied' });
    await waitForValue(() => toggle.isChecked(), true, 'on by default');
    await waitForValue(() => estimate.inputValue(), 'leave', "estimates left to each site's own rules by default");
    await screenshot(page, `worklog-settings-1-default-${colorMode}`);

    await toggle.focus();
    await page.keyboard.press('Space');
    await group.getByRole('checkbox', { name: 'Sync worklogs', checked: false }).waitFor({ timeout: 5_000 }); // Space turned it off
    await group.getByRole('combobox', { name: 'Remaining estimate when a worklog is copied', disabled: true }).waitFor({ timeout: 5_000 }); // no estimate choice while worklogs do not sync
    await group.getByText('Hours stay on the site where they were logged').waitFor();
    await settings.getByRole('button', { name: 'Save' }).click();
    await settings.getByText('Settings saved').waitFor({ timeout: 20_000 });
    await waitStored({ enabled: false, adjustEstimate: 'leave' });
    await screenshot(page, `worklog-settings-2-off-${colorMode}`);

    await toggle.focus();
    await page.keyboard.press('Space');
    await estimate.selectOption('auto');
    await settings.getByRole('button', { name: 'Save' }).click();
    await settings.getByText('Settings saved').waitFor({ timeout: 20_000 });
    await waitStored({ enabled: true, adjustEstimate: 'auto' });
    await screenshot(page, `worklog-settings-3-reduce-${colorMode}`);
    // Back to the defaults, so each colour mode starts from them.
    await estimate.selectOption('leave');
    await settings.getByRole('button', { name: 'Save' }).click();
    await waitStored({ enabled: true, adjustEstimate: 'leave' });
    await context.close();
  });
}
