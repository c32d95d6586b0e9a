/**
 * Default status and priority id maps between the two sites.
 * Pure functions over the lists each site reports (`GET /rest/api/3/project/{key}/statuses`, `GET /rest/api/3/priority`).
 */
import type { IdMapPair } from '../model/mapping';

/** One status or priority as a site reports it. `category` is the status category key: `new`, `indeterminate`, `done`. */
export interface NamedId {
  id: string;
  name: string;
  category?: string;
}


const key = (name: string) => name.trim().toLowerCase();

/**
 * Maps every item of `from` to an item of `to`, in three steps:
 * 1. same name, case-insensitive;
 * 2. statuses: the first item of `to` in the same status category;
 * 3. priorities: by rank. Lists are ordered highest → lowest; an unmatched run of `from` between two name-matched
 *    neighbours maps proportionally onto the `to` items between their counterparts; a run at the top or bottom
 *    (one open end) lines up against its matched neighbour, and with no matched neighbour at all the whole lists map
 *    proportionally. When a gap is empty on the `to` side the run takes its upper neighbour's counterpart.
 */
function mapOneWay(from: NamedId[], to: NamedId[], kind: 'status' | 'priority'): Record<string, string> {
  const out: Record<string, string> = {};
  const toByName = new Map<string, NamedId>();
  for (const t of to) if (!toByName.has(key(t.name))) toByName.set(key(t.name), t);
  for (const f of from) {
    const t = toByName.get(key(f.name));
    if (t) out[f.id] = t.id;
  }
  if (kind === 'status') {
    for (const f of from) {
      if (out[f.id] || !f.category) continue;
      const t = to.find((x) => x.category === f.category);
      if (t) out[f.id] = t.id;
    }
    return out;
  }
  if (to.length === 0) return out;
  const toIndex = new Map(to.map((t, i) => [t.id, i]));
  let i = 0;
  while (i < from.length) {
    if (out[from[i].id]) {
      i++;
      continue;
    }
    let j = i;
    while (j < from.length && !out[from[j].id]) j++;
    // from[i..j) is an unmatched run; its matched neighbours are from[i-1] and from[j]
    const above = i > 0 ? toIndex.get(out[from[i - 1].id])! : -1;
    const below = j < from.length ? toIndex.get(out[from[j].id])! : to.length;
    const run = from.slice(i, j);
    const lo = above + 1;
    const hi = Math.max(below, lo); // exclusive
    const gap = to.slice(lo, hi);
    run.forEach((f, t) => {
      let target: NamedId;
      const k = run.length;
      const r = gap.length;
      if (r === 0) target = to[above >= 0 ? above : Math.min(below, to.length - 1)];
      else if (above < 0 && below < to.length) target = gap[Math.max(0, r - k + t)]; // top run: align against the neighbour below
      else if (above >= 0 && below >= to.length) target = gap[Math.min(t, r - 1)]; // bottom run: align against the neighbour above
      else target = gap[k === 1 ? Math.round((r - 1) / 2) : Math.round((t * (r - 1)) / (k - 1))];
      out[f.id] = target.id;
    });
    i = j;
  }
  return out;
}

/**
 * Builds the status or priority id map both ways between the local and partner lists (see `mapOneWay` for the rules).
 * Example with the real lists: statuses Open 1, Reopened 4 → partner Open 10000; In Progress 3, In Review 10003,
 * In QE Test 10005 → Working 10001; Resolved 5, Closed 6 → Closed 10002. Priorities Critical, High, Medium, Low,
 * Trivial, None → Highest, High, Medium, Low, Lowest, Lowest (None, having no rank of its own, joins the bottom);
 * back: Highest → Critical, Lowest → Trivial. Items that cannot be mapped are absent from the map.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-workflow-statuses/
 */
export function buildIdMap(local: NamedId[], partner: NamedId[], kind: 'status' | 'priority'): IdMapPair {
  return { toPartner: mapOneWay(local, partner, kind), toLocal: mapOneWay(partner, local, kind) };
}

/**
 * Makes `toLocal` agree with `toPartner` wherever `toPartner` has something to say: a partner id goes back to the
 * local id it already maps from (the automatic pick if that is one of them, else the first in `localOrder`).
 * This keeps "partner changed to X while local already maps to X" recognisable as equivalent.
 */
export function reconcileMaps(toPartner: Record<string, string>, toLocal: Record<string, string>, localOrder: string[]) {
  const out = { ...toLocal };
  const sources = new Map<string, string[]>();
  const ordered = [...new Set([...localOrder, ...Object.keys(toPartner)])];
  for (const l of ordered) {
    const p = toPartner[l];
    if (p !== undefined) sources.set(p, [...(sources.get(p) ?? []), l]);
  }
  for (const [p, locals] of sources) {
    if (!locals.includes(out[p])) out[p] = locals[0];
  }
  return out;
}

/**
 * A status or priority map with admin choices applied: `overrides` (local id → partner id) win on the
 * local → partner side, and the partner → local side is made consistent with it (see {@link reconcileMaps}).
 */
export function withOverrides(auto: IdMapPair, overrides: Record<string, string> | undefined, localOrder: string[]): IdMapPair {
  const toPartner = { ...auto.toPartner, ...(overrides ?? {}) };
  return { toPartner, toLocal: reconcileMaps(toPartner, auto.toLocal, localOrder) };
}
