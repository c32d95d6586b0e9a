/**
 * manifest.yml is valid for Forge (validated offline with @forge/manifest, as `forge lint` does) and declares
 * exactly the modules, scopes and egress the app needs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { require as tsxRequire } from 'tsx/cjs/api';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '../..');
const { validate } = require('@forge/manifest') as {
  validate: (requireResources: boolean, file: string) => Promise<{ success: boolean; errors?: Array<{ message: string; level: string; line?: number }> }>;
};

test('manifest.yml passes Forge validation with no errors', async () => {
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const result = await validate(false, 'manifest.yml');
    const errors = (result.errors ?? []).filter((e) => e.level === 'error');
    assert.deepEqual(errors.map((e) => `line ${e.line}: ${e.message}`), []);
    assert.equal(result.success, true);
  } finally {
    process.chdir(cwd);
  }
});

// The scopes are checked in scopes-app.test.ts: derived from the spec for the calls a sync session makes.
test('the manifest allows egress to *.atlassian.net and (notifications) Slack incoming webhooks only, on Node 22', () => {
  const manifest = parse(readFileSync(path.join(root, 'manifest.yml'), 'utf8'));
  assert.deepEqual(manifest.permissions.external.fetch.backend.map((b: { address: string }) => b.address), ['https://*.atlassian.net', 'https://hooks.slack.com']);
  assert.equal(manifest.app.runtime.name, 'nodejs22.x');
});

test('the trigger listens to the issue and comment events with ignoreSelf', () => {
  const manifest = parse(readFileSync(path.join(root, 'manifest.yml'), 'utf8'));
  const [trigger] = manifest.modules.trigger;
  const worklogs = ['avi:jira:created:worklog', 'avi:jira:deleted:worklog', 'avi:jira:updated:worklog']; // worklogs
  assert.deepEqual([...trigger.events].sort(), ['avi:jira:commented:issue', 'avi:jira:created:issue', 'avi:jira:deleted:comment', 'avi:jira:deleted:issue', 'avi:jira:updated:issue', ...worklogs, /* attachments */ 'avi:jira:created:attachment', 'avi:jira:deleted:attachment', /* hierarchy */ 'avi:jira:created:issuelink', 'avi:jira:deleted:issuelink'].sort());
  assert.equal(trigger.filter.ignoreSelf, true);
});

test('every manifest function points at an export of src/index.ts', () => {
  const manifest = parse(readFileSync(path.join(root, 'manifest.yml'), 'utf8'));
  const exported = tsxRequire(path.join(root, 'src/index.ts'), __filename);
  for (const fn of manifest.modules.function) {
    const [file, name] = fn.handler.split('.');
    assert.equal(file, 'index');
    assert.equal(typeof exported[name], 'function', `${fn.key} → index.${name} is not exported`);
  }
});
