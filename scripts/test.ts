/**
 * `npm test`: builds the Custom UI (the browser tests load it), then runs every test file with Node's test runner
 * under this Node (22): unit tests of the engine, integration tests against the sandbox, browser tests.
 * Files run one at a time because integration and browser tests each start a sandbox on their own ports.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

function files(dir: string): string[] {
  const abs = path.join(root, dir);
  try {
    return readdirSync(abs).filter((f) => f.endsWith('.test.ts')).sort().map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

function run(args: string[]): number {
  const res = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: process.env });
  return res.status ?? 1;
}

const build = run(['--import', 'tsx', 'static/build.ts']);
if (build !== 0) {
  console.error('Building the Custom UI failed; not running tests.');
  process.exit(build);
}
const only = process.argv.slice(2);
const all = only.length ? only : [...files('test/unit'), ...files('test/integration'), ...files('test/e2e')];
process.exit(run(['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...all]));
