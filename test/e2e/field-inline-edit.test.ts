/**
 * The "Partner sync" field edited inline on the issue view, in a real browser (issue 10 §1), light and dark, by
 * keyboard: the view shows in the issue's details; Edit puts the edit resource in its place; Yes asks for the
 * confirmation naming the partner site and project and then does what the panel's toggle does; the field then
 * shows "⇄ PARTNER-N". On a synced issue No offers Unlink as the panel does. The sandbox gives the frames Jira's
 * documented context and refuses, like Jira, a submitted value the field cannot take.
 */
import { afterAll as after, beforeAll as before, test } from 'vitest';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { SandboxClient } from '../../sandbox/client';
import { registerUiHost } from '../../sandbox/ui';
import { launchBrowser, newPage, screenshot, startE2eSandbox, takeProblems, type E2eSandbox } from './browser';

let sandbox: E2eSandbox;
let browser: Browser;
let client: SandboxClient;
let field: { id: string; custom: string };

before(async () => {
  sandbox = await startE2eSandbox(7870);
  client = new SandboxClient(sandbox.cfg);
  browser = await launchBrowser();
  const f = ((await client.rest('local', 'GET', '/rest/api/3/field')).body as any[]).find((x) => x.name === 'Partner sync');
  field = { id: f.id, custom: f.schema.custom };
});
after(async () => {
  await browser?.close();
  await sandbox?.close();
});

const VIEW = '[data-part=read] iframe[title*="task-sync-field"]';
const EDIT = '[data-part=editor] iframe[title*="task-sync-field"]';

async function fieldValue(key: string): Promise<unknown> {
  return (await client.rest('local', 'GET', `/rest/api/3/issue/${key}?fields=${field.id}`)).body.fields[field.id] ?? null;
}

/** Opens the inline editor from the keyboard (focus Edit, press Enter) and waits for the app's question. */
async function openEditor(page: Page, question: RegExp) {
  await page.getByRole('button', { name: 'Edit Partner sync' }).focus();
  await page.keyboard.press('Enter');
  const edit = page.frameLocator(EDIT);
  await edit.getByText(question).waitFor({ timeout: 20_000 });
  return edit;
}

for (const theme of ['light', 'dark'] as const) {
  const key = theme === 'light' ? 'ALOY-21' : 'ALOY-22';
  test(`issue view (${theme}): Yes on the field's inline edit confirms site and project, syncs like the panel, and the field shows the partner key; No unlinks`, async () => {
    const { context, page } = await newPage(browser, theme);
    await page.goto(`${sandbox.baseUrl}/browse/${key}${theme === 'dark' ? '?theme=dark' : ''}`);
    await page.frameLocator(VIEW).getByTestId('field-empty').waitFor({ timeout: 20_000 });
    assert.equal(await page.locator(EDIT).count(), 0, 'the edit resource loads only when editing starts');

    const edit = await openEditor(page, /Sync this issue with partner\.atlassian\.net\?/);
    await edit.getByRole('radio', { name: 'No', checked: true }).waitFor();
    // Radios move with the arrow keys, as in any radio group.
    await edit.getByRole('radio', { name: 'No' }).focus();
    await page.keyboard.press('ArrowRight');
    await edit.getByRole('radio', { name: 'Yes', checked: true }).waitFor();
    await edit.getByTestId('field-confirm-text').filter({ hasText: 'a copy is created in project PARTNER on partner.atlassian.net' }).waitFor();
    assert.equal(await fieldValue(key), null, 'choosing Yes alone changed the field');
    await screenshot(page, `field-inline-confirm-${theme}`);

    await edit.getByRole('button', { name: 'Confirm sync with PARTNER' }).focus();
    await page.keyboard.press('Enter');
    await page.locator(EDIT).waitFor({ state: 'detached', timeout: 20_000 });
    const view = page.frameLocator(VIEW).getByTestId('field-view');
    await view.waitFor({ timeout: 20_000 });
    await client.idle();
    const sync = await client.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: key });
    const partnerKey: string = sync.data.link?.partnerIssueKey ?? '';
    assert.match(partnerKey, /^PARTNER-\d+$/, `${key} is not synced after Yes + Confirm`);
    assert.equal(await fieldValue(key), `⇄ ${partnerKey}`);
    const summary = (await client.issue('local', key, 'summary')).fields.summary;
    assert.equal((await client.issue('partner', partnerKey, 'summary')).fields.summary, summary, 'the partner copy has the local summary');
    // The panel and the glance on the same page follow at once (the field announces the change).
    await page.frameLocator('iframe[title*="task-sync-glance"]').getByText(`Synced with ${partnerKey}`).waitFor();
    await page.frameLocator('iframe[title*="task-sync-panel"]').getByText(partnerKey).first().waitFor({ timeout: 5_000 });
    // The key shows on hover or keyboard focus of the sync icon.
    await view.focus();
    await page.frameLocator(VIEW).getByTestId('field-tip').filter({ hasText: `⇄ ${partnerKey}` }).waitFor({ state: 'visible' });
    await screenshot(page, `field-inline-synced-${theme}`);

    const again = await openEditor(page, new RegExp(`Synced with ${partnerKey}`));
    await again.getByRole('radio', { name: 'Yes', checked: true }).waitFor();
    await again.getByRole('radio', { name: 'No' }).check();
    await again.getByTestId('field-unlink-text').filter({ hasText: `Stop syncing ${key} with ${partnerKey}? Both issues stay as they are.` }).waitFor();
    await screenshot(page, `field-inline-unlink-${theme}`);
    await again.getByRole('button', { name: 'Unlink' }).click();
    await page.locator(EDIT).waitFor({ state: 'detached', timeout: 20_000 });
    await page.frameLocator(VIEW).getByTestId('field-empty').waitFor();
    await client.idle();
    assert.equal((await client.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: key })).data.link, null, 'Unlink did not end the link');
    assert.equal(await fieldValue(key), null);
    assert.equal((await client.issue('partner', partnerKey, 'summary')).fields.summary, summary, 'unlinking changed the partner issue');
    assert.deepEqual(takeProblems(context), []);
    await context.close();
  });
}

test('Cancel and Escape leave the inline editor without a change', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(`${sandbox.baseUrl}/browse/ALOY-23`);
  const edit = await openEditor(page, /Sync this issue with/);
  await edit.getByRole('button', { name: 'Cancel' }).click();
  await page.locator(EDIT).waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Edit Partner sync' }).click();
  await page.frameLocator(EDIT).getByText(/Sync this issue with/).waitFor({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Edit Partner sync' }).waitFor({ state: 'hidden' });
  await page.locator('h1').click();
  await page.keyboard.press('Escape');
  await page.locator(EDIT).waitFor({ state: 'detached' });
  assert.equal(await fieldValue('ALOY-23'), null);
  assert.equal((await client.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: 'ALOY-23' })).data.link, null);
  assert.deepEqual(takeProblems(context), []);
  await context.close();
});

test("the field's frames get Jira's documented context on the issue view and in the create dialog", async () => {
  const { context, page } = await newPage(browser);
  await page.goto(`${sandbox.baseUrl}/browse/ALOY-24`);
  await page.frameLocator(VIEW).getByTestId('field-empty').waitFor({ timeout: 20_000 });
  const contextOf = async (selector: string) => {
    const frame = await (await page.locator(selector).elementHandle())!.contentFrame();
    return frame!.evaluate(() => (window as any).__bridge.callBridge('getContext'));
  };
  const viewCtx = await contextOf(VIEW);
  assert.deepEqual(
    { ...viewCtx.extension, project: undefined },
    { type: 'jira:customField', entryPoint: 'view', renderContext: 'issue-view', experience: 'issue-view', fieldId: field.id, fieldType: field.custom, fieldValue: null, location: `${sandbox.cfg.local.publicUrl}/browse/ALOY-24`, issue: viewCtx.extension.issue, project: undefined },
  );
  assert.equal(viewCtx.extension.issue.key, 'ALOY-24');
  assert.match(field.custom, /^ari:cloud:ecosystem::extension\/[0-9a-f-]+\/[0-9a-f-]+\/static\/task-sync-field$/);
  await openEditor(page, /Sync this issue with/);
  const editCtx = await contextOf(EDIT);
  assert.equal(editCtx.extension.entryPoint, 'edit');
  assert.equal(editCtx.extension.issue.key, 'ALOY-24');

  await page.goto(`${sandbox.baseUrl}/create/ALOY`);
  await page.frameLocator('iframe[title*="task-sync-field"]').getByText(/Sync this issue with/).waitFor({ timeout: 20_000 });
  const createCtx = await contextOf('iframe[title*="task-sync-field"]');
  assert.equal(createCtx.extension.renderContext, 'issue-create');
  assert.equal(createCtx.extension.entryPoint, 'edit');
  assert.equal(createCtx.extension.issue, undefined, 'the create dialog has no issue yet');
  assert.equal(createCtx.extension.project.key, 'ALOY');
  assert.deepEqual(takeProblems(context), []);
  await context.close();
});

test('the sandbox refuses what Jira refuses: a number or an over-long text submitted to the string field, and submit from the view', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(`${sandbox.baseUrl}/browse/ALOY-25`);
  await page.frameLocator(VIEW).getByTestId('field-empty').waitFor({ timeout: 20_000 });
  const viewFrame = (await (await page.locator(VIEW).elementHandle())!.contentFrame())!;
  assert.equal(await viewFrame.evaluate(() => (window as any).__bridge.callBridge('submit', 'x')), false, 'a view entry point is not submittable');
  await openEditor(page, /Sync this issue with/);
  const editFrame = (await (await page.locator(EDIT).elementHandle())!.contentFrame())!;
  const submit = (value: unknown) => editFrame.evaluate((v) => (window as any).__bridge.callBridge('submit', v).then(() => 'saved', (e: Error) => e.message), value);
  assert.match(await submit(42), /Operation value must be a string/);
  await page.getByTestId('field-error').filter({ hasText: 'Operation value must be a string' }).waitFor();
  assert.match(await submit('x'.repeat(256)), /exceeds the allowed limit of 255 characters/);
  assert.equal(await page.locator(EDIT).count(), 1, 'a refused value closed the editor');
  assert.equal(await fieldValue('ALOY-25'), null, 'a refused value was written');
  assert.deepEqual(takeProblems(context).filter((p) => !/submit|400/.test(JSON.stringify(p))), []);
  await context.close();
});

test("without an experience in the manifest the pages draw Jira's built-in field instead of the app's frames", async () => {
  // The same app with `view.experience` and the edit experiences removed, on a second UI host over the same sites.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'task-sync-no-experience-'));
  const root = path.resolve(__dirname, '../..');
  const manifest = parseYaml(fs.readFileSync(path.join(root, 'manifest.yml'), 'utf8'));
  const mod = manifest.modules['jira:customField'][0];
  delete mod.view.experience;
  mod.edit.experience = ['issue-transition'];
  fs.writeFileSync(path.join(dir, 'manifest.yml'), stringifyYaml(manifest));
  fs.symlinkSync(path.join(root, 'static'), path.join(dir, 'static'));
  const app = Fastify();
  registerUiHost(app, { cfg: sandbox.cfg, appDir: dir });
  await app.listen({ host: '127.0.0.1', port: sandbox.cfg.basePort + 60 });
  try {
    const base = `http://127.0.0.1:${sandbox.cfg.basePort + 60}`;
    await client.rest('local', 'PUT', '/rest/api/3/issue/ALOY-26', { fields: { [field.id]: '⇄ PARTNER-99' } });
    const issue = await (await fetch(`${base}/browse/ALOY-26`)).text();
    assert.match(issue, /data-testid="field-default-view">⇄ PARTNER-99</, 'the issue view did not show the plain value');
    assert.doesNotMatch(issue, /entryPoint=(view|edit)/, 'the issue view framed the field without an experience for it');
    assert.doesNotMatch(issue, /Edit Partner sync/, 'inline edit was offered without the issue-view edit experience');
    const create = await (await fetch(`${base}/create/ALOY`)).text();
    assert.match(create, /data-testid="field-default-edit"/, 'the create dialog did not fall back to the built-in editor');
    assert.doesNotMatch(create, /task-sync-field/, 'the create dialog framed the field without the issue-create experience');
  } finally {
    await app.close();
    await client.rest('local', 'PUT', '/rest/api/3/issue/ALOY-26', { fields: { [field.id]: null } });
  }
});
