/**
 * Opt-in: creates the partner copy of a local issue and the link with its base snapshot. Safe against double clicks,
 * concurrent confirms and retries: one caller wins a creation claim; the others wait for the winner's link.
 * Comments are copied by the follow-up sync job (the caller enqueues it), so this fits a 25 s resolver.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post
 */
import type { LinkRecord, NewLogEntry, ProjectSettings } from '../store/records';
import type { JiraSite } from '../jira/site';
import { SyncError } from './errors';
import { ISSUE_FIELDS } from './job';
import { mapValues, toEditFields } from './mapping';
import { normaliseIssue } from './normalise';
import { transitionTo } from './status-sync';

/** Issue property on the partner issue naming its origin, so an admin (and a later duplicate check) can find it. */
export const ORIGIN_PROPERTY = 'jira-task-sync-origin';

export interface CreatePorts {
  local: JiraSite;
  partner: JiraSite;
  settings: ProjectSettings;
  /** Public base URL of the local site, recorded on the partner issue. */
  localSiteUrl: string;
  getLink(localIssueId: string): Promise<LinkRecord | undefined>;
  /** Saves the link; also shows its status lozenge on the local issue (glance and issue context). */
  saveLink(link: LinkRecord): Promise<void>;
  claim(localIssueId: string): Promise<boolean>;
  release(localIssueId: string): Promise<void>;
  log(entry: NewLogEntry): Promise<void>;
  now(): Date;
  sleep(ms: number): Promise<void>;
  /** The create intent of a local issue: set before creating, cleared once linked (see `store/kvs.ts`). */
  intent: { set(localIssueId: string): Promise<void>; has(localIssueId: string): Promise<boolean>; clear(localIssueId: string): Promise<void> };
}

/**
 * Links a local issue to a new partner issue, or returns the existing link.
 * @param localIssueId the local issue id (from the resolver context)
 * @throws SyncError when the partner refuses (credentials, project, fields) or another creation stalls
 */
export async function linkIssue(ports: CreatePorts, localIssueId: string): Promise<LinkRecord> {
  const existing = await ports.getLink(localIssueId);
  if (existing) return existing;
  if (!(await ports.claim(localIssueId))) return waitForLink(ports, localIssueId);
  try {
    const again = await ports.getLink(localIssueId);
    if (again) return again;
    return await createLinked(ports, localIssueId);
  } finally {
    await ports.release(localIssueId);
  }
}

async function waitForLink(ports: CreatePorts, localIssueId: string): Promise<LinkRecord> {
  for (let i = 0; i < 40; i++) {
    await ports.sleep(250);
    const link = await ports.getLink(localIssueId);
    if (link) return link;
  }
  throw new SyncError('internal', 'Another request is still creating the partner issue. Refresh the panel in a moment; no second copy will be made.', { retryable: true });
}

async function createLinked(ports: CreatePorts, localIssueId: string): Promise<LinkRecord> {
  const { settings } = ports;
  const localIssue = await ports.local.getIssue(localIssueId, ISSUE_FIELDS);
  if (localIssue.fields.project?.key !== settings.projectKey) {
    throw new SyncError('invalid-input', `${localIssue.key} is not in project ${settings.projectKey}.`);
  }
  const localValues = normaliseIssue(localIssue.fields);
  const { status: partnerStatus, ...plain } = mapValues(localValues, settings.mapping, 'partner');
  const typeName = localIssue.fields.issuetype?.name ?? '';
  const issueType =
    settings.partnerIssueTypes.find((t) => t.name.toLowerCase() === typeName.toLowerCase()) ??
    settings.partnerIssueTypes.find((t) => t.name === 'Task') ??
    settings.partnerIssueTypes[0];
  if (!issueType) throw new SyncError('partner-project', `Project ${settings.partnerProjectKey} on the partner has no issue types we can create.`);

  // An earlier attempt that timed out may have created the issue after all: look before creating another.
  const earlier = (await ports.intent.has(localIssue.id)) ? await findEarlierCopy(ports, localIssue.id, String(plain.summary ?? '')) : undefined;
  await ports.intent.set(localIssue.id);
  const created =
    earlier ??
    (await ports.partner.createIssue({
      fields: { project: { id: settings.partnerProjectId }, issuetype: { id: issueType.id }, ...toEditFields(plain) },
      properties: [{ key: ORIGIN_PROPERTY, value: { site: ports.localSiteUrl, issueId: localIssue.id, issueKey: localIssue.key } }],
    }));

  let lastError: string | null = null;
  let partnerIssue = await ports.partner.getIssue(created.id, ISSUE_FIELDS);
  if (partnerStatus) {
    const moved = await transitionTo(ports.partner, created.id, partnerStatus, settings.mapping, 'partner', partnerIssue.fields.status?.id, settings.statusNames.partner);
    if (!moved.ok) lastError = moved.reason;
    else if (moved.statusId !== partnerIssue.fields.status?.id) partnerIssue = await ports.partner.getIssue(created.id, ISSUE_FIELDS);
  }
  const partnerValues = normaliseIssue(partnerIssue.fields);
  const link: LinkRecord = {
    projectKey: settings.projectKey,
    localIssueId: localIssue.id,
    localIssueKey: localIssue.key,
    partnerIssueId: created.id,
    partnerIssueKey: created.key,
    // A status the partner could not reach keeps a stale base, so the next sync tries again.
    base: { local: lastError ? { ...localValues, status: null } : localValues, partner: partnerValues },
    comments: [],
    state: lastError ? 'failed' : 'ok',
    paused: false,
    lastSyncAt: ports.now().toISOString(),
    lastError,
    lastErrorCode: lastError ? 'no-transition' : null,
    failCount: lastError ? 1 : 0,
    conflicts: [],
    skippedComments: [],
    shown: null,
  };
  await ports.saveLink(link);
  await ports.intent.clear(localIssue.id);
  await ports.log({
    trigger: 'create',
    direction: 'local-to-partner',
    localIssueKey: link.localIssueKey,
    partnerIssueKey: link.partnerIssueKey,
    fields: ['summary', 'description', 'priority', 'labels', 'status'],
    outcome: lastError ? 'failed' : 'created',
    message: [
      earlier ? `Found ${created.key} on the partner, made by an earlier attempt that timed out; linked it instead of creating another.` : `Created ${created.key} on the partner from ${localIssue.key}.`,
      lastError ? `Its status could not be set: ${lastError}` : 'Comments follow in a moment.',
    ].join(' '),
  });
  return link;
}

/**
 * A partner issue created for `localIssueId` by an earlier attempt: among issues the partner account created in
 * the partner project in the last day with the same summary, the one whose origin property names this issue.
 */
async function findEarlierCopy(ports: CreatePorts, localIssueId: string, summary: string): Promise<{ id: string; key: string } | undefined> {
  const { settings } = ports;
  const jql = `project = ${settings.partnerProjectKey} AND reporter = currentUser() AND created >= -1d ORDER BY created DESC`;
  let token: string | undefined;
  do {
    const page = await ports.partner.searchJql(jql, ['summary'], token);
    for (const issue of page.issues) {
      if (String(issue.fields.summary ?? '').trim() !== summary) continue;
      const origin = (await ports.partner.getIssueProperty(issue.id, ORIGIN_PROPERTY)) as { issueId?: string } | undefined;
      if (origin?.issueId === localIssueId) return { id: issue.id, key: issue.key };
    }
    token = page.nextPageToken;
  } while (token);
  return undefined;
}
