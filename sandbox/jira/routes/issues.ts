/**
 * Issue routes: get/create/edit/delete, changelog, properties (transitions are in `./transitions`).
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-properties/
 */
import type { FastifyInstance } from 'fastify';
import type { UserRec } from '../types';
import { JiraError } from '../errors';
import { createIssue, deleteIssue, editIssue } from '../ops';
import { APPLIED } from '../create-transition'; // bulkrate
import { parseFieldsParam } from '../system-fields';
import { requirePermission, visibleIssue } from '../permissions';
import { all, first, type Query } from '../query';
import type { SiteRuntime } from '../runtime';

type P = { issueIdOrKey: string; propertyKey?: string };

/**
 * Issue property limits (`setIssueProperty`): "The maximum length is 32768 characters" for the JSON value as sent,
 * 255 for the key. Jira measures the body string (its `jira.properties.service.too.long.value` message names the
 * limit and the actual length); the exact English wording is not published, so ours says the same in plain words.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-properties/#api-rest-api-3-issue-issueidorkey-properties-propertykey-put
 */
export const PROPERTY_VALUE_MAX = 32768;
export const PROPERTY_KEY_MAX = 255;
type Q = Query;

/** Registers the issue routes on a site's app. */
export function issueRoutes(app: FastifyInstance, rt: SiteRuntime): void {
  const { store, render } = rt;
  const ctx = { store, notify: rt.notify };
  const base = '/rest/api/3/issue';
  const visible = (req: { actor: UserRec; params: P }) => visibleIssue(store, req.actor, req.params.issueIdOrKey);
  /** The issue, if the caller may browse it and holds `perm` (403 otherwise). */
  const writable = (req: { actor: UserRec; params: P }, perm: 'EDIT_ISSUES' | 'TRANSITION_ISSUES' | 'DELETE_ISSUES') => {
    const issue = visible(req);
    requirePermission(req.actor, perm);
    return issue;
  };

  app.get<{ Params: P; Querystring: Q }>(`${base}/:issueIdOrKey`, async (req) => {
    const issue = visible(req);
    const expand = all(req.query.expand, { commas: true });
    const properties = req.query.properties ? all(req.query.properties, { commas: true }) : undefined;
    return render.as(req.actor).issue(issue, parseFieldsParam(store, req.query.fields, undefined, 'all'), { changelog: expand.includes('changelog'), properties });
  });

  app.post(base, async (req, reply) => {
    requirePermission(req.actor, 'CREATE_ISSUES');
    const issue = createIssue(ctx, req.actor, req.body);
    const transition = (req.body as { transition?: unknown } | undefined)?.transition ? { transition: APPLIED } : {}; // bulkrate
    return reply.code(201).send({ id: issue.id, key: issue.key, self: `${rt.site.publicUrl}/rest/api/3/issue/${issue.id}`, ...transition });
  });

  app.put<{ Params: P; Querystring: Q }>(`${base}/:issueIdOrKey`, async (req, reply) => {
    const issue = writable(req, 'EDIT_ISSUES');
    editIssue(ctx, req.actor, issue, req.body);
    if (first(req.query.returnIssue) === 'true') return reply.code(200).send(render.as(req.actor).issue(issue));
    return reply.code(204).send();
  });

  app.delete<{ Params: P; Querystring: Q }>(`${base}/:issueIdOrKey`, async (req, reply) => {
    deleteIssue(ctx, req.actor, writable(req, 'DELETE_ISSUES'));
    return reply.code(204).send();
  });

  app.get<{ Params: P; Querystring: Q }>(`${base}/:issueIdOrKey/changelog`, async (req) => {
    const issue = visible(req);
    const startAt = Math.max(0, Number(first(req.query.startAt) ?? 0) || 0);
    const maxResults = Math.min(100, Math.max(1, Number(first(req.query.maxResults) ?? 100) || 100));
    const values = issue.changelog.slice(startAt, startAt + maxResults).map((h) => render.as(req.actor).history(h));
    return {
      self: `${rt.site.publicUrl}/rest/api/3/issue/${issue.key}/changelog?maxResults=${maxResults}&startAt=${startAt}`,
      maxResults, startAt, total: issue.changelog.length, isLast: startAt + values.length >= issue.changelog.length, values,
    };
  });

  // Issue properties: stored as-is; setting one changes neither `updated` nor the changelog (as in Jira).
  app.get<{ Params: P }>(`${base}/:issueIdOrKey/properties`, async (req) => {
    const issue = visible(req);
    return { keys: Object.keys(issue.properties).map((key) => ({ self: `${rt.site.publicUrl}${base}/${issue.id}/properties/${encodeURIComponent(key)}`, key })) };
  });
  app.get<{ Params: P }>(`${base}/:issueIdOrKey/properties/:propertyKey`, async (req) => {
    const issue = visible(req);
    const key = req.params.propertyKey!;
    if (!(key in issue.properties)) throw JiraError.notFound(`The property with key '${key}' does not exist.`);
    return { key, value: issue.properties[key] };
  });
  app.put<{ Params: P }>(`${base}/:issueIdOrKey/properties/:propertyKey`, async (req, reply) => {
    const issue = writable(req, 'EDIT_ISSUES');
    const key = req.params.propertyKey!;
    if (key.length > PROPERTY_KEY_MAX) throw JiraError.badRequest(`The property key cannot be longer than ${PROPERTY_KEY_MAX} characters.`);
    if (req.body === undefined) throw JiraError.badRequest('The property value must be valid JSON.');
    if (req.bodyChars > PROPERTY_VALUE_MAX) {
      throw JiraError.badRequest(`The property value cannot be longer than ${PROPERTY_VALUE_MAX} characters (it has ${req.bodyChars}).`);
    }
    const existed = key in issue.properties;
    issue.properties[key] = req.body;
    store.touch();
    return reply.code(existed ? 200 : 201).send();
  });
  app.delete<{ Params: P }>(`${base}/:issueIdOrKey/properties/:propertyKey`, async (req, reply) => {
    const issue = writable(req, 'EDIT_ISSUES');
    const key = req.params.propertyKey!;
    if (!(key in issue.properties)) throw JiraError.notFound(`The property with key '${key}' does not exist.`);
    delete issue.properties[key];
    store.touch();
    return reply.code(204).send();
  });
}
