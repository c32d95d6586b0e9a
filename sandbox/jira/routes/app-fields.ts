/**
 * `PUT /rest/api/3/app/field/{fieldIdOrKey}/value`: how a Forge app writes the value of a custom field its own
 * manifest declares (`jira:customField`), on one or more issues, as Jira Cloud does:
 * - only the app that owns the field may call it (403 for anyone else, and for a field no app declared);
 * - no screen is involved: the field need not be on any edit screen, and no Edit issues permission is checked;
 * - the body is `{updates: [{issueIds: [int64…], value}]}` (`CustomFieldValueUpdateDetails`); a `string` field takes
 *   a string (null clears it); every issue must exist, else 404 and nothing is written;
 * - `generateChangelog` (default true) decides whether the change is recorded in the issue's history; either way
 *   the issue's `updated` moves and the update events go out (as `generateAppEvents`, default true);
 * - 204 No Content.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-custom-field-values--apps-/#api-rest-api-3-app-field-fieldidorkey-value-put
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { setCustomField } from '../custom-fields';
import { JiraError } from '../errors';
import type { FieldErrors } from '../fields';
import { first, type Query } from '../query';
import type { SiteRuntime } from '../runtime';
import { jiraDate } from '../store';
import type { HistoryRec, IssueRec } from '../types';

/** `schema.custom` prefix of the fields Forge apps declare (see `sandbox/forge/app-fields.ts`). */
const APP_FIELD_TYPE = 'ari:cloud:ecosystem::extension/';

const Body = z.object({ updates: z.array(z.object({ issueIds: z.array(z.number().int()).min(1), value: z.union([z.string(), z.null()]) }).strict()).min(1) }).strict();

/** Registers the app field value route on a site's app. */
export function appFieldRoutes(app: FastifyInstance, rt: SiteRuntime): void {
  const { store } = rt;
  app.put<{ Params: { fieldIdOrKey: string }; Querystring: Query }>('/rest/api/3/app/field/:fieldIdOrKey/value', async (req, reply) => {
    const field = store.customField(req.params.fieldIdOrKey);
    if (!field) throw JiraError.notFound(`The custom field ${req.params.fieldIdOrKey} was not found.`);
    if (req.actor.accountType !== 'app' || !String(field.schema.custom ?? '').startsWith(APP_FIELD_TYPE)) {
      throw JiraError.forbidden('Only the app that owns the custom field or custom field type can update its values.');
    }
    const body = Body.safeParse(req.body);
    if (!body.success) throw JiraError.badRequest(`The request is invalid: ${body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}.`);
    // Every issue first, so a missing one changes nothing.
    const targets: Array<{ issue: IssueRec; value: string | null }> = body.data.updates.flatMap((u) => u.issueIds.map((id) => ({ issue: store.issue(String(id)), value: u.value })));
    const changelog = first(req.query.generateChangelog) !== 'false';
    for (const { issue, value } of targets) {
      const errors: FieldErrors = {};
      const item = setCustomField(store, issue, field.id, value, errors);
      if (Object.keys(errors).length) throw JiraError.fields(errors);
      if (!item) continue;
      const now = jiraDate();
      const history: HistoryRec = { id: store.nextId('historyId'), authorId: req.actor.accountId, created: now, items: [item] };
      if (changelog) issue.changelog.push(history);
      issue.updated = now;
      store.touch();
      rt.notify.emit({ kind: 'issue_updated', issue, actorId: req.actor.accountId, history });
    }
    return reply.code(204).send();
  });
}
