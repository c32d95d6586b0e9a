/**
 * Custom UI resolvers (settings page, issue panel, issue glance). Each: parse with the contract schema, check the
 * caller, call one engine function, respond.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/custom-ui-resolver/
 */
import Resolver from '@forge/resolver';
import { webTrigger } from '@forge/api';
import { randomBytes } from 'node:crypto';
import { Resolvers, ResolverSchemas, type IssueSyncView, type SettingsView } from '../contract';
import { localSite } from '../jira/local';
import { partnerSite } from '../jira/partner';
import * as store from '../store/kvs';
import type { LinkRecord, ProjectSettings } from '../store/records';
import { linkIssue } from '../sync/create';
import { SyncError } from '../sync/errors';
import { prepareSettings, testConnection } from '../sync/setup';
import { issueOf, projectKeyOf, requireIssueAccess, requireProjectAdmin, type CallerContext } from './auth';
import { createPorts, loadProject } from './deps';
import { enqueueSync } from './queue';
import { parsePayload, respond } from './respond';

type Req = { payload: unknown; context: CallerContext };

function settingsView(projectKey: string, s: ProjectSettings | undefined, apiTokenSet: boolean): SettingsView {
  return {
    projectKey,
    configured: Boolean(s && apiTokenSet),
    partnerUrl: s?.partnerUrl ?? null,
    email: s?.email ?? null,
    apiTokenSet,
    partnerProjectKey: s?.partnerProjectKey ?? null,
    conflictPolicy: s?.conflictPolicy ?? 'newest-wins',
    webhookRegistered: Boolean(s?.webhookId),
    statusMap: s?.mapping.toPartner.status ?? {},
  };
}

function linkView(link: LinkRecord | undefined, partnerUrl: string): IssueSyncView['link'] {
  if (!link) return null;
  return {
    partnerIssueId: link.partnerIssueId,
    partnerIssueKey: link.partnerIssueKey,
    partnerIssueUrl: `${partnerUrl}/browse/${link.partnerIssueKey}`,
    state: link.state,
    lastSyncAt: link.lastSyncAt,
    lastError: link.lastError,
  };
}

async function issueSyncView(issue: { id: string; key: string }, projectKey: string | undefined): Promise<IssueSyncView> {
  const settings = projectKey ? await store.getSettings(projectKey) : undefined;
  if (!settings) return { issueKey: issue.key, partner: null, link: null };
  return {
    issueKey: issue.key,
    partner: { siteUrl: settings.partnerUrl, projectKey: settings.partnerProjectKey },
    link: linkView(await store.getLink(issue.id), settings.partnerUrl),
  };
}

/** The partner token to use: the one typed in, else the stored one. */
async function tokenFor(projectKey: string, typed: string | undefined): Promise<string> {
  const token = typed || (await store.getApiToken(projectKey));
  if (!token) throw new SyncError('invalid-input', 'Enter the partner API token (create one at id.atlassian.com → Security → API tokens).');
  return token;
}

const resolver = new Resolver()
  .define(Resolvers.getSettings, ({ context }: Req) =>
    respond(async () => {
      const projectKey = projectKeyOf(context);
      await requireProjectAdmin(projectKey);
      return settingsView(projectKey, await store.getSettings(projectKey), Boolean(await store.getApiToken(projectKey)));
    }),
  )
  .define(Resolvers.testConnection, ({ payload, context }: Req) =>
    respond(async () => {
      const projectKey = projectKeyOf(context);
      await requireProjectAdmin(projectKey);
      const input = parsePayload(ResolverSchemas.testConnection.payload, payload);
      const apiToken = await tokenFor(projectKey, input.apiToken);
      return testConnection(partnerSite({ siteUrl: input.partnerUrl, email: input.email, apiToken }), input.partnerProjectKey);
    }),
  )
  .define(Resolvers.saveSettings, ({ payload, context }: Req) =>
    respond(async () => {
      const projectKey = projectKeyOf(context);
      await requireProjectAdmin(projectKey);
      const input = parsePayload(ResolverSchemas.saveSettings.payload, payload);
      const apiToken = await tokenFor(projectKey, input.apiToken);
      const previous = await store.getSettings(projectKey);
      const hookBase = await webTrigger.getUrl('partner-webhook');
      const { settings, webhookSecret } = await prepareSettings(
        {
          local: localSite(),
          partner: partnerSite({ siteUrl: input.partnerUrl, email: input.email, apiToken }),
          webhookUrl: `${hookBase}${hookBase.includes('?') ? '&' : '?'}project=${encodeURIComponent(projectKey)}`,
          newSecret: () => randomBytes(32).toString('hex'),
          now: () => new Date(),
        },
        {
          projectKey,
          localSiteUrl: (context.siteUrl ?? previous?.localSiteUrl ?? '').replace(/\/+$/, ''),
          partnerUrl: input.partnerUrl,
          email: input.email,
          partnerProjectKey: input.partnerProjectKey,
          conflictPolicy: input.conflictPolicy,
          previousWebhookId: previous?.webhookId ?? null,
        },
      );
      await store.setApiToken(projectKey, apiToken);
      await store.setWebhookSecret(projectKey, webhookSecret);
      await store.saveSettings(settings);
      return settingsView(projectKey, settings, true);
    }),
  )
  .define(Resolvers.getSyncLog, ({ payload, context }: Req) =>
    respond(async () => {
      const projectKey = projectKeyOf(context);
      await requireProjectAdmin(projectKey);
      const { limit } = parsePayload(ResolverSchemas.getSyncLog.payload, payload);
      return { entries: await store.readLog(projectKey, limit) };
    }),
  )
  .define(Resolvers.getIssueSync, ({ context }: Req) =>
    respond(async () => {
      const issue = issueOf(context);
      await requireIssueAccess(issue.key, false);
      return issueSyncView(issue, context.extension?.project?.key);
    }),
  )
  .define(Resolvers.enableSync, ({ payload, context }: Req) =>
    respond(async () => {
      const issue = issueOf(context);
      parsePayload(ResolverSchemas.enableSync.payload, payload);
      await requireIssueAccess(issue.key, true);
      const project = await loadProject(projectKeyOf(context));
      const link = await linkIssue(createPorts(project), issue.id);
      await enqueueSync([{ projectKey: project.settings.projectKey, localIssueId: link.localIssueId, trigger: 'create' }]);
      return issueSyncView(issue, project.settings.projectKey);
    }),
  );

/** The `resolver` function of every Custom UI module. */
export const handler = resolver.getDefinitions();
