/**
 * Issue link routes: `POST /rest/api/3/issueLink` (201, empty body, as Jira: the new link's id is read from the
 * issue's `issuelinks`; an identical link is not made twice), `GET`/`DELETE /rest/api/3/issueLink/{linkId}`,
 * `GET /rest/api/3/issueLinkType`, `POST /rest/api/3/issueLinkType` (link types). Link and unlink need Browse on both issues and Edit (Jira's Link issues).
 * Each made or removed link is announced (`issuelink_created`/`issuelink_deleted` webhooks, Forge events).
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-links/
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-link-types/
 */
import type { FastifyInstance } from 'fastify';
import { addLink, findLink, forgeLinkPayload, linkTypes, parseLinkRequest, removeLink, renderLink, renderLinkType, webhookLink } from '../issue-links';
import { addComment } from '../ops';
import { createLinkType } from '../link-type-admin'; // link types
import { requirePermission, visibleIssue } from '../permissions';
import type { SiteRuntime } from '../runtime';

type P = { linkId: string };

/** Registers the issue link routes on a site's app. */
export function issueLinkRoutes(app: FastifyInstance, rt: SiteRuntime): void {
  const { store } = rt;
  const ctx = { store, notify: rt.notify };

  app.get('/rest/api/3/issueLinkType', async () => ({ issueLinkTypes: linkTypes(store).map((t) => renderLinkType(store, t)) }));
  // link types: a Jira admin adds a link type (createIssueLinkType), answered 201 with it
  app.post('/rest/api/3/issueLinkType', async (req, reply) => reply.code(201).send(renderLinkType(store, createLinkType(store, req.actor, req.body, linkTypes(store)))));

  app.post('/rest/api/3/issueLink', async (req, reply) => {
    const parsed = parseLinkRequest(store, req.body);
    visibleIssue(store, req.actor, parsed.source.id);
    visibleIssue(store, req.actor, parsed.destination.id);
    requirePermission(req.actor, 'EDIT_ISSUES');
    const body = req.body as { comment?: { body?: unknown } } | undefined;
    // "optionally add a comment to the from (outward) issue"; checked before anything is written.
    if (body?.comment !== undefined) addComment(ctx, req.actor, parsed.source, body.comment);
    const { link, created } = addLink(store, parsed);
    if (created) rt.notify.emitLinkEvent('issuelink_created', webhookLink(store, link), [parsed.source, parsed.destination], forgeLinkPayload(store, link, req.actor.accountId));
    return reply.code(201).send();
  });

  app.get<{ Params: P }>('/rest/api/3/issueLink/:linkId', async (req) => {
    const link = findLink(store, req.params.linkId);
    visibleIssue(store, req.actor, link.sourceId);
    visibleIssue(store, req.actor, link.destinationId);
    return renderLink(rt.render.as(req.actor), store, link);
  });

  app.delete<{ Params: P }>('/rest/api/3/issueLink/:linkId', async (req, reply) => {
    const link = findLink(store, req.params.linkId);
    const issues = [visibleIssue(store, req.actor, link.sourceId), visibleIssue(store, req.actor, link.destinationId)];
    requirePermission(req.actor, 'EDIT_ISSUES');
    const announced = webhookLink(store, link);
    const forge = forgeLinkPayload(store, link, req.actor.accountId);
    removeLink(store, link);
    rt.notify.emitLinkEvent('issuelink_deleted', announced, issues, forge);
    return reply.code(204).send();
  });
}
