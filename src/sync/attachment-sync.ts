/**
 * Attachment sync for one link: a file attached on one side is downloaded and uploaded to the other, the pair of
 * ids (and media file ids, for embedded images) kept on the link; a deleted original takes its mirror with it.
 * Echo-safe by state: a mirror the app made is in the id map, so the next run sees a pair, not a new file.
 *
 * Limits designed to (Forge platform, checked 2026-12):
 * - memory: a Forge invocation has 512 MB (runtime API reference). `fetch` / `requestJira` take the body as an
 *   `ArrayBuffer` and answer with `arrayBuffer()` (no stream either way in `@forge/api`'s types), so a file is held
 *   twice at most (the download and its multipart body): {@link FORGE_FILE_LIMIT_BYTES} keeps that well inside;
 * - time: the sync job runs in an async-event consumer (up to 900 s, `timeoutSeconds`); each transfer may take
 *   `ATTACHMENT_TRANSFER_TIMEOUT_MS`.
 * A file over the target site's `uploadLimit` (`GET /rest/api/3/attachment/meta`) or over the Forge limit is not
 * copied: it is logged once with its name, size and the limit, remembered in `skippedAttachments`, never retried.
 * @see https://developer.atlassian.com/platform/forge/runtime-api-reference/ (512 MB per invocation)
 * @see https://developer.atlassian.com/platform/forge/limits-invocation/
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-attachments/
 */
import type { JiraAttachment, JiraIssue, JiraSite } from '../jira/site';
import { SyncError } from '../model/errors';
import type { AttachmentLink, LinkRecord } from '../model/link';
import type { MergeInput } from '../model/types';

/** Largest file one sync job moves, in bytes (100 MiB: held twice, a fifth of... see the module comment). */
export const FORGE_FILE_LIMIT_BYTES = 100 * 1024 * 1024;

type Side = 'local' | 'partner';
const other = (s: Side): Side => (s === 'local' ? 'partner' : 'local');

/** What one planned action does. */
export type AttachmentAction =
  | { kind: 'copy'; from: Side; attachment: JiraAttachment }
  | { kind: 'delete'; target: Side; id: string }
  | { kind: 'skip'; from: Side; attachment: JiraAttachment; limit: number; why: 'site' | 'forge' }
  // convergence: a mirror the app uploaded in a run whose pair was never saved (the run failed later)
  | { kind: 'adopt'; local: JiraAttachment; partner: JiraAttachment };

/** The plan: actions, the pairs that stay, and the skip keys still valid. */
export interface AttachmentPlan {
  actions: AttachmentAction[];
  keep: AttachmentLink[];
  skipped: string[];
}

const skipKeyOf = (side: Side, id: string) => `${side}:${id}`;

/**
 * Plans attachment sync from both issues' attachment lists. Pure.
 * - a pair whose one side is gone: the other side is deleted (deletes follow); both gone: dropped;
 * - an attachment in no pair and not skipped before: copied when it fits the target's `uploadLimit` and
 *   {@link FORGE_FILE_LIMIT_BYTES}, else a `skip` (logged once, remembered);
 * - a skip key whose attachment is gone drops out;
 * - convergence: an unpaired attachment by this side's app account (`appAccountIds`) with the same filename and
 *   size as an unpaired one on the other side is the mirror of a run that failed after uploading: the two are
 *   paired (`adopt`), never copied again (which would duplicate it on both sides).
 */
export function planAttachments(input: { local: JiraAttachment[]; partner: JiraAttachment[]; links: AttachmentLink[]; skipped: string[]; uploadLimit: Record<Side, number>; appAccountIds?: Record<Side, string | undefined> }): AttachmentPlan {
  const ids = { local: new Set(input.local.map((a) => String(a.id))), partner: new Set(input.partner.map((a) => String(a.id))) };
  const actions: AttachmentAction[] = [];
  const keep: AttachmentLink[] = [];
  for (const l of input.links) {
    const has = { local: ids.local.has(l.localId), partner: ids.partner.has(l.partnerId) };
    if (has.local && has.partner) keep.push(l);
    else if (has.local) actions.push({ kind: 'delete', target: 'local', id: l.localId });
    else if (has.partner) actions.push({ kind: 'delete', target: 'partner', id: l.partnerId });
  }
  const paired = { local: new Set(input.links.map((l) => l.localId)), partner: new Set(input.links.map((l) => l.partnerId)) };
  // convergence: pair lost mirrors with their originals before anything is copied
  for (const side of ['local', 'partner'] as const) {
    const app = input.appAccountIds?.[side];
    for (const m of app ? input[side].filter((a) => a.author?.accountId === app && !paired[side].has(String(a.id))) : []) {
      const o = input[other(side)].find((a) => !paired[other(side)].has(String(a.id)) && a.filename === m.filename && a.size === m.size && a.author?.accountId !== input.appAccountIds?.[other(side)]);
      if (!o) continue;
      paired[side].add(String(m.id));
      paired[other(side)].add(String(o.id));
      actions.push(side === 'local' ? { kind: 'adopt', local: m, partner: o } : { kind: 'adopt', local: o, partner: m });
    }
  }
  const known = new Set(input.skipped);
  const skipped: string[] = [];
  for (const from of ['local', 'partner'] as const) {
    for (const a of input[from]) {
      const id = String(a.id);
      if (paired[from].has(id)) continue;
      const key = skipKeyOf(from, id);
      if (known.has(key)) {
        skipped.push(key);
        continue;
      }
      const siteLimit = input.uploadLimit[other(from)];
      if (a.size > siteLimit || a.size > FORGE_FILE_LIMIT_BYTES) {
        const why = a.size > siteLimit && siteLimit <= FORGE_FILE_LIMIT_BYTES ? 'site' : 'forge';
        actions.push({ kind: 'skip', from, attachment: a, limit: why === 'site' ? siteLimit : FORGE_FILE_LIMIT_BYTES, why });
        skipped.push(key);
      } else actions.push({ kind: 'copy', from, attachment: a });
    }
  }
  return { actions, keep, skipped };
}

/** Sync-log words of a skipped file: name, size and the limit it is over. */
export function skipText(a: Extract<AttachmentAction, { kind: 'skip' }>): string {
  const where = a.why === 'site' ? `the ${other(a.from)} site's upload limit` : 'what one Forge invocation can move';
  return `Attachment "${a.attachment.filename}" (${a.attachment.size.toLocaleString('en-US')} bytes) on the ${a.from} issue was not copied: it is over ${where} (${a.limit.toLocaleString('en-US')} bytes). It stays on its site and is not retried.`;
}

/** convergence: `not-found` (a file deleted since the issue was read) as undefined; any other error rethrown. */
function goneIsUndefined(err: unknown): undefined {
  if (err instanceof SyncError && err.code === 'not-found') return undefined;
  throw err;
}

/** Result of one run. */
export interface AttachmentSyncResult {
  attachments: AttachmentLink[];
  skippedAttachments: string[];
  /** For the sync log: new skips and refused uploads. */
  notes: string[];
  toPartner: number;
  toLocal: number;
  /** Media file id maps for rich text, per source side (see `MergeInput.media`). */
  media: NonNullable<MergeInput['media']>;
}

/** Media maps (per source side) from the pairs whose media ids are both known. */
export function mediaMaps(links: AttachmentLink[]): NonNullable<MergeInput['media']> {
  const local: Record<string, string> = {};
  const partner: Record<string, string> = {};
  for (const l of links) {
    if (l.localMediaId && l.partnerMediaId) {
      local[l.localMediaId] = l.partnerMediaId;
      partner[l.partnerMediaId] = l.localMediaId;
    }
  }
  return { local, partner };
}

/**
 * Syncs the attachments of a link, given both issues as read with their `attachment` field. Transfers run one
 * file at a time (memory). An upload the target refuses (4xx) is remembered as skipped with the site's words.
 * @throws SyncError when a site cannot be reached or fails (retryable), after recording nothing
 */
export async function applyAttachments(sites: { local: JiraSite; partner: JiraSite; connection?: { localAppAccountId?: string; partnerAccountId?: string } }, link: LinkRecord, issues: { local: JiraIssue; partner: JiraIssue }): Promise<AttachmentSyncResult> {
  const list = (i: JiraIssue) => (i.fields.attachment ?? []).map((a) => ({ ...a, id: String(a.id) }));
  const local = list(issues.local);
  const partner = list(issues.partner);
  const links = link.attachments ?? [];
  const unpaired = local.some((a) => !links.some((l) => l.localId === a.id)) || partner.some((a) => !links.some((l) => l.partnerId === a.id));
  // The limits are read only when there is something to copy (most runs have none).
  const uploadLimit = unpaired
    ? { local: (await sites.local.getAttachmentSettings()).uploadLimit, partner: (await sites.partner.getAttachmentSettings()).uploadLimit }
    : { local: Number.MAX_SAFE_INTEGER, partner: Number.MAX_SAFE_INTEGER };
  const appAccountIds = { local: sites.connection?.localAppAccountId, partner: sites.connection?.partnerAccountId }; // convergence
  const plan = planAttachments({ local, partner, links, skipped: link.skippedAttachments ?? [], uploadLimit, appAccountIds });
  const kept = [...plan.keep];
  const skipped = [...plan.skipped];
  const notes: string[] = [];
  const counts = { local: 0, partner: 0 };
  const issueId = { local: link.localIssueId, partner: link.partnerIssueId };
  for (const action of plan.actions) {
    if (action.kind === 'skip') {
      notes.push(skipText(action));
    } else if (action.kind === 'adopt') {
      // convergence: the pair a failed run did not save; its media ids as a copy would record them
      const [localMediaId, partnerMediaId] = await Promise.all([sites.local.attachmentMediaId(action.local.id), sites.partner.attachmentMediaId(action.partner.id)]);
      kept.push({ localId: String(action.local.id), partnerId: String(action.partner.id), localMediaId, partnerMediaId });
    } else if (action.kind === 'delete') {
      await sites[action.target].deleteAttachment(action.id);
      counts[action.target]++;
    } else {
      const to = other(action.from);
      const a = action.attachment;
      // convergence: a file deleted since the issue was read is gone, not a failure (the next run deletes nothing)
      const data = await sites[action.from].downloadAttachment(a.id).catch(goneIsUndefined);
      if (!data) continue;
      let made: JiraAttachment;
      try {
        made = await sites[to].addAttachment(issueId[to], { filename: a.filename, mimeType: a.mimeType, data });
      } catch (err) {
        if (!(err instanceof SyncError) || err.code !== 'jira-rejected') throw err;
        skipped.push(skipKeyOf(action.from, a.id));
        notes.push(`Attachment "${a.filename}" (${a.size.toLocaleString('en-US')} bytes) on the ${action.from} issue was not copied: ${err.message} It is not retried.`);
        continue;
      }
      // convergence: the original deleted meanwhile has no media id; the pair is still saved, so the next run deletes the mirror
      const [sourceMedia, mirrorMedia] = await Promise.all([sites[action.from].attachmentMediaId(a.id).catch(goneIsUndefined), sites[to].attachmentMediaId(made.id)]);
      const pair: AttachmentLink = action.from === 'local'
        ? { localId: a.id, partnerId: String(made.id), localMediaId: sourceMedia, partnerMediaId: mirrorMedia }
        : { localId: String(made.id), partnerId: a.id, localMediaId: mirrorMedia, partnerMediaId: sourceMedia };
      kept.push(pair);
      counts[to]++;
    }
  }
  return { attachments: kept, skippedAttachments: skipped, notes, toPartner: counts.partner, toLocal: counts.local, media: mediaMaps(kept) };
}
