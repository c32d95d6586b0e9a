/**
 * The preview of a mapping as edited (not saved): for one issue, what the issue on the other side would get —
 * an update of the linked issue (per active row: its value now, the value copying the source's current value
 * through the row's codec would write, or why the field is left unchanged) or, for a local issue not linked yet,
 * the fields the partner issue's creation would set. Reads both issues and nothing else; writes nothing on either
 * site and nothing to the store.
 * REST followed: `GET /rest/api/3/issue/{issueIdOrKey}?fields=…` (the source issue and, when linked, the target).
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-get
 */
import { isRecord } from '../model/adf';
import { SyncError, toSyncError } from '../model/errors';
import { codecOf } from '../model/fields';
import { activeFields, copiesFrom, otherSide, type ConnectionMapping, type FieldMap, type Side } from '../model/mapping';
import type { JiraIssue } from '../jira/site';
import type { CatalogField, SiteCatalog } from './catalog';
import { convertValue } from './merge';
import type { ConnectionPorts } from './ports';
import { convertAll, readFieldIds, readSide } from './values';

/** One field of a preview, in words (see the contract's `PreviewField`). */
export interface PreviewFieldView {
  field: string;
  name: string;
  current: string;
  next: string;
  note?: string;
  written: boolean;
}

/** A preview (the contract's `Preview`). */
export interface PreviewView {
  action: 'create' | 'update';
  targetIssueKey: string | null;
  targetSide: Side;
  fields: PreviewFieldView[];
}

/** How long an ADF value may run in a preview before it is cut (characters). */
export const TEXT_PREVIEW_CHARS = 120;

/** The plain text of an ADF doc (text, mentions, emoji; blocks separated by a space). */
export function adfPlainText(doc: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown) => {
    if (!isRecord(node)) return;
    if (node.type === 'text' && typeof node.text === 'string') parts.push(node.text);
    else if (isRecord(node.attrs) && (node.type === 'mention' || node.type === 'emoji') && typeof node.attrs.text === 'string') parts.push(node.attrs.text);
    else if (node.type === 'hardBreak') parts.push(' ');
    if (Array.isArray(node.content)) {
      node.content.forEach(walk);
      if (node.type !== 'text' && node.type !== 'doc') parts.push(' ');
    }
  };
  walk(doc);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

const cut = (s: string, max = TEXT_PREVIEW_CHARS) => (s.length > max ? `${s.slice(0, max - 1).trimEnd()}…` : s);
const listWords = (xs: string[]) => (xs.length ? xs.join(', ') : 'empty');

/**
 * A normalised value of `field`'s kind on `side`, in words: option values, user display names, status,
 * priority and issue type names from that side's catalog (the id when the catalog lacks it), ADF as plain text
 * cut to {@link TEXT_PREVIEW_CHARS}; `empty` for no value.
 */
export function valueWords(field: Pick<FieldMap, 'kind'>, value: unknown, catalog: SiteCatalog): string {
  if (value === null || value === undefined || value === '') return 'empty';
  const user = (id: string) => catalog.users.find((u) => u.accountId === id)?.displayName ?? id;
  const named = (items: Array<{ id: string; name: string }>, id: string) => items.find((i) => i.id === id)?.name ?? id;
  switch (field.kind) {
    case 'paragraph':
      return cut(adfPlainText(value)) || 'empty';
    case 'user':
      return user(String(value));
    case 'multiuser':
      return listWords((value as string[]).map(user));
    case 'status':
      return named(catalog.statuses, String(value));
    case 'priority':
      return named(catalog.priorities, String(value));
    case 'issuetype':
      return named(catalog.issueTypes, String(value));
    case 'labels':
    case 'multiselect':
    case 'checkbox':
    case 'components':
    case 'versions':
      return listWords(value as string[]);
    default:
      return cut(String(value));
  }
}

/**
 * A codec's skip reason with the ids it names (accountIds, status, priority and issue type ids of the source
 * side) replaced by their names, so the preview reads in words.
 */
function reasonInWords(reason: string, row: FieldMap, sourceValue: unknown, catalog: SiteCatalog): string {
  const ids = Array.isArray(sourceValue) ? sourceValue.map(String) : sourceValue === null || sourceValue === undefined ? [] : [String(sourceValue)];
  if (!['user', 'multiuser', 'status', 'priority', 'issuetype'].includes(row.kind)) return reason;
  const one = row.kind === 'multiuser' ? { kind: 'user' as const } : row;
  return ids.reduce((text, id) => text.split(`"${id}"`).join(`"${valueWords(one, id, catalog)}"`), reason);
}

/** Why a target field cannot be written at all (missing on that site, or off its screens), or undefined. */
function unwritable(f: CatalogField | undefined, id: string, side: Side, catalog: SiteCatalog): string | undefined {
  if (!f) return `${id} does not exist on the ${side} site, so nothing can be written to it.`;
  if (f.onScreen === false) return `${f.name} is not on ${catalog.projectKey}'s screens on the ${side} site: Jira would refuse the write.`;
  return undefined;
}

interface Sides {
  source: Side;
  target: Side;
  catalogs: Record<Side, SiteCatalog>;
}

/** The preview row of one active mapping row, given the source value and the target's current value. */
function previewRow(row: FieldMap, sourceValue: unknown, currentValue: unknown, mapping: ConnectionMapping, s: Sides): PreviewFieldView {
  const codec = codecOf(row);
  const targetId = s.target === 'local' ? row.local : row.partner;
  const catalog = s.catalogs[s.target];
  const f = catalog.fields.find((x) => x.id === targetId);
  const base = { field: targetId, name: f?.name ?? row.name[s.target], current: valueWords(row, currentValue, catalog) };
  const unchanged = (note: string) => ({ ...base, next: base.current, note, written: false });
  if (!copiesFrom(row, s.source)) return unchanged(`This row syncs ${s.target === 'partner' ? 'from the partner' : 'to the partner'} only.`);
  const converted = convertValue(row, sourceValue, s.source, mapping);
  if ('skip' in converted) return unchanged(`${reasonInWords(converted.skip, row, sourceValue, s.catalogs[s.source])}.`);
  const blocked = unwritable(f, targetId, s.target, catalog);
  if (blocked) return unchanged(blocked);
  const next = valueWords(row, converted.value, catalog);
  return { ...base, next, written: !codec.same(converted.value, currentValue ?? codec.read(undefined)), ...(converted.note ? { note: converted.note } : {}) };
}

/**
 * What the create of the partner issue from `source` would set: every active row that copies from local, with
 * the value `convertAll` gives it (rows whose value is empty are left out, as the create leaves them to Jira's
 * defaults). The issue type is the mapping's choice, else the same name, else the partner's default type.
 */
function createPreview(issue: JiraIssue, mapping: ConnectionMapping, s: Sides): PreviewFieldView[] {
  const values = readSide(issue.fields, mapping, s.source);
  const converted = convertAll(values, mapping, s.source);
  const catalog = s.catalogs[s.target];
  const out: PreviewFieldView[] = [];
  for (const row of activeFields(mapping)) {
    if (!copiesFrom(row, s.source)) continue;
    const targetId = s.target === 'local' ? row.local : row.partner;
    const f = catalog.fields.find((x) => x.id === targetId);
    const name = f?.name ?? row.name[s.target];
    if (row.kind === 'issuetype') {
      const t = issueTypeAtCreate(issue, mapping, s.catalogs);
      out.push({ field: targetId, name, current: 'empty', next: t ?? 'empty', written: t !== undefined, ...(t ? {} : { note: `${catalog.projectKey} has no issue type the app can create.` }) });
      continue;
    }
    const skipped = converted.skipped.find((k) => k.field === row.local);
    if (skipped) {
      const reason = reasonInWords(skipped.reason, row, values[s.source === 'local' ? row.local : row.partner], s.catalogs[s.source]);
      out.push({ field: targetId, name, current: 'empty', next: 'empty', note: `${reason}.`, written: false });
      continue;
    }
    if (!(targetId in converted.values)) continue;
    const blocked = unwritable(f, targetId, s.target, catalog);
    const note = blocked ?? converted.notes.find((n) => n.startsWith(`${row.name[s.source]}:`));
    // Every value left out (components the partner lacks) leaves the field to Jira's default: nothing written.
    const value = converted.values[targetId];
    const written = !blocked && !codecOf(row).same(value, codecOf(row).read(undefined));
    out.push({ field: targetId, name, current: 'empty', next: written ? valueWords(row, value, catalog) : 'empty', written, ...(note ? { note } : {}) });
  }
  return out;
}

/** The partner issue type a create would use (as `linkIssue` picks it), by name; undefined when none is creatable. */
function issueTypeAtCreate(issue: JiraIssue, mapping: ConnectionMapping, catalogs: Record<Side, SiteCatalog>): string | undefined {
  const types = catalogs.partner.issueTypes.filter((t) => !t.subtask);
  const local = issue.fields.issuetype;
  const mapped = local?.id ? mapping.issueTypes.toPartner[local.id] : undefined;
  const name = (local?.name ?? '').toLowerCase();
  return (types.find((t) => t.id === mapped) ?? types.find((t) => t.name.toLowerCase() === name) ?? types[0])?.name;
}

/** Reads one issue for the preview, naming the site when it is not there. @throws SyncError `not-found` */
async function readIssue(ports: ConnectionPorts, side: Side, key: string, mapping: ConnectionMapping): Promise<JiraIssue> {
  try {
    return await ports[side].getIssue(key, readFieldIds(mapping, side));
  } catch (err) {
    const e = toSyncError(err);
    if (e.code === 'not-found') throw new SyncError('not-found', `${key} was not found on the ${side} site (or the app cannot see it).`);
    throw e;
  }
}

/**
 * The preview of `mapping` for issue `issueKey` on `side` (see the module comment).
 * @param catalogs both sites' catalogs (`readCatalog`), for names and screens
 * @throws SyncError `not-found` (no such issue, or the linked issue is gone), `invalid-input` (the issue is not in
 *   the connection's project; a partner issue that is not linked, since the app creates partner issues from local
 *   ones only)
 */
export async function previewMapping(ports: ConnectionPorts, input: { mapping: ConnectionMapping; issueKey: string; side: Side }, catalogs: Record<Side, SiteCatalog>): Promise<PreviewView> {
  const { mapping, side } = input;
  const c = ports.connection;
  const s: Sides = { source: side, target: otherSide[side], catalogs };
  const issue = await readIssue(ports, side, input.issueKey.toUpperCase(), mapping);
  const project = side === 'local' ? c.projectKey : c.partnerProjectKey;
  if (issue.fields.project?.key !== undefined && issue.fields.project.key !== project) {
    throw new SyncError('invalid-input', `${issue.key} is in project ${issue.fields.project.key}, not ${project}: this connection syncs ${c.projectKey} with ${c.partnerProjectKey}.`);
  }
  const localId = side === 'local' ? issue.id : await ports.links.findByPartner(issue.id);
  const found = localId ? await ports.links.get(localId) : undefined;
  // An issue syncs with one partner issue at most: one linked through another connection is not this one's to preview.
  if (found && found.connectionId !== c.id) throw new SyncError('invalid-input', `${issue.key} syncs through another connection of ${c.projectKey} (connection ${found.connectionId}); preview it there.`);
  const link = found;
  if (!link) {
    if (side === 'partner') throw new SyncError('invalid-input', `${issue.key} is not linked to a ${c.projectKey} issue, and the app only creates partner issues from local ones. Pick a linked partner issue or a local issue.`);
    return { action: 'create', targetIssueKey: null, targetSide: s.target, fields: createPreview(issue, mapping, s) };
  }
  const targetKey = s.target === 'local' ? link.localIssueId : link.partnerIssueId;
  let target: JiraIssue;
  try {
    target = await ports[s.target].getIssue(targetKey, readFieldIds(mapping, s.target));
  } catch (err) {
    const e = toSyncError(err);
    if (e.code === 'not-found') throw new SyncError('not-found', `${issue.key} is linked to ${s.target === 'local' ? link.localIssueKey : link.partnerIssueKey}, which no longer exists on the ${s.target} site.`);
    throw e;
  }
  const sourceValues = readSide(issue.fields, mapping, s.source);
  const targetValues = readSide(target.fields, mapping, s.target);
  const fields = activeFields(mapping).map((row) =>
    previewRow(row, sourceValues[s.source === 'local' ? row.local : row.partner], targetValues[s.target === 'local' ? row.local : row.partner], mapping, s),
  );
  return { action: 'update', targetIssueKey: target.key, targetSide: s.target, fields };
}
