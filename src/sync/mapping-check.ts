/**
 * The check of a field mapping against both sites' catalogs, before anything syncs with it: what would fail
 * (`error`: a field the target's screen cannot set, kinds that cannot convert, a field id the site does not have,
 * a field mapped twice on one side, a value map naming an option the target lacks) and what would work with a
 * caveat (`warning`: options, statuses or priorities with no counterpart, which a sync then leaves unchanged and
 * logs). Users are not checked: an unmapped user never fails a sync and most people of a site never meet the
 * other one. Pure: the catalogs come from `./catalog.ts` (`GET /rest/api/3/field`, createmeta, project statuses,
 * priorities, components and versions).
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-createmeta-projectidorkey-issuetypes-issuetypeid-get
 */
import { compatibleKinds } from '../model/mapping';
import { copiesFrom, otherSide, type ConnectionMapping, type FieldKind, type FieldMap, type IdMapPair, type Side } from '../model/mapping';
import type { CatalogField, SiteCatalog } from './catalog';

/**
 * One problem (the shape of the contract's `MappingProblem`): `row` is the index in `mapping.fields`, or null for
 * the connection-wide maps; `field` the row's local field id.
 */
export interface MappingProblem {
  row: number | null;
  field: string;
  severity: 'error' | 'warning';
  message: string;
}

/** How the editor names a kind of field, with its article ("a date-time field"). */
const KIND_WORDS: Record<FieldKind, string> = {
  text: 'a one-line text',
  paragraph: 'a paragraph (rich text)',
  number: 'a number',
  date: 'a date',
  datetime: 'a date-time',
  url: 'a URL',
  labels: 'a labels',
  select: 'a single-select',
  multiselect: 'a multi-select',
  checkbox: 'a checkboxes',
  radio: 'a radio buttons',
  user: 'a user picker',
  multiuser: 'a multi-user picker',
  priority: 'a priority',
  status: 'a status',
  issuetype: 'an issue type',
  components: 'a components',
  versions: 'a versions',
  estimate: 'a time estimate', // worklogs
};

/** "a date-time field", for messages. */
export function kindWords(kind: FieldKind): string {
  return `${KIND_WORDS[kind]} field`;
}

const SITE = { local: 'local site', partner: 'partner site' } as const;
const OPTION_KINDS = new Set<FieldKind>(['select', 'radio', 'multiselect', 'checkbox']);

/** `"A", "B", "C" and 4 more`: at most `max` names, so a list of 200 versions stays readable. */
export function someNames(names: string[], max = 5): string {
  const shown = names.slice(0, max).map((n) => `"${n}"`).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/** The values a row's value map is about on one side: options, or the project's components/versions. */
function valuesOf(catalog: SiteCatalog, field: CatalogField | undefined, kind: FieldKind): string[] | undefined {
  if (kind === 'components') return catalog.components;
  if (kind === 'versions') return catalog.versions;
  if (OPTION_KINDS.has(kind)) return field?.options;
  return undefined;
}

type Catalogs = Record<Side, SiteCatalog>;

/** Problems of one row that syncs (direction not `off`). */
function rowProblems(row: FieldMap, index: number, catalogs: Catalogs): MappingProblem[] {
  const out: MappingProblem[] = [];
  const add = (severity: MappingProblem['severity'], message: string) => out.push({ row: index, field: row.local, severity, message });
  const found = { local: catalogs.local.fields.find((f) => f.id === row.local), partner: catalogs.partner.fields.find((f) => f.id === row.partner) };
  const name = (side: Side) => found[side]?.name ?? row.name[side];
  for (const side of ['local', 'partner'] as const) {
    const id = side === 'local' ? row.local : row.partner;
    const f = found[side];
    if (!f) add('error', `${row.name[side]} (${id}) does not exist on the ${SITE[side]}: it may have been deleted or renamed. Pick another field or remove the row.`);
    else if (!f.kind) add('error', `${f.name} (${id}) on the ${SITE[side]} is a type of field the app cannot sync (${f.schema?.custom ?? f.schema?.type ?? 'unknown type'}).`);
    // Jira refuses an edit of a field its screens do not show ("Field 'x' cannot be set. It is not on the appropriate screen, or unknown.").
    else if (f.onScreen === false && copiesFrom(row, otherSide[side])) {
      const project = catalogs[side].projectKey;
      add('error', `${f.name} (${id}) is not on ${project}'s screens on the ${SITE[side]}, so the sync cannot set it there and the write would be refused. Add it to ${project}'s screens, or sync this row ${side === 'partner' ? 'from the partner' : 'to the partner'} only.`);
    }
  }
  const [l, p] = [found.local, found.partner];
  if (l?.kind && p?.kind) {
    if (!compatibleKinds(l.kind, p.kind)) {
      const there = name('partner') === name('local') ? `${kindWords(p.kind)} on the partner` : `${name('partner')} is ${kindWords(p.kind)} on the partner`;
      add('error', `${name('local')} is ${kindWords(l.kind)} here and ${there}; they cannot sync.`);
    } else if (!compatibleKinds(row.kind, l.kind) || !compatibleKinds(row.kind, p.kind)) {
      add('error', `The row syncs ${name('local')} as ${kindWords(row.kind)}, but it is ${kindWords(l.kind)}; pick the fields again to reset the row.`);
    }
  }
  if (l && p) out.push(...valueProblems(row, index, catalogs, found));
  // A conflict needs changes from both sides; a one-way row never has one, so its own policy would never apply.
  if (row.policy && row.direction !== 'both') {
    add('warning', `${name('local')} syncs one way only, so it never has a conflict and its own conflict policy (${row.policy}) never applies. Sync it both ways or remove the policy.`);
  }
  return out;
}

/** Option (or component/version) values with no counterpart, and value-map entries the target does not offer. */
function valueProblems(row: FieldMap, index: number, catalogs: Catalogs, found: Record<Side, CatalogField | undefined>): MappingProblem[] {
  const out: MappingProblem[] = [];
  const values = { local: valuesOf(catalogs.local, found.local, row.kind), partner: valuesOf(catalogs.partner, found.partner, row.kind) };
  if (!values.local || !values.partner) return out;
  const what = (n: number) => (OPTION_KINDS.has(row.kind) ? 'option' : row.kind === 'components' ? 'component' : 'version') + (n > 1 ? 's' : '');
  for (const from of ['local', 'partner'] as const) {
    if (!copiesFrom(row, from)) continue;
    const to = otherSide[from];
    const map = (from === 'local' ? row.values?.toPartner : row.values?.toLocal) ?? {};
    const offered = new Set(values[to]);
    const stale = Object.entries(map).filter(([, v]) => !offered.has(v));
    if (stale.length) {
      out.push({ row: index, field: row.local, severity: 'error', message: `${row.name[from]}: ${stale.map(([k, v]) => `"${k}" → "${v}"`).join(', ')} ${stale.length > 1 ? 'name values' : 'names a value'} that ${row.name[to]} on the ${SITE[to]} does not offer; Jira would refuse the write. Map ${stale.length > 1 ? 'them' : 'it'} again.` });
    }
    const missing = values[from]!.filter((v) => map[v] === undefined);
    if (!missing.length) continue;
    const effect = row.kind === 'components' || row.kind === 'versions' ? 'is left out of the copy (never created there)' : `leaves ${row.name[to]} unchanged (the sync log says why)`;
    out.push({ row: index, field: row.local, severity: 'warning', message: `${row.name[from]}: ${what(missing.length)} ${someNames(missing)} of the ${SITE[from]} ${missing.length > 1 ? 'have' : 'has'} no counterpart on the ${SITE[to]}; an issue with ${missing.length > 1 ? 'one of them' : 'it'} ${effect}.` });
  }
  return out;
}

/** Rows mapping a field already mapped by an earlier active row on the same side. */
function duplicateProblems(mapping: ConnectionMapping): MappingProblem[] {
  const out: MappingProblem[] = [];
  for (const side of ['local', 'partner'] as const) {
    const first = new Map<string, number>();
    mapping.fields.forEach((row, index) => {
      if (row.direction === 'off') return;
      const id = side === 'local' ? row.local : row.partner;
      const earlier = first.get(id);
      if (earlier === undefined) first.set(id, index);
      else out.push({ row: index, field: row.local, severity: 'error', message: `${row.name[side]} (${id}) on the ${SITE[side]} is mapped in rows ${earlier + 1} and ${index + 1}; a field can sync with one field only. Remove one of the rows or turn it off.` });
    });
  }
  return out;
}

/**
 * Items of a connection-wide id map (statuses, priorities, issue types) with no counterpart (warning: a sync
 * leaves the field unchanged and logs it), and entries naming an id the target site does not have (error).
 * Checked only for the ways the field's row copies; no active row, no problems.
 */
function idMapProblems(mapping: ConnectionMapping, catalogs: Catalogs, kind: 'status' | 'priority' | 'issuetype'): MappingProblem[] {
  const row = mapping.fields.find((f) => f.kind === kind && f.direction !== 'off');
  if (!row) return [];
  const pair: IdMapPair = kind === 'status' ? mapping.status : kind === 'priority' ? mapping.priority : mapping.issueTypes;
  const items = (side: Side) => (kind === 'status' ? catalogs[side].statuses : kind === 'priority' ? catalogs[side].priorities : catalogs[side].issueTypes);
  const words = { status: ['status', 'statuses', 'Statuses'], priority: ['priority', 'priorities', 'Priorities'], issuetype: ['issue type', 'issue types', 'Issue types'] }[kind];
  const noun = (n: number) => (n > 1 ? words[1] : words[0]);
  const capital = (t: string) => `${t[0].toUpperCase()}${t.slice(1)}`;
  const out: MappingProblem[] = [];
  for (const from of ['local', 'partner'] as const) {
    if (!copiesFrom(row, from)) continue;
    const to = otherSide[from];
    const map = from === 'local' ? pair.toPartner : pair.toLocal;
    const targetIds = new Set(items(to).map((i) => i.id));
    const stale = Object.entries(map).filter(([, id]) => !targetIds.has(id));
    if (stale.length) out.push({ row: null, field: row.local, severity: 'error', message: `The ${words[0]} map names ${noun(stale.length)} the ${SITE[to]} does not have (id ${stale.map(([, id]) => id).join(', ')}). Map ${stale.length > 1 ? 'them' : 'it'} again in ${words[2]}.` });
    // Sub-task types are not the app's to create, and an issue does not turn into one: no counterpart needed.
    const missing = items(from).filter((i) => map[i.id] === undefined && !('subtask' in i && i.subtask)).map((i) => i.name);
    if (missing.length) out.push({ row: null, field: row.local, severity: 'warning', message: `${capital(noun(missing.length))} ${someNames(missing)} of the ${SITE[from]} ${missing.length > 1 ? 'have' : 'has'} no ${words[0]} mapped on the ${SITE[to]}; an issue in ${missing.length > 1 ? 'one of them' : 'it'} keeps its ${words[0]} on the ${SITE[to]}. Map ${missing.length > 1 ? 'them' : 'it'} in ${words[2]}.` });
  }
  return out;
}

/**
 * Everything in `mapping` that will not work as it stands against the two catalogs, errors first, then in row
 * order. Rows turned `off` are not checked (they sync nothing). An empty list means the mapping is fine.
 * Example: partner `customfield_10052` "Cc" off PARTNER's screens, mapped both ways → an error on its row;
 * "Actual start" date-time here ↔ date on the partner → "Actual start is a date-time field here and a date
 * field on the partner; they cannot sync."
 */
export function checkMapping(mapping: ConnectionMapping, local: SiteCatalog, partner: SiteCatalog): MappingProblem[] {
  const catalogs = { local, partner };
  const problems = [
    ...mapping.fields.flatMap((row, i) => (row.direction === 'off' ? [] : rowProblems(row, i, catalogs))),
    ...duplicateProblems(mapping),
    ...(['status', 'priority', 'issuetype'] as const).flatMap((k) => idMapProblems(mapping, catalogs, k)),
  ];
  const rank = (p: MappingProblem) => (p.severity === 'error' ? 0 : 1);
  return problems.sort((a, b) => rank(a) - rank(b) || (a.row ?? Infinity) - (b.row ?? Infinity));
}
