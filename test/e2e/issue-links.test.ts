/**
 * The panel says which issue links are not mirrored and why (issue 12): a link from a synced issue to one that is
 * not synced reads "Blocks ALOY-…: not mirrored, ALOY-… is not synced", in light and dark themes.
 */
import { afterAll as after, beforeAll as before, test } from 'vitest';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { SandboxClient } from '../../sandbox/client';
import { launchBrowser, newPage, screenshot, startE2eSandbox, type E2eSandbox } from './browser';

let sandbox: E2eSandbox;
let browser: Browser;
let client: SandboxClient;

before(async () => {
  sandbox = await startE2eSandbox(7860);
  browser = await launchBrowser();
  client = new SandboxClient(sandbox.cfg);
}, 120_000);
after(async () => {
  await browser?.close();
  await sandbox?.close();
});

test('a link with only one end synced shows "not mirrored" in the panel, light and dark', async () => {
  await client.enableSync('ALOY-5');
  await client.idle();
  const r = await client.rest('local', 'POST', '/rest/api/3/issueLink', { type: { name: 'Blocks' }, outwardIssue: { key: 'ALOY-5' }, inwardIssue: { key: 'ALOY-9' } });
  assert.equal(r.status, 201);
  await client.idle();
  for (const scheme of ['light', 'dark'] as const) {
    const { context, page } = await newPage(browser, scheme);
    await page.goto(`${sandbox.baseUrl}/browse/ALOY-5?theme=${scheme}`);
    const panel = page.frameLocator('iframe[title*="task-sync-panel"]');
    await panel.locator(`html[data-color-mode="${scheme}"]`).waitFor({ timeout: 20_000 });
    const section = panel.getByRole('region', { name: 'Issue links and parent' });
    await section.getByText('Blocks ALOY-9: not mirrored, ALOY-9 is not synced').waitFor({ timeout: 20_000 });
    assert.deepEqual(await section.getByRole('listitem').allTextContents(), ['Blocks ALOY-9: not mirrored, ALOY-9 is not synced']);
    await screenshot(page, `panel-issue-links-${scheme}`);
    await context.close();
  }
}, 120_000);
