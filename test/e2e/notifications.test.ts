/**
 * The Notifications section of a connection in a browser against the full sandbox (both themes): a non-Slack URL
 * is flagged next to its field and nothing is saved, a saved webhook URL is shown only as set, the checkboxes work
 * from the keyboard, and "Send a test notification" reports each channel (email recorded by the emulator, Slack
 * received by a local receiver the sandbox routes hooks.slack.com to).
 */
import { afterAll as after, beforeAll as before, test } from 'vitest';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { SandboxClient } from '../../sandbox/client';
import { SlackReceiver } from '../support/slack-receiver';
import { launchBrowser, newPage, screenshot, startE2eSandbox, takeProblems, type E2eSandbox } from './browser';
import { waitForValue } from './wait';

let sandbox: E2eSandbox;
let browser: Browser;
let slack: SlackReceiver;
const SLACK_URL = 'https://hooks.slack.com/services/T0E2ETEST/B0NOTIFY2/browserWebhookToken77';

before(async () => {
  sandbox = await startE2eSandbox(20550);
  slack = await new SlackReceiver(sandbox.cfg.basePort + 5).start(sandbox.cfg);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await sandbox?.close();
  await slack?.stop();
});

for (const colorMode of ['light', 'dark'] as const) {
  test(`an admin sets the notification channels and sends a test (${colorMode})`, async () => {
    const { context, page } = await newPage(browser, colorMode);
    await page.goto(`${sandbox.baseUrl}/project-settings/ALOY${colorMode === 'dark' ? '?theme=dark' : ''}`);
    const settings = page.frameLocator('iframe[title*="task-sync-settings"]');
    await settings.getByRole('button', { name: 'Edit partner.atlassian.net · PARTNER' }).click();
    const section = settings.getByRole('region', { name: 'Notifications' });
    await section.getByRole('group', { name: 'Email from Jira' }).waitFor({ timeout: 20_000 });

    if (colorMode === 'light') {
      // A new connection has every channel off, and the section says what that means.
      await section.getByText('No channel is on: nobody is told when this connection fails.').waitFor();
      await screenshot(page, `notifications-0-none-${colorMode}`);
    }
    // Keyboard: focus a checkbox and press Space.
    const assignee = section.getByRole('checkbox', { name: 'Assignee' });
    const was = await assignee.isChecked();
    await assignee.focus();
    await page.keyboard.press('Space');
    await waitForValue(() => assignee.isChecked(), !was, 'Space toggles the focused checkbox');
    await assignee.check();
    await section.getByRole('checkbox', { name: 'Project admins (role Administrators)' }).check();
    await section.getByRole('checkbox', { name: 'Post to a Slack channel' }).check();
    await section.getByRole('checkbox', { name: /Add a comment visible only to a project role/ }).check();

    const url = section.getByLabel('Incoming webhook URL');
    assert.equal(await url.getAttribute('type'), 'password');
    await url.fill('https://example.com/services/T0AAA/B0BBB/abcdefgh1234');
    await section.getByRole('button', { name: 'Update notifications' }).click();
    await section.getByText(/must look like https:\/\/hooks\.slack\.com\/services\//).waitFor();
    await screenshot(page, `notifications-1-bad-url-${colorMode}`);

    await url.fill(SLACK_URL);
    await section.getByRole('button', { name: 'Update notifications' }).click();
    await section.getByText('Notifications saved').waitFor({ timeout: 20_000 });
    await waitForValue(() => url.inputValue(), '', 'the saved webhook URL is not shown again');
    await waitForValue(() => url.getAttribute('placeholder'), 'Set — leave empty to keep', 'the URL field says a URL is set');
    assert.equal((await settings.locator('html').innerHTML()).includes('browserWebhookToken77'), false, 'the stored URL never reaches the page');

    const before = slack.posts.length;
    await section.getByLabel('Issue for the test (optional)').fill('ALOY-41');
    await section.getByRole('button', { name: 'Send a test notification' }).click();
    await section.getByText('Test sent about ALOY-41').waitFor({ timeout: 20_000 });
    const channels = section.getByRole('list', { name: 'Test notification channels' }).getByRole('listitem');
    await waitForValue(() => channels.allTextContents(), ['✓ Email from Jira: sent', '✓ Slack: sent', '✓ Internal comment: sent'], 'the test reports each channel');
    assert.equal(slack.posts.length - before, 1, 'Slack received the test');
    const emails = (await (await fetch(`${sandbox.cfg.local.url}/__sandbox/emails?issueKey=ALOY-41`)).json()) as { emails: Array<{ subject: string }> };
    assert.match(emails.emails.at(-1)!.subject, /Test notification/);
    await section.scrollIntoViewIfNeeded();
    assert.equal(await section.getByText('No channel is on').count(), 0, 'with channels on, no empty-state note');
    await screenshot(page, `notifications-2-tested-${colorMode}`);

    // Slack gone: the test says so per channel, and the section keeps the failure in words until Slack sends again.
    slack.status = 404;
    try {
      await section.getByRole('button', { name: 'Send a test notification' }).click();
      await section.getByText('Test about ALOY-41: some channels failed').waitFor({ timeout: 20_000 });
      const failures = section.getByRole('list', { name: 'Notification failures' }).getByRole('listitem');
      await waitForValue(async () => (await failures.allTextContents()).map((t) => /^Slack, about ALOY-41, .+: Slack answered 404 \(no_service\)\. The webhook was removed/.test(t)), [true], 'the failure is listed in words');
      await section.getByText('Some notifications could not be sent').scrollIntoViewIfNeeded();
      await screenshot(page, `notifications-3-slack-failed-${colorMode}`);
    } finally {
      slack.status = 200;
    }
    await section.getByRole('button', { name: 'Send a test notification' }).click();
    await section.getByText('Test sent about ALOY-41').waitFor({ timeout: 20_000 });
    await waitForValue(() => section.getByText('Some notifications could not be sent').count(), 0, 'Slack sending again clears its failure');
    assert.deepEqual(takeProblems(context), [], 'no console error or CSP violation');
    await context.close();
  });
}

for (const colorMode of ['light', 'dark'] as const) {
  test(`the section shows a spinner while it loads and the error in words when it cannot (${colorMode})`, async () => {
    const client = new SandboxClient(sandbox.cfg);
    const { context, page } = await newPage(browser, colorMode);
    const open = async () => {
      await page.goto(`${sandbox.baseUrl}/project-settings/ALOY${colorMode === 'dark' ? '?theme=dark' : ''}`);
      const settings = page.frameLocator('iframe[title*="task-sync-settings"]');
      await settings.getByRole('button', { name: 'Edit partner.atlassian.net · PARTNER' }).click();
      return settings.getByRole('region', { name: 'Notifications' });
    };
    try {
      // Slow storage for the Slack secret (read only by this section): the spinner is what a person sees meanwhile.
      await client.kvsFaults({ operations: ['secret/get'], keyPrefix: 'slack-webhook:', latencyMs: 2_500 });
      let section = await open();
      await section.getByRole('img', { name: 'Loading notifications' }).waitFor({ timeout: 20_000 });
      await screenshot(page, `notifications-4-loading-${colorMode}`);
      await section.getByRole('group', { name: 'Email from Jira' }).waitFor({ timeout: 20_000 });

      await client.kvsFaults({ operations: ['secret/get'], keyPrefix: 'slack-webhook:', errorRate: 1, status: 503 });
      section = await open();
      await section.getByText('The notification settings could not be read').waitFor({ timeout: 20_000 });
      await section.getByText(/Storage is unavailable/).waitFor();
      assert.equal(await section.getByRole('group', { name: 'Email from Jira' }).count(), 0, 'no form over settings that were not read');
      await screenshot(page, `notifications-5-load-error-${colorMode}`);
      await client.kvsFaults(null);
      await section.getByRole('button', { name: 'Try again' }).click();
      await section.getByRole('group', { name: 'Email from Jira' }).waitFor({ timeout: 20_000 });
    } finally {
      await client.kvsFaults(null);
    }
    assert.deepEqual(takeProblems(context), [], 'no console error or CSP violation');
    await context.close();
  });
}
