/**
 * Admin webhooks (`/rest/webhooks/1.0/webhook`), site administrators only. The secret is stored but never returned.
 * @see https://developer.atlassian.com/cloud/jira/platform/webhooks/#registering-a-webhook-using-the-jira-rest-api--other-integrations-
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { JiraError } from '../errors';
import { compileJql } from '../jql';
import type { SiteRuntime } from '../runtime';
import type { WebhookRec } from '../types';

/** Events an admin webhook may subscribe to here. */
export const WEBHOOK_EVENTS = ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted', 'comment_created', 'comment_updated', 'comment_deleted', /* worklogs */ 'worklog_created', 'worklog_updated', 'worklog_deleted',
  'issuelink_created', 'issuelink_deleted', // hierarchy
];

/** Registers the admin webhook routes on a site's app. */
export function webhookRoutes(app: FastifyInstance, rt: SiteRuntime): void {
  const { store } = rt;
  const base = '/rest/webhooks/1.0/webhook';
  const admin = (req: FastifyRequest) => {
    if (!req.actor.admin || req.actor.accountType === 'app') throw JiraError.forbidden('Only Jira administrators can manage webhooks.');
  };
  const view = (w: WebhookRec) => ({
    name: w.name,
    url: w.url,
    excludeBody: w.excludeBody,
    filters: { 'issue-related-events-section': w.jql },
    events: w.events,
    enabled: w.enabled,
    self: `${rt.site.publicUrl}${base}/${w.id}`,
    lastUpdatedUser: w.lastUpdatedUser,
    lastUpdatedDisplayName: store.user(w.lastUpdatedUser)?.displayName ?? '',
    lastUpdated: w.lastUpdated,
  });
  const find = (id: string) => {
    const w = store.state.webhooks.find((x) => String(x.id) === id);
    if (!w) throw JiraError.notFound(`Webhook with id ${id} does not exist.`);
    return w;
  };
  /** Validates a registration body into the stored fields. */
  const parse = (body: any, actorId: string): Omit<WebhookRec, 'id'> => {
    const errors: Record<string, string> = {};
    if (typeof body?.name !== 'string' || !body.name.trim()) errors.name = 'Name is required.';
    if (typeof body?.url !== 'string' || !/^https?:\/\//.test(body.url)) errors.url = 'URL must be a valid http(s) URL.';
    const events: string[] = Array.isArray(body?.events) ? body.events : [];
    const unknown = events.filter((e) => !WEBHOOK_EVENTS.includes(e));
    if (!events.length) errors.events = 'At least one event is required.';
    if (unknown.length) errors.events = `Unsupported events: ${unknown.join(', ')}`;
    if (Object.keys(errors).length) throw JiraError.fields(errors);
    const jql = String(body.filters?.['issue-related-events-section'] ?? '');
    if (jql) compileJql(jql, store);
    return {
      name: body.name, url: body.url, events, jql, excludeBody: body.excludeBody === true,
      secret: typeof body.secret === 'string' && body.secret ? body.secret : null,
      enabled: body.enabled !== false, lastUpdatedUser: actorId, lastUpdated: Date.now(),
    };
  };

  app.get(base, async (req) => (admin(req), store.state.webhooks.map(view)));
  app.get<{ Params: { id: string } }>(`${base}/:id`, async (req) => (admin(req), view(find(req.params.id))));
  app.post(base, async (req, reply) => {
    admin(req);
    const w: WebhookRec = { id: store.state.counters.webhookId++, ...parse(req.body, req.actor.accountId) };
    store.state.webhooks.push(w);
    store.touch();
    return reply.code(201).send(view(w));
  });
  app.put<{ Params: { id: string } }>(`${base}/:id`, async (req) => {
    admin(req);
    const w = find(req.params.id);
    const next = parse(req.body, req.actor.accountId);
    Object.assign(w, next, { secret: next.secret ?? w.secret });
    store.touch();
    return view(w);
  });
  app.delete<{ Params: { id: string } }>(`${base}/:id`, async (req, reply) => {
    admin(req);
    const w = find(req.params.id);
    store.state.webhooks = store.state.webhooks.filter((x) => x !== w);
    store.touch();
    return reply.code(204).send();
  });
}
