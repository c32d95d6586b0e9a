/**
 * `forge deploy` runs `forge lint` first and stops on any error. The same linter (`@forge/lint`, offline, see
 * scripts/lint.ts) must find nothing in this app, and must still find what it refuses in a fixture app, so this
 * check can fail.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll as before, test } from 'vitest';
import { buildUi } from '../../static/build';
import { runForgeLint, type LintReport } from '../../scripts/lint';

const ROOT = path.resolve(__dirname, '../..');
const BAD_APP = path.join(ROOT, 'test/fixtures/lint/bad-app');

const show = (r: LintReport) => `forge lint said:\n${r.output}`;

before(async () => {
  // Forge lints the built resources (`forge deploy` comes after the UI build), as `npm test` builds them first.
  if (!['settings', 'panel', 'glance'].every((p) => existsSync(path.join(ROOT, 'static', p, 'dist', 'index.html')))) await buildUi();
});

test('forge lint finds no error and no warning in the app, so forge deploy is not stopped', () => {
  const report = runForgeLint(ROOT);
  assert.equal(report.errors, 0, show(report));
  assert.equal(report.warnings, 0, show(report));
  assert.match(report.output, /No issues found/, show(report));
});

test('forge lint refuses a resolver-style timeout on a product-event function and a REST call whose scope is missing', () => {
  const report = runForgeLint(BAD_APP);
  const messages = report.problems.filter((p) => p.level === 'error').map((p) => p.message);
  assert.ok(
    messages.some((m) => /Function "on-event" defines timeoutSeconds \(25s\) but is used by trigger "issue-events"/.test(m)),
    show(report),
  );
  assert.ok(messages.some((m) => /GET \/rest\/api\/3\/myself requires "read:jira-user" scope/.test(m)), show(report));
  assert.equal(report.errors, 2, show(report));
});
