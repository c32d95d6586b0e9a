/**
 * Jira Cloud REST emulator: one process hosts the `local` and `partner` sites, each a fastify server on its own
 * loopback port (`cfg.local.port`, `cfg.partner.port`). State persists to `${cfg.dataDir}/jira-<site>.json`.
 *
 * Usage: `const jira = await startJiraEmulator({ cfg: sandboxConfig() }); … await jira.sites.local.idle(); await jira.close();`
 */
import type { SandboxConfig, SiteConfig } from '../config';
import { Faults, type FaultSettings } from './faults';
import { HeldResponses } from './gate';
import { Notifier } from './notify';
import { Outbox } from './outbound';
import { Renderer } from './render';
import { emptyStats, type SiteRuntime } from './runtime';
import { resetSiteStats, siteStats } from './routes/sandbox';
import { buildSiteServer } from './server';
import { SpecCheck, validationWanted, type SpecMismatch } from './spec-check';
import { SiteStore } from './store';

export type { FaultSettings } from './faults';
export type { SpecMismatch } from './spec-check';

/** Statistics of one site (`GET /__sandbox/stats` returns the same). */
export type SiteStats = ReturnType<typeof siteStats>;

/** One running emulated site. */
export interface EmulatedSite {
  /** Site name, `local` or `partner`. */
  name: 'local' | 'partner';
  /** Loopback base URL, e.g. `http://127.0.0.1:7701`. */
  url: string;
  /** Request, write, webhook and product-event counters since start or the last `resetStats()`. */
  stats(): SiteStats;
  /** Zeroes the counters. */
  resetStats(): void;
  /** Outbound webhook deliveries and product events not yet finished. */
  pending(): number;
  /** Resolves once nothing outbound is pending (deliveries done or given up after retries). */
  idle(): Promise<void>;
  /** In-process access to the store (tests and the sandbox only). */
  store: SiteStore;
  /**
   * Merges fault settings, as `POST /__sandbox/faults` does (same body, see `FaultsBody`); returns the settings.
   * @throws JiraError 400 naming the bad field
   */
  setFaults(body: FaultSettings): FaultSettings;
  /** Clears every fault (as `DELETE /__sandbox/faults`). */
  clearFaults(): void;
  /** Spec mismatches of this site's `/rest/` responses so far (empty when validation is off). */
  specMismatches(): SpecMismatch[];
  /** Whether responses are being validated. */
  validating: boolean;
}

/** Both sites, plus lifecycle. */
export interface JiraEmulator {
  sites: { local: EmulatedSite; partner: EmulatedSite };
  /** Waits for outbound traffic, saves state and stops both servers. */
  close(): Promise<void>;
  /** Writes both sites' state to disk now. */
  save(): Promise<void>;
  /** Spec mismatches of both sites (each tagged with its site); empty when validation is off. */
  specMismatches(): Array<SpecMismatch & { site: 'local' | 'partner' }>;
}

/** Options of `startJiraEmulator`. */
export interface JiraEmulatorOptions {
  cfg: SandboxConfig;
  /** Delete saved state and start from the seed. */
  fresh?: boolean;
  /** Seed the local site from the issue dump when there is no saved state (default true). */
  seed?: boolean;
  log?: (msg: string) => void;
  /**
   * Validate every `/rest/` response against the OpenAPI spec and record mismatches (`specMismatches()`,
   * `GET /__sandbox/spec-mismatches`). Default: env `SANDBOX_VALIDATE=1`, else off.
   */
  validate?: boolean;
}

async function startSite(opts: JiraEmulatorOptions, site: SiteConfig): Promise<{ site: EmulatedSite; close(): Promise<void>; save(): Promise<void> }> {
  const log = opts.log ?? (() => {});
  const store = new SiteStore(opts.cfg, site, { fresh: opts.fresh, seed: opts.seed, log });
  const render = new Renderer(store);
  const outbox = new Outbox(log);
  const faults = new Faults();
  const spec = validationWanted(opts.validate) ? new SpecCheck() : null;
  const notify = new Notifier(opts.cfg, store, render, outbox, faults);
  const rt: SiteRuntime = { cfg: opts.cfg, site, store, render, outbox, notify, stats: emptyStats(), faults, held: new HeldResponses(), spec };
  const app = buildSiteServer(rt);
  await app.listen({ host: '127.0.0.1', port: site.port });
  log(`jira ${site.name}: ${site.url} (${store.issues().length} issues) as ${site.publicUrl}`);
  return {
    site: {
      name: site.name,
      url: site.url,
      stats: () => siteStats(rt),
      resetStats: () => resetSiteStats(rt),
      setFaults: (body) => faults.apply(body),
      clearFaults: () => faults.clear(),
      specMismatches: () => [...(spec?.mismatches ?? [])],
      validating: !!spec,
      pending: () => outbox.pendingCount(),
      idle: () => outbox.idle(),
      store,
    },
    save: () => store.save(),
    close: async () => {
      rt.held.releaseAll();
      await app.close();
      await Promise.race([outbox.idle(), new Promise((r) => setTimeout(r, 5000).unref())]);
      await store.save();
    },
  };
}

/**
 * Starts both sites.
 * @throws when a port is taken or the seed data cannot be read
 */
export async function startJiraEmulator(opts: JiraEmulatorOptions): Promise<JiraEmulator> {
  const local = await startSite(opts, opts.cfg.local);
  const partner = await startSite(opts, opts.cfg.partner).catch(async (e) => {
    await local.close();
    throw e;
  });
  return {
    sites: { local: local.site, partner: partner.site },
    save: async () => {
      await Promise.all([local.save(), partner.save()]);
    },
    specMismatches: () => [local.site, partner.site].flatMap((s) => s.specMismatches().map((m) => ({ ...m, site: s.name }))),
    close: async () => {
      await Promise.all([local.close(), partner.close()]);
    },
  };
}
