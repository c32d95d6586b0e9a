/**
 * `npm start`: the whole sandbox in one process — the Jira emulator (sites `local` and `partner`), the Forge host
 * running the app's unmodified handlers, and the UI host framing the Custom UI like Jira does. On a fresh start the
 * app is set up for project ALOY ↔ PARTNER through its own `saveSettings` resolver, as an admin would.
 *
 * Flags: `--fresh` wipes `.sandbox/` first; `--no-link` starts unconfigured; `--reconcile-every <seconds>` runs the
 * scheduled reconcile that often instead of every 5 minutes. Env: `SANDBOX_PORT` moves the ports.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { sandboxConfig, type SandboxConfig } from './config';
import { checkPortsFree, checkSharedData, explainListenError, forgetPid, recordPid, StartError } from './first-run';
import { stableUuid, startForgeHost, type ClockMode, type ForgeHost } from './forge';
import { startJiraEmulator, type JiraEmulator } from './jira';
import { installAppFieldsOf } from './forge/app-fields';
import { registerUiHost } from './ui';

/** A running sandbox. */
export interface Sandbox {
  cfg: SandboxConfig;
  jira: JiraEmulator;
  host: ForgeHost;
  /**
   * Stops the Forge host as a crash would (running invocations are abandoned, queued events are lost; KVS stays)
   * and starts it again on the same port. The Jira sites keep running.
   */
  restartHost(): Promise<void>;
  /** Stops everything and flushes state to disk. */
  close(): Promise<void>;
}

export interface StartOptions {
  cfg?: SandboxConfig;
  /** Wipe persisted state and reseed. */
  fresh?: boolean;
  /** Set up ALOY ↔ PARTNER when the project is not configured yet (default true). */
  link?: boolean;
  /** Run the scheduled reconcile this often (ms) instead of Forge's five minutes. */
  reconcileIntervalMs?: number;
  /** The Forge host's clock: `manual` runs queue retries/delays and schedules on a virtual clock (default `real`). */
  clock?: ClockMode;
  log?: (message: string) => void;
}

/** The settings an admin would save for ALOY in the sandbox (the partner's real sandbox credentials). */
export function defaultSettings(cfg: SandboxConfig) {
  return {
    partnerUrl: cfg.partner.publicUrl,
    email: cfg.partner.admin.email,
    apiToken: cfg.partner.admin.apiToken,
    partnerProjectKey: 'PARTNER',
    conflictPolicy: 'newest-wins' as const,
  };
}

async function ensureUiBuilt(cfg: SandboxConfig, log: (m: string) => void): Promise<void> {
  const missing = ['settings', 'panel', 'glance', 'field'].filter((p) => !existsSync(path.join(cfg.rootDir, 'static', p, 'dist', 'index.html')));
  if (!missing.length) return;
  log(`Building the Custom UI (${missing.join(', ')})…`);
  const { buildUi } = await import('../static/build.ts');
  await buildUi();
}

/** Starts the sandbox. Resolves once every server listens and (unless `link: false`) ALOY is linked. */
export async function startSandbox(opts: StartOptions = {}): Promise<Sandbox> {
  const cfg = opts.cfg ?? sandboxConfig();
  const log = opts.log ?? (() => {});
  await ensureUiBuilt(cfg, log);
  const jira = await startJiraEmulator({ cfg, fresh: opts.fresh, seed: true, log });
  installAppFieldsOf(cfg.rootDir, jira.sites.local.store, (appId) => stableUuid(`environment:${appId}`)); // field area
  const hostOptions = (fresh: boolean | undefined) => ({
    cfg,
    fresh,
    reconcileIntervalMs: opts.reconcileIntervalMs,
    clock: opts.clock,
    log,
    beforeListen: (app: Parameters<typeof registerUiHost>[0]) => registerUiHost(app, { cfg }),
  });
  let host: ForgeHost;
  try {
    host = await startForgeHost(hostOptions(opts.fresh));
  } catch (err) {
    await jira.close();
    throw err;
  }
  const sandbox: Sandbox = {
    cfg,
    jira,
    host,
    async restartHost() {
      await sandbox.host.close();
      sandbox.host = await startForgeHost(hostOptions(false));
    },
    async close() {
      await sandbox.host.close();
      await jira.close();
    },
  };
  if (opts.link !== false) await linkDefaultProject(sandbox, log);
  return sandbox;
}

/** Saves ALOY's settings through the app's own resolver, unless already configured. */
async function linkDefaultProject(sandbox: Sandbox, log: (m: string) => void): Promise<void> {
  const { cfg, host } = sandbox;
  const ctx = { accountId: cfg.local.admin.accountId, projectKey: 'ALOY' };
  const current = (await host.invokeResolver('task-sync-settings', 'listConnections', {}, ctx)) as { ok: boolean; data?: { connections: Array<{ configured: boolean }> } };
  if (current.ok && current.data?.connections.some((c) => c.configured)) return;
  const saved = (await host.invokeResolver('task-sync-settings', 'saveConnection', defaultSettings(cfg), ctx)) as { ok: boolean; error?: { message: string } };
  if (!saved.ok) throw new Error(`Could not link ALOY to PARTNER: ${saved.error?.message}`);
  log('Linked project ALOY to PARTNER on the partner site (webhook registered, conflict policy newest-wins).');
}

function banner(cfg: SandboxConfig, linked: boolean): string {
  return [
    '',
    'Jira Task Sync sandbox is running.',
    '',
    `  Issue view (panel + glance):  ${cfg.hostUrl}/browse/ALOY-1`,
    `  Project settings + sync log:  ${cfg.hostUrl}/project-settings/ALOY`,
    `  Site "local"   (${cfg.local.publicUrl}):   ${cfg.local.url}   login ${cfg.local.admin.email} / API token ${cfg.local.admin.apiToken}`,
    `  Site "partner" (${cfg.partner.publicUrl}): ${cfg.partner.url}   login ${cfg.partner.admin.email} / API token ${cfg.partner.admin.apiToken}`,
    `  Partner issues:               ${cfg.partner.url}/browse/PARTNER-1`,
    `  Bridge:                       POST ${cfg.hostUrl}/bridge/invoke`,
    `  Run reconcile now:            POST ${cfg.hostUrl}/__sandbox/reconcile`,
    '',
    linked ? '  ALOY is linked to PARTNER (newest-wins). Open an ALOY issue and turn sync on.' : '  Started with --no-link: set up sync in Project settings → Task sync.',
    `  State persists in ${cfg.dataDir} (npm start -- --fresh resets). Ctrl+C or kill ${process.pid} stops.`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = new Set(argv);
  const link = !args.has('--no-link');
  const every = argv.indexOf('--reconcile-every');
  const reconcileSeconds = every >= 0 ? Number(argv[every + 1]) : undefined;
  if (reconcileSeconds !== undefined && !(reconcileSeconds >= 1)) throw new StartError('--reconcile-every takes a number of seconds ≥ 1, e.g. --reconcile-every 30');
  checkSharedData();
  const cfg = sandboxConfig();
  await checkPortsFree(cfg);
  const started = Date.now();
  const sandbox = await startSandbox({
    cfg,
    fresh: args.has('--fresh'),
    link,
    reconcileIntervalMs: reconcileSeconds && reconcileSeconds * 1000,
    log: (m) => console.log(`[sandbox] ${m}`),
  }).catch((err) => {
    throw explainListenError(err, cfg);
  });
  recordPid(cfg);
  console.log(`[sandbox] ready in ${((Date.now() - started) / 1000).toFixed(1)} s (PID ${process.pid})`);
  console.log(banner(sandbox.cfg, link));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    forgetPid(cfg);
    await sandbox.close();
    process.exit(0);
  };
  // `kill <pid>` (SIGTERM), Ctrl+C (SIGINT) and a closed terminal (SIGHUP) all stop the sandbox cleanly.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
}

if (require.main === module) {
  main().catch((err) => {
    // A problem the user can fix is one line; anything else is a bug and keeps its stack.
    console.error(err instanceof StartError ? `npm start: ${err.message}` : err instanceof Error ? err.stack : err);
    process.exit(1);
  });
}
