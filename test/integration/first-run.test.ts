/**
 * `npm start` as a new user meets it: problems that are theirs to fix are one line with what to do (no stack trace),
 * a second start on busy ports names the running sandbox, and stopping `npm start` by its PID stops the sandbox.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll as after, describe, test } from 'vitest';
import { checkSharedData } from '../../sandbox/first-run';

const root = path.resolve(__dirname, '../..');
const offset = Number(process.env.TEST_PORT_OFFSET ?? 0);
const base = 19500; // SANDBOX_PORT as the user types it; the sandbox adds TEST_PORT_OFFSET itself
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'task-sync-first-run-'));
const env = { ...process.env, SANDBOX_PORT: String(base), SANDBOX_DATA_DIR: dataDir };
const node = path.join(root, 'node_modules/.bin/node');

after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** Runs `npm start` to its end (for starts that must fail) and returns its exit code and output. */
function startToEnd(extraEnv: Record<string, string>): { status: number | null; stderr: string; stdout: string } {
  const r = spawnSync(node, ['--import', 'tsx', 'sandbox/start.ts'], { cwd: root, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function assertOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n').filter((l) => !l.startsWith('npm warn'));
  assert.equal(lines.length, 1, `expected one line, got:\n${stderr}`);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace');
}

describe('first run', () => {
  test('a SANDBOX_PORT that is not a port number is named as such, in one line', () => {
    for (const bad of ['abc', '99999', '80']) {
      const r = startToEnd({ SANDBOX_PORT: bad });
      assert.equal(r.status, 1);
      assertOneLine(r.stderr, new RegExp(`SANDBOX_PORT must be a port number from 1024 to 65533 .*got "${bad}"`));
    }
  });

  test('a port taken by another program is named, with how to use other ports, and nothing starts', async () => {
    const blocker = net.createServer().listen({ host: '127.0.0.1', port: base + offset + 2 });
    await new Promise((r) => blocker.once('listening', r));
    try {
      const r = startToEnd({});
      assert.equal(r.status, 1);
      assertOneLine(r.stderr, new RegExp(`Port ${base + offset + 2} is already in use.*SANDBOX_PORT=${base + offset + 100} npm start`));
      assert.equal(await portOpen(base + offset), false, 'the app host did not start');
    } finally {
      blocker.close();
    }
  });

  test('the shared data folder missing beside the checkout says what is missing and where it comes from', () => {
    assert.doesNotThrow(() => checkSharedData(), 'the real ../shared/data is complete');
    const missing = path.join(dataDir, 'no-shared', 'data');
    assert.throws(() => checkSharedData(missing), (err: Error) => {
      assert.equal(err.name, 'StartError');
      assert.match(err.message, /jira-platform-openapi-v3\.json, jira-field-information\.json, issues\/tidev-ALOY-DAEMON-MOD\.jsonl\.gz not found in/);
      assert.match(err.message, /must sit beside the checkout as \.\.\/shared\/data/);
      return true;
    });
  });

  test('a second npm start names the running sandbox and its PID; killing npm start by its PID stops the sandbox', async () => {
    let npm: ChildProcess | undefined = spawn('npm', ['start', '--', '--fresh', '--no-link'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    npm.stdout!.on('data', (d) => (out += d));
    npm.stderr!.on('data', (d) => (out += d));
    try {
      await waitFor('the first sandbox to be ready', () => /ready in .* \(PID (\d+)\)/.test(out));
      const pid = Number(/\(PID (\d+)\)/.exec(out)![1]);
      assert.notEqual(pid, npm.pid, 'the sandbox is its own process under npm');

      const second = startToEnd({});
      assert.equal(second.status, 1);
      assertOneLine(second.stderr, new RegExp(`A sandbox is already running \\(PID ${pid}\\) on port ${base + offset}.*kill ${pid}`));

      const exited = new Promise((r) => npm!.once('exit', r));
      process.kill(npm.pid!, 'SIGTERM');
      await exited;
      npm = undefined;
      await waitFor('the sandbox process to end', () => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      }, 15_000);
      for (const port of [base, base + 1, base + 2]) assert.equal(await portOpen(port + offset), false, `port ${port + offset} is free`);
    } finally {
      npm?.kill('SIGKILL');
    }
  });
});
