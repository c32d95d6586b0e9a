/**
 * Project settings → Task sync in a browser against the full sandbox: the API token is only ever shown as set,
 * Test connection reports each step, bad input is flagged next to its field, and the sync log opens.
 */
import { afterAll as after, beforeAll as before, test } from 'vitest';
import assert from 'node:assert/strict';
import type { Browser, FrameLocator } from 'playwright-core';
import { launchBrowser, newPage, screenshot, startE2eSandbox, type E2eSandbox } from './browser';
import { waitForValue } from './wait';

let sandbox: E2eSandbox;
let browser: Browser;

before(async () => {
  sandbox = await startE2eSandbox(7770);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await sandbox?.close();
});

/** A new page on ALOY's project settings, and the settings frame in it. */
async function openSettings() {
  const { context, page } = await newPage(browser);
  await page.goto(`${sandbox.baseUrl}/project-settings/ALOY`);
  const settings = page.frameLocator('iframe[title*="task-sync-settings"]');
  await editConnection(settings);
  return { context, page, settings };
}

/** Opens the form of ALOY's one connection (the sandbox's, to PARTNER) from the connections list. */
async function editConnection(settings: FrameLocator) {
  await settings.getByRole('button', { name: 'Edit partner.atlassian.net · PARTNER' }).click();
}

for (const colorMode of ['light', 'dark'] as const) {
  test(`an admin sees the token as set, never its value, and Test connection passes every step (${colorMode})`, async () => {
    const { context, page } = await newPage(browser, colorMode);
    await page.goto(`${sandbox.baseUrl}/project-settings/ALOY${colorMode === 'dark' ? '?theme=dark' : ''}`);
    const settings = page.frameLocator('iframe[title*="task-sync-settings"]');
    await editConnection(settings);
    const token = settings.locator('#apiToken');
    await token.waitFor();
    assert.equal(await token.getAttribute('type'), 'password');
    assert.equal(await token.getAttribute('placeholder'), 'Set — leave empty to keep');
    assert.equal(await token.inputValue(), '');
    const html = await settings.locator('html').innerHTML();
    assert.ok(!html.includes(sandbox.cfg.partner.admin.apiToken), 'the stored API token never reaches the page');

    await settings.getByRole('button', { name: 'Test connection' }).click();
    const steps = settings.getByRole('list', { name: 'Connection steps' }).getByRole('listitem');
    await steps.first().waitFor({ timeout: 20_000 });
    // The steps fill in as the test runs: read them once the outcome is shown.
    await settings.getByText('Connection works').waitFor({ timeout: 20_000 });
    const lines = await steps.allTextContents();
    assert.ok(lines.length > 0, 'Test connection lists its steps');
    assert.deepEqual(lines.filter((l) => !l.startsWith('✓')), [], 'every step passes');
    await screenshot(page, `settings-1-tested-${colorMode}`);
    await context.close();
  });
}

test('a partner URL outside atlassian.net is flagged next to the field and nothing is saved', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(`${sandbox.baseUrl}/project-settings/ALOY`);
  const settings = page.frameLocator('iframe[title*="task-sync-settings"]');
  await editConnection(settings);
  const url = settings.locator('#partnerUrl');
  const saved = await url.inputValue();
  await url.fill('https://evil.example.com');
  await settings.getByRole('button', { name: 'Save' }).click();
  await settings.getByText('Partner URL must look like https://your-partner.atlassian.net').waitFor();
  await screenshot(page, 'settings-2-invalid-url');

  await page.reload();
  await editConnection(settings);
  await waitForValue(() => settings.locator('#partnerUrl').inputValue(), saved, 'the saved URL is unchanged');
  await context.close();
});

test('saving with the token field empty keeps the stored token and shows the webhook registered on the partner', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(`${sandbox.baseUrl}/project-settings/ALOY`);
  const settings = page.frameLocator('iframe[title*="task-sync-settings"]');
  await editConnection(settings);
  await settings.locator('#conflictPolicy').selectOption('manual');
  await settings.getByRole('button', { name: 'Save' }).click();
  await settings.getByText('Settings saved').waitFor({ timeout: 20_000 });
  await settings.getByText('Webhook registered on partner', { exact: true }).waitFor();
  const saved = settings.getByRole('definition').filter({ hasText: 'Decide manually' });
  assert.equal(await saved.count(), 1, 'the saved policy is shown');
  assert.equal(await settings.locator('#apiToken').getAttribute('placeholder'), 'Set — leave empty to keep');
  await screenshot(page, 'settings-4-saved');
  await context.close();
});

test('a missing partner project is named in words, shown once, and the failure is gone after a successful Save', async () => {
  const { context, page, settings } = await openSettings();
  const key = settings.locator('#partnerProjectKey');
  await key.fill('NOPE');
  const words = 'Project NOPE was not found on partner.atlassian.net — check the key.';

  await settings.getByRole('button', { name: 'Test connection' }).click();
  await settings.getByText('Connection failed').waitFor({ timeout: 20_000 });
  const failedStep = settings.getByRole('listitem').filter({ hasText: 'Find project NOPE' });
  await waitForValue(async () => (await failedStep.textContent())?.trim(), `✗Find project NOPE — ${words}`, 'the failed step says why');

  await settings.getByRole('button', { name: 'Save' }).click();
  await settings.getByRole('button', { name: 'Save' }).and(settings.locator(':enabled')).waitFor({ timeout: 20_000 });
  await settings.getByText(words).waitFor();
  assert.equal(await settings.getByText(words).count(), 1, 'the error is shown once, not in a banner and the old test result');
  assert.equal(await settings.getByText('Connection failed').count(), 0, 'the earlier Test connection result is gone');
  const body = (await settings.locator('body').textContent()) ?? '';
  assert.doesNotMatch(body, /\/rest\//, 'no REST path in what the admin reads');
  await screenshot(page, 'settings-5-missing-project');

  await key.fill('PARTNER');
  await settings.getByRole('button', { name: 'Save' }).click();
  await settings.getByText('Settings saved').waitFor({ timeout: 20_000 });
  await waitForValue(() => settings.getByText(words).count(), 0, 'the old failure is gone after a successful Save');
  await context.close();
});

test('a wrong API token is explained in words at Test connection and Save, and saving the right one clears it', async () => {
  const { context, page, settings } = await openSettings();
  const token = settings.locator('#apiToken');
  await token.fill('not-the-token');
  const words = /^partner\.atlassian\.net did not accept the email and API token \(401 Unauthorized\) — check both/;

  await settings.getByRole('button', { name: 'Test connection' }).click();
  const step = settings.getByRole('listitem').filter({ hasText: 'Sign in to partner.atlassian.net' });
  await step.waitFor({ timeout: 20_000 });
  await waitForValue(async () => words.test((await step.textContent())!.replace(/^✗Sign in to partner\.atlassian\.net — /, '')), true, `the sign-in step says ${words}`, 20_000);

  await settings.getByRole('button', { name: 'Save' }).click();
  const banner = settings.getByText(words);
  await banner.waitFor({ timeout: 20_000 });
  assert.equal(await banner.count(), 1, 'one error, once');

  await token.fill(sandbox.cfg.partner.admin.apiToken);
  await settings.getByRole('button', { name: 'Save' }).click();
  await settings.getByText('Settings saved').waitFor({ timeout: 20_000 });
  await waitForValue(() => banner.count(), 0, 'the failure banner is gone after a successful Save');
  await context.close();
});

test('an upper-case partner URL with a trailing slash is saved as https://partner.atlassian.net', async () => {
  const { context, page, settings } = await openSettings();
  await settings.locator('#partnerUrl').fill('HTTPS://Partner.Atlassian.NET/');
  await settings.getByRole('button', { name: 'Save' }).click();
  await settings.getByText('Settings saved').waitFor({ timeout: 20_000 });
  await waitForValue(() => settings.locator('#partnerUrl').inputValue(), 'https://partner.atlassian.net', 'the saved URL is shown in its normal form');
  const savedSite = settings.getByRole('definition').filter({ hasText: 'atlassian.net' }).first();
  assert.equal(await savedSite.textContent(), 'https://partner.atlassian.net', 'the server stored the normalised URL');
  await context.close();
});

test('mirroring role-restricted comments is off until an admin turns it on, and stays on after Save', async () => {
  const { context, page, settings } = await openSettings();
  const box = settings.getByLabel('Mirror comments restricted to a project role');
  assert.equal(await box.isChecked(), false, 'off by default');
  await box.check();
  await settings.getByRole('button', { name: 'Save' }).click();
  await settings.getByText('Settings saved').waitFor({ timeout: 20_000 });
  await page.reload();
  await editConnection(settings);
  await settings.getByRole('checkbox', { name: 'Mirror comments restricted to a project role', checked: true }).waitFor({ timeout: 5_000 }); // saved
  await settings.getByLabel('Mirror comments restricted to a project role').uncheck();
  await settings.getByRole('button', { name: 'Save' }).click();
  await settings.getByText('Settings saved').waitFor({ timeout: 20_000 });
  await context.close();
});

test('after an issue is synced, the sync log records the partner issue being created', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(`${sandbox.baseUrl}/browse/ALOY-2`);
  const panel = page.frameLocator('iframe[title*="task-sync-panel"]');
  await panel.getByTestId('task-sync-toggle').click();
  await panel.getByRole('dialog').getByRole('button', { name: 'Start syncing' }).click();
  const partnerKey = (await panel.getByRole('link', { name: /^PARTNER-\d+$/ }).textContent({ timeout: 20_000 }))!;
  // A manual sync of two equal issues is a run that changed nothing (the app's own echoes cost no run at all).
  await panel.getByRole('button', { name: 'Sync now' }).click();
  await page.waitForTimeout(1_000);

  await page.goto(`${sandbox.baseUrl}/project-settings/ALOY`);
  const settings = page.frameLocator('iframe[title*="task-sync-settings"]');
  await settings.getByRole('tab', { name: 'Sync log' }).click();
  // The create job writes its entry asynchronously: refresh until it is there, as an admin would.
  const created = settings.getByRole('row').filter({ hasText: 'ALOY-2' }).filter({ hasText: partnerKey }).filter({ has: settings.getByText('created', { exact: true }) });
  const deadline = Date.now() + 15_000;
  while ((await created.count()) === 0 && Date.now() < deadline) {
    await settings.getByRole('region', { name: 'Sync log' }).getByRole('button', { name: 'Refresh' }).click();
    // Refreshing: wait until the list is loaded again (the button is enabled) before looking.
    await settings.getByRole('region', { name: 'Sync log' }).getByRole('button', { name: 'Refresh' }).and(settings.locator(':enabled')).waitFor({ timeout: 10_000 });
    await page.waitForTimeout(500);
  }
  assert.equal(await created.count(), 1, `one entry records ${partnerKey} being created for ALOY-2`);
  // Runs that found both sides equal (the Sync now above) are logged too, but hidden until asked for.
  const quiet = settings.getByRole('row').filter({ has: settings.getByText('no-change', { exact: true }) });
  assert.equal(await quiet.count(), 0, 'no-change runs are hidden by default');
  await settings.getByText('Show runs that changed nothing').click(); // log: an Atlaskit Toggle, switched by its label
  await quiet.first().waitFor({ timeout: 5_000 });
  await screenshot(page, 'settings-3-sync-log');
  await context.close();
});
