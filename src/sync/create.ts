/**
 * Opt-in: creates the partner copy of a local issue and the link with its base snapshot. Safe against double clicks,
 * concurrent confirms and retries: one caller wins a creation claim; the others wait for the winner's link.
 * Comments are copied by the follow-up sync job (the caller enqueues it), so this fits a 25 s resolver.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post
 */
import type { JiraSite } from '../jira/site';
import { SyncError, toSyncError } from '../model/errors';
import { codecOf } from '../model/fields';
import type { LinkRecord } from '../model/link';
import { activeFields } from '../model/mapping';
import type { SideValues, TransitionOption } from '../model/types';
import type { ConnectionPorts } from './ports';
import { CREATE_CLAIM_TTL_S, LINK_WAIT } from './retry';
import { transitionTo } from './status-sync';
import { convertAll, readFieldIds, readSide, toEdit } from './values';
import { createWaitingChildren, placeCopy } from './hierarchy-sync'; // hierarchy
import { parentRef } from './hierarchy'; // hierarchy
import { createWithTransition, plannedTransition, transitionSlot } from './create-transition'; // bulkrate

/** Issue property on the partner issue naming its origin, so an admin (and a later duplicate check) can find it. */
export const ORIGIN_PROPERTY = 'jira-task-sync-origin';

/**
 * What a bulk run learns once and reuses for every create of the run (per connection): the status a new partner
 * issue of each type starts in (its workflow's initial status). With it, a create spends no partner read: the
 * partner base is what was sent (normalised, the codecs' empty value for what was not) plus that status, or the
 * status a transition reached. The first create of each type reads its issue once to learn it.
 */
export interface CreateCache {
  /** Partner issue type id → status id of a newly created issue of that type. */
  initialStatus: Map<string, string | undefined>;
  /**
   * `<issue type id>:<status id>` → the transitions a new partner issue of that type offers from that status (one
   * workflow, one starting point: the same list). Used only for issues just created; a transition the partner then
   * refuses (a condition on that one issue) drops the entry and the issue's own list is read.
   */
  transitions: Map<string, TransitionOption[]>;
}

/** A fresh {@link CreateCache}, one per bulk run. */
export function createCache(): CreateCache {
  return { initialStatus: new Map(), transitions: new Map() };
}

/**
 * Moves a just-created partner issue to `target`, reading its transitions only for the first issue of its type and
 * status in a bulk run (see {@link CreateCache.transitions}). A refused transition (from the reused list, or from a
 * list read just before the partner's workflow changed) is tried again once with the issue's own list, read then, so a
 * per-issue workflow condition costs a read, never a wrong status.
 */
async function moveNewIssue(ports: ConnectionPorts, issueId: string, typeId: string, target: string, statusNow: string | undefined, cache?: CreateCache) {
  const c = ports.connection;
  const move = (site: JiraSite) => transitionTo(site, issueId, target, c.mapping, 'partner', statusNow, c.statusNames.partner);
  const slot = transitionSlot(typeId, statusNow);
  if (!cache) return move(ports.partner);
  const known = cache.transitions.get(slot);
  const reading: JiraSite = Object.create(ports.partner, {
    getTransitions: { value: async (id: string) => known ?? remember(await ports.partner.getTransitions(id)) },
  });
  const remember = (list: TransitionOption[]) => (cache.transitions.set(slot, list), list);
  // bulkrate: also a list just read may be stale by the time it is used (the workflow changed): read once more
  try {
    return await move(reading);
  } catch (err) {
    if (toSyncError(err).retryable) throw err;
    cache.transitions.delete(slot);
    const fresh: JiraSite = Object.create(ports.partner, { getTransitions: { value: async (id: string) => remember(await ports.partner.getTransitions(id)) } });
    return move(fresh);
  }
}

/**
 * Links a local issue to a new partner issue, or returns the existing link.
 * @param localIssueId the local issue id (from the resolver context)
 * @param cache a bulk run's {@link CreateCache}; without it (single opt-in) the new partner issue is read back
 * @throws SyncError when the partner refuses (credentials, project, fields) or another creation stalls
 */
export async function linkIssue(ports: ConnectionPorts, localIssueId: string, cache?: CreateCache): Promise<LinkRecord> {
  const existing = await ports.links.get(localIssueId);
  if (existing) return existing;
  const claim = `create:${localIssueId}`;
  if (!(await ports.claims.claim(claim, CREATE_CLAIM_TTL_S))) return waitForLink(ports, localIssueId);
  try {
    const again = await ports.links.get(localIssueId);
    if (again) return again;
    return await createLinked(ports, localIssueId, cache);
  } finally {
    await ports.claims.release(claim);
  }
}

async function waitForLink(ports: ConnectionPorts, localIssueId: string): Promise<LinkRecord> {
  for (let i = 0; i < LINK_WAIT.times; i++) {
    await ports.clock.sleep(LINK_WAIT.everyMs);
    const link = await ports.links.get(localIssueId);
    if (link) return link;
  }
  throw new SyncError('internal', 'Another request is still creating the partner issue. Refresh the panel in a moment; no second copy will be made.', { retryable: true });
}

/**
 * The partner issue type for a local one: the mapping's choice, else the same name, else the partner's default
 * (the first creatable type the project lists).
 */
function partnerTypeFor(ports: ConnectionPorts, local: { id?: string; name?: string } | undefined) {
  const c = ports.connection;
  const mapped = local?.id ? c.mapping.issueTypes.toPartner[local.id] : undefined;
  const name = (local?.name ?? '').toLowerCase();
  return (
    c.partnerIssueTypes.find((t) => t.id === mapped) ??
    c.partnerIssueTypes.find((t) => t.name.toLowerCase() === name) ??
    c.partnerIssueTypes[0]
  );
}

async function createLinked(ports: ConnectionPorts, localIssueId: string, cache?: CreateCache): Promise<LinkRecord> {
  const c = ports.connection;
  const { mapping } = c;
  const localIssue = await ports.local.getIssue(localIssueId, readFieldIds(mapping, 'local'));
  if (localIssue.fields.project?.key !== c.projectKey) {
    throw new SyncError('invalid-input', `${localIssue.key} is not in project ${c.projectKey}.`);
  }
  const localValues = readSide(localIssue.fields, mapping, 'local');
  const converted = convertAll(localValues, mapping, 'local');
  // hierarchy: a sub-task or an epic's child goes under its parent's copy (partner sub-task type), or waits for it
  const placed = await placeCopy(ports, localIssue, partnerTypeFor(ports, localIssue.fields.issuetype));
  const issueType = placed.issueType ?? partnerTypeFor(ports, localIssue.fields.issuetype);
  if (!issueType) throw new SyncError('partner-project', `Project ${c.partnerProjectKey} on the partner has no issue types we can create.`);
  // The issue type row decides the type at creation: the create body names it once, below.
  const typeRow = mapping.fields.find((f) => f.kind === 'issuetype');
  if (typeRow) delete converted.values[typeRow.partner];
  const { fields, status: partnerStatus } = toEdit(converted.values, mapping, 'partner');

  // An earlier attempt that timed out may have created the issue after all: look before creating another.
  const summary = String(fields.summary ?? localIssue.fields.summary ?? '').trim();
  const earlier = (await ports.intents.has(localIssue.id)) ? await findEarlierCopy(ports, localIssue.id, summary) : undefined;
  await ports.intents.set(localIssue.id);
  // bulkrate: a transition the run already knows goes in the create body (see ./create-transition for a refusal)
  const body = {
    fields: { ...fields, ...placed.fields, project: { id: c.partnerProjectId }, issuetype: { id: issueType.id } },
    properties: [{ key: ORIGIN_PROPERTY, value: { site: c.localSiteUrl, issueId: localIssue.id, issueKey: localIssue.key } }],
  };
  const plan = earlier ? undefined : plannedTransition(cache, issueType.id, partnerStatus, mapping);
  const made = earlier ? { created: earlier } : await createWithTransition(ports.partner, body, plan, () => findEarlierCopy(ports, localIssue.id, summary));
  if (made.refused && cache) cache.transitions.delete(transitionSlot(issueType.id, cache.initialStatus.get(issueType.id)));
  const created = made.created;

  let lastError: string | null = null;
  const partnerFields = readFieldIds(mapping, 'partner');
  // A copy an earlier attempt made may have moved on since: read it.
  const known = !earlier && !made.found && cache?.initialStatus.has(issueType.id);
  let partnerIssue = known ? undefined : await ports.partner.getIssue(created.id, partnerFields);
  if (cache && !known && !made.found) cache.initialStatus.set(issueType.id, partnerIssue?.fields.status?.id);
  let statusNow = made.reached ?? (partnerIssue ? partnerIssue.fields.status?.id : cache?.initialStatus.get(issueType.id));
  if (partnerStatus && !made.reached) {
    const moved = await moveNewIssue(ports, created.id, issueType.id, partnerStatus, statusNow, cache);
    if (!moved.ok) lastError = moved.reason;
    else if (moved.statusId !== statusNow) {
      statusNow = moved.statusId;
      if (!cache) partnerIssue = await ports.partner.getIssue(created.id, partnerFields);
    }
  }
  const partnerValues = partnerIssue && !cache ? readSide(partnerIssue.fields, mapping, 'partner') : expectedPartner(ports, converted.values, issueType, statusNow, partnerIssue);
  const statusRow = mapping.fields.find((f) => f.kind === 'status');
  // A status the partner could not reach keeps a stale base, so the next sync tries again.
  const base = { local: lastError && statusRow ? { ...localValues, [statusRow.local]: null } : localValues, partner: partnerValues };
  const link = newLink(ports, { localIssueId: localIssue.id, localIssueKey: localIssue.key, partnerIssueId: created.id, partnerIssueKey: created.key }, base, lastError);
  // hierarchy: where both copies sit now is the first parent base (the follow-up job need not read the new copy)
  const partnerParent = (placed.fields as { parent?: { id: string } }).parent?.id ?? null;
  if (!earlier) link.parentBase = { local: parentRef(localIssue.fields)?.id ?? null, partner: partnerParent };
  await ports.links.save(link);
  await ports.links.noteCreated?.(link); // health
  await ports.intents.clear(localIssue.id);
  const left = [...converted.skipped.map((k) => `${k.field} not copied: ${k.reason}.`), ...converted.notes];
  if (made.refused) left.push(`The partner refused to move it on creation (${made.refused}), so its status was set the usual way.`); // bulkrate
  await ports.log({
    connectionId: c.id,
    trigger: 'create',
    direction: 'local-to-partner',
    localIssueKey: link.localIssueKey,
    partnerIssueKey: link.partnerIssueKey,
    fields: Object.keys(localValues).filter((id) => !converted.skipped.some((k) => k.field === id)),
    outcome: lastError ? 'failed' : 'created',
    message: [
      earlier ? `Found ${created.key} on the partner, made by an earlier attempt that timed out; linked it instead of creating another.` : `Created ${created.key} on the partner from ${localIssue.key}.`,
      ...left,
      lastError ? `Its status could not be set: ${lastError}` : 'Comments follow in a moment.',
    ].join(' '),
  });
  await createWaitingChildren(ports, link, linkIssue); // hierarchy: parents first, then the children that waited
  return link;
}

/**
 * A new link of this connection between two issues with its first base snapshot; `lastError` (a status that could
 * not be reached) makes it `failed` with code `no-transition`. Comments are mapped by the follow-up sync job.
 */
export function newLink(ports: ConnectionPorts, ids: Pick<LinkRecord, 'localIssueId' | 'localIssueKey' | 'partnerIssueId' | 'partnerIssueKey'>, base: LinkRecord['base'], lastError: string | null): LinkRecord {
  const c = ports.connection;
  return {
    connectionId: c.id,
    projectKey: c.projectKey,
    ...ids,
    base,
    comments: [],
    worklogs: [], // worklogs
    state: lastError ? 'failed' : 'ok',
    paused: false,
    lastSyncAt: ports.clock.now().toISOString(),
    lastError,
    lastErrorCode: lastError ? 'no-transition' : null,
    failCount: lastError ? 1 : 0,
    conflicts: [],
    skippedComments: [],
    shown: null,
  };
}

/**
 * The partner's normalised values of an issue just created from `sent` (partner field ids): what was sent, the
 * codec's empty value for what was not, the issue type created and the status it is in. Where the issue was read
 * (the first of its type in a run), the read decides instead, with the status the transition reached.
 */
function expectedPartner(ports: ConnectionPorts, sent: SideValues, issueType: { id: string; name: string }, statusId: string | undefined, read?: { fields: Record<string, unknown> }): SideValues {
  const { mapping } = ports.connection;
  const out: SideValues = read ? readSide(read.fields, mapping, 'partner') : {};
  for (const f of activeFields(mapping)) {
    const codec = codecOf(f);
    if (f.kind === 'issuetype') out[f.partner] = codec.read({ id: issueType.id, name: issueType.name });
    else if (f.kind === 'status') out[f.partner] = statusId ?? null;
    else if (!read) out[f.partner] = f.partner in sent ? sent[f.partner] : codec.read(undefined);
  }
  return out;
}

/**
 * A partner issue created for `localIssueId` by an earlier attempt: among issues the partner account created (`creator`, not `reporter`: the reporter may be mapped) in
 * the partner project in the last day with the same summary, the one whose origin property names this issue.
 */
async function findEarlierCopy(ports: ConnectionPorts, localIssueId: string, summary: string): Promise<{ id: string; key: string } | undefined> {
  const jql = `project = ${ports.connection.partnerProjectKey} AND creator = currentUser() AND created >= -1d ORDER BY created DESC`;
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
