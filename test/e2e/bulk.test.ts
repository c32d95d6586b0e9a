/**
 * Project settings → Task sync → Bulk in a browser against the full sandbox: link 200 real ALOY issues by JQL with
 * the progress bar to completion, cancelling and resuming on the way; then import partner issues by JQL.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, test } from 'vitest';
import type { Browser, FrameLocator } from 'playwright-core';
import { SandboxClient } from '../../sandbox/client';
import { launchBrowser, newPage, screenshot, startE2eSandbox, type E2eSandbox } from './browser';
import { waitForValue } from './wait';

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

/** Keys of a local or partner search, every page. */
async function keys(site: 'local' | 'partner', jql: string): Promise<string[]> {
  const out: string[] = [];
  let nextPageToken: string | undefined;
  do {
    const r = await client.rest(site, 'POST', '/rest/api/3/search/jql', { jql, fields: ['key'], maxResults: 1000, nextPageToken });
    assert.equal(r.status, 200);
    out.push(...r.body.issues.map((i: any) => i.key));
    nextPageToken = r.body.nextPageToken;
  } while (nextPageToken);
  return out;
}

async function bulkTab() {
  const { context, page } = await newPage(browser, 'light', { width: 1280, height: 1200 });
  await page.goto(`${sandbox.baseUrl}/project-settings/ALOY`);
  const settings = page.frameLocator('iframe[title*="task-sync-settings"]');
  await settings.getByRole('tab', { name: 'Bulk' }).click();
  return { context, page, settings };
}

/** Progress bar value (0–100) of one flow. */
async function progress(settings: FrameLocator, flow: string): Promise<number> {
  return Number(await settings.getByRole('progressbar', { name: `${flow} progress` }).getAttribute('aria-valuenow'));
}

test('link by JQL: 200 real issues, progress bar to completion, cancel and resume on the way', async () => {
  const range = (await keys('local', 'project = ALOY AND key >= ALOY-947 ORDER BY key ASC')).slice(0, 200);
  assert.equal(range.length, 200);
  const jql = `key >= ${range[0]} AND key <= ${range[199]}`;
  const partnerBefore = (await keys('partner', 'project = PARTNER')).length;
  const { context, page, settings } = await bulkTab();
  const flow = settings.getByRole('region', { name: 'Link by JQL' });
  await flow.getByRole('textbox', { name: 'Link by JQL: JQL' }).fill(jql);
  await flow.getByRole('button', { name: 'Preview' }).click();
  const preview = settings.getByRole('region', { name: 'Link by JQL preview' });
  await preview.getByRole('status').filter({ hasText: '200 issues match' }).waitFor();
  await waitForValue(() => preview.getByRole('listitem').count(), 10, 'a sample of ten');
  await preview.getByRole('button', { name: 'Create partner copies of 200 issues' }).click();

  const run = settings.getByRole('region', { name: 'Link by JQL progress' });
  await run.getByRole('status').filter({ hasText: /Working: ([1-9]\d*) partner copies created/ }).waitFor({ timeout: 60_000 });
  await run.getByRole('button', { name: 'Cancel' }).click();
  await run.getByRole('status').filter({ hasText: /^Cancelled:/ }).waitFor();
  await client.idle(60_000);
  const atCancel = await progress(settings, 'Link by JQL');
  assert.ok(atCancel > 0 && atCancel < 100, `stopped part way (${atCancel}%)`);
  await screenshot(page, 'bulk-link-cancelled');

  await run.getByRole('button', { name: 'Resume' }).click();
  await run.getByRole('status').filter({ hasText: /^Done: 200 partner copies created, 0 skipped \(already linked\), 0 failed, of 200\.$/ }).waitFor({ timeout: 400_000 });
  assert.equal(await progress(settings, 'Link by JQL'), 100);
  await screenshot(page, 'bulk-tab', { docs: true, fullPage: false });
  await client.idle(120_000);
  // The partner site indexes no property of ours (only an app's own site does), so count its issues instead.
  const partnerAfter = (await keys('partner', 'project = PARTNER')).length;
  assert.equal(partnerAfter - partnerBefore, 200, 'exactly one partner copy per issue');
  await context.close();
}, 600_000);

test('import from partner by JQL: partner issues become local issues, shown in the report', async () => {
  for (let n = 1; n <= 5; n++) {
    const r = await client.rest('partner', 'POST', '/rest/api/3/issue', { fields: { project: { key: 'PARTNER' }, issuetype: { name: 'Task' }, summary: `Partner request ${n}`, labels: ['for-aloy'] } });
    assert.equal(r.status, 201);
  }
  await client.idle();
  const { context, page, settings } = await bulkTab();
  const flow = settings.getByRole('region', { name: 'Import from partner by JQL' });
  await flow.getByRole('textbox', { name: 'Import from partner by JQL: JQL' }).fill('labels = for-aloy');
  await flow.getByRole('button', { name: 'Preview' }).click();
  const preview = settings.getByRole('region', { name: 'Import from partner by JQL preview' });
  await preview.getByRole('status').filter({ hasText: '5 issues match' }).waitFor();
  await preview.getByRole('button', { name: 'Import 5 partner issues' }).click();
  const run = settings.getByRole('region', { name: 'Import from partner by JQL progress' });
  await run.getByRole('status').filter({ hasText: /^Done: 5 local issues imported, 0 skipped/ }).waitFor({ timeout: 120_000 });
  await screenshot(page, 'bulk-import-done');
  const local = await keys('local', 'project = ALOY AND summary ~ "Partner request"');
  assert.equal(local.length, 5);
  await context.close();
}, 300_000);
