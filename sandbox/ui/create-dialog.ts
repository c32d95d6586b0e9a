/**
 * field area: the Jira pages where the "Partner sync" custom field (`jira:customField`) shows, framing its
 * resource the way Jira does (an iframe per field, the module's context with `entryPoint`, `renderContext` and
 * `fieldValue`; the edit view's `view.submit(value)` sets the value the page saves):
 * - `GET /create/:projectKey` — the "Create issue" dialog: project, issue type, summary and the field's edit view
 *   (`renderContext: issue-create`, no issue yet); Create saves the issue with the submitted field value through
 *   the local site's REST API (`POST /rest/api/3/issue`) as the page's user, then opens the board;
 * - `GET /edit/:issueKey` — the issue's edit screen with the field's edit view (`renderContext: issue-view`);
 *   a submitted value is saved with `PUT /rest/api/3/issue/{key}`;
 * - the board/backlog page is in `./board.ts`, the issue view's inline edit in `./inline-field.ts`.
 * Each dialog frames the edit resource only when `edit.experience` lists its experience (`issue-create`,
 * `issue-view`), else it offers Jira's built-in text input (`./field-frames.ts`). A submitted value is answered at
 * once and kept; Jira checks it when the dialog saves the issue (a refusal shows Jira's words, nothing is saved).
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-custom-field/
 */
import type { FastifyInstance } from 'fastify';
import { registerBoard } from './board';
import { registerInlineField, type FieldIssue } from './inline-field';
import { jiraWords, partnerSyncField, partnerSyncFieldId, siteRequest, type FieldPageDeps } from './field-rest';
import { esc, frame, layout, type Frame } from './pages';
import type { ColorMode } from './theme';

export type { FieldPageDeps } from './field-rest';

const CSS = `<style>
.dialog{max-width:640px;border:1px solid var(--border);border-radius:8px;padding:20px 24px;box-shadow:0 8px 24px #091e4226}
.dialog h1{margin-bottom:16px}.row{display:grid;gap:4px;margin-bottom:14px}.row label{font-weight:600;color:var(--subtle)}
.row input,.row select{font:inherit;padding:6px 8px;border:1px solid var(--border);border-radius:4px;background:var(--surface);color:var(--text)}
.actions{display:flex;gap:8px;justify-content:flex-end}.actions button{font:inherit;padding:6px 14px;border-radius:4px;border:0;cursor:pointer}
.primary{background:#0c66e4;color:#fff}.err{color:#ae2e24}
</style>`;

/**
 * The host script of both dialogs: keeps the last value the field's frame submitted, and on Save posts the form
 * to `action` as JSON, then goes to the URL the answer names (or shows Jira's words).
 */
const DIALOG_SCRIPT = `
var fieldValue = null, submitted = false;
addEventListener('message', function (e) {
  var f = document.querySelector('iframe[data-forge]');
  if (!f || e.source !== f.contentWindow || !e.data) return;
  var back = document.getElementById('dialog-form').dataset.closeTo;
  if (e.data.type === 'forge-sandbox:close' && back) location.assign(back);
  if (e.data.type !== 'forge-sandbox:submit') return;
  fieldValue = e.data.value; submitted = true; document.body.dataset.fieldSubmitted = String(fieldValue);
  // Kept for Save: Jira checks the value when it saves the issue, and the dialog then shows its words.
  f.contentWindow.postMessage({ type: 'forge-sandbox:submit-result', id: e.data.id, error: null }, '*');
});
document.getElementById('dialog-form').addEventListener('submit', function (ev) {
  ev.preventDefault();
  var form = ev.target, data = { fieldValue: fieldValue, submitted: submitted };
  Array.prototype.forEach.call(form.elements, function (el) { if (el.name) data[el.name] = el.value; });
  if (form.querySelector('[data-testid=field-default-edit]')) data.submitted = true;
  fetch(form.dataset.action, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) })
    .then(function (r) { return r.json(); })
    .then(function (a) { if (a.next) location.assign(a.next); else document.getElementById('dialog-error').textContent = a.error; });
});`;

/**
 * Registers the create dialog, the edit screen, the board and the issue view's inline edit; answers the renderer
 * of the field's block on the issue view (`./inline-field.ts`).
 */
export function registerFieldPages(app: FastifyInstance, deps: FieldPageDeps): (issue: FieldIssue, mode: ColorMode) => Promise<string> {
  const { cfg } = deps;
  const field = (ctx: Record<string, string>, mode: ColorMode) => deps.frameFor('jira:customField', 48, { entryPoint: 'edit', ...ctx }, mode);
  // The edit resource only where `edit.experience` lists the experience; else Jira's own editor for a text field.
  const editor = (experience: string, f: Frame) =>
    deps.framing?.editExperiences.includes(experience) ? frame(f) : `<input name="fieldValue" aria-label="Partner sync" data-testid="field-default-edit">`;

  app.get<{ Params: { projectKey: string } }>('/create/:projectKey', async (req, reply) => {
    const mode = deps.pageMode(req);
    const project = await siteRequest(cfg.local, 'GET', `/rest/api/3/project/${encodeURIComponent(req.params.projectKey)}`);
    if (project.status !== 200) return reply.code(404).type('text/html').send(layout('No such project', mode, `<main><h1>Project ${esc(req.params.projectKey)} does not exist</h1></main>`));
    const p = project.body;
    const types = (p.issueTypes as any[]).filter((t) => !t.subtask).map((t) => `<option value="${esc(t.id)}">${esc(t.name)}</option>`).join('');
    const f = await partnerSyncField(cfg.local);
    const ctx = { projectKey: p.key, projectId: String(p.id), renderContext: 'issue-create', fieldId: f?.id ?? '', fieldType: f?.custom ?? '', location: `${cfg.local.publicUrl}/create/${p.key}` };
    const body = `<main>${CSS}<div class="dialog" role="dialog" aria-labelledby="dialog-title">
<h1 id="dialog-title">Create issue</h1>
<form id="dialog-form" data-action="/__sandbox/ui/create/${esc(p.key)}">
<div class="row"><label>Project</label><input value="${esc(p.name)} (${esc(p.key)})" readonly></div>
<div class="row"><label for="issuetype">Issue type</label><select id="issuetype" name="issueTypeId">${types}</select></div>
<div class="row"><label for="summary">Summary</label><input id="summary" name="summary" data-testid="create-summary"></div>
<div class="row"><label>Partner sync</label>${editor('issue-create', field(ctx, mode))}</div>
<p id="dialog-error" class="err" role="alert"></p>
<div class="actions"><button type="submit" class="primary" data-testid="create-submit">Create</button></div>
</form></div></main><script>${DIALOG_SCRIPT}</script>`;
    return reply.type('text/html; charset=utf-8').send(layout(`Create issue · ${p.key}`, mode, body, deps.consent));
  });

  app.post<{ Params: { projectKey: string }; Body: Record<string, unknown> }>('/__sandbox/ui/create/:projectKey', async (req) => {
    const b = req.body ?? {};
    const fieldId = await partnerSyncFieldId(cfg.local);
    // What the frame submitted goes to Jira as it is (an empty or unsubmitted field is left out).
    const value = b.fieldValue === null || b.fieldValue === undefined || b.fieldValue === '' ? undefined : b.fieldValue;
    const fields: Record<string, unknown> = { project: { key: req.params.projectKey }, issuetype: { id: String(b.issueTypeId ?? '') }, summary: String(b.summary ?? '') };
    if (fieldId && value !== undefined) fields[fieldId] = value;
    const r = await siteRequest(cfg.local, 'POST', '/rest/api/3/issue', { fields });
    if (r.status !== 201) return { error: jiraWords(r.body) };
    return { key: r.body.key, next: `/board/${encodeURIComponent(req.params.projectKey)}?created=${encodeURIComponent(r.body.key)}` };
  });

  app.get<{ Params: { issueKey: string } }>('/edit/:issueKey', async (req, reply) => {
    const mode = deps.pageMode(req);
    const f = await partnerSyncField(cfg.local);
    const fieldId = f?.id ?? null;
    const r = await siteRequest(cfg.local, 'GET', `/rest/api/3/issue/${encodeURIComponent(req.params.issueKey)}?fields=summary,project${fieldId ? `,${fieldId}` : ''}`);
    if (r.status !== 200) return reply.code(404).type('text/html').send(layout('No such issue', mode, `<main><h1>Issue ${esc(req.params.issueKey)} does not exist</h1></main>`));
    const i = r.body;
    const value = fieldId ? (i.fields[fieldId] ?? '') : '';
    const ctx = { issueKey: i.key, issueId: String(i.id), projectKey: i.fields.project.key, projectId: String(i.fields.project.id), renderContext: 'issue-view', fieldId: fieldId ?? '', fieldType: f?.custom ?? '', fieldValue: String(value), location: `${cfg.local.publicUrl}/browse/${i.key}` };
    const body = `<main>${CSS}<div class="dialog" role="dialog" aria-labelledby="dialog-title">
<h1 id="dialog-title">Edit ${esc(i.key)}: ${esc(i.fields.summary)}</h1>
<form id="dialog-form" data-action="/__sandbox/ui/edit/${esc(i.key)}" data-close-to="/browse/${esc(i.key)}">
<div class="row"><label>Partner sync</label>${editor('issue-view', field(ctx, mode))}</div>
<p id="dialog-error" class="err" role="alert"></p>
<div class="actions"><button type="submit" class="primary" data-testid="edit-submit">Save</button></div>
</form></div></main><script>${DIALOG_SCRIPT}</script>`;
    return reply.type('text/html; charset=utf-8').send(layout(`Edit ${i.key}`, mode, body, deps.consent));
  });

  app.post<{ Params: { issueKey: string }; Body: Record<string, unknown> }>('/__sandbox/ui/edit/:issueKey', async (req) => {
    const b = req.body ?? {};
    const fieldId = await partnerSyncFieldId(cfg.local);
    if (fieldId && b.submitted === true) {
      const r = await siteRequest(cfg.local, 'PUT', `/rest/api/3/issue/${encodeURIComponent(req.params.issueKey)}`, { fields: { [fieldId]: b.fieldValue === undefined || b.fieldValue === '' ? null : b.fieldValue } });
      if (r.status !== 204) return { error: jiraWords(r.body) };
    }
    return { next: `/browse/${encodeURIComponent(req.params.issueKey)}` };
  });

  registerBoard(app, deps);
  return registerInlineField(app, deps);
}
