/**
 * Health in a browser against the full sandbox: the Sync log tab's charts drawn from real runs (syncs, a 429 burst
 * from the partner's rate limit, a failed run), their chunk fetched only when the tab opens, the table alternative;
 * the Jira admin page listing two projects' connections, Retry failed and Open settings from it, and a non-admin
 * refused. Both themes, screenshots in test-results/.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { SandboxClient } from '../../sandbox/client';
import { LOCAL_USER } from '../../sandbox/jira/users';
import { launchBrowser, newPage, screenshot, startE2eSandbox, takeProblems, type E2eSandbox } from './browser';

let sandbox: E2eSandbox;
let browser: Browser;
let client: SandboxClient;
const KEYS = ['ALOY-321', 'ALOY-328', 'ALOY-334'];

before(async () => {
  sandbox = await startE2eSandbox(7850);
  client = new SandboxClient(sandbox.cfg);
  browser = await launchBrowser();
  for (const key of KEYS) await client.enableSync(key);
  await client.idle();
  for (const key of KEYS) await client.rest('local', 'PUT', `/rest/api/3/issue/${key}`, { fields: { summary: `${key} edited for the health charts` } });
  await client.idle();
  // The partner's burst limit: some calls get 429 with Retry-After 1 s and are tried again in the job.
  await client.resetStats('partner');
  await client.faults('partner', { rateLimit: { perSecond: 2, burst: 1 } });
  for (const key of KEYS.slice(0, 2)) await client.rest('local', 'PUT', `/rest/api/3/issue/${key}`, { fields: { summary: `${key} edited under the rate limit` } });
  await client.idle(60_000);
  await client.faults('partner', null);
  // A run that fails at once (the partner refuses the write: 403 is not retried).
  await client.faults('partner', { errorRate: 1, errorStatus: [403] });
  await client.rest('local', 'PUT', `/rest/api/3/issue/${KEYS[2]}`, { fields: { summary: 'refused by the partner' } });
  await client.idle();
  await client.faults('partner', null);
  const daemon = await client.invoke('task-sync-settings', 'saveConnection', { partnerUrl: 'https://partner.atlassian.net', email: sandbox.cfg.partner.admin.email, apiToken: sandbox.cfg.partner.admin.apiToken, partnerProjectKey: 'OPS' }, { projectKey: 'DAEMON' });
  assert.equal(daemon.ok, true, JSON.stringify(daemon.error));
});
after(async () => {
  await browser?.close();
  await sandbox?.close();
});

/** What the charts must show, read from the resolver the page calls. */
/** What the charts must show, read from the resolver the page calls, checked first against the runs in the sync log. */
async function figures() {
  const res = await client.invoke('task-sync-settings', 'getHealth', {}, { projectKey: 'ALOY' });
  assert.equal(res.ok, true);
  const runs = (await client.log(200)).filter((e) => RUN_OUTCOMES.has(e.outcome));
  const total = res.data.day.total;
  assert.deepEqual(
    [total.runs, total.synced, total.failures],
    [runs.length, runs.filter((e) => ['created', 'synced', 'resolved'].includes(e.outcome)).length, runs.filter((e) => ['failed', 'rejected', 'broken'].includes(e.outcome)).length],
    'the figures are the runs the sync log holds',
  );
  return { ...total, lastHour: res.data.day.points.at(-1) };
}
const RUN_OUTCOMES = new Set(['created', 'synced', 'no-change', 'conflict', 'resolved', 'failed', 'rejected', 'broken']);

const openLog = async (page: Page, colorMode: 'light' | 'dark') => {
  await page.goto(`${sandbox.baseUrl}/project-settings/ALOY${colorMode === 'dark' ? '?theme=dark' : ''}`);
  const settings = page.frameLocator('iframe[title*="task-sync-settings"]');
  await settings.getByRole('tab', { name: 'Sync log' }).click();
  return settings;
};

describe('charts on the Sync log tab', () => {
  for (const colorMode of ['light', 'dark'] as const) {
    test(`syncs, failures, 429s and latency from real runs are drawn and summarised (${colorMode})`, async () => {
      const total = await figures();
      assert.ok(total.runs >= 9 && total.failures === 1 && total.rateLimitHits > 0 && total.samples > 0, JSON.stringify(total));
      const { context, page } = await newPage(browser, colorMode);
      const chunks: string[] = [];
      page.on('request', (r) => {
        if (/HealthCharts-[^/]*\.js$/.test(r.url())) chunks.push(r.url());
      });
      await page.goto(`${sandbox.baseUrl}/project-settings/ALOY${colorMode === 'dark' ? '?theme=dark' : ''}`);
      const settings = page.frameLocator('iframe[title*="task-sync-settings"]');
      await settings.getByRole('tab', { name: 'Settings' }).waitFor();
      await settings.getByRole('button', { name: /Edit partner\.atlassian\.net/ }).waitFor();
      assert.deepEqual(chunks, [], 'the charts chunk is not loaded with the settings tab');
      await settings.getByRole('tab', { name: 'Sync log' }).click();
      const charts = settings.getByTestId('health-charts');
      await charts.waitFor({ timeout: 20_000 });
      assert.equal(chunks.length, 1, 'the charts chunk is fetched when the log tab opens');

      const summary = await settings.getByTestId('health-syncs-summary').textContent();
      assert.match(summary!, new RegExp(`^${total.runs} runs, ${total.synced} synced, 1 failed, ${total.rateLimitHits} rate-limit answers \\(429\\) in the last 24 hours`));
      assert.match((await settings.getByTestId('health-latency-summary').textContent())!, new RegExp(`over ${total.samples} edits in the last 24 hours: half arrived within`));
      // The bars of this hour (synced and failed) and both latency lines are drawn.
      assert.ok((await charts.locator('.recharts-bar-rectangle path, .recharts-bar-rectangle rect').count()) >= 2, 'bars drawn');
      assert.equal(await charts.locator('.recharts-line-curve').count(), 2, 'p50 and p95 lines');
      assert.equal(await settings.getByRole('img', { name: /runs, .* synced/ }).count(), 1, 'the syncs chart has a summary for screen readers');
      // The bar of the latest hour says its own counts on hover.
      await charts.locator('.recharts-bar-rectangle').last().hover();
      const tip = charts.locator('.recharts-tooltip-wrapper').first();
      await tip.filter({ hasText: `Synced : ${total.lastHour.synced}` }).waitFor({ timeout: 5_000 });
      assert.match((await tip.textContent())!, new RegExp(`Failed : ${total.lastHour.failures}`));
      await settings.getByRole('button', { name: '24 hours' }).waitFor();
      assert.equal(await settings.getByRole('button', { name: '24 hours' }).getAttribute('aria-pressed'), 'true');
      await screenshot(page, `health-1-charts-${colorMode}`);

      await settings.getByRole('button', { name: '7 days' }).click();
      await settings.getByText(/in the last 7 days; busiest hour/).waitFor();
      await settings.getByRole('button', { name: 'Show as table' }).click();
      const table = settings.getByTestId('health-table');
      await table.waitFor();
      assert.deepEqual(await table.locator('thead th').allTextContents(), ['Hour (UTC)', 'Runs', 'Synced', 'Failed', '429s', 'Latency p50', 'Latency p95']);
      const cells = await table.locator('tbody tr').first().locator('td').allTextContents();
      assert.deepEqual(cells.slice(0, 4).map(Number), [total.runs, total.synced, 1, total.rateLimitHits].map(Number), 'the table shows the same figures');
      await screenshot(page, `health-2-table-${colorMode}`);
      await context.close();
    });
  }

  test('a project without runs shows the empty state, and keyboard alone reaches the range buttons', async () => {
    const { context, page } = await newPage(browser);
    await page.goto(`${sandbox.baseUrl}/project-settings/DAEMON`);
    const settings = page.frameLocator('iframe[title*="task-sync-settings"]');
    await settings.getByRole('tab', { name: 'Sync log' }).click();
    await settings.getByTestId('health-empty').waitFor({ timeout: 20_000 });
    await settings.getByRole('button', { name: '7 days' }).focus();
    await page.keyboard.press('Enter');
    await settings.getByRole('button', { name: '7 days', pressed: true }).waitFor({ timeout: 5_000 });
    await settings.getByText('No sync runs in the last 7 days.', { exact: false }).waitFor();
    await screenshot(page, 'health-3-empty');
    await context.close();
  });
});

describe('charts error state', () => {
  test('when the figures cannot be read the charts say so in words, and Refresh recovers', async () => {
    const { context, page } = await newPage(browser);
    await client.kvsFaults({ errorRate: 1, operations: ['query'], keyPrefix: 'health:' });
    let settings;
    try {
      settings = await openLog(page, 'light');
      await settings.getByText('Sync health could not be read').waitFor({ timeout: 20_000 });
      assert.equal(await settings.getByTestId('health-charts').count(), 0);
      await screenshot(page, 'health-12-charts-error');
    } finally {
      await client.kvsFaults(null);
    }
    await settings.getByRole('button', { name: 'Try again' }).click();
    await settings.getByTestId('health-charts').waitFor({ timeout: 20_000 });
    await context.close();
  });
});

describe('admin page', () => {
  const openAdmin = async (page: Page, colorMode: 'light' | 'dark' = 'light') => {
    await page.goto(`${sandbox.baseUrl}/admin/task-sync${colorMode === 'dark' ? '?theme=dark' : ''}`);
    const admin = page.frameLocator('iframe[title*="task-sync-admin"]');
    await admin.getByRole('table').locator('tbody tr').nth(1).waitFor({ timeout: 20_000 });
    return admin;
  };

  for (const colorMode of ['light', 'dark'] as const) {
    test(`every connection of the site is listed, with its figures and checks (${colorMode})`, async () => {
      const { context, page } = await newPage(browser, colorMode);
      const admin = await openAdmin(page, colorMode);
      const rows = admin.getByRole('table').locator('tbody tr');
      assert.equal(await rows.count(), 2);
      const aloy = await rows.nth(0).locator('td').allTextContents();
      const daemon = await rows.nth(1).locator('td').allTextContents();
      assert.deepEqual(aloy.slice(0, 5), ['ALOY', 'partner.atlassian.net · PARTNER', '3', '1', '0']);
      assert.match(aloy[6], /^Registered/);
      assert.match(aloy[7], /^Valid Checked now/);
      assert.match(aloy[8], /^[1-9]\d* \/ [1-9]\d*$/, `429s: ${aloy[8]}`);
      assert.deepEqual(daemon.slice(0, 6), ['DAEMON', 'partner.atlassian.net · OPS', '0', '0', '0', 'Never']);
      assert.equal(await rows.nth(1).getByRole('button', { name: /Retry 0 failed syncs/ }).isDisabled(), true);
      await screenshot(page, `health-4-admin-${colorMode}`);
      await context.close();
    });
  }

  test('Retry failed queues the connection’s failed sync and it heals; Open settings lands on the project’s page', async () => {
    const { context, page } = await newPage(browser);
    const admin = await openAdmin(page);
    await admin.getByRole('button', { name: /^Retry 1 failed syncs of ALOY/ }).click();
    await admin.getByRole('status').filter({ hasText: 'Queued 1 failed sync of ALOY ↔ partner.atlassian.net · PARTNER for another try.' }).waitFor();
    await client.idle();
    const partnerKey = (await client.invoke('task-sync-panel', 'getIssueSync', {}, { issueKey: KEYS[2] })).data.link.partnerIssueKey;
    assert.equal((await client.issue('partner', partnerKey)).fields.summary, 'refused by the partner');
    await admin.getByRole('table').locator('tbody tr').first().locator('td').nth(3).filter({ hasText: /^0$/ }).waitFor({ timeout: 10_000 });
    await screenshot(page, 'health-5-admin-retried');

    await admin.getByRole('button', { name: 'Open Task sync settings of DAEMON' }).click();
    await page.waitForURL(/\/project-settings\/DAEMON$/);
    await page.frameLocator('iframe[title*="task-sync-settings"]').getByRole('tab', { name: 'Sync log' }).waitFor();
    await context.close();
  });

  test('someone who is not a Jira admin is refused and sees no connection', async () => {
    const { context, page } = await newPage(browser);
    // Jira itself keeps them out of Jira settings: its no-access page, no app frame.
    const refused = await page.goto(`${sandbox.baseUrl}/admin/task-sync?as=${LOCAL_USER.accountId}`);
    assert.equal(refused?.status(), 403);
    await page.getByRole('heading', { name: 'You don’t have access to this page' }).waitFor();
    assert.equal(await page.locator('iframe').count(), 0);
    await screenshot(page, 'health-6-refused-by-jira');
    assert.deepEqual(takeProblems(context).map((p) => p.text), ['Failed to load resource: the server responded with a status of 403 (Forbidden)'], 'only the refused page itself');
    // And the resolvers refuse them too, should the frame be reached directly.
    await page.goto(`${sandbox.baseUrl}/admin/task-sync`);
    const src = new URL((await page.locator('iframe[title*="task-sync-admin"]').getAttribute('src'))!, sandbox.baseUrl);
    src.searchParams.set('accountId', LOCAL_USER.accountId);
    await page.goto(src.href);
    await page.getByText('Only Jira administrators can see Task sync health for the whole site.', { exact: false }).waitFor({ timeout: 20_000 });
    assert.equal(await page.getByRole('table').count(), 0);
    assert.equal(await page.getByText('partner.atlassian.net ·').count(), 0, 'no connection is shown');
    await screenshot(page, 'health-6-refused');
    await context.close();
  });

  /** The connection records in the sandbox's KVS (webhook ids, ids). */
  const connectionsInKvs = async (): Promise<any[]> => {
    const dump = await (await fetch(`${sandbox.cfg.hostUrl}/__sandbox/kvs`)).json();
    return Object.entries(dump).filter(([k]) => k.startsWith('connection:')).map(([, v]) => v);
  };
  const rowCells = async (admin: ReturnType<Page['frameLocator']>, projectKey: string) =>
    admin.getByRole('row').filter({ has: admin.getByRole('cell', { name: projectKey, exact: true }) }).locator('td').allTextContents();

  test('column headers, the reason of each state in the tooltip, and the focus order follow the table', async () => {
    const { context, page } = await newPage(browser);
    const admin = await openAdmin(page);
    assert.deepEqual(await admin.getByRole('columnheader').allTextContents(), ['Project', 'Partner', 'Links', 'Failing', 'Conflicts waiting', 'Last sync', 'Webhook', 'Token', '429s 24 h / 7 d', 'Actions']);
    await admin.getByRole('button', { name: 'Refresh' }).focus();
    const order: string[] = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      order.push(await admin.locator(':focus').evaluate((el) => el.getAttribute('aria-label') ?? el.textContent ?? ''));
    }
    // Row by row, left to right; Retry failed is disabled (not focusable) while a connection has no failed sync.
    const expected = [/^Registered Checked now: the partner lists webhook/, /^Valid Checked now: signed in to the partner as/, /^Open Task sync settings of ALOY$/, /^Registered/, /^Valid/, /^Open Task sync settings of DAEMON$/];
    expected.forEach((re, i) => assert.match(order[i], re, `focus stop ${i + 1}: ${JSON.stringify(order)}`));
    await admin.getByTestId(/^token-/).first().focus();
    await admin.getByRole('tooltip').filter({ hasText: /^Checked now: signed in to the partner as/ }).waitFor({ timeout: 5_000 });
    await context.close();
  });

  for (const colorMode of ['light', 'dark'] as const) {
    test(`a revoked partner token shows as Invalid with the partner’s 401, and a webhook deleted on the partner as Missing (${colorMode})`, async () => {
      const { context, page } = await newPage(browser, colorMode);
      await client.setApiToken('partner', sandbox.cfg.partner.admin.email, 'revoked-token');
      try {
        const admin = await openAdmin(page, colorMode);
        for (const key of ['ALOY', 'DAEMON']) {
          const cells = await rowCells(admin, key);
          assert.match(cells[7], /^Invalid Checked now: .*401/, `${key} token: ${cells[7]}`);
          assert.match(cells[6], /^Not checked /, `${key} webhook: ${cells[6]}`);
        }
        await screenshot(page, `health-7-admin-token-invalid-${colorMode}`);
      } finally {
        await client.setApiToken('partner', sandbox.cfg.partner.admin.email, sandbox.cfg.partner.admin.apiToken);
      }
      const daemon = (await connectionsInKvs()).find((c) => c.projectKey === 'DAEMON');
      const hooks = (await client.rest('partner', 'GET', '/rest/webhooks/1.0/webhook')).body as Array<{ self: string }>;
      if (hooks.some((h) => h.self.endsWith(`/webhook/${daemon.webhookId}`))) {
        const del = await client.rest('partner', 'DELETE', `/rest/webhooks/1.0/webhook/${daemon.webhookId}`);
        assert.ok(del.status < 300, `webhook delete answered ${del.status}`);
      }
      const admin = await openAdmin(page, colorMode);
      const [aloy, daemonRow] = [await rowCells(admin, 'ALOY'), await rowCells(admin, 'DAEMON')];
      assert.match(aloy[6], /^Registered Checked now/);
      assert.match(daemonRow[6], new RegExp(`^Missing Checked now: the partner no longer lists webhook ${daemon.webhookId}\\. Save the settings again`));
      assert.match(daemonRow[7], /^Valid/);
      await screenshot(page, `health-8-admin-webhook-missing-${colorMode}`);
      await context.close();
    });
  }

  test('loading, error and empty states: a spinner while the resolver answers, its error in words with Refresh, no connection at all', async () => {
    const { context, page } = await newPage(browser);
    // Loading: the site health answer is held back for a moment.
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/gateway/invoke', async (route) => {
      if (/getSiteHealth/.test(route.request().postData() ?? '')) await held;
      await route.continue();
    });
    await page.goto(`${sandbox.baseUrl}/admin/task-sync`);
    const admin = page.frameLocator('iframe[title*="task-sync-admin"]');
    await admin.getByRole('heading', { name: 'Task sync health' }).waitFor({ timeout: 20_000 });
    await admin.locator('[aria-busy="true"], [role="progressbar"], [data-testid$="loading-spinner"], svg[aria-label]').first().waitFor({ timeout: 5_000 });
    assert.equal(await admin.getByRole('cell', { name: 'ALOY', exact: true }).count(), 0, 'no row before the answer');
    await screenshot(page, 'health-9-admin-loading');
    release();
    await admin.getByRole('cell', { name: 'ALOY', exact: true }).waitFor({ timeout: 20_000 });
    await page.unroute('**/gateway/invoke');

    // Error: storage fails while the connections are read; Refresh recovers once it is back.
    await client.kvsFaults({ errorRate: 1, operations: ['query'], keyPrefix: 'connection:' });
    try {
      await admin.getByRole('button', { name: 'Refresh' }).click();
      await admin.getByText('Task sync health could not be read').waitFor({ timeout: 20_000 });
      assert.equal(await admin.getByRole('table').count(), 0, 'no stale table under the error');
      await screenshot(page, 'health-10-admin-error');
    } finally {
      await client.kvsFaults(null);
    }
    await admin.getByRole('button', { name: 'Refresh' }).click();
    await admin.getByRole('cell', { name: 'DAEMON', exact: true }).waitFor({ timeout: 20_000 });

    // Empty: every connection removed.
    const removed = await connectionsInKvs();
    for (const c of removed) {
      const res = await client.invoke('task-sync-settings', 'deleteConnection', { connectionId: c.id, confirmed: true }, { projectKey: c.projectKey });
      assert.equal(res.ok, true, JSON.stringify(res.error));
    }
    const left = Object.keys(await (await fetch(`${sandbox.cfg.hostUrl}/__sandbox/kvs`)).json()).filter((k) => /^health(-total|-pending)?:/.test(k) && removed.some((c) => k.includes(c.id)));
    assert.deepEqual(left, [], 'a removed connection’s metrics and totals go with it');
    await admin.getByRole('button', { name: 'Refresh' }).click();
    await admin.getByText('No project has a Task sync connection yet.', { exact: false }).waitFor({ timeout: 20_000 });
    assert.equal(await admin.getByRole('cell', { name: 'ALOY', exact: true }).count(), 0);
    await screenshot(page, 'health-11-admin-empty');
    await context.close();
  });
});
