/**
 * The Sync log tab and the panel's sync history in a browser against the full sandbox, from real runs plus 1,050
 * entries an earlier version left under `log:` keys (moved to the custom entity by the real migration in the
 * scheduled reconcile): paging past 1,000 entries, the outcome and issue-key filters, the detail view, the CSV
 * download (parsed back with papaparse), the panel's history; light and dark screenshots of each.
 */
import { afterAll as after, beforeAll as before, test } from 'vitest';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import Papa from 'papaparse';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { SandboxClient } from '../../sandbox/client';
import { launchBrowser, newPage, screenshot, startE2eSandbox, type E2eSandbox } from './browser';
import { waitForValue } from './wait';

let sandbox: E2eSandbox;
let client: SandboxClient;
let browser: Browser;
let partnerKey = '';
const SEEDED = 1_050;

before(async () => {
  sandbox = await startE2eSandbox(7840);
  client = new SandboxClient(sandbox.cfg);
  browser = await launchBrowser();
  partnerKey = (await client.enableSync('ALOY-3')).link.partnerIssueKey;
  await client.idle();
  await client.rest('local', 'PUT', '/rest/api/3/issue/ALOY-3', { fields: { summary: 'Read me in the sync log' } });
  await client.idle();
  const now = Date.now();
  const set: Record<string, unknown> = {};
  for (let i = 0; i < SEEDED; i++) {
    const at = now - 86_400_000 - i * 60_000;
    const id = `${String(9_999_999_999_999 - at).padStart(13, '0')}:${String(i).padStart(8, '0')}`;
    set[`log:ALOY:${id}`] = { id, at: new Date(at).toISOString(), connectionId: null, trigger: 'reconcile', direction: 'none', localIssueKey: `ALOY-${100 + (i % 50)}`, partnerIssueKey: null, fields: [], outcome: i % 7 ? 'synced' : 'failed', message: `Seeded entry ${i}` };
  }
  const res = await fetch(`${sandbox.cfg.hostUrl}/__sandbox/kvs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ set }) });
  assert.equal(res.status, 200);
  await client.reconcile();
  await client.idle();
});
after(async () => {
  await browser?.close();
  await sandbox?.close();
});

async function openLog(page: Page, colorMode: 'light' | 'dark'): Promise<FrameLocator> {
  await page.goto(`${sandbox.baseUrl}/project-settings/ALOY${colorMode === 'dark' ? '?theme=dark' : ''}`);
  const settings = page.frameLocator('iframe[title*="task-sync-settings"]');
  await settings.getByRole('tab', { name: 'Sync log' }).click();
  await settings.getByRole('status').filter({ hasText: /^Page 1: 50 entries/ }).waitFor({ timeout: 20_000 });
  return settings;
}

const rowsOf = (settings: FrameLocator) => settings.getByRole('table', { name: 'Sync log entries' }).locator('tbody tr');

async function choose(settings: FrameLocator, label: string, option: string) {
  const input = settings.getByLabel(label, { exact: true });
  await input.fill(option);
  await input.press('Enter');
}

test('paging goes past 1,000 entries to the last page and back', async () => {
  const { context, page } = await newPage(browser);
  const settings = await openLog(page, 'light');
  const total = SEEDED + 3; // the seeded ones, the creation, its comment copy and the summary sync (runs that changed nothing hidden)
  const pages = Math.ceil(total / 50);
  for (let p = 2; p <= pages; p++) {
    await settings.getByRole('button', { name: 'Next' }).click();
    await settings.getByRole('status').filter({ hasText: new RegExp(`^Page ${p}:`) }).waitFor();
  }
  await settings.getByRole('status').filter({ hasText: `Page ${pages}: ${total - (pages - 1) * 50} entries` }).waitFor();
  assert.equal(await settings.getByRole('button', { name: 'Next' }).isDisabled(), true);
  await assert.doesNotReject(settings.getByText('Seeded entry 1049').waitFor());
  await screenshot(page, 'sync-log-last-page-light');
  await settings.getByRole('button', { name: 'Previous' }).click();
  await settings.getByRole('status').filter({ hasText: new RegExp(`^Page ${pages - 1}: 50 entries`) }).waitFor();
  await context.close();
});

for (const colorMode of ['light', 'dark'] as const) {
  test(`filters, the detail view and the CSV download (${colorMode})`, async () => {
    const { context, page } = await newPage(browser, colorMode);
    const settings = await openLog(page, colorMode);
    await screenshot(page, `sync-log-1-tab-${colorMode}`);

    await choose(settings, 'Outcome', 'failed');
    await settings.getByRole('status').filter({ hasText: /^Page 1: 50 entries/ }).waitFor();
    const outcomes = await rowsOf(settings).locator('td:nth-child(7)').allInnerTexts();
    assert.ok(outcomes.length === 50 && outcomes.every((o) => o.trim().toLowerCase() === 'failed'), outcomes.join(','));
    await choose(settings, 'Outcome', 'Any');

    await settings.getByLabel('Issue key (either side)').fill('ALOY-3');
    await settings.getByLabel('Issue key (either side)').press('Enter');
    await settings.getByRole('status').filter({ hasText: /^Page 1: 3 entries/ }).waitFor();
    await waitForValue(() => rowsOf(settings).count(), 3, 'created, its comment copy, the summary sync');
    await screenshot(page, `sync-log-2-filtered-${colorMode}`);

    await rowsOf(settings).first().getByRole('button', { name: /^Details of synced ALOY-3/ }).click();
    const dialog = settings.getByRole('dialog');
    await dialog.waitFor();
    const summaryRow = dialog.getByRole('row', { name: /Summary/ });
    await assert.doesNotReject(summaryRow.getByText('Read me in the sync log').waitFor());
    await assert.doesNotReject(dialog.getByText(/Event received .*job started/).waitFor());
    await screenshot(page, `sync-log-3-detail-${colorMode}`);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });

    const [download] = await Promise.all([page.waitForEvent('download'), settings.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = Papa.parse<string[]>(fs.readFileSync((await download.path())!, 'utf8'), { skipEmptyLines: true }).data;
    assert.equal(csv[0][0], 'Time');
    assert.deepEqual(csv[0].slice(4, 7), ['Issue', 'Partner issue', 'Outcome']);
    assert.equal(csv.length, 4, 'the header and the three filtered entries');
    assert.deepEqual(csv.slice(1).map((r) => [r[4], r[5]]), [['ALOY-3', partnerKey], ['ALOY-3', partnerKey], ['ALOY-3', partnerKey]]);
    assert.match(csv[1][8], /Summary \(partner\): .* → Read me in the sync log/);
    await context.close();
  });

  test(`the issue panel shows the issue's sync history (${colorMode})`, async () => {
    const { context, page } = await newPage(browser, colorMode);
    await page.goto(`${sandbox.baseUrl}/browse/ALOY-3${colorMode === 'dark' ? '?theme=dark' : ''}`);
    const panel = page.frameLocator('iframe[title*="task-sync-panel"]');
    const history = panel.getByRole('region', { name: 'Sync history' });
    await history.waitFor({ timeout: 20_000 });
    assert.equal(await history.getByRole('listitem').filter({ hasText: /synced|created/ }).count() >= 2, true);
    await assert.doesNotReject(history.getByText(/Summary on the partner issue: .* → Read me in the sync log/).waitFor());
    await screenshot(page, `sync-log-4-panel-history-${colorMode}`);
    await context.close();
  });
}
