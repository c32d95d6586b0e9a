/**
 * Sandbox addresses and credentials: the one place the emulator, the Forge host, the UI host, scripts and tests
 * agree on ports, site names and logins. Dev tooling only: nothing in `src/` or `static/` imports this.
 *
 * Ports: app host = base, site `local` = base + 1, site `partner` = base + 2 (base 7700 unless `SANDBOX_PORT`).
 */
import path from 'node:path';
import { portFromEnv } from './first-run';

/** A sandbox Jira site as the app sees it (`https://<name>.atlassian.net`) and where it really listens. */
export interface SiteConfig {
  /** Short name: `local` or `partner`. */
  name: 'local' | 'partner';
  /** Public base URL the app uses, e.g. `https://partner.atlassian.net`. */
  publicUrl: string;
  /** Loopback port the emulator listens on. */
  port: number;
  /** Loopback base URL, e.g. `http://127.0.0.1:7702`. */
  url: string;
  /** Cloud id of the site (used in Forge context and contextAri). */
  cloudId: string;
  /** The site admin who logs in with Basic auth (email + API token). */
  admin: { email: string; apiToken: string; displayName: string; accountId: string };
}

/** Everything the sandbox needs to know about its own layout. */
export interface SandboxConfig {
  /** Base port; the app host listens here. */
  basePort: number;
  /** App host (Forge host + UI host + bridge) loopback URL, e.g. `http://127.0.0.1:7700`. */
  hostUrl: string;
  local: SiteConfig;
  partner: SiteConfig;
  /** Directory for persisted state (KVS, secrets, emulator sites); `.sandbox/` by default. */
  dataDir: string;
  /** Repository root (where manifest.yml lives). */
  rootDir: string;
  /** accountId of the Forge app's bot user on the local site (the actor of every `asApp()` write). */
  appAccountId: string;
  /** Bearer token the Forge host presents to the local site for `asApp()` calls. */
  appToken: string;
  /**
   * notifications: other public origins the app's egress reaches, served on loopback like the two Jira sites, e.g.
   * `{publicUrl: 'https://hooks.slack.com', url: 'http://127.0.0.1:7790'}` for a test's Slack receiver. The manifest's
   * egress is still checked against the public URL first (`sandbox/forge/runtime.ts`).
   */
  externalSites?: Array<{ publicUrl: string; url: string }>;
}

const ROOT = path.resolve(__dirname, '..');

/**
 * Builds the sandbox config.
 * @param opts.basePort base port (default `SANDBOX_PORT` env or 7700)
 * @throws StartError when `SANDBOX_PORT` is not a usable port number
 * @param opts.dataDir persisted state dir (default `SANDBOX_DATA_DIR` env or `<root>/.sandbox`)
 */
export function sandboxConfig(opts: { basePort?: number; dataDir?: string } = {}): SandboxConfig {
  // TEST_PORT_OFFSET shifts every port, so the tests of several checkouts can run at once on one machine.
  const basePort = (opts.basePort ?? portFromEnv() ?? 7700) + Number(process.env.TEST_PORT_OFFSET ?? 0);
  const site = (name: 'local' | 'partner', offset: number, cloudId: string, accountId: string): SiteConfig => ({
    name,
    publicUrl: `https://${name}.atlassian.net`,
    port: basePort + offset,
    url: `http://127.0.0.1:${basePort + offset}`,
    cloudId,
    admin: {
      email: `admin@${name}.example`,
      apiToken: `${name}-token`,
      displayName: name === 'local' ? 'Local Admin' : 'Partner Admin',
      accountId,
    },
  });
  return {
    basePort,
    hostUrl: `http://127.0.0.1:${basePort}`,
    local: site('local', 1, 'a7c1e0f2-1d3b-4c5e-9f60-7a8b9c0d1e2f', '712020:0a1b2c3d-local-admin'),
    partner: site('partner', 2, 'b8d2f1a3-2e4c-4d6f-8a71-8b9c0d1e2f30', '712020:4e5f6a7b-partner-admin'),
    dataDir: opts.dataDir ?? (process.env.SANDBOX_DATA_DIR || path.join(ROOT, '.sandbox')),
    rootDir: ROOT,
    appAccountId: '557058:f0a1b2c3-forge-app-task-sync',
    appToken: 'forge-app-system-token',
  };
}

/**
 * Maps a public `https://<site>.atlassian.net/...` URL to the emulator on loopback; other URLs come back unchanged.
 * Used by the Forge host's egress fetch and by the UI host's router for links.
 */
export function toLoopback(cfg: SandboxConfig, url: string): string {
  for (const s of [cfg.local, cfg.partner, ...(cfg.externalSites ?? []) /* notifications */]) {
    if (url.startsWith(s.publicUrl)) return s.url + url.slice(s.publicUrl.length);
  }
  return url;
}
