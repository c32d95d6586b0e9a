/**
 * Wires the engine's ports to Forge: KVS store, local site as the app, partner site with the stored token.
 */
import { localSite } from '../jira/local';
import { partnerSite } from '../jira/partner';
import type { JiraSite } from '../jira/site';
import * as store from '../store/kvs';
import type { ProjectSettings } from '../store/records';
import type { CreatePorts } from '../sync/create';
import { SyncError } from '../sync/errors';
import type { JobPorts } from '../sync/job';
import { saveLinkAndStatus } from './link-status';

/** A configured project with both sites ready to call. */
export interface ProjectContext {
  settings: ProjectSettings;
  local: JiraSite;
  partner: JiraSite;
}

/**
 * Loads a project's settings and token.
 * @throws SyncError `not-configured` when the project has no settings or no token
 */
export async function loadProject(projectKey: string): Promise<ProjectContext> {
  const settings = await store.getSettings(projectKey);
  const apiToken = settings && (await store.getApiToken(projectKey));
  if (!settings || !apiToken) {
    throw new SyncError('not-configured', `Task sync is not set up for project ${projectKey}. A project admin can set it up in Project settings → Task sync.`);
  }
  return { settings, local: localSite(), partner: partnerSite({ siteUrl: settings.partnerUrl, email: settings.email, apiToken }) };
}

/** Ports for one sync job of a project. */
export function jobPorts(ctx: ProjectContext): JobPorts {
  const { settings } = ctx;
  return {
    local: ctx.local,
    partner: ctx.partner,
    settings,
    appAccountIds: { local: settings.localAppAccountId, partner: settings.partnerAccountId },
    siteUrls: { local: settings.localSiteUrl, partner: settings.partnerUrl },
    saveLink: (link) => saveLinkAndStatus(ctx.local, link, settings.partnerUrl),
    log: async (entry) => {
      await store.appendLog(settings.projectKey, entry);
    },
    now: () => new Date(),
  };
}

/** Ports for opt-in creation. */
export function createPorts(ctx: ProjectContext): CreatePorts {
  const ports = jobPorts(ctx);
  return {
    local: ctx.local,
    partner: ctx.partner,
    settings: ctx.settings,
    localSiteUrl: ctx.settings.localSiteUrl,
    getLink: store.getLink,
    saveLink: ports.saveLink,
    claim: (id) => store.claim(`create:${id}`, 120),
    release: (id) => store.release(`create:${id}`),
    log: ports.log,
    now: ports.now,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    intent: { set: store.setCreateIntent, has: store.hasCreateIntent, clear: store.clearCreateIntent },
  };
}
