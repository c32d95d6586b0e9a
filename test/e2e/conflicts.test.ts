/**
 * Conflicts people resolve, in a browser against the full sandbox with the connection's policy `manual`: a field
 * changed on both sides shows in the issue panel with its base, local and partner values; Keep local, Keep
 * partner and a merged edit (a summary in a text field, a description in the rich-text editor) each ask before
 * writing, and afterwards both sites hold the chosen value (read back over REST). The Sync log lists conflicts still
 * waiting, linking both issues, and the mapping editor saves a field's own conflict policy, which then settles a
 * conflict of that field without asking.
 */
import { afterAll as after, beforeAll as before, test } from 'vitest';
import assert from 'node:assert/strict';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { TestSandbox } from '../support/sandbox';
import { launchBrowser, newPage, screenshot, watchOrigin } from './browser';
import { waitForValue } from './wait';

const sb = new TestSandbox(7820);
let browser: Browser;
let base: string;

before(async () => {
  await sb.start();
  watchOrigin(sb.cfg.hostUrl);
  base = sb.cfg.hostUrl;
  const saved = await sb.saveSettings({ conflictPolicy: 'manual' });
  assert.equal(saved.ok, true, JSON.stringify(saved.error));
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await sb.stop();
});

const PANEL = 'iframe[title*="task-sync-panel"]';
/** A user of the local site who may browse ALOY but not edit its issues (seeded by the emulator). */
const VIEWER = '712020:6b7c8d9e-local-viewer';
const GLANCE = 'iframe[title*="task-sync-glance"]';
const CONTEXT = 'iframe[title*="task-sync-context"]';

const fieldOf = async (site: 'local' | 'partner', key: string, field: string) => (await sb.issue(site, key, field)).fields[field];

/** Opens an issue and waits for its panel's conflict list to show `field`'s card. */
async function openConflict(page: Page, issueKey: string, field: string, query = ''): Promise<{ panel: FrameLocator; card: Locator }> {
  await page.goto(`${base}/browse/${issueKey}${query}`);
  const panel = page.frameLocator(PANEL);
  const card = panel.getByRole('region', { name: field, exact: true });
  await card.waitFor({ timeout: 20_000 });
  return { panel, card };
}

/** The three values of a card as the person reads them: label and words of base, local and partner. */
async function valuesOf(card: Locator): Promise<string[]> {
  return card.locator('.ts-conflict-value').evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
}

/**
 * Clicks `choice` and returns the confirmation once the frame has grown around it and is scrolled into view (the
 * dialog is fixed inside the frame, which Playwright cannot scroll to by itself).
 */
async function confirmation(page: Page, panel: FrameLocator, choice: Locator, by: 'mouse' | 'keyboard' = 'mouse'): Promise<Locator> {
  if (by === 'keyboard') {
    await choice.focus();
    await choice.press('Enter');
  } else await choice.click();
  const dialog = panel.getByRole('dialog');
  await dialog.waitFor();
  await page.waitForFunction((sel) => (document.querySelector(sel) as HTMLElement).offsetHeight >= 400, PANEL);
  await page.locator(PANEL).evaluate((f) => f.scrollIntoView({ block: 'end' }));
  return dialog;
}

/** Writes the confirmed choice and waits for the panel to say so and the link to be back in sync. */
async function writeToBoth(panel: FrameLocator, dialog: Locator, done: string): Promise<void> {
  // Activated from the keyboard: with the rich-text editor above it, the dialog's layout settles late and
  // Playwright's click waits for a still target; Enter on the focused button is what a keyboard user does.
  await dialog.getByRole('button', { name: 'Write to both' }).press('Enter');
  await dialog.waitFor({ state: 'detached' });
  await panel.getByRole('status').filter({ hasText: done }).waitFor();
  await sb.idle();
}

test('keep local: the panel shows the three values, asks, and both sites then hold the local summary', async () => {
  const original = await fieldOf('local', 'ALOY-20', 'summary');
  const partnerKey = await sb.linked('ALOY-20');
  await sb.editSummaryOnBothSides('ALOY-20', partnerKey, { partner: 'Partner wording of 20', local: 'Local wording of 20' });

  const { context, page } = await newPage(browser);
  const scripts: string[] = [];
  page.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname));
  const { panel, card } = await openConflict(page, 'ALOY-20', 'Summary');
  // The conflict list is a chunk of its own; the rich-text renderer stays unloaded for a plain-text conflict.
  assert.ok(scripts.some((p) => /\/ConflictList-[^/]+\.js$/.test(p)), scripts.join(' '));
  assert.ok(!scripts.some((p) => /\/rich-[^/]+\.js$/.test(p)), `no rich-text chunk for a summary conflict: ${scripts.join(' ')}`);
  await panel.getByText('Conflict', { exact: true }).waitFor();
  await page.frameLocator(GLANCE).getByText(`Conflict with ${partnerKey}`).waitFor({ timeout: 10_000 });
  await page.frameLocator(CONTEXT).getByText(`Conflict with ${partnerKey}`).waitFor({ timeout: 10_000 });
  assert.deepEqual(await valuesOf(card), [`Before (last synced) ${original}`, 'Local · ALOY-20 Local wording of 20', `Partner · ${partnerKey} Partner wording of 20`]);
  await panel.getByRole('heading', { name: 'Waiting for your decision (1 field)' }).waitFor();
  await screenshot(page, 'conflicts-1-panel');
  await screenshot(page, 'conflict-panel', { docs: true, fullPage: false });

  // Cancel writes nothing.
  let dialog = await confirmation(page, panel, card.getByRole('button', { name: 'Keep local' }));
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await fieldOf('partner', partnerKey, 'summary'), 'Partner wording of 20');

  dialog = await confirmation(page, panel, card.getByRole('button', { name: 'Keep local' }));
  assert.match((await dialog.textContent()) ?? '', new RegExp(`This writes this value to both ALOY-20 and ${partnerKey}.*Local wording of 20`));
  await screenshot(page, 'conflicts-2-confirm-keep-local');
  await writeToBoth(panel, dialog, `Summary: the local value was written to ALOY-20 and ${partnerKey}.`);
  assert.equal(await fieldOf('local', 'ALOY-20', 'summary'), 'Local wording of 20');
  assert.equal(await fieldOf('partner', partnerKey, 'summary'), 'Local wording of 20');
  await panel.getByText('In sync', { exact: true }).waitFor({ timeout: 10_000 });
  assert.equal(await card.count(), 0, 'the card is gone once settled');
  await page.frameLocator(GLANCE).getByText(`Synced with ${partnerKey}`).waitFor({ timeout: 10_000 });
  await page.frameLocator(CONTEXT).getByText(`Synced with ${partnerKey}`).waitFor({ timeout: 10_000 });
  await screenshot(page, 'conflicts-3-settled');
  await context.close();
});

test('keep partner, from the keyboard (dark): both sites then hold the partner summary', async () => {
  const partnerKey = await sb.linked('ALOY-21');
  await sb.editSummaryOnBothSides('ALOY-21', partnerKey, { partner: 'Partner wording of 21', local: 'Local wording of 21' });

  const { context, page } = await newPage(browser, 'dark');
  const { panel, card } = await openConflict(page, 'ALOY-21', 'Summary', '?theme=dark');
  await screenshot(page, 'conflicts-4-panel-dark');
  // From the keyboard: Enter on the choice opens the confirmation with "Write to both" focused; Enter writes.
  const dialog = await confirmation(page, panel, card.getByRole('button', { name: 'Keep partner' }), 'keyboard');
  assert.match((await dialog.textContent()) ?? '', /Partner wording of 21/);
  await screenshot(page, 'conflicts-5-confirm-dark');
  const write = dialog.getByRole('button', { name: 'Write to both' });
  assert.equal(await write.evaluate((b) => b === document.activeElement), true, 'the confirm button has the focus');
  await write.press('Enter');
  await dialog.waitFor({ state: 'detached' });
  await panel.getByRole('status').filter({ hasText: `Summary: the partner value was written to ALOY-21 and ${partnerKey}.` }).waitFor();
  await sb.idle();
  assert.equal(await fieldOf('local', 'ALOY-21', 'summary'), 'Partner wording of 21');
  assert.equal(await fieldOf('partner', partnerKey, 'summary'), 'Partner wording of 21');
  await context.close();
});

const doc = (...content: unknown[]) => ({ type: 'doc', version: 1, content });
const para = (...content: unknown[]) => ({ type: 'paragraph', content });
const text = (t: string, marks?: unknown[]) => (marks ? { type: 'text', text: t, marks } : { type: 'text', text: t });
const LOCAL_DESCRIPTION = doc(
  { type: 'heading', attrs: { level: 3 }, content: [text('Steps')] },
  { type: 'bulletList', content: [{ type: 'listItem', content: [para(text('Open the app'))] }, { type: 'listItem', content: [para(text('Press Sync'))] }] },
  para(text('Local note', [{ type: 'strong' }])),
);
const PARTNER_DESCRIPTION = doc(para(text('Partner rewrote the description')));

test('a merged edit: a summary in a text field, a rich description in the editor, each written to both sites', async () => {
  const partnerKey = await sb.linked('ALOY-22');
  await sb.editOnBothSides('ALOY-22', partnerKey, {
    partner: { summary: 'Partner wording of 22', description: PARTNER_DESCRIPTION },
    local: { summary: 'Local wording of 22', description: LOCAL_DESCRIPTION },
  });

  const { context, page } = await newPage(browser);
  const { panel, card } = await openConflict(page, 'ALOY-22', 'Summary');
  const description = panel.getByRole('region', { name: 'Description', exact: true });
  // The description is rendered, not flattened: the local value's heading and list items.
  const localValue = description.locator('.ts-conflict-value').nth(1);
  await localValue.locator('.ts-adf h3', { hasText: 'Steps' }).waitFor();
  assert.deepEqual(await localValue.locator('.ts-adf li').allInnerTexts(), ['Open the app', 'Press Sync']);
  assert.equal(await localValue.locator('.ts-adf strong').innerText(), 'Local note');
  await screenshot(page, 'conflicts-6-rich');

  await card.getByRole('button', { name: 'Edit merged value' }).click();
  const merged = card.getByRole('textbox', { name: 'Merged Summary' });
  await waitForValue(() => merged.inputValue(), 'Local wording of 22', 'prefilled with the local value');
  await merged.fill('Merged wording of 22');
  let dialog = await confirmation(page, panel, card.getByRole('button', { name: 'Use merged value' }));
  assert.match((await dialog.textContent()) ?? '', /Merged wording of 22/);
  await writeToBoth(panel, dialog, `Summary: the merged value was written to ALOY-22 and ${partnerKey}.`);
  assert.equal(await fieldOf('local', 'ALOY-22', 'summary'), 'Merged wording of 22');
  assert.equal(await fieldOf('partner', partnerKey, 'summary'), 'Merged wording of 22');
  await panel.getByText('Conflict', { exact: true }).waitFor();

  await description.getByRole('button', { name: 'Edit merged value' }).click();
  const editor = description.getByRole('textbox', { name: 'Merged Description' });
  await editor.waitFor();
  // Into the editor, to the end of the bold last paragraph; Ctrl+B ends the bold, then the partner's words.
  // The toolbar follows the selection after a render, so wait for its state rather than read it at once.
  const toolbar = description.getByRole('toolbar', { name: 'Formatting of Merged Description' });
  const bold = (pressed: boolean) => toolbar.getByRole('button', { name: 'Bold', pressed });
  await editor.click();
  await editor.press('Control+End');
  await bold(true).waitFor({ timeout: 5_000 }); // the caret sits in bold text
  await editor.press('Control+b');
  await bold(false).waitFor({ timeout: 5_000 }); // Ctrl+B turned bold off
  assert.equal(await toolbar.getByRole('button', { name: 'Bold' }).getAttribute('aria-pressed'), 'false', 'Ctrl+B turned bold off');
  await page.keyboard.type(' and what the partner wrote');
  await screenshot(page, 'conflicts-7-rich-editor');
  dialog = await confirmation(page, panel, description.getByRole('button', { name: 'Use merged value' }));
  await dialog.locator('.ts-adf li', { hasText: 'Press Sync' }).waitFor();
  await writeToBoth(panel, dialog, `Description: the merged value was written to ALOY-22 and ${partnerKey}.`);

  for (const [site, key] of [['local', 'ALOY-22'], ['partner', partnerKey]] as const) {
    const written = await fieldOf(site, key, 'description');
    assert.deepEqual(written.content.map((n: { type: string }) => n.type), ['heading', 'bulletList', 'paragraph'], `${site} keeps the structure`);
    const last = written.content[2].content;
    assert.deepEqual(last.map((n: { text: string }) => n.text), ['Local note', ' and what the partner wrote'], `${site} has the merged words`);
    assert.deepEqual(last[0].marks, [{ type: 'strong' }], `${site} keeps the bold`);
  }
  await panel.getByText('In sync', { exact: true }).waitFor({ timeout: 10_000 });
  await context.close();
});

/** A description with every kind of node the panel must draw readably (mention, status, date, emoji, card…). */
const RICH = (adminId: string) => doc(
  { type: 'panel', attrs: { panelType: 'warning' }, content: [para(text('Check before release'))] },
  para(
    text('Ask '), { type: 'mention', attrs: { id: adminId, text: '@Local Admin' } }, text(', now '),
    { type: 'status', attrs: { text: 'In review', color: 'blue', localId: 's-1' } }, text(' due '),
    { type: 'date', attrs: { timestamp: '1767225600000' } }, text(' '), { type: 'emoji', attrs: { shortName: ':smile:', text: '😄' } },
    text(' see '), { type: 'inlineCard', attrs: { url: 'https://example.com/spec' } },
  ),
  { type: 'taskList', attrs: { localId: 'tl-1' }, content: [
    { type: 'taskItem', attrs: { localId: 'ti-1', state: 'DONE' }, content: [text('Write the spec')] },
    { type: 'taskItem', attrs: { localId: 'ti-2', state: 'TODO' }, content: [text('Review it')] },
  ] },
  { type: 'codeBlock', attrs: { language: 'javascript' }, content: [text('const answer = 42;')] },
  { type: 'table', attrs: { isNumberColumnEnabled: false, layout: 'default' }, content: [
    { type: 'tableRow', content: [{ type: 'tableHeader', attrs: {}, content: [para(text('Site'))] }, { type: 'tableHeader', attrs: {}, content: [para(text('Owner'))] }] },
    { type: 'tableRow', content: [{ type: 'tableCell', attrs: {}, content: [para(text('local'))] }, { type: 'tableCell', attrs: {}, content: [para(text('Ann'))] }] },
  ] },
  { type: 'blockquote', content: [para(text('Quoted words'))] },
  { type: 'expand', attrs: { title: 'Details' }, content: [para(text('Hidden at first'))] },
  { type: 'rule' },
);

test('a rich description is drawn readably in the panel: panel, mention, status, date, emoji, link, tasks, code, table', async () => {
  const partnerKey = await sb.linked('ALOY-28');
  await sb.editOnBothSides('ALOY-28', partnerKey, { partner: { description: PARTNER_DESCRIPTION }, local: { description: RICH(sb.cfg.local.admin.accountId) } });
  for (const colorMode of ['light', 'dark'] as const) {
    const { context, page } = await newPage(browser, colorMode);
    const scripts: string[] = [];
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname));
    const { card } = await openConflict(page, 'ALOY-28', 'Description', colorMode === 'dark' ? '?theme=dark' : '');
    const local = card.locator('.ts-conflict-value').nth(1).locator('.ts-adf');
    await local.locator('[data-panel-type="warning"]', { hasText: 'Check before release' }).waitFor();
    assert.ok(scripts.some((p) => /\/rich-[^/]+\.js$/.test(p)), `the rich-text chunk was loaded on demand: ${scripts.join(' ')}`);
    assert.equal(await local.locator('[data-mention-id]').innerText(), '@Local Admin');
    assert.equal(await local.locator('[data-node-type="status"]').innerText(), 'IN REVIEW');
    assert.equal(await local.locator('[data-node-type="date"]').innerText(), '1 Jan 2026');
    assert.equal(await local.locator('[data-emoji-short-name]').innerText(), '😄');
    assert.equal(await local.getByRole('link', { name: 'https://example.com/spec' }).getAttribute('href'), 'https://example.com/spec');
    assert.deepEqual(await local.locator('[data-task-local-id]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-task-state'), e.textContent])), [['DONE', 'Write the spec'], ['TODO', 'Review it']]);
    assert.equal(await local.locator('pre').innerText(), 'const answer = 42;');
    const cells = await local.locator('table tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => `${c.tagName}:${c.textContent}`)));
    assert.deepEqual(cells, [['TH:Site', 'TH:Owner'], ['TD:local', 'TD:Ann']]);
    await local.locator('blockquote', { hasText: 'Quoted words' }).waitFor();
    await local.locator('[data-node-type="expand"]', { hasText: 'Hidden at first' }).waitFor();
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, `conflicts-12-rich-nodes-${colorMode}`);
    await context.close();
  }
});

for (const colorMode of ['light', 'dark'] as const) {
  test(`the Sync log lists conflicts waiting for a decision, linking both issues (${colorMode})`, async () => {
    const issueKey = colorMode === 'light' ? 'ALOY-23' : 'ALOY-25';
    const partnerKey = await sb.linked(issueKey);
    await sb.editSummaryOnBothSides(issueKey, partnerKey, { partner: `Partner ${issueKey}`, local: `Local ${issueKey}` });

    const { context, page } = await newPage(browser, colorMode);
    await page.goto(`${base}/project-settings/ALOY${colorMode === 'dark' ? '?theme=dark' : ''}`);
    const settings = page.frameLocator('iframe[title*="task-sync-settings"]');
    await settings.getByRole('tab', { name: 'Sync log' }).click();
    const waiting = settings.getByRole('region', { name: 'Waiting for a decision' });
    const row = waiting.getByRole('row').filter({ hasText: issueKey });
    await row.waitFor({ timeout: 10_000 });
    const cells = await row.getByRole('cell').allInnerTexts();
    assert.deepEqual(cells.slice(0, 3), [issueKey, partnerKey, 'Summary']);
    assert.match(cells[3]!, /just now|minute/);
    const local = row.getByRole('link', { name: issueKey, exact: true });
    const partner = row.getByRole('link', { name: partnerKey, exact: true });
    assert.equal(await local.getAttribute('href'), `https://local.atlassian.net/browse/${issueKey}`);
    assert.equal(await partner.getAttribute('href'), `https://partner.atlassian.net/browse/${partnerKey}`);
    await screenshot(page, `conflicts-8-waiting-${colorMode}`);

    // The partner issue opens in a new tab; the local one in this tab (its panel is where a person chooses).
    const [tab] = await Promise.all([context.waitForEvent('page'), partner.click()]);
    await tab.getByTestId('issue-key').filter({ hasText: partnerKey }).waitFor();
    assert.equal(new URL(tab.url()).pathname, `/browse/${partnerKey}`);
    await tab.close();
    await Promise.all([page.waitForURL(new RegExp(`/browse/${issueKey}$`)), local.click()]);
    await context.close();
  });
}

test('a choice is refused, with the reason and nothing written, when a side changed after the panel was read', async () => {
  const partnerKey = await sb.linked('ALOY-27');
  await sb.editSummaryOnBothSides('ALOY-27', partnerKey, { partner: 'Partner wording of 27', local: 'Local wording of 27' });
  const { context, page } = await newPage(browser);
  const { panel, card } = await openConflict(page, 'ALOY-27', 'Summary');
  // Someone edits the partner issue meanwhile; its webhook is lost, so the panel still shows the older value.
  await sb.faults('partner', { webhookDrop: 1 });
  try {
    assert.equal((await sb.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}`, { fields: { summary: 'Changed meanwhile' } })).status, 204);
    await sb.idle();
  } finally {
    await sb.faults('partner', null);
  }
  const dialog = await confirmation(page, panel, card.getByRole('button', { name: 'Keep local' }));
  await dialog.getByRole('button', { name: 'Write to both' }).click();
  await dialog.getByText('The conflict was not resolved').waitFor();
  await dialog.filter({ hasText: /Summary of ALOY-27 changed since the conflict was recorded, so your choice was not applied/ }).waitFor();
  await screenshot(page, 'conflicts-11-refused');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await sb.idle();
  assert.equal(await fieldOf('partner', partnerKey, 'summary'), 'Changed meanwhile', 'the partner edit stands');
  assert.equal(await fieldOf('local', 'ALOY-27', 'summary'), 'Local wording of 27', 'nothing was written locally');
  // The refusal recorded the current values and the list was read again: the card shows the partner's newer value.
  await card.locator('.ts-conflict-value').nth(2).getByText('Changed meanwhile').waitFor({ timeout: 15_000 });
  await context.close();
});

test('someone who may not edit the issue, or an admin while sync is paused, sees the choices disabled and why', async () => {
  const partnerKey = await sb.linked('ALOY-26');
  await sb.editSummaryOnBothSides('ALOY-26', partnerKey, { partner: 'Partner wording of 26', local: 'Local wording of 26' });
  const { context, page } = await newPage(browser);
  await page.goto(`${base}/browse/ALOY-26`);
  // The sandbox's issue page frames the panel as the site admin; the same frame URL as a viewer of the project.
  const src = new URL((await page.locator(PANEL).getAttribute('src'))!, base);
  src.searchParams.set('accountId', VIEWER);
  await page.goto(src.href);
  const card = page.getByRole('region', { name: 'Summary', exact: true });
  await card.waitFor({ timeout: 20_000 });
  for (const name of ['Keep local', 'Keep partner', 'Edit merged value']) {
    assert.equal(await card.getByRole('button', { name }).isDisabled(), true, `${name} is disabled for a viewer`);
  }
  await card.getByText('Only people who may edit ALOY-26 can choose a value.').waitFor();
  await screenshot(page, 'conflicts-10-viewer');
  await context.close();

  // The admin, while sync of the issue is paused: nothing can be written, so the choices wait for Resume sync.
  const admin = await newPage(browser);
  const { panel, card: adminCard } = await openConflict(admin.page, 'ALOY-26', 'Summary');
  await panel.getByRole('button', { name: 'Pause sync' }).click();
  await adminCard.getByText('Sync is paused: choose Resume sync first, then a value.').waitFor();
  await adminCard.getByRole('button', { name: 'Keep local', disabled: true }).waitFor({ timeout: 5_000 }); // Keep local waits while paused
  await panel.getByRole('button', { name: 'Resume sync' }).click();
  await adminCard.getByRole('button', { name: 'Keep local' }).and(adminCard.locator(':enabled')).waitFor();
  await admin.context.close();
  assert.equal(await fieldOf('partner', partnerKey, 'summary'), 'Partner wording of 26');
});

test('a field conflict policy chosen in the mapping editor is saved and settles that field without asking', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(`${base}/project-settings/ALOY`);
  const settings = page.frameLocator('iframe[title*="task-sync-settings"]');
  await settings.getByRole('button', { name: 'Field mapping of partner.atlassian.net · PARTNER' }).click();
  const select = settings.getByRole('combobox', { name: 'Conflict policy of Summary' });
  await select.waitFor({ timeout: 20_000 });
  await waitForValue(() => select.inputValue(), '', 'a row follows the connection by default');
  assert.equal(await select.locator('option:checked').innerText(), 'Connection default (Ask a person)');
  await select.selectOption({ label: 'Partner wins' });
  await settings.getByRole('button', { name: 'Save mapping' }).click();
  await settings.getByText('Mapping saved').waitFor();
  await screenshot(page, 'conflicts-9-field-policy');

  const saved = await sb.invoke('task-sync-settings', 'listConnections', {}, { projectKey: 'ALOY' });
  const summaryRow = saved.data.connections[0].mapping.fields.find((f: { local: string }) => f.local === 'summary');
  assert.equal(summaryRow.policy, 'partner-wins');
  const descriptionRow = saved.data.connections[0].mapping.fields.find((f: { local: string }) => f.local === 'description');
  assert.equal(descriptionRow.policy, undefined, 'other rows keep the default');

  await page.reload();
  await settings.getByRole('button', { name: 'Field mapping of partner.atlassian.net · PARTNER' }).click();
  await waitForValue(() => settings.getByRole('combobox', { name: 'Conflict policy of Summary' }).inputValue(), 'partner-wins', 'still chosen after a reload');
  await context.close();

  const partnerKey = await sb.linked('ALOY-24');
  await sb.editSummaryOnBothSides('ALOY-24', partnerKey, { partner: 'Partner wording of 24', local: 'Local wording of 24' });
  assert.equal(await fieldOf('local', 'ALOY-24', 'summary'), 'Partner wording of 24', 'the partner won, as the field policy says');
  const view = await sb.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: 'ALOY-24' });
  assert.equal(view.data.link.state, 'ok', 'nothing waits for a person');
});
