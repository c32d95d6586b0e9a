/**
 * Resolvers of the project settings page (project admins only, checked server-side with `asUser()`): settings,
 * Test connection, the sync log, failed links and Retry.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/custom-ui-resolver/
 */
import { webTrigger } from '@forge/api';
import { randomBytes } from 'node:crypto';
import { ResolverSchemas, type SettingsView } from '../contract';
import { localSite } from '../jira/local';
import { partnerSite } from '../jira/partner';
import * as store from '../store/kvs';
import type { ProjectSettings } from '../store/records';
import { SyncError } from '../sync/errors';
import { prepareSettings, testConnection } from '../sync/setup';
import { projectKeyOf, requireProjectAdmin, type CallerContext } from './auth';
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
    mirrorRoleRestrictedComments: s?.mirrorRoleRestrictedComments ?? false,
    webhookRegistered: Boolean(s?.webhookId),
    statusMap: s?.mapping.toPartner.status ?? {},
  };
}

/** The partner token to use: the one typed in, else the stored one. */
async function tokenFor(projectKey: string, typed: string | undefined): Promise<string> {
  const token = typed || (await store.getApiToken(projectKey));
  if (!token) throw new SyncError('invalid-input', 'Enter the partner API token (create one at id.atlassian.com → Security → API tokens).');
  return token;
}

/** Runs `body` for a project admin of the page's project. */
function asAdmin<T>(context: CallerContext, body: (projectKey: string) => Promise<T>) {
  return respond(async () => {
    const projectKey = projectKeyOf(context);
    await requireProjectAdmin(projectKey);
    return body(projectKey);
  });
}

/** Resolver definitions keyed by function key. */
export const adminResolvers = {
  getSettings: ({ context }: Req) =>
    asAdmin(context, async (projectKey) => settingsView(projectKey, await store.getSettings(projectKey), Boolean(await store.getApiToken(projectKey)))),

  testConnection: ({ payload, context }: Req) =>
    asAdmin(context, async (projectKey) => {
      const input = parsePayload(ResolverSchemas.testConnection.payload, payload);
      const apiToken = await tokenFor(projectKey, input.apiToken);
      return testConnection(partnerSite({ siteUrl: input.partnerUrl, email: input.email, apiToken }), input.partnerProjectKey);
    }),

  saveSettings: ({ payload, context }: Req) =>
    asAdmin(context, async (projectKey) => {
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
          mirrorRoleRestrictedComments: input.mirrorRoleRestrictedComments,
          previousWebhookId: previous?.webhookId ?? null,
        },
      );
      await store.setApiToken(projectKey, apiToken);
      await store.setWebhookSecret(projectKey, webhookSecret);
      await store.saveSettings(settings);
      return settingsView(projectKey, settings, true);
    }),

  getSyncLog: ({ payload, context }: Req) =>
    asAdmin(context, async (projectKey) => {
      const { limit } = parsePayload(ResolverSchemas.getSyncLog.payload, payload);
      return { entries: await store.readLog(projectKey, limit) };
    }),

  getFailedLinks: ({ context }: Req) =>
    asAdmin(context, async (projectKey) => ({
      failed: (await store.listFailed(projectKey)).map(({ localIssueKey, partnerIssueKey, code, message, at }) => ({ localIssueKey, partnerIssueKey, code, message, at })),
    })),

  retryFailed: ({ payload, context }: Req) =>
    asAdmin(context, async (projectKey) => {
      const input = parsePayload(ResolverSchemas.retryFailed.payload, payload);
      const failed = (await store.listFailed(projectKey)).filter((f) =>
        input.scope === 'all' ? true : input.scope === 'one' ? f.localIssueKey === input.localIssueKey : f.code === input.code,
      );
      if (input.scope === 'one' && !failed.length) throw new SyncError('not-found', `${input.localIssueKey} has no failed sync to retry.`);
      await enqueueSync(failed.map((f) => ({ projectKey, localIssueId: f.localIssueId, trigger: 'manual' as const })));
      return { queued: failed.length };
    }),
};
