/**
 * The "Partner sync" custom field in a real browser (issue 10 §1): the sandbox's Create issue dialog frames the
 * field's edit view as Jira does (No by default; Yes needs a confirmation naming the partner site and project),
 * Create makes the issue and the app the partner copy; the backlog card shows the field's formatter text
 * ("⇄ PARTNER-12"), as Jira's boards do; the edit screen of an existing issue turns sync on like the panel's toggle.
 */
import { afterAll as after, beforeAll as before, test } from 'vitest';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { SandboxClient } from '../../sandbox/client';
import { launchBrowser, newPage, screenshot, startE2eSandbox, takeProblems, type E2eSandbox } from './browser';

let sandbox: E2eSandbox;
let browser: Browser;
let client: SandboxClient;

before(async () => {
  sandbox = await startE2eSandbox(7830);
  client = new SandboxClient(sandbox.cfg);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await sandbox?.close();
});

const FIELD = 'iframe[title*="task-sync-field"]';

test('create dialog: the field says No by default and creating then makes no partner copy', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(`${sandbox.baseUrl}/create/ALOY`);
  const field = page.frameLocator(FIELD);
  await field.getByText('Sync this issue with partner.atlassian.net?').waitFor();
  assert.equal(await field.getByLabel('No').isChecked(), true);
  assert.equal(await field.getByLabel('Yes').isChecked(), false);
  await page.getByTestId('create-summary').fill('Created from the dialog, not synced');
  await page.getByTestId('create-submit').click();
  await page.waitForURL(/\/board\/ALOY\?created=ALOY-\d+/);
  const key = new URL(page.url()).searchParams.get('created')!;
  await client.idle();
  const sync = await client.invoke('task-sync-field', 'getFieldSync', {}, { issueKey: key });
  assert.equal(sync.data.link, null, `${key} was synced without a Yes`);
  await page.getByTestId(`card-${key}`).waitFor();
  assert.equal(await page.getByTestId(`card-field-${key}`).count(), 0, 'a card of an unsynced issue shows no field');
  assert.deepEqual(takeProblems(context), []);
  await context.close();
});

test('create dialog: Yes asks for a confirmation naming site and project; Create makes the partner copy; the card shows the key', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(`${sandbox.baseUrl}/create/ALOY`);
  const field = page.frameLocator(FIELD);
  await field.getByLabel('Yes').check();
  const confirmText = field.getByTestId('field-confirm-text');
  await confirmText.waitFor();
  await confirmText.filter({ hasText: /a copy is created in project PARTNER on partner\.atlassian\.net/ }).waitFor();
  await screenshot(page, 'create-dialog-confirm');
  await field.getByRole('button', { name: 'Confirm sync with PARTNER' }).click();
  await field.getByTestId('field-confirmed').waitFor();
  await page.getByTestId('create-summary').fill('Created from the dialog with Partner sync');
  await page.getByTestId('create-submit').click();
  await page.waitForURL(/\/board\/ALOY\?created=ALOY-\d+/);
  const key = new URL(page.url()).searchParams.get('created')!;
  await client.idle();
  const sync = await client.invoke('task-sync-field', 'getFieldSync', {}, { issueKey: key });
  assert.ok(sync.data.link, `${key} was not synced after Yes + confirm`);
  const partnerKey: string = sync.data.link.partnerIssueKey;
  assert.equal((await client.issue('partner', partnerKey, 'summary')).fields.summary, 'Created from the dialog with Partner sync');

  // Boards show a Forge field's formatter text, not its Custom UI (the module's "rendering hierarchy").
  await page.reload();
  const card = page.getByTestId(`card-${key}`);
  await card.getByTestId(`card-field-${key}`).filter({ hasText: `⇄ ${partnerKey}` }).waitFor();
  assert.equal(await card.locator('iframe').count(), 0, 'a board card framed the field\'s Custom UI, which Jira does not do');
  await screenshot(page, 'board-card-partner-key');
  assert.deepEqual(takeProblems(context), []);
  await context.close();
});

test('edit screen of an existing issue: Yes + confirmation turns sync on like the panel toggle', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(`${sandbox.baseUrl}/edit/ALOY-7`);
  const field = page.frameLocator(FIELD);
  await field.getByText('Sync this issue with partner.atlassian.net?').waitFor();
  assert.equal(await field.getByLabel('No').isChecked(), true);
  await field.getByLabel('Yes').check();
  await field.getByRole('button', { name: 'Confirm sync with PARTNER' }).click();
  await field.getByTestId('field-confirmed').waitFor({ timeout: 20_000 });
  await page.getByTestId('edit-submit').click();
  await page.waitForURL(/\/browse\/ALOY-7$/);
  await client.idle();
  const sync = await client.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: 'ALOY-7' });
  assert.match(sync.data.link?.partnerIssueKey ?? '', /^PARTNER-\d+$/);
  const fieldId = ((await client.rest('local', 'GET', '/rest/api/3/field')).body as any[]).find((f) => f.name === 'Partner sync').id;
  const value = (await client.rest('local', 'GET', `/rest/api/3/issue/ALOY-7?fields=${fieldId}`)).body.fields[fieldId];
  assert.equal(value, `⇄ ${sync.data.link.partnerIssueKey}`);
  assert.deepEqual(takeProblems(context), []);
  await context.close();
});

test('offer sync: a new issue matching the rule opens the edit view with the question pre-asked, and nothing syncs until confirmed', async () => {
  const list = await client.invoke('task-sync-settings', 'listConnections', {}, { projectKey: 'ALOY' });
  const c = list.data.connections[0];
  const saved = await client.invoke('task-sync-settings', 'saveConnection', { connectionId: c.id, partnerUrl: c.partnerUrl, email: c.email, partnerProjectKey: c.partnerProjectKey, offerJql: 'labels = partner-offer' }, { projectKey: 'ALOY' });
  assert.equal(saved.ok, true, JSON.stringify(saved));
  const created = await client.rest('local', 'POST', '/rest/api/3/issue', { fields: { project: { key: 'ALOY' }, issuetype: { name: 'Bug' }, summary: 'Matches the offer rule', labels: ['partner-offer'] } });
  const key: string = created.body.key;
  await client.idle();
  const { context, page } = await newPage(browser);
  await page.goto(`${sandbox.baseUrl}/edit/${key}`);
  const field = page.frameLocator(FIELD);
  await field.getByTestId('field-offered').waitFor();
  assert.equal(await field.getByLabel('Yes').isChecked(), true, 'the offered question has Yes pre-selected');
  await field.getByRole('button', { name: 'Confirm sync with PARTNER' }).waitFor();
  assert.equal((await client.invoke('task-sync-field', 'getFieldSync', {}, { issueKey: key })).data.link, null, 'synced before anyone confirmed');
  // The issue's panel asks the same question up front, and nothing syncs from it without the usual confirmation.
  await page.goto(`${sandbox.baseUrl}/browse/${key}`);
  const panel = page.frameLocator('iframe[title*="task-sync-panel"]');
  await panel.getByTestId('panel-offered').getByText(`Suggested: sync ${key} with partner.atlassian.net · PARTNER`).waitFor({ timeout: 20_000 });
  await screenshot(page, 'field-offer-panel');
  await panel.getByRole('button', { name: 'Review and start syncing' }).click();
  await panel.getByRole('dialog').getByText(`Create a copy of ${key}`).waitFor();
  await panel.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  assert.equal((await client.invoke('task-sync-field', 'getFieldSync', {}, { issueKey: key })).data.link, null, 'cancelling in the panel synced nothing');
  await page.goto(`${sandbox.baseUrl}/edit/${key}`);
  await field.getByRole('button', { name: 'Confirm sync with PARTNER' }).click();
  await field.getByTestId('field-confirmed').waitFor({ timeout: 20_000 });
  await client.idle();
  assert.match((await client.invoke('task-sync-field', 'getFieldSync', {}, { issueKey: key })).data.link?.partnerIssueKey ?? '', /^PARTNER-\d+$/);
  assert.deepEqual(takeProblems(context), []);
  await context.close();
});
