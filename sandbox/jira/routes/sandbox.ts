/**
 * Sandbox-only routes (no auth): request statistics, idleness of outbound traffic, fault injection
 * (`POST/DELETE /__sandbox/faults`, `POST /__sandbox/outage {down}`), recorded spec mismatches
 * (`GET/DELETE /__sandbox/spec-mismatches`), API-token rotation (`POST /__sandbox/users/token {email, apiToken}`),
 * email visibility (`POST /__sandbox/users/email-visibility {accountId, hidden}`), synthetic custom fields
 * (`POST /__sandbox/custom-fields {count}`),
 * and a read-only HTML page per issue at `/browse/{key}` so links into the site open something.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { adfToText } from '../adf';
import { syntheticFields } from '../custom-field-defs';
import { JiraError } from '../errors';
import { emptyStats, type SiteRuntime } from '../runtime';

/** Body of `POST /__sandbox/users/email-visibility`: whose email, and whether their profile hides it. */
export const EmailVisibilityBody = z.object({ accountId: z.string().min(1), hidden: z.boolean() }).strict();

/** Body of `POST /__sandbox/custom-fields`: how many synthetic custom fields to add to the site (1–1000). */
export const CustomFieldsBody = z.object({ count: z.number().int().min(1).max(1000) }).strict();

/** Answer of `POST /__sandbox/custom-fields`: the new fields' ids, and how many custom fields the site now has. */
export interface CustomFieldsAdded {
  ids: string[];
  total: number;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * `{requests, byUser, requestsByUser, writes, webhooks: {delivered, dropped, duplicated, retried, failed}, events:
 * {delivered, failed}, rateLimited, faults: {error, timeout, latency, outage, rateLimited, webhookDrop,
 * webhookDuplicate, webhookDelay}}` of a site. `requests` is keyed `METHOD /route/{template}`, `byUser` by
 * accountId, `requestsByUser` by accountId then `METHOD /route/{template}`.
 */
export function siteStats(rt: SiteRuntime) {
  const { webhooks, events } = rt.outbox.counters;
  return {
    ...structuredClone(rt.stats),
    webhooks: { ...webhooks },
    events: { delivered: events.delivered, failed: events.failed },
    rateLimited: rt.faults.counts.rateLimited,
    faults: { ...rt.faults.counts },
  };
}

/** Zeroes request, outbound and fault counters of a site. */
export function resetSiteStats(rt: SiteRuntime): void {
  Object.assign(rt.stats, emptyStats());
  rt.outbox.reset();
  rt.faults.resetCounts();
}

/** Registers the sandbox routes on a site's app. */
export function sandboxRoutes(app: FastifyInstance, rt: SiteRuntime): void {
  app.get('/__sandbox/stats', async () => siteStats(rt));
  app.post('/__sandbox/stats/reset', async (_req, reply) => {
    resetSiteStats(rt);
    return reply.code(204).send();
  });

  app.get('/__sandbox/faults', async () => ({ faults: rt.faults.settings }));
  app.post('/__sandbox/faults', async (req) => ({ faults: rt.faults.apply(req.body) }));
  app.delete('/__sandbox/faults', async (_req, reply) => {
    rt.faults.clear();
    return reply.code(204).send();
  });
  app.post<{ Body: { down?: unknown } }>('/__sandbox/outage', async (req) => {
    if (typeof req.body?.down !== 'boolean') throw JiraError.fields({ down: 'down must be true or false.' });
    return { faults: rt.faults.apply({ down: req.body.down }) };
  });

  app.get('/__sandbox/spec-mismatches', async () => ({
    validating: !!rt.spec,
    checked: rt.spec?.checked ?? 0,
    count: rt.spec?.mismatches.length ?? 0,
    mismatches: rt.spec?.mismatches ?? [],
  }));
  app.delete('/__sandbox/spec-mismatches', async (_req, reply) => {
    rt.spec?.clear();
    return reply.code(204).send();
  });
  app.get('/__sandbox/idle', async () => ({ idle: rt.outbox.pendingCount() === 0, pending: rt.outbox.pendingCount() }));

  // What an admin does at id.atlassian.com: revoke a user's API token and issue a new one.
  app.post<{ Body: { email?: string; apiToken?: string } }>('/__sandbox/users/token', async (req, reply) => {
    const { email, apiToken } = req.body ?? {};
    const user = Object.values(rt.store.state.users).find((u) => u.emailAddress === email && u.apiToken !== undefined);
    if (!user || !apiToken) return reply.code(400).send({ errorMessages: ['Give the email of a user who signs in with an API token, and the new token.'], errors: {} });
    user.apiToken = apiToken;
    rt.store.touch();
    return reply.code(204).send();
  });

  // What a person does in their Atlassian profile: show or hide the email (Profile and visibility → Email address).
  app.post('/__sandbox/users/email-visibility', async (req, reply) => {
    const body = EmailVisibilityBody.safeParse(req.body);
    if (!body.success) throw JiraError.badRequest(`Give {accountId, hidden: true|false}: ${body.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ')}.`);
    const user = rt.store.user(body.data.accountId);
    if (!user) throw JiraError.notFound(`No user with accountId ${body.data.accountId} on this site.`);
    user.hideEmail = body.data.hidden;
    rt.store.touch();
    return reply.code(204).send();
  });

  // What an admin does in Settings → Work items → Fields, many times over: load a site with custom fields (for
  // benchmarks of a mapping editor). They persist, show on every project's screens and in GET /field.
  app.post('/__sandbox/custom-fields', async (req, reply) => {
    const body = CustomFieldsBody.safeParse(req.body);
    if (!body.success) throw JiraError.badRequest(`Give {count: 1..1000}: ${body.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ')}.`);
    const fields = syntheticFields(rt.site.name, rt.store.state.customFields?.length ?? 0, body.data.count);
    rt.store.addCustomFields(fields);
    const answer: CustomFieldsAdded = { ids: fields.map((f) => f.id), total: rt.store.customFields().length };
    return reply.code(201).send(answer);
  });

  app.get<{ Params: { key: string } }>('/browse/:key', async (req, reply) => {
    let issue;
    try {
      issue = rt.store.issue(req.params.key);
    } catch {
      return reply.code(404).type('text/html').send(`<!doctype html><title>Not found</title><p>Issue ${esc(req.params.key)} does not exist.</p>`);
    }
    const status = rt.store.status(issue.statusId).name;
    const user = (id: string | null) => esc(rt.store.user(id)?.displayName ?? 'Unassigned');
    const comments = issue.comments
      .map((c) => `<li><b>${user(c.authorId)}</b> <small>${esc(c.created)}</small><pre>${esc(adfToText(c.body))}</pre></li>`)
      .join('');
    const html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>[${esc(issue.key)}] ${esc(issue.summary)}</title>
<body style="font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto">
<p><small>${esc(rt.site.publicUrl)} / ${esc(rt.store.project(issue.projectId)!.name)}</small></p>
<h1><span data-testid="issue-key">${esc(issue.key)}</span> <span data-testid="summary">${esc(issue.summary)}</span></h1>
<p>Status: <b data-testid="status">${esc(status)}</b> · Priority: ${esc(rt.render.priority(issue.priorityId)?.name as string ?? 'None')} · Labels: ${esc(issue.labels.join(', ') || 'None')}</p>
<p>Assignee: ${user(issue.assigneeId)} · Reporter: ${user(issue.reporterId)} · Updated: ${esc(issue.updated)}</p>
<h2>Description</h2><pre data-testid="description" style="white-space:pre-wrap">${esc(issue.description ? adfToText(issue.description) : 'None')}</pre>
<h2>Comments (${issue.comments.length})</h2><ul data-testid="comments">${comments}</ul></body></html>`;
    return reply.type('text/html; charset=utf-8').send(html);
  });
}
