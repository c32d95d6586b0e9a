/**
 * Keeps the "Partner sync" field (`jira:customField` `task-sync-field`) and the indexed `taskSyncLink` issue
 * property in step with the link, and checks "offer sync" rules. Called where the glance lozenge is written
 * (`link-status.ts`), so both follow every change of a link's state.
 *
 * Rules followed:
 * - Jira creates the field on install with `schema.custom` =
 *   `ari:cloud:ecosystem::extension/<app id>/<environment id>/static/<module key>`; the app finds its id in
 *   `GET /rest/api/3/field` by that suffix (the number differs per site).
 *   https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-custom-field/
 * - A `string` Forge field's value is read through the issue REST API like a text field; the app writes it with
 *   the app-only `PUT /rest/api/3/app/field/{id}/value` (`asApp`, no screen needed, `generateChangelog=false`), so
 *   the field works wherever an admin puts it (create screen, view, cards) and its writes add no history entry.
 *   https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-custom-field-values--apps-/
 * - Issue properties named in a `jira:entityProperty` module are indexed for JQL
 *   (`issue.property[taskSyncLink].state = "failing"`); writing one does not change `updated`.
 *   https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-entity-property/
 */
import type { JiraSite } from '../jira/site';
import type { LinkRecord } from '../model/link';
import { SyncError } from '../model/errors';
import { fieldText, LINK_PROPERTY_KEY, linkProperty, offerQuery } from '../sync/offer';

/** Manifest key of the field module. */
export const FIELD_MODULE_KEY = 'task-sync-field';

let cachedFieldId: string | null | undefined;

/** The site's id of the app's field (`customfield_10900`), or null when Jira has not created it (not installed). */
export async function appFieldId(local: JiraSite): Promise<string | null> {
  if (cachedFieldId !== undefined) return cachedFieldId;
  const fields = await local.getFields();
  const found = fields.find((f) => f.schema?.custom?.endsWith(`/static/${FIELD_MODULE_KEY}`));
  cachedFieldId = found?.id ?? null;
  return cachedFieldId;
}

/**
 * Writes the link's state to the `taskSyncLink` property and, with `opts.field`, its text to the field (empty
 * when `link` is null). The field is written only when the partner key appears or goes (see `src/sync/offer.ts`).
 * @param opts.offeredBy connection id whose offer rule matched (only without a link)
 * @throws whatever the Jira calls throw (callers treat this like the lozenge: a view of the link)
 */
export async function publishLinkState(local: JiraSite, localIssueId: string, link: LinkRecord | null, opts: { field: boolean; offeredBy?: string }): Promise<void> {
  await local.setIssueProperty(localIssueId, LINK_PROPERTY_KEY, linkProperty(link, opts.offeredBy));
  const fieldId = opts.field ? await appFieldId(local) : null;
  if (fieldId) await local.setAppFieldValue(fieldId, localIssueId, fieldText(link));
}

/**
 * Checks an "offer sync" rule with Jira before it is saved: '' passes; otherwise the JQL must parse and run over
 * the project (`project = KEY AND (<rule>)`).
 * @throws SyncError `invalid-input` with Jira's reason when it does not
 */
export async function checkOfferJql(local: JiraSite, projectKey: string, jql: string): Promise<string> {
  const rule = jql.trim();
  if (!rule) return '';
  try {
    await local.searchJql(`project = "${projectKey}" AND (${rule})`, ['summary']);
  } catch (err) {
    throw new SyncError('invalid-input', `The offer rule is not JQL Jira accepts: ${(err as Error)?.message ?? err}. Fix the rule (e.g. labels = partner) or leave it empty.`);
  }
  return rule;
}

/** True when the issue matches the offer rule (asked of Jira with {@link offerQuery}). */
export async function matchesOffer(local: JiraSite, issueId: string, offerJql: string): Promise<boolean> {
  if (!offerJql.trim()) return false;
  const { issues } = await local.searchJql(offerQuery(issueId, offerJql), ['summary']);
  return issues.length > 0;
}
