/**
 * `npm test`: builds the Custom UI (the browser tests load it), then runs every test with vitest under this Node
 * (22): unit tests of the engine in parallel, then integration tests against the sandbox and browser tests one
 * file at a time (each starts a sandbox on its own ports; see vitest.config.mts), with v8 coverage of `src/`.
 * Ends with one line `N passed, N failed`. `npm test -- <files or filters>` runs only those.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const results = path.join(root, 'test-results');

function run(args: string[]): number {
  const res = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: process.env });
  return res.status ?? 1;
}

const build = run(['--import', 'tsx', 'static/build.ts']);
if (build !== 0) {
  console.error('Building the Custom UI failed; not running tests.');
  process.exit(build);
}
mkdirSync(results, { recursive: true });
const report = path.join(results, 'vitest.json');
const only = process.argv.slice(2);
const status = run([
  path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--coverage',
  '--reporter=default', '--reporter=json', `--outputFile.json=${report}`,
  ...only,
]);
let summary = 'no test report was written';
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  const skipped = r.numPendingTests + r.numTodoTests;
  summary = `${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`;
}
console.log(`\n${summary}`);
process.exit(status);
