/**
 * Enhanced JQL search (`/rest/api/3/search/jql`, token paging). Without `fields` only issue ids come back, as in
 * Jira Cloud; `maxResults` defaults to 50 and is capped at 100 (5,000 when only `id`/`key` are asked for).
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post
 */
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { JiraError } from '../errors';
import { compileJql } from '../jql';
import { parseFieldsParam } from '../system-fields';
import { hasPermission } from '../permissions';
import { first, type Query } from '../query';
import type { SiteRuntime } from '../runtime';
import type { UserRec } from '../types';

/** Search input, from the POST body or GET query (`fields` as a list or comma string). */
export interface SearchInput {
  jql?: string;
  fields?: string[] | string;
  maxResults?: number | string;
  nextPageToken?: string;
  expand?: string | string[];
  properties?: string[] | string;
}

const hashOf = (jql: string) => crypto.createHash('sha1').update(jql).digest('hex').slice(0, 12);

/**
 * Jira Cloud's answer to a query without a search restriction (`''`, or only `ORDER BY`): the enhanced search
 * "requires a bounded query" (spec, `jql` parameter of `searchAndReconsileIssuesUsingJql`), and refuses others with
 * this 400, as clients report it verbatim (e.g. github raycast/extensions#21425).
 */
export const UNBOUNDED_JQL = 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.';

/**
 * Runs one page of a search.
 * @throws JiraError 400 on bad or unbounded JQL, or a token from another query
 */
export function search(rt: SiteRuntime, actor: UserRec, input: SearchInput): { issues: unknown[]; nextPageToken?: string; isLast: boolean } {
  const jql = String(input.jql ?? '');
  const q = compileJql(jql, rt.store, actor.accountId);
  if (!q.bounded) throw JiraError.badRequest(UNBOUNDED_JQL);
  const fields = parseFieldsParam(rt.store, input.fields, ['id'], 'navigable');
  const onlyIds = !!fields && fields.every((f) => f === 'id' || f === 'key');
  const cap = onlyIds ? 5000 : 100;
  const maxResults = Math.min(cap, Math.max(1, Number(input.maxResults ?? 50) || 50));
  let offset = 0;
  if (input.nextPageToken) {
    try {
      const t = JSON.parse(Buffer.from(input.nextPageToken, 'base64url').toString('utf8'));
      if (t.h !== hashOf(jql) || !Number.isInteger(t.o)) throw new Error('mismatch');
      offset = t.o;
    } catch {
      throw JiraError.badRequest('The provided next page token is invalid or expired.');
    }
  }
  const browse = hasPermission(actor, 'BROWSE_PROJECTS');
  const matched = rt.store.issues().filter((i) => browse && q.match(i)).sort((a, b) => q.compare(a, b));
  const page = matched.slice(offset, offset + maxResults);
  const expand = Array.isArray(input.expand) ? input.expand : String(input.expand ?? '').split(',');
  const properties = Array.isArray(input.properties) ? input.properties : input.properties ? String(input.properties).split(',') : undefined;
  const view = rt.render.as(actor);
  const issues = page.map((i) => {
    if (fields && fields.length === 1 && fields[0] === 'id') return { id: i.id };
    return view.issue(i, fields, { changelog: expand.includes('changelog'), properties });
  });
  const next = offset + page.length;
  const isLast = next >= matched.length;
  return isLast ? { issues, isLast } : { issues, nextPageToken: Buffer.from(JSON.stringify({ o: next, h: hashOf(jql) })).toString('base64url'), isLast };
}

/** Registers the search routes on a site's app. */
export function searchRoutes(app: FastifyInstance, rt: SiteRuntime): void {
  app.post<{ Body: SearchInput }>('/rest/api/3/search/jql', async (req) => search(rt, req.actor, req.body ?? {}));
  app.get<{ Querystring: Query }>('/rest/api/3/search/jql', async (req) => {
    const q = req.query;
    // `jql`, `nextPageToken`, `maxResults` and `expand` are single strings in the spec; `fields`, `properties` arrays.
    const input: SearchInput = { jql: first(q.jql), nextPageToken: first(q.nextPageToken), maxResults: first(q.maxResults), expand: first(q.expand), fields: q.fields, properties: q.properties };
    return search(rt, req.actor, input);
  });
  // The old search endpoints are gone from Jira Cloud.
  const gone = async () => {
    throw new JiraError(410, ['The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.']);
  };
  app.get('/rest/api/3/search', gone);
  app.post('/rest/api/3/search', gone);
}
