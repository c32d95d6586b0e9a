/**
 * The Sync log's detail view and its page states in a browser, from real runs of each kind: a local edit (product
 * event), a partner edit (webhook), a failure (partner token revoked) and a conflict (`manual` policy). The detail
 * names each field's before → after, who edited on which site, the timings, a failure's cause and what to do, and
 * links both issues to their sites; it opens and closes by keyboard, keeps focus inside and gives it back to the row.
 * The tab and the panel's history show loading, empty and error states; the panel lists exactly the issue's last
 * ten sync events out of more. Light and dark screenshots of each.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { TestSandbox } from '../support/sandbox';
import { launchBrowser, newPage, screenshot, watchOrigin } from './browser';

const sb = new TestSandbox(7850);
let browser: Browser;
let partnerUrl = '';
const keys: Record<'edit' | 'webhook' | 'failed' | 'conflict' | 'history', { local: string; partner: string }> = {} as never;
const HISTORY_EDITS = 12;

before(async () => {
  await sb.start();
  watchOrigin(sb.cfg.hostUrl);
  assert.equal((await sb.saveSettings({ conflictPolicy: 'manual' })).ok, true);
  const conns = await sb.invoke('task-sync-settings', 'listConnections', {}, { projectKey: 'ALOY' });
  partnerUrl = conns.data.connections[0].partnerUrl;
  const link = async (kind: keyof typeof keys, local: string) => (keys[kind] = { local, partner: await sb.linked(local) });
  const put = async (site: 'local' | 'partner', key: string, summary: string) => {
    const res = await sb.rest(site, 'PUT', `/rest/api/3/issue/${key}`, { fields: { summary } });
    assert.equal(res.status, 204, JSON.stringify(res.body));
    await sb.idle();
  };
  await link('edit', 'ALOY-3');
  await put('local', 'ALOY-3', 'Detail: a local edit');
  await link('webhook', 'ALOY-4');
  await put('partner', keys.webhook.partner, 'Detail: a partner edit');
  await link('failed', 'ALOY-5');
  await sb.setApiToken('partner', sb.cfg.partner.admin.email, 'revoked');
  try {
    await put('local', 'ALOY-5', 'Detail: edited while the token was revoked');
  } finally {
    await sb.setApiToken('partner', sb.cfg.partner.admin.email, sb.cfg.partner.admin.apiToken);
  }
  await link('conflict', 'ALOY-6');
  await sb.editSummaryOnBothSides('ALOY-6', keys.conflict.partner, { partner: 'Detail: partner side', local: 'Detail: local side' });
  await link('history', 'ALOY-7');
  for (let i = 1; i <= HISTORY_EDITS; i++) await put('local', 'ALOY-7', `History ${i}`);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await sb.stop();
});

const themed = (path: string, colorMode: 'light' | 'dark') => `${sb.cfg.hostUrl}${path}${colorMode === 'dark' ? '?theme=dark' : ''}`;

async function openLog(page: Page, colorMode: 'light' | 'dark'): Promise<FrameLocator> {
  await page.goto(themed('/project-settings/ALOY', colorMode));
  const settings = page.frameLocator('iframe[title*="task-sync-settings"]');
  await settings.getByRole('tab', { name: 'Sync log' }).click();
  await settings.getByRole('status').filter({ hasText: /^Page 1: \d+ entr/ }).waitFor({ timeout: 20_000 });
  return settings;
}

/** Filters the log to one issue key (typed, then Enter) and waits for the page to be read. */
async function filterByIssue(settings: FrameLocator, key: string): Promise<void> {
  const field = settings.getByLabel('Issue key (either side)');
  await field.fill(key);
  await field.press('Enter');
  await settings.getByRole('status').filter({ hasText: /^Page 1: \d+ entr/ }).waitFor();
}

/** Whether the element is the focused element of its frame. */
const isFocused = (l: Locator) => l.evaluate((el) => el === el.ownerDocument.activeElement);

/** Waits until the modal's open animation has finished, so a screenshot shows it as a person does. */
const settled = (dialog: Locator) =>
  dialog.evaluate((el) => Promise.all(el.ownerDocument.getAnimations().filter((a) => a.effect?.getComputedTiming().iterations !== Infinity).map((a) => a.finished.catch(() => undefined))).then(() => undefined));

/** Opens the detail of the newest `outcome` entry of the current filter by keyboard (focus, Enter). */
async function openDetail(settings: FrameLocator, outcome: string, issueKey: string): Promise<{ opener: Locator; dialog: Locator }> {
  const opener = settings.getByRole('button', { name: new RegExp(`^Details of ${outcome} ${issueKey} `) }).first();
  await opener.focus();
  await opener.press('Enter');
  const dialog = settings.getByRole('dialog');
  await dialog.waitFor();
  await settled(dialog);
  return { opener, dialog };
}

/**
 * Closes the detail with Enter on its Close button. (The modal is fixed inside the frame, which the host page grows
 * to its content, so it can sit outside the host's viewport where Playwright will not click it.)
 */
async function closeByKeyboard(dialog: Locator): Promise<void> {
  await dialog.getByRole('button', { name: 'Close' }).press('Enter');
  await dialog.waitFor({ state: 'detached' });
}

/** The text of a `<dd>` after the `<dt>` named `term` in the detail. */
const termText = (dialog: Locator, term: string) => dialog.locator(`dt:text-is("${term}") + dd`).innerText();

for (const colorMode of ['light', 'dark'] as const) {
  describe(`the detail view (${colorMode})`, () => {
    test('a local edit: before → after, the local editor, the timings, both issues linked to their sites', async () => {
      const { context, page } = await newPage(browser, colorMode);
      const settings = await openLog(page, colorMode);
      await filterByIssue(settings, keys.edit.local);
      const { opener, dialog } = await openDetail(settings, 'synced', keys.edit.local);
      const cells = (await dialog.getByRole('row', { name: /^Summary/ }).locator('td').allInnerTexts()).map((t) => t.trim());
      assert.equal(cells[0], 'partner', 'written on the partner issue');
      assert.equal(cells[2], 'Detail: a local edit');
      assert.notEqual(cells[1], cells[2], 'the value the partner held before');
      assert.match(await termText(dialog, 'Who'), /on the local site$/);
      assert.match(await termText(dialog, 'Timings'), /^Event received .+; job started .+ \(after \d+ ms\); ended .+ \(\d+ ms\)$/);
      assert.equal(await dialog.getByRole('link', { name: keys.edit.local }).getAttribute('href'), `/browse/${keys.edit.local}`);
      assert.equal(await dialog.getByRole('link', { name: keys.edit.partner }).getAttribute('href'), `${partnerUrl}/browse/${keys.edit.partner}`);
      assert.equal(await isFocused(dialog.getByRole('button', { name: 'Close' })), true, 'focus starts on Close');
      for (let i = 0; i < 4; i++) {
        await page.keyboard.press('Tab');
        assert.equal(await dialog.evaluate((el) => el.contains(el.ownerDocument.activeElement)), true, `Tab ${i + 1} stays in the dialog`);
      }
      await screenshot(page, `sync-log-detail-1-edit-${colorMode}`);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      assert.equal(await isFocused(opener), true, 'focus goes back to the row that opened it');
      await context.close();
    });

    test('the Fields column names the fields written and shortens a long list (the detail lists them all)', async () => {
      const { context, page } = await newPage(browser, colorMode);
      const settings = await openLog(page, colorMode);
      await filterByIssue(settings, keys.edit.local);
      const table = settings.getByRole('table').filter({ has: settings.getByRole('columnheader', { name: 'Fields' }) }).last();
      const headers = (await table.getByRole('columnheader').allInnerTexts()).map((t) => t.trim());
      const column = headers.indexOf('Fields');
      assert.notEqual(column, -1, `columns: ${headers.join(' | ')}`);
      const fieldsOf = async (outcome: string) => {
        const row = table.getByRole('row').filter({ has: settings.getByRole('button', { name: new RegExp(`^Details of ${outcome} ${keys.edit.local} `) }) }).first();
        return (await row.getByRole('cell').nth(column).innerText()).trim();
      };
      assert.equal(await fieldsOf('synced'), 'Summary', 'the display name of the one field written, not its id');
      assert.match(await fieldsOf('created'), /^\S+, \S+, \S+ \+\d+ more$/, 'sync turned on copies every mapped field: three, then how many more');
      await context.close();
    });

    test('a partner edit names the partner user and what this site held before', async () => {
      const { context, page } = await newPage(browser, colorMode);
      const settings = await openLog(page, colorMode);
      await filterByIssue(settings, keys.webhook.partner);
      const { dialog } = await openDetail(settings, 'synced', keys.webhook.local);
      const cells = (await dialog.getByRole('row', { name: /^Summary/ }).locator('td').allInnerTexts()).map((t) => t.trim());
      assert.equal(cells[0], 'this site');
      assert.equal(cells[2], 'Detail: a partner edit');
      assert.notEqual(cells[1], cells[2], 'the value this site held before');
      assert.match(await termText(dialog, 'Who'), /^\S.* on the partner site$/);
      assert.doesNotMatch(await termText(dialog, 'Who'), /^712020:/, 'the webhook names the person, not an account id');
      assert.match(await termText(dialog, 'Direction'), /From partner/);
      await closeByKeyboard(dialog);
      await context.close();
    });

    test('a failure gives its cause in words and what to do', async () => {
      const { context, page } = await newPage(browser, colorMode);
      const settings = await openLog(page, colorMode);
      await filterByIssue(settings, keys.failed.local);
      const { dialog } = await openDetail(settings, 'failed', keys.failed.local);
      const cause = await termText(dialog, 'Cause');
      assert.match(cause, /rejected the credentials/);
      assert.ok(!(await termText(dialog, 'What happened')).includes(cause), 'the cause is read once');
      assert.match(await termText(dialog, 'What to do'), /API token/);
      await screenshot(page, `sync-log-detail-2-failed-${colorMode}`);
      await closeByKeyboard(dialog);
      await context.close();
    });

    test('a conflict under the manual policy is logged, not silent', async () => {
      const { context, page } = await newPage(browser, colorMode);
      const settings = await openLog(page, colorMode);
      await filterByIssue(settings, keys.conflict.local);
      const { dialog } = await openDetail(settings, 'conflict', keys.conflict.local);
      assert.match(await termText(dialog, 'What happened'), /[Ss]ummary/);
      assert.match(await termText(dialog, 'Who'), /on the local site$/);
      await screenshot(page, `sync-log-detail-3-conflict-${colorMode}`);
      await closeByKeyboard(dialog);
      await context.close();
    });
  });
}

describe('page states', () => {
  for (const colorMode of ['light', 'dark'] as const) {
    test(`the log tab while loading, when nothing matches, and when storage fails (${colorMode})`, async () => {
      const { context, page } = await newPage(browser, colorMode);
      let release: () => void = () => undefined;
      const held = new Promise<void>((r) => (release = r));
      await page.route('**/gateway/invoke', async (route) => {
        if (/"functionKey":"querySyncLog"/.test(route.request().postData() ?? '')) await held;
        await route.continue();
      });
      await page.goto(themed('/project-settings/ALOY', colorMode));
      const settings = page.frameLocator('iframe[title*="task-sync-settings"]');
      await settings.getByRole('tab', { name: 'Sync log' }).click();
      const table = settings.getByRole('table', { name: 'Sync log entries' });
      await settings.getByRole('status').filter({ hasText: 'Loading page 1…' }).waitFor({ timeout: 20_000 });
      await table.waitFor();
      assert.equal(await table.locator('tbody tr').count(), 0, 'no rows yet');
      await screenshot(page, `sync-log-state-1-loading-${colorMode}`);
      release();
      await settings.getByRole('status').filter({ hasText: /^Page 1: \d+ entries/ }).waitFor();
      await page.unroute('**/gateway/invoke');

      await filterByIssue(settings, 'ALOY-999');
      await settings.getByText('No sync log entries match.', { exact: false }).waitFor();
      assert.equal(await settings.getByRole('button', { name: 'Next' }).isDisabled(), true);
      await screenshot(page, `sync-log-state-2-empty-${colorMode}`);

      await sb.kvsFaults({ operations: ['entity/query'], errorRate: 1, status: 503 });
      try {
        await settings.getByRole('region', { name: 'Sync log' }).getByRole('button', { name: 'Refresh' }).click();
        await settings.getByText(/^Forge storage did not answer while reading the sync log \(SERVICE_UNAVAILABLE, HTTP 503\)\. Nothing was changed: try again in a minute\.$/).waitFor();
        await settings.getByText('Nothing to show until the log can be read').waitFor();
        assert.equal(await settings.getByText('No sync log entries match.').count(), 0, 'an outage is not shown as an empty log');
        await screenshot(page, `sync-log-state-3-error-${colorMode}`);
      } finally {
        await sb.kvsFaults(null);
      }
      await settings.getByRole('region', { name: 'Sync log' }).getByRole('button', { name: 'Refresh' }).click();
      await settings.getByText(/^Forge storage did not answer/).waitFor({ state: 'detached' });
      await context.close();
    });

    test(`the panel lists the issue's last ten sync events out of more, and says when it cannot (${colorMode})`, async () => {
      const { context, page } = await newPage(browser, colorMode);
      await page.goto(themed(`/browse/${keys.history.local}`, colorMode));
      const panel = page.frameLocator('iframe[title*="task-sync-panel"]');
      const history = panel.getByRole('region', { name: 'Sync history' });
      await history.locator('ol > li').first().waitFor({ timeout: 20_000 });
      const items = await history.locator('ol.ts-history-list > li').allInnerTexts();
      assert.equal(items.length, 10, `ten of the ${HISTORY_EDITS + 1}+ events: ${items.join(' | ')}`);
      const expected = Array.from({ length: 10 }, (_, i) => `→ History ${HISTORY_EDITS - i}`);
      assert.deepEqual(items.map((t) => expected.find((e) => t.includes(e)) ?? t), expected, 'the newest ten edits, newest first');
      await screenshot(page, `sync-log-panel-history-${colorMode}`);

      await sb.kvsFaults({ operations: ['entity/query'], errorRate: 1, status: 503 });
      try {
        await page.reload();
        await history.getByText('The sync history could not be read').waitFor({ timeout: 20_000 });
        await history.getByText(/^Forge storage did not answer while reading this issue's sync history/).waitFor();
        await screenshot(page, `sync-log-panel-history-error-${colorMode}`);
      } finally {
        await sb.kvsFaults(null);
      }
      await context.close();
    });
  }
});
