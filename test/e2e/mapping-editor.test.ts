/**
 * Project settings → Task sync → connections and a connection's field mapping editor, in a browser against the
 * full sandbox (ALOY linked to PARTNER with the default mapping): the list names the partner, the editor's tables
 * come from both sites' real schemas, edits are saved with the connection, and a field off the partner's screen
 * is flagged.
 */
import { afterAll as after, beforeAll as before, test } from 'vitest';
import assert from 'node:assert/strict';
import type { Browser, FrameLocator } from 'playwright-core';
import { launchBrowser, newPage, screenshot, startE2eSandbox, type E2eSandbox } from './browser';
import { waitForValue } from './wait';

let sandbox: E2eSandbox;
let browser: Browser;
const LABEL = 'partner.atlassian.net · PARTNER';

before(async () => {
  sandbox = await startE2eSandbox(7800);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await sandbox?.close();
});

/** A new page on ALOY's settings with the PARTNER connection's field mapping open. */
async function openEditor(colorMode: 'light' | 'dark' = 'light') {
  const { context, page } = await newPage(browser, colorMode);
  await page.goto(`${sandbox.baseUrl}/project-settings/ALOY${colorMode === 'dark' ? '?theme=dark' : ''}`);
  const settings = page.frameLocator('iframe[title*="task-sync-settings"]');
  await settings.getByRole('button', { name: `Field mapping of ${LABEL}` }).click();
  await settings.getByRole('table', { name: 'Fields' }).waitFor({ timeout: 20_000 });
  return { context, page, settings };
}

const tab = (settings: FrameLocator, name: string) => settings.getByRole('tab', { name, exact: true }).click();

test('the connections list names the partner site and project and shows the webhook registered', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(`${sandbox.baseUrl}/project-settings/ALOY`);
  const settings = page.frameLocator('iframe[title*="task-sync-settings"]');
  const rows = settings.getByRole('table', { name: 'Connections' }).locator('tbody tr');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 1, 'the sandbox has one connection');
  const cells = await rows.first().locator('td').allTextContents();
  assert.deepEqual(cells.slice(0, 4), [LABEL, 'https://partner.atlassian.net', 'PARTNER', 'Registered']);

  await settings.getByRole('button', { name: `Remove ${LABEL}` }).click();
  const dialog = settings.getByRole('dialog');
  await dialog.getByText('Issues linked with https://partner.atlassian.net project PARTNER stop syncing', { exact: false }).waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await rows.count(), 1, 'Cancel removes nothing');

  await settings.getByRole('button', { name: 'Add connection' }).click();
  await waitForValue(() => settings.locator('#partnerUrl').inputValue(), '', 'Add opens an empty form');
  await waitForValue(() => settings.locator('#apiToken').getAttribute('placeholder'), 'Not set', 'a new connection has no API token');
  await screenshot(page, 'connections-1-add');
  await context.close();
});

test('the editor lists both sites real statuses, fields and users, and names each partner status way back', async () => {
  const { context, settings } = await openEditor();
  const fieldRows = settings.getByRole('table', { name: 'Fields' }).locator('tbody tr');
  assert.ok((await fieldRows.count()) >= 5, 'the default mapping has rows');
  assert.ok(await settings.getByText('Changes apply from the next sync; history is not rewritten.').isVisible());

  await tab(settings, 'Statuses');
  const toPartner = settings.getByRole('table', { name: 'statuses from ALOY to PARTNER' });
  await toPartner.locator('tbody tr').first().waitFor(); // the tab renders after the click
  const localNames = await toPartner.locator('tbody tr td:first-child').allTextContents();
  for (const name of ['Open', 'In Progress', 'Reopened', 'Resolved', 'Closed', 'In Review', 'In QE Test']) assert.ok(localNames.includes(name), `ALOY status ${name} listed`);
  const back = settings.getByRole('table', { name: 'statuses from PARTNER to ALOY' });
  const backLabels = await back.locator('tbody tr td:first-child').allTextContents();
  assert.ok(backLabels.length >= 3 && backLabels.every((l) => /^Partner .+ comes back as$/.test(l)), backLabels.join(' | '));

  await tab(settings, 'Users');
  const users = settings.getByRole('table', { name: 'users from ALOY to PARTNER' }).locator('tbody tr');
  await users.first().waitFor(); // local users listed
  await context.close();
});

test('an admin maps a status and makes a field one-way, saves, and finds both after a reload', async () => {
  const { context, page, settings } = await openEditor();
  const direction = settings.getByLabel('Direction of Summary');
  await direction.selectOption('to-partner');

  await tab(settings, 'Statuses');
  const inReview = settings.getByLabel('In Review', { exact: true });
  await inReview.waitFor(); // the tab renders after the click
  const partnerStatuses = await inReview.locator('option').allTextContents();
  const target = partnerStatuses.find((s) => s !== 'No counterpart')!;
  await inReview.selectOption({ label: target });
  await settings.getByText('Unsaved changes.').waitFor();
  await settings.getByRole('button', { name: 'Save mapping' }).click();
  await settings.getByText('Mapping saved').waitFor({ timeout: 20_000 });

  await page.reload();
  await settings.getByRole('button', { name: `Field mapping of ${LABEL}` }).click();
  await waitForValue(() => settings.getByLabel('Direction of Summary').inputValue(), 'to-partner', 'the direction was saved');
  await tab(settings, 'Statuses');
  const saved = settings.getByLabel('In Review', { exact: true });
  await waitForValue(() => saved.locator('option:checked').textContent(), target, 'the status choice was saved');

  // Reset to defaults puts the default choice back (unsaved until Save).
  await settings.getByRole('button', { name: 'Reset to defaults' }).click();
  await tab(settings, 'Fields');
  await waitForValue(() => settings.getByLabel('Direction of Summary').inputValue(), 'both', 'Reset to defaults puts the default direction back');
  await context.close();
});

test('choosing a partner field that is not on the partner create screen is flagged on its row', async () => {
  const { context, page, settings } = await openEditor();
  const select = settings.locator('select[id^="partner-"]').filter({ has: settings.locator('option', { hasText: 'Cc (not on screen)' }) }).first();
  const label = await settings.locator(`label[for="${await select.getAttribute('id')}"]`).textContent();
  await select.selectOption({ label: 'Cc (not on screen)' });
  await settings.getByText("Cc is not on PARTNER's create screen: the sync cannot set it there.").waitFor();
  assert.ok(label, 'the flagged row names its local field');
  await screenshot(page, 'mapping-2-off-screen-flagged');
  await context.close();
});

for (const colorMode of ['light', 'dark'] as const) {
  test(`the mapping editor reads well in the ${colorMode} theme, with a value map open`, async () => {
    const { context, page, settings } = await openEditor(colorMode);
    const values = settings.getByRole('button', { name: 'Edit values' }).first();
    if ((await values.count()) > 0) await values.click();
    await screenshot(page, `mapping-1-editor-${colorMode}`);
    await tab(settings, 'Statuses');
    await screenshot(page, `mapping-3-statuses-${colorMode}`);
    await context.close();
  });
}


test('a preview of ALOY-1 with the edited mapping shows what the partner issue would get, and saves nothing', async () => {
  const { context, page, settings } = await openEditor();
  await settings.getByLabel('Direction of Summary').selectOption('off');
  await tab(settings, 'Preview');
  await settings.getByLabel('Issue key').fill('ALOY-1');
  await settings.getByRole('button', { name: 'Preview', exact: true }).click();
  const rows = settings.getByRole('table', { name: 'Previewed fields' }).locator('tbody tr');
  await rows.first().waitFor({ timeout: 20_000 });
  const summary = rows.filter({ hasText: 'Summary' });
  assert.ok((await summary.count()) === 0 || (await summary.getByText('Not written').count()) === 1, 'Summary is off: not written');
  await screenshot(page, 'mapping-4-preview');
  await context.close();
});
