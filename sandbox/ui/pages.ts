/**
 * HTML of the sandbox's Jira-like host pages: an issue view (glance in the right column, panel under the
 * description) and a project settings page, each framing the app's Custom UI iframes the way Jira does. Just
 * enough chrome to see the app in context, in light or dark.
 */
import type { IssueSummary } from './jira';

/** One Custom UI iframe: its src (with the module's context as query), a title and a minimum height in px. */
export interface Frame {
  src: string;
  title: string;
  minHeight: number;
}

/** Escapes text for HTML content and attribute values. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const CSS = `
:root{--bg:#fff;--surface:#fff;--sunken:#f7f8f9;--text:#172b4d;--subtle:#44546f;--border:#dcdfe4;--link:#0c66e4;--top:#fff}
[data-color-mode=dark]{color-scheme:dark;--bg:#1f1f21;--surface:#1f1f21;--sunken:#18191a;--text:#cecfd2;--subtle:#a9abaf;--border:#3d3f43;--link:#669df1;--top:#242528}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--text);font:14px/20px -apple-system,'Segoe UI',Roboto,sans-serif}
a{color:var(--link);text-decoration:none}header{display:flex;gap:12px;align-items:center;height:56px;padding:0 20px;background:var(--top);border-bottom:1px solid var(--border)}
header strong{font-size:16px}header .site{color:var(--subtle)}header .theme{margin-left:auto}
main{padding:20px 32px;max-width:1280px}.crumbs{color:var(--subtle);margin-bottom:8px}
h1{font-size:24px;line-height:28px;margin:0 0 20px}.cols{display:grid;grid-template-columns:minmax(0,1fr) 360px;gap:32px}
h2{font-size:14px;margin:24px 0 8px}.desc p{margin:0 0 8px;white-space:pre-wrap}.muted{color:var(--subtle)}
.status{display:inline-block;padding:4px 10px;border-radius:4px;font-weight:600;background:var(--sunken);border:1px solid var(--border);margin-bottom:16px}
.status.done{color:#22a06b}.status.indeterminate{color:#0c66e4}
.box{border:1px solid var(--border);border-radius:6px}.box h3{margin:0;padding:10px 12px;font-size:14px;border-bottom:1px solid var(--border)}
dl{display:grid;grid-template-columns:110px 1fr;gap:10px 12px;margin:0;padding:12px}dt{color:var(--subtle)}dd{margin:0}
iframe{display:block;width:100%;border:0;background:transparent}.panel{border:1px solid var(--border);border-radius:6px;padding:8px 12px}
.panel-title{font-weight:600;margin-bottom:6px}
`;

// Sizes each iframe to what its shim reports (content height), never below the frame's minimum.
const RESIZE_SCRIPT = `
addEventListener('message', function (e) {
  if (!e.data || e.data.type !== 'forge-sandbox:resize') return;
  document.querySelectorAll('iframe[data-forge]').forEach(function (f) {
    if (f.contentWindow === e.source) f.style.height = Math.max(Number(f.dataset.minHeight), e.data.height) + 'px';
  });
});`;

function frame(f: Frame): string {
  return `<iframe data-forge src="${esc(f.src)}" title="${esc(f.title)}" data-min-height="${f.minHeight}" style="height:${f.minHeight}px"></iframe>`;
}

function layout(title: string, colorMode: 'light' | 'dark', themeToggleHref: string, body: string): string {
  const other = colorMode === 'dark' ? 'light' : 'dark';
  return `<!doctype html><html lang="en" data-color-mode="${colorMode}"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>${CSS}</style></head><body>
<header><strong>Jira</strong><span class="site">local.atlassian.net · sandbox</span>
<a class="theme" href="${esc(themeToggleHref)}">Switch to ${other}</a></header>
${body}<script>${RESIZE_SCRIPT}</script></body></html>`;
}

/** The issue view: summary, description, the app's panel below it, status and details with the glance. */
export function issuePage(o: { issue: IssueSummary; colorMode: 'light' | 'dark'; themeToggleHref: string; glance: Frame; panel: Frame }): string {
  const i = o.issue;
  const desc = i.description.length ? i.description.map((p) => `<p>${esc(p)}</p>`).join('') : '<p class="muted">No description</p>';
  const body = `<main>
<div class="crumbs">Projects / ${esc(i.project.name || i.project.key)} / <a href="/browse/${esc(i.key)}" data-testid="issue-key">${esc(i.key)}</a></div>
<h1 data-testid="issue-summary">${esc(i.summary)}</h1>
<div class="cols">
  <section>
    <h2>Description</h2><div class="desc">${desc}</div>
    <h2>Apps</h2>
    <div class="panel"><div class="panel-title">Task sync</div>${frame(o.panel)}</div>
  </section>
  <aside>
    <span class="status ${esc(i.statusCategory)}" data-testid="issue-status">${esc(i.status)}</span>
    <div class="box"><h3>Details</h3><dl>
      <dt>Assignee</dt><dd>${esc(i.assignee ?? 'Unassigned')}</dd>
      <dt>Reporter</dt><dd>${esc(i.reporter ?? '—')}</dd>
      <dt>Priority</dt><dd>${esc(i.priority ?? '—')}</dd>
      <dt>Type</dt><dd>${esc(i.issueType)}</dd>
      <dt>Partner sync</dt><dd>${frame(o.glance)}</dd>
    </dl></div>
  </aside>
</div></main>`;
  return layout(`[${i.key}] ${i.summary}`, o.colorMode, o.themeToggleHref, body);
}

/** Project settings → Task sync, framing the settings page. */
export function projectSettingsPage(o: { project: { key: string; name: string }; colorMode: 'light' | 'dark'; themeToggleHref: string; settings: Frame }): string {
  const body = `<main>
<div class="crumbs">Projects / ${esc(o.project.name || o.project.key)} / Project settings / Task sync</div>
${frame(o.settings)}</main>`;
  return layout(`Task sync · ${o.project.key} settings`, o.colorMode, o.themeToggleHref, body);
}

/** A plain error page (issue or project not found, emulator down) with the reason in words. */
export function errorPage(title: string, message: string, colorMode: 'light' | 'dark'): string {
  return layout(title, colorMode, '?', `<main><h1>${esc(title)}</h1><p>${esc(message)}</p></main>`);
}
