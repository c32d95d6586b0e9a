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

  /** Starts a fresh sandbox (ALOY linked to PARTNER unless `link: false`). */
  async start(opts: { link?: boolean } = {}): Promise<this> {
    this.sandbox = await startSandbox({ cfg: this.cfg, fresh: true, link: opts.link });
    return this;
  }

  get running(): Sandbox {
    if (!this.sandbox) throw new Error('sandbox not started');
    return this.sandbox;
  }

  async stop(): Promise<void> {
    await this.sandbox?.close();
    rmSync(this.cfg.dataDir, { recursive: true, force: true });
  }
}
