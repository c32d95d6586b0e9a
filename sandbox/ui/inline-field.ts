/**
 * field area: the "Partner sync" field on the sandbox's issue view, inline as Jira's issue view shows a Forge
 * custom field (rules in `./field-frames.ts`):
 * - its view resource is framed in the issue's details (`entryPoint: view`, `renderContext`/`experience`
 *   `issue-view`), or, when `view.experience` lacks `issue-view`, the plain value as Jira's built-in field;
 * - **Edit** (the field's edit button; Enter or Space on it) replaces the view, in place, with the edit resource
 *   (`entryPoint: edit`), loaded only then; it is offered only when `edit.experience` has `issue-view`;
 * - the frame's `view.submit(value)` saves the value with the issue — `PUT /rest/api/3/issue/{key}` as the page's
 *   user, so Jira's own checks apply (a `string` field takes text or null; the emulator stores it as a single-line
 *   text and applies that field's 255-character limit, which the module's page does not state) — and answers
 *   the frame: resolved when saved, rejected with Jira's words when refused (the editor then stays open, nothing
 *   changed). Saved, the editor closes and the view shows the new value;
 * - `view.close()` from the frame, or Escape on the page, leaves editing without a change.
 * - `POST /__sandbox/ui/field/:issueKey` `{value}` is the save, answering `{value}` or `{error}`.
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-custom-field/
 */
import type { FastifyInstance } from 'fastify';
import { formatFieldValue } from './field-frames';
import { jiraWords, partnerSyncField, siteRequest, type FieldPageDeps } from './field-rest';
import { esc, frame } from './pages';
import type { ColorMode } from './theme';

/** The issue the field is shown on. */
export interface FieldIssue {
  id: string;
  key: string;
  project: { id: string; key: string };
}

const CSS = `<style>
.inline-field{display:flex;align-items:flex-start;gap:8px;min-height:28px}.inline-field iframe{flex:1;min-width:24px}
.inline-field__value{flex:1}.inline-field__edit{font:inherit;color:var(--link);background:none;border:1px solid var(--border);border-radius:4px;padding:0 8px;cursor:pointer}
.inline-field__edit:focus-visible{outline:2px solid #388bff;outline-offset:1px}.inline-field__editor{flex:1}.inline-field[hidden]{display:none}.inline-field-box .err{color:#ae2e24;margin:4px 0 0}
[data-color-mode=dark] .inline-field-box .err{color:#fd9891}.inline-field-box .err:empty{display:none}
</style>`;

/*
 * The page's side of inline editing. The edit frame exists only while editing; its submit and close messages are
 * answered only when they come from it.
 */
const SCRIPT = `
(function () {
  var box = document.querySelector('[data-inline-field]');
  if (!box) return;
  var read = box.querySelector('[data-part=read]'), editor = box.querySelector('[data-part=editor]');
  var button = box.querySelector('[data-testid=field-edit-button]'), error = box.querySelector('[data-testid=field-error]');
  var template = box.querySelector('template');
  function editFrame() { return editor.querySelector('iframe'); }
  function start() {
    if (!template || read.hidden) return;
    error.textContent = '';
    editor.appendChild(template.content.cloneNode(true));
    read.hidden = true;
    editor.hidden = false;
    box.dataset.editing = 'true';
  }
  function stop(saved) {
    editor.innerHTML = '';
    editor.hidden = true;
    read.hidden = false;
    delete box.dataset.editing;
    if (saved) {
      var view = read.querySelector('iframe');
      if (view) {
        var url = new URL(view.getAttribute('src'), location.href);
        if (saved.value === null || saved.value === '') url.searchParams.delete('fieldValue'); else url.searchParams.set('fieldValue', String(saved.value));
        view.setAttribute('src', url.pathname + url.search);
      } else {
        read.querySelector('[data-part=value]').textContent = saved.text;
      }
    }
    button.focus();
  }
  if (button) button.addEventListener('click', start);
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape' && box.dataset.editing) stop(); });
  addEventListener('message', function (e) {
    var f = editFrame();
    if (!f || e.source !== f.contentWindow || !e.data) return;
    if (e.data.type === 'forge-sandbox:close') stop();
    if (e.data.type !== 'forge-sandbox:submit') return;
    var id = e.data.id;
    fetch(box.dataset.action, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ value: e.data.value }) })
      .then(function (r) { return r.json(); })
      .catch(function (err) { return { error: 'The value was not saved: ' + err.message }; })
      .then(function (a) {
        f.contentWindow.postMessage({ type: 'forge-sandbox:submit-result', id: id, error: a.error || null }, '*');
        if (a.error) error.textContent = a.error; else stop(a);
      });
  });
})();`;

/**
 * Registers the save route and answers a function that renders the field's inline block for the issue view
 * (`''` when the app's field is not on the site).
 */
export function registerInlineField(app: FastifyInstance, deps: FieldPageDeps): (issue: FieldIssue, mode: ColorMode) => Promise<string> {
  const { cfg, framing } = deps;

  app.post<{ Params: { issueKey: string }; Body: { value?: unknown } }>('/__sandbox/ui/field/:issueKey', async (req) => {
    const field = await partnerSyncField(cfg.local);
    if (!field || !framing) return { error: 'The Partner sync field is not installed on this site.' };
    // Whatever the frame submitted goes to Jira as it is: Jira, not the page, decides what the field takes.
    const value = req.body?.value === undefined ? null : req.body.value;
    const r = await siteRequest(cfg.local, 'PUT', `/rest/api/3/issue/${encodeURIComponent(req.params.issueKey)}`, { fields: { [field.id]: value } });
    if (r.status !== 204) return { error: `The Partner sync field was not saved: ${jiraWords(r.body)}` };
    return { value, text: formatFieldValue(framing, value) };
  });

  return async (issue, mode) => {
    const field = await partnerSyncField(cfg.local);
    if (!field || !framing) return '';
    const r = await siteRequest(cfg.local, 'GET', `/rest/api/3/issue/${encodeURIComponent(issue.key)}?fields=${field.id}`);
    const value = r.status === 200 ? (r.body.fields?.[field.id] ?? null) : null;
    const ctx = {
      issueKey: issue.key, issueId: issue.id, projectKey: issue.project.key, projectId: issue.project.id,
      renderContext: 'issue-view', fieldId: field.id, fieldType: field.custom, location: `${cfg.local.publicUrl}/browse/${issue.key}`,
    };
    const withValue = value === null ? ctx : { ...ctx, fieldValue: String(value) };
    const read = framing.viewExperiences.includes('issue-view')
      ? frame(deps.frameFor('jira:customField', 28, { entryPoint: 'view', ...withValue }, mode))
      : `<span class="inline-field__value" data-part="value" data-testid="field-default-view">${esc(formatFieldValue(framing, value)) || 'None'}</span>`;
    const editable = framing.editExperiences.includes('issue-view');
    const edit = editable ? `<template>${frame(deps.frameFor('jira:customField', 96, { entryPoint: 'edit', ...withValue }, mode))}</template>` : '';
    const button = editable ? '<button type="button" class="inline-field__edit" aria-label="Edit Partner sync" data-testid="field-edit-button">Edit</button>' : '';
    return `${CSS}<div class="inline-field-box" data-inline-field data-action="/__sandbox/ui/field/${esc(issue.key)}">
<div class="inline-field" data-part="read">${read}${button}</div>
<div class="inline-field inline-field__editor" data-part="editor" hidden></div>${edit}
<p class="err" role="alert" data-testid="field-error"></p></div><script>${SCRIPT}</script>`;
  };
}
