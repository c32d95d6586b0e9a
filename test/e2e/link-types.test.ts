/**
 * Project settings → Task sync → Field mapping → Link types in a browser, light and dark, against the full sandbox
 * (ALOY linked to PARTNER, no link-type map saved, ALOY given a link type PARTNER lacks): each ALOY link type is
 * listed with a select of PARTNER's link types defaulting to the one of the same name, or "Not mirrored". With the
 * keyboard an admin mirrors Blocks as Relates (flagged while Relates is mirrored as Relates too; Save refuses it in
 * words and stores nothing), sets Relates to "Not mirrored", saves, and finds the map stored (read through the real
 * resolver) and shown again after a reload. The sync using the saved map is test/integration/link-type-map.test.ts.
 */
import { afterAll as after, beforeAll as before, test } from 'vitest';
import assert from 'node:assert/strict';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { SandboxClient } from '../../sandbox/client';
import { launchBrowser, newPage, screenshot, startE2eSandbox, type E2eSandbox } from './browser';

let sandbox: E2eSandbox;
let browser: Browser;
const LABEL = 'partner.atlassian.net · PARTNER';
const TABLE = 'Link types from ALOY to PARTNER';

before(async () => {
  sandbox = await startE2eSandbox(7880);
  // A local-only link type: nothing of its name on PARTNER, so it starts "Not mirrored".
  const made = await client().rest('local', 'POST', '/rest/api/3/issueLinkType', { name: 'Causes', inward: 'is caused by', outward: 'causes' });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await sandbox?.close();
});

const client = () => new SandboxClient(sandbox.cfg);

/** The connection's stored mapping, through the real `listConnections` resolver. */
async function storedMapping(): Promise<any> {
  const res = await client().invoke('task-sync-settings', 'listConnections', {}, { projectKey: 'ALOY' });
  assert.equal(res.ok, true, JSON.stringify(res.error));
  return res.data.connections[0].mapping;
}

/** Link type id by name on a site, from its `GET /rest/api/3/issueLinkType`. */
async function typeId(site: 'local' | 'partner', name: string): Promise<string> {
  const r = await client().rest(site, 'GET', '/rest/api/3/issueLinkType');
  return r.body.issueLinkTypes.find((t: any) => t.name === name).id;
}

/** Waits until `select` shows `want` as its chosen option, else fails with what it showed. */
async function waitChosen(select: Locator, want: string): Promise<void> {
  let seen: string | null | undefined;
  for (let i = 0; i < 100; i++) {
    seen = await select.evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent);
    if (seen === want) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(seen, want, 'chosen option');
}

/** Opens ALOY's settings, the PARTNER connection's mapping, then the Link types tab with the keyboard. */
async function openLinkTypes(colorMode: 'light' | 'dark'): Promise<{ page: Page; settings: FrameLocator; close: () => Promise<void> }> {
  const { context, page } = await newPage(browser, colorMode);
  await page.goto(`${sandbox.baseUrl}/project-settings/ALOY${colorMode === 'dark' ? '?theme=dark' : ''}`);
  const settings = page.frameLocator('iframe[title*="task-sync-settings"]');
  await settings.getByRole('button', { name: `Field mapping of ${LABEL}` }).click();
  await settings.getByRole('table', { name: 'Fields' }).waitFor({ timeout: 20_000 });
  // Atlaskit tabs: focus the selected tab, arrow keys move between tabs (and select them).
  await settings.getByRole('tab', { name: 'Fields', exact: true }).focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await settings.getByRole('tab', { name: 'Link types', selected: true }).waitFor();
  await settings.getByRole('table', { name: TABLE }).waitFor({ timeout: 20_000 });
  return { page, settings, close: () => context.close() };
}

const row = (settings: FrameLocator, name: string) => settings.getByRole('table', { name: TABLE }).getByLabel(name, { exact: true });

for (const colorMode of ['light', 'dark'] as const) {
  test(`each ALOY link type defaults to the PARTNER link type of the same name (${colorMode})`, async () => {
    const { page, settings, close } = await openLinkTypes(colorMode);
    for (const name of ['Blocks', 'Cloners', 'Duplicate', 'Relates']) await waitChosen(row(settings, name), name);
    await waitChosen(row(settings, 'Causes'), 'Not mirrored');
    const options = await row(settings, 'Blocks').locator('option').allTextContents();
    assert.deepEqual(options, ['Not mirrored', 'Relates', 'Blocks', 'Duplicate', 'Cloners'], "PARTNER's own link types, in its order");
    await settings.getByText('Until you change one, each link type is mirrored as the PARTNER link type of the same name.').waitFor();
    await settings.getByText('Every PARTNER link type comes back to ALOY.').waitFor();
    await screenshot(page, `link-types-1-defaults-${colorMode}`);
    await close();
  });
}

test('with the keyboard an admin mirrors Blocks as Relates, sets Relates to Not mirrored, saves, and finds it after a reload', async () => {
  const { page, settings, close } = await openLinkTypes('light');
  const blocks = row(settings, 'Blocks');
  await blocks.focus();
  await page.keyboard.type('Rel'); // a closed select picks the option its typed letters start
  await waitChosen(blocks, 'Relates');
  const problem = settings.getByRole('list', { name: 'Link type problems' });
  await problem.getByText('Blocks and Relates are both mirrored as Relates on PARTNER', { exact: false }).waitFor();
  await screenshot(page, 'link-types-2-two-on-one-flagged');
  // Save refuses it in words (the server's check, not only the page's) and stores nothing.
  await settings.getByRole('button', { name: 'Save mapping' }).click();
  await settings.getByText('The mapping was not saved').waitFor({ timeout: 20_000 });
  await settings.getByText(/^The link types were not saved: Blocks and Relates are both mirrored as Relates on PARTNER/).waitFor();
  assert.equal((await storedMapping()).linkTypes, undefined, 'nothing was stored');
  await screenshot(page, 'link-types-2b-save-refused');

  await blocks.focus();

  await page.keyboard.press('Tab'); // Cloners
  await page.keyboard.press('Tab'); // Duplicate
  await page.keyboard.press('Tab'); // Relates
  await page.keyboard.type('Not');
  await waitChosen(row(settings, 'Relates'), 'Not mirrored');
  await problem.waitFor({ state: 'detached' });
  await settings.getByText('PARTNER links of type Blocks are not mirrored to ALOY.').waitFor();
  await settings.getByText('Unsaved changes.').waitFor();

  await settings.getByRole('button', { name: 'Save mapping' }).focus();
  await page.keyboard.press('Enter');
  await settings.getByText('Mapping saved').waitFor({ timeout: 20_000 });
  await screenshot(page, 'link-types-3-saved');
  const [lBlocks, lRelates, pRelates, pBlocks] = [await typeId('local', 'Blocks'), await typeId('local', 'Relates'), await typeId('partner', 'Relates'), await typeId('partner', 'Blocks')];
  const saved = (await storedMapping()).linkTypes;
  assert.equal(saved.toPartner[lBlocks], pRelates, 'Blocks is mirrored as partner Relates');
  assert.equal(saved.toPartner[lRelates], undefined, 'Relates is not mirrored');
  assert.equal(saved.toLocal[pRelates], lBlocks, 'partner Relates comes back as Blocks');
  assert.equal(saved.toLocal[pBlocks], undefined, 'partner Blocks does not come back');
  assert.equal(Object.keys(saved.toPartner).length, 3, 'Cloners and Duplicate keep their namesakes');

  await page.reload();
  await settings.getByRole('button', { name: `Field mapping of ${LABEL}` }).click();
  await settings.getByRole('tab', { name: 'Link types', exact: true }).click();
  await waitChosen(row(settings, 'Blocks'), 'Relates');
  await waitChosen(row(settings, 'Relates'), 'Not mirrored');
  assert.equal(await settings.getByText('Until you change one', { exact: false }).count(), 0, 'a saved map is no longer "by name"');
  await close();
});
