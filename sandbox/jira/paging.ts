/**
 * Offset paging as Jira's REST resources do it: `startAt` (default 0) and `maxResults` (a default, capped at a
 * maximum), and the `PageBean…` body (`self, nextPage?, maxResults, startAt, total, isLast, values`).
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/intro/#pagination
 */
import { first, type Query } from './query';

/** `startAt` and `maxResults` from a query (`def` when absent or not a positive number; at most `max`). */
export function pageParams(q: Query, def: number, max = def): { startAt: number; maxResults: number } {
  const startAt = Math.max(0, Number(first(q.startAt) ?? 0) || 0);
  const wanted = Number(first(q.maxResults) ?? def);
  return { startAt, maxResults: Math.min(max, Number.isInteger(wanted) && wanted > 0 ? wanted : def) };
}

/** The slice of `all` a page shows. */
export function pageOf<T>(all: T[], p: { startAt: number; maxResults: number }): T[] {
  return all.slice(p.startAt, p.startAt + p.maxResults);
}

/**
 * A `PageBean` body of `all` for page `p`; `url` is the resource's absolute URL without paging parameters (it may
 * carry others, e.g. `?fieldId=x`).
 */
export function pageBean<T>(url: string, all: T[], p: { startAt: number; maxResults: number }) {
  const values = pageOf(all, p);
  const isLast = p.startAt + values.length >= all.length;
  const at = (n: number) => `${url}${url.includes('?') ? '&' : '?'}maxResults=${p.maxResults}&startAt=${n}`;
  return { self: at(p.startAt), ...(isLast ? {} : { nextPage: at(p.startAt + values.length) }), maxResults: p.maxResults, startAt: p.startAt, total: all.length, isLast, values };
}
