/**
 * Import: a partner issue becomes a new local issue of the connection's project, linked, with its base snapshot.
 * Comments follow in the sync job the bulk run enqueues (as for opt-in). The partner issue is not read again: the
 * bulk run's search page already carries its mapped fields, so an import spends no partner call of its own.
 *
 * No duplicates, even across restarts and retries, the way `linkIssue` guards partner creates: one caller wins a
 * claim per partner issue; a create intent is stored before creating; an attempt that finds the intent set looks
 * for a local issue made by an earlier attempt (created by the app in the last day, same summary, origin property
 * naming this partner issue) before creating another.
 *
 * Hierarchy (`./import-hierarchy.ts`): a partner sub-task (or an epic's child) becomes a local issue under the local
 * copy of its parent, a sub-task with the local sub-task type; one whose parent is neither linked nor imported yet
 * waits (fails with the words of `importWaitingText`, nothing created). The bulk run imports a page's parents first.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post
 */
import { SyncError } from '../model/errors';
import type { LinkRecord } from '../model/link';
import type { JiraIssue } from '../jira/site';
import { newLink, ORIGIN_PROPERTY } from './create';
import type { ConnectionPorts } from './ports';
import { CREATE_CLAIM_TTL_S, LINK_WAIT } from './retry';
import { transitionTo } from './status-sync';
import { convertAll, readFieldIds, readSide, toEdit } from './values';
import { parentRef } from './hierarchy';
import { placeImport } from './import-hierarchy';

/** What every import of one run shares (read once per run, not per issue). */
export interface ImportContext {
  /** Creatable, non-sub-task issue types of the local project. */
  issueTypes: Array<{ id: string; name: string }>;
  /** Creatable sub-task types of the local project (for partner sub-tasks); absent = none. */
  subtaskTypes?: Array<{ id: string; name: string; subtask: boolean }>;
}

/** Reads the local project's creatable issue types (`GET /rest/api/3/issue/createmeta/{key}/issuetypes`). */
export async function importContext(ports: ConnectionPorts): Promise<ImportContext> {
  const types = await ports.local.getCreateMetaIssueTypes(ports.connection.projectKey);
  return { issueTypes: types.filter((t) => !t.subtask), subtaskTypes: types.filter((t) => t.subtask) };
}

/** The local type for a partner one: the mapping's choice, else the same name, else the project's first type. */
function localTypeFor(ports: ConnectionPorts, ctx: ImportContext, partner: { id?: string; name?: string } | undefined) {
  const mapped = partner?.id ? ports.connection.mapping.issueTypes.toLocal[partner.id] : undefined;
  const name = (partner?.name ?? '').toLowerCase();
  return ctx.issueTypes.find((t) => t.id === mapped) ?? ctx.issueTypes.find((t) => t.name.toLowerCase() === name) ?? ctx.issueTypes[0];
}

const intentId = (partnerIssueId: string) => `import-${partnerIssueId}`;

/**
 * Imports one partner issue (its `fields` must hold the mapped partner fields, as the bulk search asks), or returns
 * the link it already has.
 * @throws SyncError when the local site refuses the create, or another import of the same issue stalls
 * @throws SyncError `invalid-input` when its parent is not linked yet (it waits; see `./import-hierarchy.ts`)
 */
export async function importIssue(ports: ConnectionPorts, partnerIssue: JiraIssue, ctx: ImportContext): Promise<LinkRecord> {
  const linked = await linkOf(ports, partnerIssue.id);
  if (linked) return linked;
  const claim = `import:${new URL(ports.connection.partnerUrl).host}:${partnerIssue.id}`;
  if (!(await ports.claims.claim(claim, CREATE_CLAIM_TTL_S))) return waitForImport(ports, partnerIssue.id);
  try {
    return (await linkOf(ports, partnerIssue.id)) ?? (await createLocal(ports, partnerIssue, ctx));
  } finally {
    await ports.claims.release(claim);
  }
}

async function linkOf(ports: ConnectionPorts, partnerIssueId: string): Promise<LinkRecord | undefined> {
  const localId = await ports.links.findByPartner(partnerIssueId);
  return localId ? ports.links.get(localId) : undefined;
}

async function waitForImport(ports: ConnectionPorts, partnerIssueId: string): Promise<LinkRecord> {
  for (let i = 0; i < LINK_WAIT.times; i++) {
    await ports.clock.sleep(LINK_WAIT.everyMs);
    const link = await linkOf(ports, partnerIssueId);
    if (link) return link;
  }
  throw new SyncError('internal', 'Another attempt is still importing this partner issue; no second copy will be made. Retry in a moment.', { retryable: true });
}

async function createLocal(ports: ConnectionPorts, partnerIssue: JiraIssue, ctx: ImportContext): Promise<LinkRecord> {
  const c = ports.connection;
  const { mapping } = c;
  if (partnerIssue.fields.project?.key && partnerIssue.fields.project.key !== c.partnerProjectKey) {
    throw new SyncError('invalid-input', `${partnerIssue.key} is not in partner project ${c.partnerProjectKey}.`);
  }
  const partnerValues = readSide(partnerIssue.fields, mapping, 'partner');
  const converted = convertAll(partnerValues, mapping, 'partner');
  const placed = await placeImport(ports, partnerIssue, ctx.subtaskTypes ?? []);
  const type = placed.issueType ?? localTypeFor(ports, ctx, partnerIssue.fields.issuetype);
  if (!type) throw new SyncError('not-configured', `Project ${c.projectKey} has no issue types the app can create.`);
  const typeRow = mapping.fields.find((f) => f.kind === 'issuetype');
  if (typeRow) delete converted.values[typeRow.local];
  const { fields, status } = toEdit(converted.values, mapping, 'local');
  const summary = String(fields.summary ?? partnerIssue.fields.summary ?? '').trim();

  const intent = intentId(partnerIssue.id);
  const earlier = (await ports.intents.has(intent)) ? await findEarlierImport(ports, partnerIssue.id, summary) : undefined;
  await ports.intents.set(intent);
  const created =
    earlier ??
    (await ports.local.createIssue({
      fields: { ...fields, ...placed.fields, summary, project: { key: c.projectKey }, issuetype: { id: type.id } },
      properties: [{ key: ORIGIN_PROPERTY, value: { site: c.partnerUrl, issueId: partnerIssue.id, issueKey: partnerIssue.key } }],
    }));
  const localFields = readFieldIds(mapping, 'local');
  let localIssue = await ports.local.getIssue(created.id, localFields);
  let lastError: string | null = null;
  if (status) {
    const moved = await transitionTo(ports.local, created.id, status, mapping, 'local', localIssue.fields.status?.id, c.statusNames.local);
    if (!moved.ok) lastError = moved.reason;
    else if (moved.statusId !== localIssue.fields.status?.id) localIssue = await ports.local.getIssue(created.id, localFields);
  }
  const localValues = readSide(localIssue.fields, mapping, 'local');
  const statusRow = mapping.fields.find((f) => f.kind === 'status');
  // A status the local site could not reach keeps a stale base, so the next sync tries again.
  const base = { local: localValues, partner: lastError && statusRow ? { ...partnerValues, [statusRow.partner]: null } : partnerValues };
  const link = newLink(ports, { localIssueId: created.id, localIssueKey: created.key, partnerIssueId: partnerIssue.id, partnerIssueKey: partnerIssue.key }, base, lastError);
  // Where both issues sit now is the first parent base, so the follow-up job sees no parent change to copy.
  link.parentBase = { local: parentRef(localIssue.fields)?.id ?? null, partner: parentRef(partnerIssue.fields)?.id ?? null };
  await ports.links.save(link);
  await ports.links.noteCreated?.(link); // health
  await ports.intents.clear(intent);
  const left = [...converted.skipped.map((k) => `${k.field} not copied: ${k.reason}.`), ...converted.notes];
  await ports.log({
    connectionId: c.id,
    trigger: 'create',
    direction: 'partner-to-local',
    localIssueKey: created.key,
    partnerIssueKey: partnerIssue.key,
    fields: Object.keys(partnerValues).filter((id) => !converted.skipped.some((k) => k.field === id)),
    outcome: lastError ? 'failed' : 'created',
    message: [
      earlier ? `Found ${created.key}, imported from ${partnerIssue.key} by an earlier attempt; linked it instead of creating another.` : `Imported ${partnerIssue.key} from the partner as ${created.key}.`,
      ...left,
      lastError ? `Its status could not be set: ${lastError}` : 'Comments follow in a moment.',
    ].join(' '),
  });
  return link;
}

/**
 * A local issue imported from `partnerIssueId` by an earlier attempt: among issues the app created in the project in
 * the last day with the same summary, the one whose origin property names that partner issue.
 */
async function findEarlierImport(ports: ConnectionPorts, partnerIssueId: string, summary: string): Promise<{ id: string; key: string } | undefined> {
  const jql = `project = "${ports.connection.projectKey}" AND creator = currentUser() AND created >= -1d ORDER BY created DESC`;
  let token: string | undefined;
  do {
    const page = await ports.local.searchJql(jql, ['summary'], token);
    for (const issue of page.issues) {
      if (String(issue.fields.summary ?? '').trim() !== summary) continue;
      const origin = (await ports.local.getIssueProperty(issue.id, ORIGIN_PROPERTY)) as { issueId?: string; site?: string } | undefined;
      if (origin?.issueId === partnerIssueId && origin.site === ports.connection.partnerUrl) return { id: issue.id, key: issue.key };
    }
    token = page.nextPageToken;
  } while (token);
  return undefined;
}
