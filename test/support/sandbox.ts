/**
 * A sandbox of its own for one test file: its own port base and a fresh temp data dir, driven over HTTP through
 * {@link SandboxClient}.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SandboxClient } from '../../sandbox/client';
import { sandboxConfig } from '../../sandbox/config';
import { startSandbox, type Sandbox } from '../../sandbox/start';

export { adfParagraph, adfText } from '../../sandbox/client';

export class TestSandbox extends SandboxClient {
  private sandbox?: Sandbox;

  constructor(basePort: number) {
    super(sandboxConfig({ basePort, dataDir: mkdtempSync(path.join(os.tmpdir(), 'task-sync-test-')) }));
  }

  /**
   * Starts a fresh sandbox (ALOY linked to PARTNER unless `link: false`). Every Jira REST response is checked
   * against Atlassian's OpenAPI spec while it runs; `stop()` fails the file if any did not match.
   */
  async start(opts: { link?: boolean; clock?: 'real' | 'manual' } = {}): Promise<this> {
    process.env.SANDBOX_VALIDATE = '1';
    this.sandbox = await startSandbox({ cfg: this.cfg, fresh: true, link: opts.link, clock: opts.clock });
    return this;
  }

  get running(): Sandbox {
    if (!this.sandbox) throw new Error('sandbox not started');
    return this.sandbox;
  }

  /** Stops the sandbox. @throws AssertionError listing every emulator response that did not match the spec */
  async stop(): Promise<void> {
    const mismatches = this.sandbox?.jira.specMismatches() ?? [];
    await this.sandbox?.close();
    rmSync(this.cfg.dataDir, { recursive: true, force: true });
    if (mismatches.length) {
      const lines = mismatches.slice(0, 10).map((m) => `${m.site} ${m.method} ${m.path} → ${m.status}: ${JSON.stringify(m.errors).slice(0, 300)}`);
      throw new Error(`${mismatches.length} emulator responses did not match the Jira OpenAPI spec:\n${lines.join('\n')}`);
    }
  }
}
