/**
 * field area: how Jira frames a `jira:customField`'s Custom UI, as the module's page says, so the sandbox's pages
 * (issue view, create dialog, edit screen, board) frame the "Partner sync" field exactly where Jira would and give
 * its frames the context Jira gives.
 *
 * Rules followed (https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-custom-field/):
 * - `view.experience` and `edit.experience` list where the resources render (view: `issue-view`, `portal-view`;
 *   edit: `issue-view`, `issue-create`, `issue-transition`, `portal-request`). "Jira will default to rendering the
 *   built-in field if a view or edit entry point lacks a defined experience": without the experience the page
 *   shows the plain value (view) or offers no app editor (edit), never the app's frame.
 * - Custom UI renders only on the issue view and in the create (and transition) dialog. Boards, the issue
 *   navigator, bulk edit and other places show the `view.formatter.expression` result instead, and edit with
 *   Jira's default editor ("Some views don't support custom edit rendering, including: boards, …").
 * - On the issue view editing is inline (the `isInline` opt-in ended on August 1, 2025: since then every field
 *   edits inline): the edit resource replaces the view in place; `view.submit(value)` saves the value with the
 *   issue (it throws if the save fails); `view.close()` leaves editing without a change.
 * - The context's `extension` (getContext): `type` `jira:customField`, `entryPoint` `view` | `edit`, `fieldId`
 *   (`customfield_10020`), `fieldType` (the field's `schema.custom`:
 *   `ari:cloud:ecosystem::extension/<app id>/<environment id>/static/<module key>`), `fieldValue` (a `string`
 *   field: the text, or null when empty), `issue` {id, key, type, typeId} (not in the create dialog: there is no
 *   issue yet), `project` {id, key, type}, `renderContext` and `experience` (`issue-view`, `issue-create`, …) and
 *   `location` (the host page's URL).
 * - `view.submit` is for edit entry points only; elsewhere the bridge answers false and `@forge/bridge` throws
 *   "this resource's view is not submittable" (node_modules/@forge/bridge/out/view/submit.js).
 */

/** Where a `jira:customField` may render its view or edit resource (the manifest's `experience` lists). */
export interface FieldFraming {
  moduleKey: string;
  /** The module's value type (`string`, …). */
  type: string;
  viewExperiences: string[];
  editExperiences: string[];
  /** `view.formatter.expression`, or null. */
  formatter: string | null;
}

/** The first `jira:customField` module's framing rules, or null when the manifest has none. */
export function fieldFraming(manifest: { modules?: Record<string, unknown[]> }): FieldFraming | null {
  const mod = (manifest.modules?.['jira:customField'] ?? [])[0] as Record<string, any> | undefined;
  if (!mod) return null;
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  return {
    moduleKey: String(mod.key),
    type: String(mod.type ?? ''),
    viewExperiences: mod.view?.resource ? list(mod.view?.experience) : [],
    editExperiences: mod.edit?.resource ? list(mod.edit?.experience) : [],
    formatter: typeof mod.view?.formatter?.expression === 'string' ? mod.view.formatter.expression : null,
  };
}

/**
 * The text Jira shows for a value where the view resource does not render (cards, lists): the formatter's result.
 * The sandbox evaluates the one formatter the app uses, `value` (the stored text itself).
 * @throws Error naming the expression for any other formatter, so a new one is not silently shown wrong
 */
export function formatFieldValue(framing: FieldFraming, value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  if (framing.formatter === null || framing.formatter.trim() === 'value') return String(value);
  throw new Error(`The sandbox evaluates only the formatter expression "value"; ${framing.moduleKey} has "${framing.formatter}". Teach sandbox/ui/field-frames.ts this expression.`);
}

/**
 * What a `jira:customField` frame's context adds to `extension`, built from the frame's query (`entryPoint`,
 * `renderContext`, `fieldId`, `fieldType`, `fieldValue`, `location`; see the rules above).
 */
export function customFieldExtension(q: Record<string, string | undefined>): Record<string, unknown> {
  const renderContext = q.renderContext ?? 'issue-view';
  return {
    entryPoint: q.entryPoint === 'edit' ? 'edit' : 'view',
    renderContext,
    experience: renderContext,
    fieldId: q.fieldId ?? '',
    fieldType: q.fieldType ?? '',
    fieldValue: q.fieldValue ? q.fieldValue : null,
    ...(q.location ? { location: q.location } : {}),
  };
}
