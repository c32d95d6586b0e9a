/**
 * field area: a board/backlog page with cards, as Jira's card layout shows an added field. Boards do not render a
 * Forge field's Custom UI ("Some views don't support custom edit rendering, including: boards"; rich rendering
 * only on the issue view and create): a card shows the field's `view.formatter.expression` result as text
 * ("⇄ PARTNER-12"), and nothing for an empty value.
 * - `GET /board/:projectKey` — the project's latest 12 issues (`project = KEY ORDER BY created DESC`), newest first,
 *   `?created=KEY` highlights a card just created in the dialog.
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-custom-field/
 */
import type { FastifyInstance } from 'fastify';
import { partnerSyncFieldId, siteRequest, type FieldPageDeps } from './field-rest';
import { formatFieldValue } from './field-frames';
import { esc, layout } from './pages';

/** Cards shown on the board. */
export const BOARD_CARDS = 12;

const CSS = `<style>
.board{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:12px}
.card{border:1px solid var(--border);border-radius:6px;padding:10px 12px;background:var(--surface);box-shadow:0 1px 1px #091e4240}
.card.new{outline:2px solid #0c66e4}.card .sum{margin:0 0 8px}.card .meta{display:flex;align-items:center;gap:8px;color:var(--subtle)}
.card .field{margin-left:auto;padding:0 6px;border-radius:3px;background:var(--sunken);border:1px solid var(--border);font-size:12px}
</style>`;

/** Registers `GET /board/:projectKey`. */
export function registerBoard(app: FastifyInstance, deps: FieldPageDeps): void {
  const { cfg } = deps;
  app.get<{ Params: { projectKey: string }; Querystring: { created?: string } }>('/board/:projectKey', async (req, reply) => {
    const mode = deps.pageMode(req);
    const key = req.params.projectKey;
    const fieldId = await partnerSyncFieldId(cfg.local);
    const r = await siteRequest(cfg.local, 'POST', '/rest/api/3/search/jql', { jql: `project = "${key.replace(/"/g, '')}" ORDER BY created DESC`, maxResults: BOARD_CARDS, fields: ['summary', 'status', 'project', ...(fieldId ? [fieldId] : [])] });
    if (r.status !== 200) return reply.code(404).type('text/html').send(layout('No such board', mode, `<main><h1>No board for ${esc(key)}</h1></main>`));
    const cards = (r.body.issues as any[]).map((i) => {
      const value = fieldId ? (i.fields[fieldId] ?? '') : '';
      // Boards do not run Custom UI: a card shows the field's formatter result (see ./field-frames.ts).
      const text = deps.framing ? formatFieldValue(deps.framing, value) : '';
      const field = text ? `<span class="field" data-testid="card-field-${esc(i.key)}" title="Partner sync: ${esc(text)}">${esc(text)}</span>` : '';
      return `<article class="card${req.query.created === i.key ? ' new' : ''}" data-testid="card-${esc(i.key)}">
<p class="sum">${esc(i.fields.summary)}</p><div class="meta"><a href="/browse/${esc(i.key)}">${esc(i.key)}</a><span>${esc(i.fields.status?.name ?? '')}</span>${field}</div></article>`;
    });
    const body = `<main>${CSS}<div class="crumbs">Projects / ${esc(key)} / Backlog</div><h1>${esc(key)} backlog</h1>
<p><a href="/create/${esc(key)}" data-testid="create-link">Create issue</a></p><section class="board">${cards.join('')}</section></main>`;
    return reply.type('text/html; charset=utf-8').send(layout(`${key} backlog`, mode, body, deps.consent));
  });
}
