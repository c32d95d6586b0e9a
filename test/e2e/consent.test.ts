/**
 * The consent screen in a browser against the full sandbox: a user who has not allowed the app access opens the
 * issue view or project settings; the app's `asUser()` permission check throws `NeedsAuthenticationError`, the
 * resolver lets it reach Forge, and the page shows Jira's "needs your permission" screen with the manifest's scopes
 * in place of the app. "Allow access" grants it and the app loads and works; "Not now" leaves the app unavailable.
 */
import { afterAll as after, beforeAll as before, test } from 'vitest';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, FrameLocator, Locator } from 'playwright-core';
import { parse as parseYaml } from 'yaml';
import { SandboxClient } from '../../sandbox/client';
import { launchBrowser, newPage, screenshot, startE2eSandbox, type E2eSandbox } from './browser';

const ISSUE = 'ALOY-1';
const SCOPES: string[] = parseYaml(fs.readFileSync(path.resolve(__dirname, '../../manifest.yml'), 'utf8')).permissions.scopes;
let sandbox: E2eSandbox;
let client: SandboxClient;
let browser: Browser;

before(async () => {
  sandbox = await startE2eSandbox(7790);
  client = new SandboxClient(sandbox.cfg);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await sandbox?.close();
});

/** Puts the local admin (who the pages act as) in the "has not consented" state. */
const withdrawConsent = () => client.setConsent(sandbox.cfg.local.admin.accountId, false);

/** Who is without consent now (`GET /__sandbox/scopes` → `withoutConsent`). */
async function usersWithoutConsent(): Promise<string[]> {
  const res = await fetch(`${sandbox.baseUrl}/__sandbox/scopes`);
  return ((await res.json()) as { withoutConsent: string[] }).withoutConsent;
}

/** Checks that `screen` names the app, asks in words and lists every manifest scope. */
async function assertConsentScreen(screen: Locator) {
  await screen.waitFor({ timeout: 20_000 });
  assert.equal(await screen.getByRole('heading').textContent(), 'Task sync needs your permission to access your data');
  const items = await screen.getByRole('listitem').allTextContents();
  assert.deepEqual(items.map((t) => t.split(' ').pop()), SCOPES, 'every scope of manifest.yml is listed, in order');
  assert.ok(items.every((t) => t.length > 30), `each scope is said in words too: ${items.join(' | ')}`);
  await screen.getByRole('button', { name: 'Allow access' }).waitFor();
  await screen.getByRole('button', { name: 'Not now' }).waitFor();
  return screen;
}

for (const colorMode of ['light', 'dark'] as const) {
  test(`a user who has not allowed access sees the consent screen for the issue panel, and after Allow access the panel works (${colorMode})`, async () => {
    await withdrawConsent();
    const { context, page } = await newPage(browser, colorMode);
    await page.goto(`${sandbox.baseUrl}/browse/${ISSUE}?theme=${colorMode}`);
    const panelFrame = page.locator('iframe[title*="task-sync-panel"]');
    // The panel's screen: the one that took the panel iframe's place.
    const screen = page.locator('.panel').getByTestId('consent-screen');
    await assertConsentScreen(screen);
    assert.equal(await panelFrame.isHidden(), true, 'the panel is replaced by the consent screen');
    const panel: FrameLocator = page.frameLocator('iframe[title*="task-sync-panel"]');
    assert.equal(await panel.getByText(/internal/i).count(), 0);
    await screenshot(page, `consent-1-issue-asked-${colorMode}`);

    await screen.getByRole('button', { name: 'Allow access' }).click();
    await panel.getByTestId('task-sync-toggle').waitFor({ timeout: 20_000 });
    await page.getByTestId('consent-screen').waitFor({ state: 'detached', timeout: 5_000 }); // no consent screen is left once access is allowed
    await panelFrame.waitFor({ state: 'visible', timeout: 5_000 });
    assert.deepEqual(await usersWithoutConsent(), [], 'the grant is saved for the user');
    await screenshot(page, `consent-2-issue-allowed-${colorMode}`);
    await context.close();
  });
}

test('a user who has not allowed access sees the consent screen on project settings, and after Allow access the settings load', async () => {
  await withdrawConsent();
  const { context, page } = await newPage(browser);
  await page.goto(`${sandbox.baseUrl}/project-settings/ALOY`);
  const screen = await assertConsentScreen(page.getByTestId('consent-screen'));
  await screenshot(page, 'consent-3-settings-asked');
  await screen.getByRole('button', { name: 'Allow access' }).click();
  const settings = page.frameLocator('iframe[title*="task-sync-settings"]');
  await settings.getByRole('table', { name: 'Connections' }).waitFor({ timeout: 20_000 });
  await page.getByTestId('consent-screen').waitFor({ state: 'detached', timeout: 5_000 });
  await screenshot(page, 'consent-4-settings-allowed');
  await context.close();
});

test('choosing Not now keeps the app unavailable, with Allow access still offered, and grants nothing', async () => {
  await withdrawConsent();
  const { context, page } = await newPage(browser);
  await page.goto(`${sandbox.baseUrl}/project-settings/ALOY`);
  const screen = await assertConsentScreen(page.getByTestId('consent-screen'));
  await screen.getByRole('button', { name: 'Not now' }).click();
  await screen.getByText('This app cannot show until you allow it access to your data.').waitFor();
  await screen.getByRole('button', { name: 'Not now' }).waitFor({ state: 'hidden', timeout: 5_000 });
  await screen.getByRole('button', { name: 'Allow access' }).waitFor({ state: 'visible', timeout: 5_000 });
  assert.deepEqual(await usersWithoutConsent(), [sandbox.cfg.local.admin.accountId], 'still without consent');
  await screenshot(page, 'consent-5-settings-not-now');
  await context.close();
});
