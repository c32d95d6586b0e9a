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

  /** Saves ALOY's Task sync settings (partner ALOY ↔ PARTNER as the admin) with `overrides`, e.g. a conflict policy. */
  async saveSettings(overrides: Record<string, unknown> = {}): Promise<any> {
    const payload = { partnerUrl: 'https://partner.atlassian.net', email: this.cfg.partner.admin.email, partnerProjectKey: 'PARTNER', ...overrides };
    return this.invoke('task-sync-settings', 'saveConnection', payload, { projectKey: 'ALOY' });
  }

  /**
   * Changes the summary on both sides of a link so that the next job sees both changed: the partner edit goes
   * unannounced (its webhook is dropped), then the local edit starts the job.
   */
  async editSummaryOnBothSides(localKey: string, partnerKey: string, summaries: { partner: string; local: string }): Promise<void> {
    await this.editOnBothSides(localKey, partnerKey, { partner: { summary: summaries.partner }, local: { summary: summaries.local } });
  }

  /**
   * Like {@link editSummaryOnBothSides} for any fields (`PUT /rest/api/3/issue/{key}` bodies' `fields`), e.g. a
   * summary and a description at once. @throws Error when either site does not answer 204
   */
  async editOnBothSides(localKey: string, partnerKey: string, fields: { partner: Record<string, unknown>; local: Record<string, unknown> }): Promise<void> {
    await this.faults('partner', { webhookDrop: 1 });
    try {
      const partner = await this.rest('partner', 'PUT', `/rest/api/3/issue/${partnerKey}`, { fields: fields.partner });
      if (partner.status !== 204) throw new Error(`editing partner ${partnerKey} answered ${partner.status}: ${JSON.stringify(partner.body)}`);
      await this.idle();
    } finally {
      await this.faults('partner', null);
    }
    const local = await this.rest('local', 'PUT', `/rest/api/3/issue/${localKey}`, { fields: fields.local });
    if (local.status !== 204) throw new Error(`editing local ${localKey} answered ${local.status}: ${JSON.stringify(local.body)}`);
    await this.idle();
  }

  /** Turns sync on for `issueKey` (as the panel's confirmation would), waits for the copy; returns the partner key. */
  async linked(issueKey: string): Promise<string> {
    const view = await this.enableSync(issueKey);
    await this.idle();
    return view.link.partnerIssueKey;
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
