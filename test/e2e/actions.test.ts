/**
 * What people do with a linked issue, in a browser against the full sandbox: pause and resume from the panel
 * (edits wait while paused and arrive on resume), Sync now, Unlink (both issues stay), and an admin retrying a
 * failed sync from the Sync log once the partner's API token is fixed.
 */
import { afterAll as after, beforeAll as before, test } from 'vitest';
import assert from 'node:assert/strict';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { SandboxClient } from '../../sandbox/client';
import { launchBrowser, newPage, screenshot, startE2eSandbox, type E2eSandbox } from './browser';
import { waitForValue } from './wait';

let sandbox: E2eSandbox;
let client: SandboxClient;
let browser: Browser;

before(async () => {
  sandbox = await startE2eSandbox(7780);
  client = new SandboxClient(sandbox.cfg);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await sandbox?.close();
});

/** Links `issueKey` through the app (as the panel's confirmation would) and waits for the partner copy. */
async function linked(issueKey: string): Promise<string> {
  const view = await client.enableSync(issueKey);
  await client.idle();
  return view.link.partnerIssueKey;
}

async function summaryOf(site: 'local' | 'partner', key: string): Promise<string> {
  return (await client.issue(site, key, 'summary')).fields.summary;
}

async function setSummary(site: 'local' | 'partner', key: string, summary: string): Promise<void> {
  const res = await client.rest(site, 'PUT', `/rest/api/3/issue/${key}`, { fields: { summary } });
  assert.equal(res.status, 204, `editing ${site} ${key} answered ${res.status}: ${JSON.stringify(res.body)}`);
}

const setPartnerToken = (apiToken: string) => client.setApiToken('partner', sandbox.cfg.partner.admin.email, apiToken);

const PANEL = 'iframe[title*="task-sync-panel"]';

/**
 * Clicks `opener` and returns the panel's dialog once the frame has grown around it and is scrolled into view, as
 * a person would scroll: the dialog is fixed inside the frame, which Playwright cannot scroll to on its own.
 */
async function openDialog(page: Page, opener: Locator): Promise<Locator> {
  await opener.click();
  const dialog = page.frameLocator(PANEL).getByRole('dialog');
  await dialog.waitFor();
  await page.waitForFunction((sel) => (document.querySelector(sel) as HTMLElement).offsetHeight >= 400, PANEL);
  await page.locator(PANEL).evaluate((f) => f.scrollIntoView({ block: 'end' }));
  return dialog;
}

async function openIssue(page: Page, issueKey: string): Promise<FrameLocator> {
  await page.goto(`${sandbox.baseUrl}/browse/${issueKey}`);
  const panel = page.frameLocator(PANEL);
  await panel.getByRole('link', { name: /^PARTNER-\d+$/ }).waitFor({ timeout: 20_000 });
  return panel;
}

test('a paused issue keeps its edits to itself until resumed, then they reach the partner', async () => {
  const partnerKey = await linked('ALOY-3');
  const { context, page } = await newPage(browser);
  const panel = await openIssue(page, 'ALOY-3');

  await panel.getByRole('button', { name: 'Pause sync' }).click();
  await panel.getByText('Paused', { exact: true }).waitFor();
  await panel.getByText('Edits wait until you resume.').waitFor();
  await panel.getByTestId('task-sync-toggle-label').filter({ hasText: /^Sync with partner\.atlassian\.net is paused$/ }).waitFor();
  assert.equal(await panel.getByText('In sync', { exact: true }).count(), 0, 'a paused link does not claim to be in sync');
  const glance = page.frameLocator('iframe[title*="task-sync-glance"]');
  await glance.getByText(`Paused: ${partnerKey}`).waitFor({ timeout: 10_000 });
  await screenshot(page, 'actions-1-paused');
  const dark = await newPage(browser, 'dark');
  await dark.page.goto(`${sandbox.baseUrl}/browse/ALOY-3?theme=dark`);
  await dark.page.frameLocator(PANEL).getByText('Edits wait until you resume.').waitFor();
  await screenshot(dark.page, 'actions-1-paused-dark');
  await dark.context.close();

  const before = await summaryOf('partner', partnerKey);
  const edited = 'Edited while sync was paused';
  await setSummary('local', 'ALOY-3', edited);
  await client.idle();
  assert.equal(await summaryOf('partner', partnerKey), before, 'the partner issue keeps its summary while paused');

  await panel.getByRole('button', { name: 'Resume sync' }).click();
  await panel.getByRole('button', { name: 'Pause sync' }).waitFor();
  await panel.getByText('Edits wait until you resume.').waitFor({ state: 'detached', timeout: 5_000 });
  await client.idle();
  assert.equal(await summaryOf('partner', partnerKey), edited, 'resuming syncs the edit made while paused');
  await context.close();
});

test('Sync now brings over a partner edit whose webhook never arrived', async () => {
  const partnerKey = await linked('ALOY-5');
  const faults = `${sandbox.cfg.partner.url}/__sandbox/faults`;
  await fetch(faults, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ webhookDrop: 1 }) });
  const edited = 'Edited on the partner, webhook lost';
  try {
    await setSummary('partner', partnerKey, edited);
    await client.idle();
  } finally {
    await fetch(faults, { method: 'DELETE' });
  }
  assert.notEqual(await summaryOf('local', 'ALOY-5'), edited, 'without the webhook the edit has not arrived');

  const { context, page } = await newPage(browser);
  const panel = await openIssue(page, 'ALOY-5');
  await panel.getByRole('button', { name: 'Sync now' }).click();
  await panel.getByText(/^Sync queued\./).waitFor();
  await client.idle();
  assert.equal(await summaryOf('local', 'ALOY-5'), edited, 'Sync now copied the partner edit');
  await context.close();
});

test('unlinking after confirming leaves both issues as they are and turns the toggle off', async () => {
  const partnerKey = await linked('ALOY-6');
  const { context, page } = await newPage(browser);
  const panel = await openIssue(page, 'ALOY-6');
  const toggleInput = panel.getByTestId('task-sync-toggle--input');

  // Turning the toggle off asks the same question as Unlink; Cancel keeps the link.
  let dialog = await openDialog(page, panel.getByTestId('task-sync-toggle'));
  assert.match((await dialog.textContent()) ?? '', new RegExp(`Stop syncing ALOY-6 with ${partnerKey}\\? Both issues stay as they are\\.`));
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await toggleInput.isChecked(), true, 'Cancel keeps the issue synced');

  dialog = await openDialog(page, panel.getByRole('button', { name: 'Unlink', exact: true }));
  assert.match((await dialog.textContent()) ?? '', /Turning sync on again later creates a new copy in partner\.atlassian\.net\./);
  await screenshot(page, 'actions-2-unlink-confirm');
  await dialog.getByRole('button', { name: 'Unlink', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  await panel.getByRole('link', { name: partnerKey }).waitFor({ state: 'detached' });
  await waitForValue(() => toggleInput.isChecked(), false, 'the toggle is off after unlinking');
  assert.equal(await toggleInput.isDisabled(), false, 'sync can be turned on again');

  const glance = page.frameLocator('iframe[title*="task-sync-glance"]');
  await glance.getByText('Not synced').waitFor({ timeout: 10_000 });
  await client.idle();
  const partner = await client.rest('partner', 'GET', `/rest/api/3/issue/${partnerKey}?fields=summary`);
  assert.equal(partner.status, 200, `the partner issue ${partnerKey} still exists`);
  await screenshot(page, 'actions-3-unlinked');
  await context.close();
});

test('when the partner issue is deleted, the panel says why and offers only Unlink', async () => {
  const partnerKey = await linked('ALOY-9');
  const deleted = await client.rest('partner', 'DELETE', `/rest/api/3/issue/${partnerKey}`);
  assert.equal(deleted.status, 204, `deleting ${partnerKey} answered ${deleted.status}`);
  await setSummary('local', 'ALOY-9', 'Edited after the partner copy was deleted');
  await client.idle();

  const { context, page } = await newPage(browser);
  const panel = await openIssue(page, 'ALOY-9');
  await panel.getByText('Link broken', { exact: true }).waitFor();
  await panel.getByText('Last sync problem').waitFor();
  const buttons = await panel.getByRole('group', { name: 'Sync actions' }).getByRole('button').allTextContents();
  assert.deepEqual(buttons, ['Unlink']);
  await screenshot(page, 'actions-6-broken');
  await context.close();
});

for (const colorMode of ['light', 'dark'] as const) {
  test(`an admin retries a sync that failed on a revoked partner token, and it goes through (${colorMode})`, async () => {
    const issueKey = colorMode === 'light' ? 'ALOY-7' : 'ALOY-8';
    const partnerKey = await linked(issueKey);
    const edited = `Edited while the partner token was revoked (${colorMode})`;
    const { context, page } = await newPage(browser, colorMode);
    await setPartnerToken('rotated');
    try {
      await setSummary('local', issueKey, edited);
      await client.idle();

      await page.goto(`${sandbox.baseUrl}/project-settings/ALOY${colorMode === 'dark' ? '?theme=dark' : ''}`);
      const settings = page.frameLocator('iframe[title*="task-sync-settings"]');
      await settings.getByRole('tab', { name: 'Sync log' }).click();
      const failedSection = settings.getByRole('region', { name: 'Failed syncs' });
      const row = failedSection.getByRole('row').filter({ hasText: issueKey });
      await row.waitFor({ timeout: 10_000 });
      assert.match((await row.textContent()) ?? '', new RegExp(`${issueKey}${partnerKey}partner-auth`));
      await failedSection.getByRole('button', { name: 'Retry all "partner-auth"' }).waitFor();
      await screenshot(page, `actions-4-failed-${colorMode}`);

      await setPartnerToken(sandbox.cfg.partner.admin.apiToken);
      await row.getByRole('button', { name: 'Retry' }).click();
      await settings.getByText('Queued 1 issue for another try.').waitFor();
      await client.idle();
      // The page re-reads both lists a moment after the retry.
      await failedSection.waitFor({ state: 'detached', timeout: 10_000 });
      assert.equal(await summaryOf('partner', partnerKey), edited, 'the retried sync carried the edit to the partner');
      await screenshot(page, `actions-5-retried-${colorMode}`);
    } finally {
      await setPartnerToken(sandbox.cfg.partner.admin.apiToken);
      await context.close();
    }
  });
}
