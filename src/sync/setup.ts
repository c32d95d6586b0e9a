/**
 * Project setup: Test connection (each step says exactly what failed) and Save (status/priority mapping by name,
 * admin webhook on the partner with an HMAC secret). Ports in, decisions out; no Forge imports.
 * @see https://developer.atlassian.com/cloud/jira/platform/webhooks/
 */
import type { ConnectionReport } from '../contract';
import type { JiraSite } from '../jira/site';
import { CONNECTION_SCHEMA_VERSION, type Connection } from '../model/connection';
import { DEFAULT_WORKLOG_SETTINGS, type WorklogSettings } from '../model/connection'; // worklogs
import { SyncError, toSyncError } from '../model/errors';
import type { ConnectionMapping } from '../model/mapping';
import type { ConflictPolicy } from '../model/types';
import { readCatalog } from './catalog';
import { defaultMapping } from './defaults';
import { requireKnownLinkTypes } from './link-types'; // link types

/** Webhook events the partner sends us. */
export const PARTNER_WEBHOOK_EVENTS = ['jira:issue_updated', 'jira:issue_deleted', 'comment_created', 'comment_updated', 'comment_deleted', /* worklogs */ 'worklog_created', 'worklog_updated', 'worklog_deleted',
  'issuelink_created', 'issuelink_deleted', // hierarchy
];

/** What a setup call was doing when it failed, so its error can be said in the admin's words. */
type SetupCall = 'sign-in' | 'project' | 'workflow' | 'webhook' | 'other';

/**
 * Re-words a failure of Test connection or Save for the admin: names the site, the project and what to check,
 * instead of the REST call the Jira adapter saw (`GET /rest/api/3/project/NOPE` answered 404 → "Project NOPE was not
 * found on partner.atlassian.net — check the key"). Keeps the code, retryability and cause.
 * @param host the partner site's host, e.g. `partner.atlassian.net`
 */
export function setupError(err: unknown, call: SetupCall, host: string, projectKey: string): SyncError {
  const e = toSyncError(err);
  const why = e.cause instanceof Error ? ` (${e.cause.message})` : '';
  const words: Partial<Record<SyncError['code'], string>> = {
    'partner-auth': `${host} did not accept the email and API token (401 Unauthorized) — check both; an API token is made at id.atlassian.com → Security → API tokens.`,
    'partner-unreachable': `Could not reach ${host}${why} — check the site URL and that the site is up.`,
    'rate-limited': `${host} is rate limiting this account right now — try again in a minute.`,
    'jira-unavailable': `${host} is not answering properly right now — try again in a minute.`,
    'not-found':
      call === 'project' || call === 'workflow'
        ? `Project ${projectKey} was not found on ${host} — check the key.`
        : undefined,
    forbidden:
      call === 'webhook'
        ? `${host} did not let this account register the webhook — it must be a Jira administrator on ${host} (Jira settings → System → WebHooks).`
        : call === 'project' || call === 'workflow'
          ? `The account cannot see project ${projectKey} on ${host} — give it Browse projects, Create, Edit and Transition issues permissions there.`
          : undefined,
  };
  const message = words[e.code];
  return message ? new SyncError(e.code, message, { retryable: e.retryable, retryAfterMs: e.retryAfterMs, cause: e }) : e;
}

/** Host of the partner site a JiraSite talks to, from its label (`partner site https://acme.atlassian.net`). */
function hostOfSite(site: JiraSite): string {
  const url = /https?:\/\/\S+/.exec(site.label)?.[0];
  return url ? new URL(url).host : site.label;
}

/**
 * Checks the partner step by step: sign in, project, statuses. Never throws; a failed step stops the run, and
 * says in words what to check ({@link setupError}).
 */
export async function testConnection(partner: JiraSite, partnerProjectKey: string): Promise<ConnectionReport> {
  const host = hostOfSite(partner);
  const steps: ConnectionReport['steps'] = [];
  const step = async (name: string, call: SetupCall, run: () => Promise<string>): Promise<boolean> => {
    try {
      steps.push({ name, ok: true, message: await run() });
      return true;
    } catch (err) {
      steps.push({ name, ok: false, message: setupError(err, call, host, partnerProjectKey).message });
      return false;
    }
  };
  const ok =
    (await step(`Sign in to ${host}`, 'sign-in', async () => {
      const me = await partner.myself();
      return `Signed in as ${me.displayName}.`;
    })) &&
    (await step(`Find project ${partnerProjectKey}`, 'project', async () => {
      const project = await partner.getProject(partnerProjectKey);
      return `Found ${project.name} (${project.key}).`;
    })) &&
    (await step('Read the partner workflow', 'workflow', async () => {
      const statuses = await partner.getProjectStatuses(partnerProjectKey);
      return `${statuses.length} statuses: ${statuses.map((s) => s.name).join(', ')}.`;
    }));
  return { ok, steps };
}

/** What saving a connection needs: both sites, the web trigger URL, a secret maker and a clock. */
export interface SetupPorts {
  local: JiraSite;
  partner: JiraSite;
  /** URL of our web trigger for partner webhooks (query parameters naming project and connection included). */
  webhookUrl: string;
  /** A new random webhook secret. */
  newSecret(): string;
  now(): Date;
}

export interface SetupInput {
  /** The connection's id (new or existing). */
  connectionId: string;
  /** Where its secrets are stored (`credentialsRef`). */
  credentialsRef: string;
  projectKey: string;
  localSiteUrl: string;
  partnerUrl: string;
  email: string;
  partnerProjectKey: string;
  conflictPolicy: ConflictPolicy;
  /** Mirror comments restricted to a project role (with the same role on the other side). */
  mirrorRoleRestrictedComments: boolean;
  /** The mapping to store: the admin's (edited), the connection's current one, or undefined for the defaults. */
  mapping?: ConnectionMapping;
  /** The "offer sync" JQL ('' for none), already checked by Jira. */
  offerJql: string;
  /** The previously registered webhook, replaced by this save. */
  previousWebhookId: string | null;
  /** worklogs: the connection's worklog settings; undefined = the defaults. */
  worklogs?: WorklogSettings;
}

/**
 * Reads both projects' catalogs, builds the default mapping when none is given, and (re)registers the partner
 * admin webhook.
 * @returns the connection to store and the new webhook secret (to store as a Forge secret)
 * @throws SyncError when the partner cannot be read (credentials, project) — nothing is stored then
 */
export async function prepareConnection(ports: SetupPorts, input: SetupInput): Promise<{ connection: Connection; webhookSecret: string }> {
  const host = new URL(input.partnerUrl).host;
  const onPartner = <T>(call: SetupCall, p: Promise<T>): Promise<T> =>
    p.catch((err) => {
      throw setupError(err, call, host, input.partnerProjectKey);
    });
  const partnerProject = await onPartner('project', ports.partner.getProject(input.partnerProjectKey));
  const [localProject, me, app, local, partner] = await Promise.all([
    ports.local.getProject(input.projectKey),
    onPartner('sign-in', ports.partner.myself()),
    ports.local.myself(),
    readCatalog(ports.local, input.projectKey),
    onPartner('workflow', readCatalog(ports.partner, input.partnerProjectKey)),
  ]);
  const mapping = input.mapping ?? defaultMapping(local, partner);
  // link types: a link type either site lacks is refused here, before the webhook is touched (nothing changes).
  await onPartner('other', requireKnownLinkTypes(mapping, ports, { local: input.projectKey, partner: input.partnerProjectKey }));

  if (input.previousWebhookId) await onPartner('webhook', ports.partner.deleteWebhook(input.previousWebhookId));
  const webhookSecret = ports.newSecret();
  const hook = await onPartner(
    'webhook',
    ports.partner.registerWebhook({
      name: `Jira Task Sync → ${input.projectKey}`,
      url: ports.webhookUrl,
      events: PARTNER_WEBHOOK_EVENTS,
      jqlFilter: `project = ${input.partnerProjectKey}`,
      secret: webhookSecret,
    }),
  );

  return {
    webhookSecret,
    connection: {
      schemaVersion: CONNECTION_SCHEMA_VERSION,
      id: input.connectionId,
      credentialsRef: input.credentialsRef,
      projectKey: input.projectKey,
      projectId: localProject.id,
      localSiteUrl: input.localSiteUrl,
      partnerUrl: input.partnerUrl,
      email: input.email,
      partnerProjectKey: partnerProject.key,
      partnerProjectId: partnerProject.id,
      partnerIssueTypes: partner.issueTypes.filter((t) => !t.subtask).map((t) => ({ id: t.id, name: t.name })),
      conflictPolicy: input.conflictPolicy,
      mirrorRoleRestrictedComments: input.mirrorRoleRestrictedComments,
      mapping,
      offerJql: input.offerJql,
      worklogs: input.worklogs ?? DEFAULT_WORKLOG_SETTINGS, // worklogs
      statusNames: {
        local: Object.fromEntries(local.statuses.map((st) => [st.id, st.name])),
        partner: Object.fromEntries(partner.statuses.map((st) => [st.id, st.name])),
      },
      partnerAccountId: me.accountId,
      localAppAccountId: app.accountId,
      webhookId: hook.id,
      savedAt: ports.now().toISOString(),
    },
  };
}
