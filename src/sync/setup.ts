/**
 * Project setup: Test connection (each step says exactly what failed) and Save (status/priority mapping by name,
 * admin webhook on the partner with an HMAC secret). Ports in, decisions out; no Forge imports.
 * @see https://developer.atlassian.com/cloud/jira/platform/webhooks/
 */
import type { ConnectionReport, ConflictPolicy } from '../contract';
import type { JiraSite } from '../jira/site';
import type { ProjectSettings } from '../store/records';
import { toSyncError } from './errors';
import { buildFieldMapping } from './mapping';

/** Webhook events the partner sends us. */
export const PARTNER_WEBHOOK_EVENTS = ['jira:issue_updated', 'jira:issue_deleted', 'comment_created', 'comment_updated', 'comment_deleted'];

/**
 * Checks the partner step by step: sign in, project, statuses. Never throws; a failed step stops the run.
 */
export async function testConnection(partner: JiraSite, partnerProjectKey: string): Promise<ConnectionReport> {
  const steps: ConnectionReport['steps'] = [];
  const step = async (name: string, run: () => Promise<string>): Promise<boolean> => {
    try {
      steps.push({ name, ok: true, message: await run() });
      return true;
    } catch (err) {
      steps.push({ name, ok: false, message: toSyncError(err).message });
      return false;
    }
  };
  const ok =
    (await step('Sign in to the partner site', async () => {
      const me = await partner.myself();
      return `Signed in as ${me.displayName}.`;
    })) &&
    (await step(`Find project ${partnerProjectKey}`, async () => {
      const project = await partner.getProject(partnerProjectKey);
      return `Found ${project.name} (${project.key}).`;
    })) &&
    (await step('Read the partner workflow', async () => {
      const statuses = await partner.getProjectStatuses(partnerProjectKey);
      return `${statuses.length} statuses: ${statuses.map((s) => s.name).join(', ')}.`;
    }));
  return { ok, steps };
}

export interface SetupPorts {
  local: JiraSite;
  partner: JiraSite;
  /** URL of our web trigger for partner webhooks (per project, query parameter included). */
  webhookUrl: string;
  /** A new random webhook secret. */
  newSecret(): string;
  now(): Date;
}

export interface SetupInput {
  projectKey: string;
  localSiteUrl: string;
  partnerUrl: string;
  email: string;
  partnerProjectKey: string;
  conflictPolicy: ConflictPolicy;
  /** Mirror comments restricted to a project role (with the same role on the other side). */
  mirrorRoleRestrictedComments: boolean;
  /** The previously registered webhook, replaced by this save. */
  previousWebhookId: string | null;
}

/**
 * Reads both projects, builds the status and priority maps, and (re)registers the partner admin webhook.
 * @returns the settings to store and the new webhook secret (to store as a Forge secret)
 * @throws SyncError when the partner cannot be read (credentials, project) — nothing is stored then
 */
export async function prepareSettings(ports: SetupPorts, input: SetupInput): Promise<{ settings: ProjectSettings; webhookSecret: string }> {
  const [localProject, partnerProject, me, app, localStatuses, partnerStatuses, localPriorities, partnerPriorities] = await Promise.all([
    ports.local.getProject(input.projectKey),
    ports.partner.getProject(input.partnerProjectKey),
    ports.partner.myself(),
    ports.local.myself(),
    ports.local.getProjectStatuses(input.projectKey),
    ports.partner.getProjectStatuses(input.partnerProjectKey),
    ports.local.getPriorities(),
    ports.partner.getPriorities(),
  ]);
  const mapping = buildFieldMapping({ localStatuses, partnerStatuses, localPriorities, partnerPriorities });

  if (input.previousWebhookId) await ports.partner.deleteWebhook(input.previousWebhookId);
  const webhookSecret = ports.newSecret();
  const hook = await ports.partner.registerWebhook({
    name: `Jira Task Sync → ${input.projectKey}`,
    url: ports.webhookUrl,
    events: PARTNER_WEBHOOK_EVENTS,
    jqlFilter: `project = ${input.partnerProjectKey}`,
    secret: webhookSecret,
  });

  return {
    webhookSecret,
    settings: {
      projectKey: input.projectKey,
      projectId: localProject.id,
      localSiteUrl: input.localSiteUrl,
      partnerUrl: input.partnerUrl,
      email: input.email,
      partnerProjectKey: partnerProject.key,
      partnerProjectId: partnerProject.id,
      partnerIssueTypes: partnerProject.issueTypes.filter((t) => !t.subtask).map((t) => ({ id: t.id, name: t.name })),
      conflictPolicy: input.conflictPolicy,
      mirrorRoleRestrictedComments: input.mirrorRoleRestrictedComments,
      mapping,
      statusNames: {
        local: Object.fromEntries(localStatuses.map((st) => [st.id, st.name])),
        partner: Object.fromEntries(partnerStatuses.map((st) => [st.id, st.name])),
      },
      partnerAccountId: me.accountId,
      localAppAccountId: app.accountId,
      webhookId: hook.id,
      savedAt: ports.now().toISOString(),
    },
  };
}
