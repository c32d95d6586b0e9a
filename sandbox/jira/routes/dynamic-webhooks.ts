/**
 * Dynamic webhooks (`/rest/api/3/webhook`): registered by the calling user or app, listed and deleted per caller,
 * expiring after 30 days unless refreshed. Real Jira allows these to Connect and OAuth 2.0 apps only; the sandbox
 * also lets Basic-auth users register them so tests and clients like jira.js can drive them.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-webhooks/
 */
import type { FastifyInstance } from 'fastify';
import { JiraError } from '../errors';
import { compileJql } from '../jql';
import type { SiteRuntime } from '../runtime';
import type { DynamicWebhookRec } from '../types';

/** Events a dynamic webhook may subscribe to here (the spec's enum minus property events, which are not emitted). */
const EVENTS = ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted', 'comment_created', 'comment_updated', 'comment_deleted'];
const LIFETIME_MS = 30 * 24 * 3600 * 1000;

/** Registers the dynamic webhook routes on a site's app. */
export function dynamicWebhookRoutes(app: FastifyInstance, rt: SiteRuntime): void {
  const { store } = rt;
  const base = '/rest/api/3/webhook';
  const all = (): DynamicWebhookRec[] => (store.state.dynamicWebhooks ??= []);
  const ids = (body: any): number[] => {
    const list = body?.webhookIds;
    if (!Array.isArray(list) || !list.length || list.some((x) => !Number.isInteger(x))) throw JiraError.badRequest('webhookIds must not be empty.');
    return list;
  };

  app.get<{ Querystring: { startAt?: string; maxResults?: string } }>(base, async (req) => {
    const mine = all().filter((h) => h.ownerId === req.actor.accountId);
    const startAt = Math.max(0, Number(req.query.startAt ?? 0) || 0);
    const maxResults = Math.min(100, Math.max(1, Number(req.query.maxResults ?? 100) || 100));
    const values = mine.slice(startAt, startAt + maxResults).map(({ ownerId: _o, ...v }) => v);
    return { isLast: startAt + values.length >= mine.length, maxResults, startAt, total: mine.length, values };
  });

  app.post(base, async (req) => {
    const body: any = req.body;
    if (typeof body?.url !== 'string' || !/^https?:\/\//.test(body.url)) throw JiraError.fields({ url: 'The URL must be an absolute http(s) URL.' });
    if (!Array.isArray(body.webhooks) || !body.webhooks.length) throw JiraError.fields({ webhooks: 'At least one webhook is required.' });
    const webhookRegistrationResult = body.webhooks.map((w: any) => {
      const errors: string[] = [];
      const events: string[] = Array.isArray(w?.events) ? w.events : [];
      if (!events.length) errors.push('At least one event must be specified.');
      for (const e of events) if (!EVENTS.includes(e)) errors.push(`Event '${e}' is not supported.`);
      const jqlFilter = typeof w?.jqlFilter === 'string' ? w.jqlFilter : '';
      if (!jqlFilter.trim()) errors.push('The JQL filter is required.');
      else {
        try {
          compileJql(jqlFilter, store, req.actor.accountId);
        } catch (e) {
          errors.push((e as Error).message);
        }
      }
      if (errors.length) return { errors };
      const rec: DynamicWebhookRec = {
        id: store.state.counters.webhookId++, ownerId: req.actor.accountId, url: body.url, events, jqlFilter,
        ...(Array.isArray(w.fieldIdsFilter) ? { fieldIdsFilter: w.fieldIdsFilter.map(String) } : {}),
        ...(Array.isArray(w.issuePropertyKeysFilter) ? { issuePropertyKeysFilter: w.issuePropertyKeysFilter.map(String) } : {}),
        expirationDate: Date.now() + LIFETIME_MS,
      };
      all().push(rec);
      return { createdWebhookId: rec.id };
    });
    store.touch();
    return { webhookRegistrationResult };
  });

  app.delete(base, async (req, reply) => {
    const wanted = new Set(ids(req.body));
    store.state.dynamicWebhooks = all().filter((h) => !(h.ownerId === req.actor.accountId && wanted.has(h.id)));
    store.touch();
    return reply.code(202).send();
  });

  app.put(`${base}/refresh`, async (req) => {
    const wanted = new Set(ids(req.body));
    const expirationDate = Date.now() + LIFETIME_MS;
    for (const h of all()) if (h.ownerId === req.actor.accountId && wanted.has(h.id)) h.expirationDate = expirationDate;
    store.touch();
    return { expirationDate };
  });
}
