/**
 * A Jira emulator (sites `local` and `partner`, seeded) with a Forge host that can be restarted on another app
 * directory: the fixture app, or the real app under a changed manifest. For tests of platform rules that need an app
 * other than the one `TestSandbox` runs. Resolvers are called over HTTP through `/bridge/invoke`, as the Custom UI
 * calls them, and the answer's HTTP status is kept (consent and scope refusals are told apart by it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sandboxConfig, type SandboxConfig } from '../../sandbox/config';
import { startForgeHost, type ForgeHost } from '../../sandbox/forge';
import { startJiraEmulator, type JiraEmulator } from '../../sandbox/jira';

/** The repository root and the fixture Forge app. */
export const ROOT = path.resolve(__dirname, '../..');
export { FIXTURE_APP_DIR as FIXTURE_APP } from './forge-host';

export class HostBench {
  readonly cfg: SandboxConfig;
  /** Host log lines since the last {@link use}. */
  readonly logs: string[] = [];
  private jira?: JiraEmulator;
  private current?: ForgeHost;
  private readonly tempDirs: string[] = [];

  constructor(basePort: number) {
    this.cfg = sandboxConfig({ basePort, dataDir: this.tempDir('host-bench-') });
  }

  get host(): ForgeHost {
    if (!this.current) throw new Error('no Forge host running: call use(appDir) first');
    return this.current;
  }

  /** Starts the seeded Jira sites. */
  async start(): Promise<this> {
    this.jira = await startJiraEmulator({ cfg: this.cfg, fresh: true, seed: true });
    return this;
  }

  /** (Re)starts the Forge host on `appDir` with fresh KVS. */
  async use(appDir: string): Promise<ForgeHost> {
    await this.current?.close();
    this.logs.length = 0;
    this.current = await startForgeHost({ cfg: this.cfg, appDir, fresh: true, log: (m) => this.logs.push(m) });
    return this.current;
  }

  /**
   * A copy of the app in `appDir` (default: the real app) whose manifest is `edit(manifest.yml text)`; `src/` is the
   * original (a symlink). @throws Error when `edit` changed nothing (the test would prove nothing)
   */
  appWithManifest(edit: (manifest: string) => string, appDir = ROOT): string {
    const dir = this.tempDir('app-');
    const manifest = fs.readFileSync(path.join(appDir, 'manifest.yml'), 'utf8');
    const changed = edit(manifest);
    if (changed === manifest) throw new Error('the manifest edit changed nothing');
    fs.writeFileSync(path.join(dir, 'manifest.yml'), changed);
    fs.symlinkSync(path.join(appDir, 'src'), path.join(dir, 'src'), 'dir');
    return dir;
  }

  /** Calls resolver `functionKey` of module `moduleKey` as `context.accountId` (default: the local admin). */
  async invoke(moduleKey: string, functionKey: string, payload: unknown, context: { accountId?: string; issueKey?: string; projectKey?: string }) {
    const res = await fetch(`${this.cfg.hostUrl}/bridge/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ moduleKey, functionKey, payload, context: { accountId: this.cfg.local.admin.accountId, ...context } }),
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  /** Jira REST on the local site as its admin. */
  async localRest(method: string, pathAndQuery: string): Promise<any> {
    const { email, apiToken } = this.cfg.local.admin;
    const res = await fetch(`${this.cfg.local.url}${pathAndQuery}`, {
      method,
      headers: { authorization: `Basic ${Buffer.from(`${email}:${apiToken}`).toString('base64')}`, accept: 'application/json' },
    });
    return res.json();
  }

  async close(): Promise<void> {
    await this.current?.close();
    await this.jira?.close();
    for (const d of this.tempDirs) fs.rmSync(d, { recursive: true, force: true });
  }

  private tempDir(prefix: string): string {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    this.tempDirs.push(d);
    return d;
  }
}
