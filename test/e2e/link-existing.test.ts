/**
 * Linking issues that already exist, in a browser against the full sandbox: from the issue panel (search the
 * partner project, see the differing fields with both values, choose per field or all from partner, confirm) and in
 * bulk from project settings (match by a partner field holding the local key, preview, choose, link with progress).
 * Both sites are read back over REST.
 */
import { afterAll as after, beforeAll as before, test } from 'vitest';
import assert from 'node:assert/strict';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { adfParagraph, TestSandbox } from '../support/sandbox';
import { launchBrowser, newPage, screenshot, watchOrigin } from './browser';

const sb = new TestSandbox(20400);
let browser: Browser;

before(async () => {
  await sb.start();
  watchOrigin(sb.cfg.hostUrl);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await sb.stop();
});

const PANEL = 'iframe[title*="task-sync-panel"]';

async function partnerIssue(fields: Record<string, unknown>): Promise<string> {
  const res = await sb.rest('partner', 'POST', '/rest/api/3/issue', { fields: { project: { key: 'PARTNER' }, issuetype: { name: 'Task' }, ...fields } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.key;
}

/** Opens the issue, opens the dialog, searches `query`, chooses `partnerKey`; returns the panel and the dialog. */
async function openPair(page: Page, issueKey: string, query: string, partnerKey: string) {
  await page.goto(`${sb.cfg.hostUrl}/browse/${issueKey}`);
  const panel = page.frameLocator(PANEL);
  await panel.getByRole('button', { name: 'Link to an existing partner issue' }).click();
  const dialog = panel.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByRole('textbox', { name: 'Partner issue key or summary' }).fill(query);
  await dialog.getByRole('button', { name: 'Search' }).click();
  const hit = dialog.getByRole('listitem').filter({ hasText: partnerKey });
  await hit.getByRole('button', { name: 'Choose' }).click();
  await dialog.getByRole('heading', { name: `Link ${issueKey} with ${partnerKey}` }).waitFor();
  await page.waitForFunction((sel) => (document.querySelector(sel) as HTMLElement).offsetHeight >= 600, PANEL);
  await page.locator(PANEL).evaluate((f) => f.scrollIntoView({ block: 'start' }));
  return { panel, dialog };
}

async function linkAndWait(panel: FrameLocator, partnerKey: string) {
  const dialog = panel.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Link and sync' }).click();
  await dialog.waitFor({ state: 'detached' });
  await panel.getByRole('status').filter({ hasText: `Linked with ${partnerKey}` }).waitFor();
  await panel.getByTestId('task-sync-toggle-label').filter({ hasText: 'Synced with partner.atlassian.net' }).waitFor();
  await sb.idle();
}

test('per field: the dialog shows both values, nothing is linked until every field is chosen; summary from partner, the rest from local', async () => {
  const partnerKey = await partnerIssue({ summary: 'Checkout freezes on partner', labels: ['from-partner'], description: adfParagraph('The partner wrote this description.') });
  const local = (await sb.issue('local', 'ALOY-82', 'summary,labels,description')).fields;
  const { context, page } = await newPage(browser);
  const { panel, dialog } = await openPair(page, 'ALOY-82', 'checkout freezes', partnerKey);

  const summary = dialog.getByRole('region', { name: 'Summary', exact: true });
  const values = await summary.locator('.ts-conflict-value').evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
  assert.deepEqual(values, [`Local · ALOY-82 ${local.summary}`, `Partner · ${partnerKey} Checkout freezes on partner`]);
  await dialog.getByRole('region', { name: 'Description', exact: true }).getByText('The partner wrote this description.').waitFor();
  const confirm = dialog.getByRole('button', { name: /^Choose \d+ more$/ });
  assert.equal(await confirm.isDisabled(), true, 'nothing can be linked before every differing field has a choice');
  await screenshot(page, 'link-existing-1-differences');

  await dialog.getByRole('button', { name: 'All from local' }).click();
  await summary.getByRole('button', { name: 'Use partner' }).click();
  await summary.getByRole('button', { name: 'Use partner', pressed: true }).waitFor({ timeout: 5_000 });
  await dialog.getByTestId('chosen-summary').filter({ hasText: `Starting value: partner · ${partnerKey}` }).waitFor();
  await screenshot(page, 'link-existing-2-chosen');
  await screenshot(page, 'link-existing', { docs: true, fullPage: false });
  await linkAndWait(panel, partnerKey);
  await screenshot(page, 'link-existing-3-linked');

  const [l, p] = [(await sb.issue('local', 'ALOY-82', 'summary,labels,description')).fields, (await sb.issue('partner', partnerKey, 'summary,labels,description')).fields];
  assert.equal(l.summary, 'Checkout freezes on partner');
  assert.equal(p.summary, 'Checkout freezes on partner');
  assert.deepEqual(p.labels, local.labels);
  assert.deepEqual(l.labels, local.labels);
  assert.deepEqual(p.description, l.description);
  assert.deepEqual(l.description, local.description, 'the local description stayed');
  await context.close();
});

test('all from partner: every differing partner value is written to the local issue', async () => {
  const partnerKey = await partnerIssue({ summary: 'Partner truth for everything', labels: ['p1', 'p2'] });
  const { context, page } = await newPage(browser);
  const { panel, dialog } = await openPair(page, 'ALOY-83', partnerKey, partnerKey);
  await dialog.getByRole('button', { name: 'All from partner' }).click();
  await linkAndWait(panel, partnerKey);
  const l = (await sb.issue('local', 'ALOY-83', 'summary,labels,description')).fields;
  assert.equal(l.summary, 'Partner truth for everything');
  assert.deepEqual(l.labels, ['p1', 'p2']);
  assert.equal(l.description, null, 'the partner had no description, so the local one was emptied as chosen');
  await context.close();
});

test('a partner issue already linked is shown as such and cannot be chosen', async () => {
  const partnerKey = await sb.linked('ALOY-84');
  const { context, page } = await newPage(browser);
  await page.goto(`${sb.cfg.hostUrl}/browse/ALOY-85`);
  const panel = page.frameLocator(PANEL);
  await panel.getByRole('button', { name: 'Link to an existing partner issue' }).click();
  const dialog = panel.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Partner issue key or summary' }).fill(partnerKey);
  await dialog.getByRole('button', { name: 'Search' }).click();
  const hit = dialog.getByRole('listitem').filter({ hasText: partnerKey });
  await hit.getByText('Already synced with ALOY-84').waitFor();
  await hit.getByRole('button', { name: 'Choose', disabled: true }).waitFor({ timeout: 5_000 });
  await context.close();
});

test('bulk: match by a partner field holding the local key, preview, all from partner, link with progress', async () => {
  const FIELD = 'customfield_10041';
  const a = await partnerIssue({ summary: 'Bulk partner A', [FIELD]: 'ALOY-86' });
  const b = await partnerIssue({ summary: 'Bulk partner B', [FIELD]: 'ALOY-87' });
  await partnerIssue({ summary: 'Bulk partner C', [FIELD]: 'ALOY-90' });
  await partnerIssue({ summary: 'Bulk partner C again', [FIELD]: 'ALOY-90' });
  const { context, page } = await newPage(browser);
  await page.goto(`${sb.cfg.hostUrl}/project-settings/ALOY`);
  const settings = page.frameLocator('iframe[title*="task-sync-settings"]');
  await settings.getByRole('tab', { name: 'Link existing' }).click();
  await settings.getByRole('textbox', { name: 'Local JQL' }).fill('key in (ALOY-86, ALOY-87, ALOY-90, ALOY-91)');
  await settings.getByRole('textbox', { name: 'Partner JQL' }).fill('summary ~ "Bulk partner"');
  await settings.getByRole('textbox', { name: 'Key field id' }).fill(FIELD);
  await settings.getByRole('button', { name: 'Find pairs' }).click();
  const summary = settings.getByTestId('match-summary');
  await summary.waitFor();
  await summary.filter({ hasText: /2 pairs found · 1 local and 0 partner issues without a match · 1 ambiguous · 0 already linked/ }).waitFor();
  const rows = await settings.getByRole('table', { name: 'Pairs found' }).locator('tbody tr').evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText.split('\t').slice(0, 2)));
  assert.deepEqual(rows, [['ALOY-86', a], ['ALOY-87', b]]);
  await settings.getByRole('list', { name: 'Ambiguous keys' }).getByText(/ALOY-90/).waitFor();
  assert.equal(await settings.getByRole('button', { name: /^Choose \d+ more$/ }).isDisabled(), true);
  await settings.getByRole('button', { name: 'All from partner' }).click();
  await screenshot(page, 'link-existing-4-bulk-preview');
  await settings.getByRole('button', { name: 'Link 2 pairs' }).click();
  await settings.getByTestId('match-progress').filter({ hasText: '2 of 2 done · 2 linked · 0 failed' }).waitFor({ timeout: 30_000 });
  await screenshot(page, 'link-existing-5-bulk-done');
  await sb.idle();
  assert.equal((await sb.issue('local', 'ALOY-86')).fields.summary, 'Bulk partner A');
  assert.equal((await sb.issue('local', 'ALOY-87')).fields.summary, 'Bulk partner B');
  assert.equal((await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: 'ALOY-90' })).data.link, null, 'the ambiguous issue was not linked');
  await context.close();
});
