/**
 * The Sync log tab and the panel's sync history in a browser against the full sandbox, from real runs plus 1,050
 * entries an earlier version left under `log:` keys (moved to the custom entity by the real migration in the
 * scheduled reconcile), spread over every trigger, direction, two connections and three outcomes: paging past
 * 1,000 entries (each entry once), each filter and a combination (the downloaded CSV, parsed back with papaparse,
 * holds exactly the entries the filter selects, worked out here from everything logged), the detail view, the
 * panel's history; light and dark screenshots of each. The detail view's own tests: ./sync-log-detail.test.ts.
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
let connection = { id: '', label: '' };
const SEEDED = 1_050;
const TRIGGERS = ['create', 'event', 'webhook', 'reconcile', 'manual'] as const;
const DIRECTIONS = ['local-to-partner', 'partner-to-local', 'both', 'none'] as const;
/** Seeded entry i: every trigger and direction, two connections (one no longer configured), 3 outcomes. */
const seed = (i: number, at: number, connectionId: string) => ({
  id: `${String(9_999_999_999_999 - at).padStart(13, '0')}:${String(i).padStart(8, '0')}`,
  at: new Date(at).toISOString(),
  connectionId: i % 2 ? connectionId : 'c-retired',
  trigger: TRIGGERS[i % TRIGGERS.length],
  direction: DIRECTIONS[i % DIRECTIONS.length],
  localIssueKey: `ALOY-${100 + (i % 50)}`,
  partnerIssueKey: `PARTNER-${500 + (i % 50)}`,
  fields: [],
  outcome: i % 7 === 0 ? 'failed' : i % 50 === 1 ? 'no-change' : 'synced',
  message: `Seeded entry ${i}`,
});
/** Minute-aligned time of seeded entry 0 (a day ago); entry i is i minutes older. */
let seedBase = 0;
/** Every entry logged, newest first, read through the resolver without filters (runs that changed nothing too). */
let everything: any[] = [];

before(async () => {
  sandbox = await startE2eSandbox(7840);
  client = new SandboxClient(sandbox.cfg);
  browser = await launchBrowser();
  partnerKey = (await client.enableSync('ALOY-3')).link.partnerIssueKey;
  await client.idle();
  await client.rest('local', 'PUT', '/rest/api/3/issue/ALOY-3', { fields: { summary: 'Read me in the sync log' } });
  await client.idle();
  connection = (await client.invoke('task-sync-settings', 'listConnections', {}, { projectKey: 'ALOY' })).data.connections[0];
  seedBase = Math.floor(Date.now() / 60_000) * 60_000 - 86_400_000;
  const set: Record<string, unknown> = {};
  for (let i = 0; i < SEEDED; i++) {
    const entry = seed(i, seedBase - i * 60_000, connection.id);
    set[`log:ALOY:${entry.id}`] = entry;
  }
  const res = await fetch(`${sandbox.cfg.hostUrl}/__sandbox/kvs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ set }) });
  assert.equal(res.status, 200);
  await client.reconcile();
  await client.idle();
  let cursor: string | undefined;
  do {
    const page = await client.invoke('task-sync-settings', 'querySyncLog', { filter: { includeNoChange: true }, limit: 100, cursor }, { projectKey: 'ALOY' });
    everything.push(...page.data.entries);
    cursor = page.data.cursor ?? undefined;
  } while (cursor);
  const seeded = everything.filter((e) => e.message.startsWith('Seeded entry '));
  assert.equal(seeded.length, SEEDED, 'the migration moved every seeded entry');
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

/** The filter's downloaded CSV as `time | message` rows (header checked and dropped). */
async function csvRows(page: Page, settings: FrameLocator): Promise<string[]> {
  const [download] = await Promise.all([page.waitForEvent('download'), settings.getByRole('button', { name: 'Export CSV' }).click()]);
  const csv = Papa.parse<string[]>(fs.readFileSync((await download.path())!, 'utf8'), { skipEmptyLines: true }).data;
  assert.deepEqual([csv[0][0], csv[0][13]], ['Time', 'Message']);
  return csv.slice(1).map((r) => `${r[0]} | ${r[13]}`);
}
const rowOf = (e: { at: string; message: string }) => `${e.at} | ${e.message}`;

/** `datetime-local` text of `ms` in this machine's time zone (the browser's too). */
const localInput = (ms: number) => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

test('paging goes past 1,000 entries to the last page and back, showing every entry once', async () => {
  const { context, page } = await newPage(browser);
  const settings = await openLog(page, 'light');
  const visible = everything.filter((e) => e.outcome !== 'no-change');
  const pages = Math.ceil(visible.length / 50);
  assert.ok(visible.length > 1_000, `${visible.length} entries`);
  const seen: string[] = [];
  const messages = () => rowsOf(settings).locator('td:nth-child(8)').allInnerTexts();
  seen.push(...(await messages()));
  for (let p = 2; p <= pages; p++) {
    await settings.getByRole('button', { name: 'Next' }).click();
    await settings.getByRole('status').filter({ hasText: new RegExp(`^Page ${p}:`) }).waitFor();
    seen.push(...(await messages()));
  }
  await settings.getByRole('status').filter({ hasText: `Page ${pages}: ${visible.length - (pages - 1) * 50} entries` }).waitFor();
  assert.equal(await settings.getByRole('button', { name: 'Next' }).isDisabled(), true);
  const seededSeen = seen.filter((m) => m.startsWith('Seeded entry '));
  assert.equal(seen.length, visible.length, 'one row per entry over all pages');
  assert.equal(new Set(seededSeen).size, seededSeen.length, 'no seeded entry twice');
  assert.deepEqual(seededSeen, visible.filter((e) => e.message.startsWith('Seeded entry ')).map((e) => e.message), 'none skipped, newest first');
  await screenshot(page, 'sync-log-last-page-light');
  await settings.getByRole('button', { name: 'Previous' }).click();
  await settings.getByRole('status').filter({ hasText: new RegExp(`^Page ${pages - 1}: 50 entries`) }).waitFor();
  await context.close();
});

test('each filter, and filters together, select exactly their entries (read back from the CSV)', async () => {
  const { context, page } = await newPage(browser);
  const from = seedBase - 300 * 60_000;
  const to = seedBase - 120 * 60_000;
  const inRange = (e: { at: string }) => Date.parse(e.at) >= from && Date.parse(e.at) <= to + 59_999;
  const cases: { name: string; apply: (s: FrameLocator) => Promise<void>; keep: (e: any) => boolean }[] = [
    { name: 'connection', apply: (s) => choose(s, 'Connection', connection.label), keep: (e) => e.connectionId === connection.id && e.outcome !== 'no-change' },
    { name: 'direction', apply: (s) => choose(s, 'Direction', 'From partner'), keep: (e) => e.direction === 'partner-to-local' && e.outcome !== 'no-change' },
    { name: 'trigger', apply: (s) => choose(s, 'Trigger', 'Manual'), keep: (e) => e.trigger === 'manual' && e.outcome !== 'no-change' },
    {
      name: 'time range',
      apply: async (s) => {
        await s.getByLabel('From', { exact: true }).fill(localInput(from));
        await s.getByLabel('To', { exact: true }).fill(localInput(to));
      },
      keep: (e) => inRange(e) && e.outcome !== 'no-change',
    },
    // Everything, the runs that changed nothing included (21 seeded, and the app's own).
    { name: 'runs that changed nothing', apply: (s) => s.getByText('Show runs that changed nothing').click(), keep: () => true },
    {
      name: 'outcome, trigger, direction and time together',
      apply: async (s) => {
        await choose(s, 'Outcome', 'synced');
        await choose(s, 'Trigger', 'Partner edit');
        await choose(s, 'Direction', 'Both ways');
        await s.getByLabel('From', { exact: true }).fill(localInput(from));
        await s.getByLabel('To', { exact: true }).fill(localInput(to));
      },
      keep: (e) => e.outcome === 'synced' && e.trigger === 'webhook' && e.direction === 'both' && inRange(e),
    },
  ];
  for (const c of cases) {
    const settings = await openLog(page, 'light');
    await c.apply(settings);
    const expected = everything.filter(c.keep).map(rowOf);
    assert.ok(expected.length > 0, `${c.name}: the seeds hold entries it selects`);
    assert.deepEqual(await csvRows(page, settings), expected, `${c.name}: exactly its entries, newest first`);
    const status = `Page 1: ${Math.min(50, expected.length)} ${expected.length === 1 ? 'entry' : 'entries'}`;
    await settings.getByRole('status').filter({ hasText: status }).waitFor();
  }
  await screenshot(page, 'sync-log-5-combined-filters-light');
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
