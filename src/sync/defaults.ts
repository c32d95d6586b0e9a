/**
 * The default mapping of a new connection, so it works with no editing: fields with the same name and a
 * compatible type, statuses by name then by status category, priorities by name then by rank, issue types by
 * name then the partner's default type, options and components/versions by value, users by visible email.
 * Display-name matches are only ever suggestions (see {@link userSuggestions}), never applied.
 * Pure: works on the two sites' catalogs (`./catalog.ts` reads them).
 */
import { kindOfSchema } from '../model/fields';
import { compatibleKinds } from '../model/mapping';
import type { ConnectionMapping, FieldMap, IdMapPair } from '../model/mapping';
import type { CatalogField, CatalogUser, SiteCatalog } from './catalog';
import { buildIdMap, withOverrides } from './mapping';

const norm = (s: string) => s.trim().toLowerCase();

/**
 * System fields a connection syncs by default, in this order. Others (`resolution`, `created`, …) are not the
 * app's to write. Assignee and reporter go through the user map.
 */
export const DEFAULT_SYSTEM_FIELDS = [
  'summary',
  'description',
  'issuetype',
  'priority',
  'labels',
  'status',
  'components',
  'fixVersions',
  'versions',
  'duedate',
  'environment',
  'assignee',
  'reporter',
];

/** Both ways by name: each value maps to the same value (case-insensitive) on the other side. */
export function valueMapByName(local: string[], partner: string[]): IdMapPair {
  const one = (from: string[], to: string[]) => {
    const byName = new Map<string, string>();
    for (const t of to) if (!byName.has(norm(t))) byName.set(norm(t), t);
    const out: Record<string, string> = {};
    for (const f of from) {
      const t = byName.get(norm(f));
      if (t !== undefined) out[f] = t;
    }
    return out;
  };
  return { toPartner: one(local, partner), toLocal: one(partner, local) };
}

/** Values of a field that options/names can be mapped for (select kinds; components and versions by name). */
function valuesOf(catalog: SiteCatalog, field: CatalogField): string[] | undefined {
  if (field.kind === 'components') return catalog.components;
  if (field.kind === 'versions') return catalog.versions;
  if (field.kind === 'select' || field.kind === 'radio' || field.kind === 'multiselect' || field.kind === 'checkbox') return field.options ?? [];
  return undefined;
}

/** A mapping row for a local and a partner field, with its value map where the kind has one. */
export function fieldRow(local: SiteCatalog, partner: SiteCatalog, l: CatalogField, p: CatalogField): FieldMap {
  const row: FieldMap = { local: l.id, partner: p.id, kind: l.kind!, direction: 'both', name: { local: l.name, partner: p.name } };
  const lv = valuesOf(local, l);
  const pv = valuesOf(partner, p);
  if (lv && pv) row.values = valueMapByName(lv, pv);
  return row;
}

/**
 * Field rows: the default system fields present on both sides, then every custom field whose name matches a
 * partner custom field's (case-insensitive) with a compatible kind. Each field is used once per side; a field
 * the registry has no codec for is left out.
 */
export function defaultFieldRows(local: SiteCatalog, partner: SiteCatalog): FieldMap[] {
  const rows: FieldMap[] = [];
  const usedPartner = new Set<string>();
  // A field the registry cannot handle, or that the project's screens do not show, is not mapped by default.
  const known = (f: CatalogField) => f.kind !== undefined && f.onScreen !== false;
  for (const id of DEFAULT_SYSTEM_FIELDS) {
    const l = local.fields.find((f) => f.id === id && known(f));
    const p = partner.fields.find((f) => f.id === id && known(f));
    if (l && p) {
      rows.push(fieldRow(local, partner, l, p));
      usedPartner.add(p.id);
    }
  }
  for (const l of local.fields.filter((f) => f.custom && known(f))) {
    const p = partner.fields.find((f) => f.custom && known(f) && !usedPartner.has(f.id) && norm(f.name) === norm(l.name) && compatibleKinds(l.kind!, f.kind!));
    if (!p) continue;
    rows.push(fieldRow(local, partner, l, p));
    usedPartner.add(p.id);
  }
  return rows;
}

/** Issue types by name; a local type with no partner type of that name maps to the partner's default type. */
export function defaultIssueTypeMap(local: SiteCatalog, partner: SiteCatalog): IdMapPair {
  const creatable = (c: SiteCatalog) => c.issueTypes.filter((t) => !t.subtask);
  const byName = valueMapByName(creatable(local).map((t) => t.name), creatable(partner).map((t) => t.name));
  const idOf = (c: SiteCatalog, name: string) => creatable(c).find((t) => t.name === name)?.id;
  const pair: IdMapPair = { toPartner: {}, toLocal: {} };
  const partnerDefault = creatable(partner)[0];
  const localDefault = creatable(local)[0];
  for (const t of creatable(local)) {
    const to = byName.toPartner[t.name];
    const id = to !== undefined ? idOf(partner, to) : partnerDefault?.id;
    if (id) pair.toPartner[t.id] = id;
  }
  for (const t of creatable(partner)) {
    const to = byName.toLocal[t.name];
    const id = to !== undefined ? idOf(local, to) : localDefault?.id;
    if (id) pair.toLocal[t.id] = id;
  }
  return pair;
}

/** Users matched by email, where both sites show it (a hidden email never matches; inactive users are left out). */
export function defaultUserMap(local: CatalogUser[], partner: CatalogUser[]): IdMapPair {
  const byEmail = (users: CatalogUser[]) => {
    const m = new Map<string, string>();
    for (const u of users) if (u.active && u.email) m.set(norm(u.email), u.accountId);
    return m;
  };
  const l = byEmail(local);
  const p = byEmail(partner);
  const pair: IdMapPair = { toPartner: {}, toLocal: {} };
  for (const [email, id] of l) {
    const other = p.get(email);
    if (other) {
      pair.toPartner[id] = other;
      pair.toLocal[other] = id;
    }
  }
  return pair;
}

/** A suggested user pair the admin may accept: same display name, no email match. Never applied automatically. */
export interface UserSuggestion {
  local: string;
  partner: string;
  reason: string;
}

/** Display-name matches among users the user map does not map yet (suggestions only). */
export function userSuggestions(local: CatalogUser[], partner: CatalogUser[], users: IdMapPair): UserSuggestion[] {
  const out: UserSuggestion[] = [];
  for (const l of local) {
    if (!l.active || users.toPartner[l.accountId]) continue;
    const p = partner.find((u) => u.active && !users.toLocal[u.accountId] && norm(u.displayName) === norm(l.displayName));
    if (!p) continue;
    // Two local people of one name (old accounts, namesakes): say so, the admin picks the right one.
    const namesakes = local.filter((u) => u.active && norm(u.displayName) === norm(l.displayName)).length;
    const also = namesakes > 1 ? `; ${namesakes} local users have this name` : '';
    out.push({ local: l.accountId, partner: p.accountId, reason: `Same display name "${l.displayName}" (emails do not match or are hidden${also})` });
  }
  return out;
}

/**
 * The whole default mapping of a connection between two catalogs.
 * @param overrides admin choices kept over the automatic status and priority maps (local id → partner id)
 */
export function defaultMapping(local: SiteCatalog, partner: SiteCatalog, overrides: { status?: Record<string, string>; priority?: Record<string, string> } = {}): ConnectionMapping {
  return {
    fields: defaultFieldRows(local, partner),
    issueTypes: defaultIssueTypeMap(local, partner),
    status: withOverrides(buildIdMap(local.statuses, partner.statuses, 'status'), overrides.status, local.statuses.map((s) => s.id)),
    priority: withOverrides(buildIdMap(local.priorities, partner.priorities, 'priority'), overrides.priority, local.priorities.map((p) => p.id)),
    users: defaultUserMap(local.users, partner.users),
  };
}

/** The catalog entry of a field from `GET /rest/api/3/field`, with its registry kind. */
export function catalogField(f: { id: string; name: string; custom?: boolean; schema?: { type: string; items?: string; system?: string; custom?: string } }): CatalogField {
  return { id: f.id, name: f.name, custom: Boolean(f.custom), kind: kindOfSchema(f.schema), schema: f.schema };
}
