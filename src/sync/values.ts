/**
 * Reading and writing a side's mapped fields through the registry: which field ids to request, the normalised
 * values of one issue, and the REST edit body of a plan. Pure functions over a connection's mapping.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-put
 */
import { codecOf } from '../model/fields';
import { activeFields, copiesFrom, type ConnectionMapping, type Side } from '../model/mapping';
import type { SideValues, SkippedField } from '../model/types';
import { SyncError } from '../model/errors';
import { convertValue } from './merge';

/** Fields every read needs besides the mapped ones: timestamps, project and type, status names for messages. */
const ALWAYS_READ = ['updated', 'project', 'issuetype', 'status', 'summary',
  'parent', 'issuelinks', // hierarchy: parent moves and issue links (src/sync/hierarchy-sync.ts)
];

/** Field ids to request (`?fields=`) from side `side`: the active rows' ids and {@link ALWAYS_READ}. */
export function readFieldIds(mapping: ConnectionMapping, side: Side, extra: string[] = []): string[] {
  return [...new Set([...ALWAYS_READ, ...activeFields(mapping).map((f) => (side === 'local' ? f.local : f.partner)), ...extra])];
}

/** The normalised values of one issue's mapped fields (`fields` of `GET /rest/api/3/issue/{id}`), keyed by field id. */
export function readSide(fields: Record<string, unknown>, mapping: ConnectionMapping, side: Side): SideValues {
  const out: SideValues = {};
  for (const f of activeFields(mapping)) {
    const id = side === 'local' ? f.local : f.partner;
    out[id] = codecOf(f).read(fields[id]);
  }
  return out;
}

/**
 * Splits values for side `target` (keyed by its field ids, in its terms) into the `fields` of one edit
 * (`PUT /rest/api/3/issue/{id}`) and the status to reach by transition. Values of ids no row maps are ignored.
 */
export function toEdit(values: SideValues, mapping: ConnectionMapping, target: Side): { fields: Record<string, unknown>; status?: string | null } {
  const fields: Record<string, unknown> = {};
  let status: string | null | undefined;
  for (const f of activeFields(mapping)) {
    const id = target === 'local' ? f.local : f.partner;
    if (!(id in values)) continue;
    const codec = codecOf(f);
    if (codec.via === 'transition') status = values[id] as string | null;
    else if (codec.editAs) { // worklogs: estimates go in one `timetracking` object
      const { field, key } = codec.editAs(id);
      fields[field] = { ...(fields[field] as Record<string, unknown> | undefined), [key]: codec.write(values[id]) };
    } else fields[id] = codec.write(values[id]);
  }
  return status === undefined ? { fields } : { fields, status };
}

/**
 * Every value of side `from` that its row copies, converted into the other side's terms, e.g. to create the
 * partner issue from the local one. Empty values are left out (Jira keeps its defaults), as are values with no
 * counterpart (listed in `skipped`); `notes` describes values left out of a written field.
 */
export function convertAll(values: SideValues, mapping: ConnectionMapping, from: Side): { values: SideValues; skipped: SkippedField[]; notes: string[] } {
  const out: SideValues = {};
  const skipped: SkippedField[] = [];
  const notes: string[] = [];
  for (const f of activeFields(mapping)) {
    if (!copiesFrom(f, from)) continue;
    const codec = codecOf(f);
    const value = values[from === 'local' ? f.local : f.partner];
    if (value === undefined || codec.same(value, codec.read(undefined))) continue;
    const converted = convertValue(f, value, from, mapping);
    if ('skip' in converted) skipped.push({ field: f.local, reason: converted.skip });
    else {
      if (converted.note) notes.push(converted.note);
      out[from === 'local' ? f.partner : f.local] = converted.value;
    }
  }
  return { values: out, skipped, notes };
}

/** A field of an edit that Jira refused on its own (`errors.<fieldId>` of a 400), and Jira's words why. */
export interface RefusedField {
  field: string;
  reason: string;
}

/**
 * Edits one issue (`PUT /rest/api/3/issue/{id}`); when Jira answers 400 naming only some of the edit's fields in
 * `errors` (e.g. `assignee: User '…' cannot be assigned issues.`), edits again without those, so one refused value
 * does not lose every other field's change. Jira's field errors reach us as `fieldId: message` parts of the
 * `jira-rejected` SyncError's message (see src/jira/client.ts).
 * @returns the fields left out, with Jira's reason
 * @throws SyncError as `editIssue` does when the refusal names no field of the edit, or every one of them
 */
export async function editLeavingOutRefused(
  site: { editIssue(idOrKey: string, fields: Record<string, unknown>): Promise<void> },
  issueId: string,
  fields: Record<string, unknown>,
): Promise<RefusedField[]> {
  try {
    await site.editIssue(issueId, fields);
    return [];
  } catch (err) {
    const refused = refusedFields(err, Object.keys(fields));
    if (!refused.length || refused.length === Object.keys(fields).length) throw err;
    const rest = Object.fromEntries(Object.entries(fields).filter(([id]) => !refused.some((r) => r.field === id)));
    await site.editIssue(issueId, rest);
    return refused;
  }
}

/** The edit's fields a `jira-rejected` (400) error names as `fieldId: message`, with that message. */
function refusedFields(err: unknown, ids: string[]): RefusedField[] {
  if (!(err instanceof SyncError) || err.code !== 'jira-rejected' || !/\(400: /.test(err.message)) return [];
  const detail = err.message.slice(err.message.indexOf('(400: ') + 6).replace(/\)\.?$/, '');
  return detail.split('; ').flatMap((part) => {
    const field = ids.find((id) => part.startsWith(`${id}: `));
    return field ? [{ field, reason: part.slice(field.length + 2) }] : [];
  });
}
