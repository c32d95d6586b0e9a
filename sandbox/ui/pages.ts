/**
 * HTML of the sandbox's Jira-like host pages: an issue view (glance in the right column, panel under the
 * description) and a project settings page, each framing the app's Custom UI iframes the way Jira does. Just
 * enough chrome to see the app in context, in light or dark.
 */
import type { IssueSummary } from './jira';
import { CONSENT_CSS, CONSENT_SCRIPT } from './consent';
import { THEME_COOKIE, type ColorMode } from './theme';

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
header strong{font-size:16px}header .site{color:var(--subtle)}header .theme{margin-left:auto;font:inherit;color:var(--link);background:none;border:0;cursor:pointer}
main{padding:20px 32px;max-width:1280px}.crumbs{color:var(--subtle);margin-bottom:8px}
h1{font-size:24px;line-height:28px;margin:0 0 20px}.cols{display:grid;grid-template-columns:minmax(0,1fr) 360px;gap:32px}
h2{font-size:14px;margin:24px 0 8px}.desc p{margin:0 0 8px;white-space:pre-wrap}.muted{color:var(--subtle)}
.status{display:inline-block;padding:4px 10px;border-radius:4px;font-weight:600;background:var(--sunken);border:1px solid var(--border);margin-bottom:16px}
.status.done{color:#22a06b}.status.indeterminate{color:#0c66e4}
.box{border:1px solid var(--border);border-radius:6px}.box h3{margin:0;padding:10px 12px;font-size:14px;border-bottom:1px solid var(--border)}
dl{display:grid;grid-template-columns:110px 1fr;gap:10px 12px;margin:0;padding:12px}dt{color:var(--subtle)}dd{margin:0}
iframe{display:block;width:100%;border:0;background:transparent}.panel{border:1px solid var(--border);border-radius:6px;padding:8px 12px}
.panel-title{font-weight:600;margin-bottom:6px}
.context{margin-top:16px}.context summary{padding:10px 12px;font-weight:600;cursor:pointer}.context-body{padding:0 12px 10px}
`;

/*
 * What the host page does for its frames, as Jira's page does for Forge iframes:
 * - shows the consent screen over a frame whose resolver needs the user's permission (see ./consent.ts);
 * - sizes each iframe to what its bridge reports (content height), never below the frame's minimum;
 * - navigates or reloads the page when a frame asks (Forge's CSP sandbox gives frames no top navigation);
 * - the theme switch: keeps the choice in a cookie (so it lasts across pages; a `?theme=` link sets it too) and
 *   tells every frame, whose bridge re-applies the theme if the app enabled theming.
 */
const HOST_SCRIPT = `
var frames = function () { return Array.prototype.slice.call(document.querySelectorAll('iframe[data-forge]')); };
addEventListener('message', function (e) {
  if (!e.data || !frames().some(function (f) { return f.contentWindow === e.source; })) return;
  if (e.data.type === 'forge-sandbox:resize') {
    frames().forEach(function (f) {
      if (f.contentWindow === e.source) f.style.height = Math.max(Number(f.dataset.minHeight), e.data.height) + 'px';
    });
  }
  if (e.data.type === 'forge-sandbox:navigate') location.assign(e.data.url);
  if (e.data.type === 'forge-sandbox:reload') location.reload();
  if (e.data.type === 'forge-sandbox:consent-required') {
    frames().forEach(function (f) { if (f.contentWindow === e.source) askConsent(f); });
  }
});
function keepTheme(mode) {
  document.cookie = '${THEME_COOKIE}=' + mode + '; path=/; max-age=31536000; samesite=lax';
}
if (/[?&]theme=(light|dark)/.test(location.search)) keepTheme(document.documentElement.dataset.colorMode);
document.querySelector('[data-testid=theme-switch]').addEventListener('click', function () {
  var next = document.documentElement.dataset.colorMode === 'dark' ? 'light' : 'dark';
  keepTheme(next);
  document.documentElement.dataset.colorMode = next;
  this.textContent = 'Switch to ' + (next === 'dark' ? 'light' : 'dark');
  if (location.search) history.replaceState(null, '', location.pathname);
  frames().forEach(function (f) { f.contentWindow.postMessage({ type: 'forge-sandbox:theme', colorMode: next }, '*'); });
});`;

/** The sandbox's favicon (the app's sync mark), so no page logs a 404 for it. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0c66e4"/><path fill="#fff" d="M8 3.5a4.5 4.5 0 0 1 3.7 2H10a.6.6 0 0 0 0 1.2h3a.6.6 0 0 0 .6-.6v-3a.6.6 0 0 0-1.2 0v1.3A5.7 5.7 0 0 0 2.3 8a.6.6 0 0 0 1.2 0A4.5 4.5 0 0 1 8 3.5Zm5.1 3.9a.6.6 0 0 0-.6.6 4.5 4.5 0 0 1-8.2 2.5H6a.6.6 0 0 0 0-1.2H3a.6.6 0 0 0-.6.6v3a.6.6 0 0 0 1.2 0v-1.3A5.7 5.7 0 0 0 13.7 8a.6.6 0 0 0-.6-.6Z"/></svg>`;

/** An app iframe, sized by its bridge (see HOST_SCRIPT). */
export function frame(f: Frame): string {
  return `<iframe data-forge src="${esc(f.src)}" title="${esc(f.title)}" data-min-height="${f.minHeight}" style="height:${f.minHeight}px"></iframe>`;
}

/** A whole host page: header with the theme switch, `body`, the consent screen and the host script. */
export function layout(title: string, colorMode: ColorMode, body: string, consent = ''): string {
  const other = colorMode === 'dark' ? 'light' : 'dark';
  return `<!doctype html><html lang="en" data-color-mode="${colorMode}"><head><meta charset="utf-8"><title>${esc(title)}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml"><style>${CSS}${consent && CONSENT_CSS}</style></head><body>
<header><strong>Jira</strong><span class="site">local.atlassian.net · sandbox</span>
<button type="button" class="theme" data-testid="theme-switch">Switch to ${other}</button></header>
${body}${consent}<script>${HOST_SCRIPT}${consent && CONSENT_SCRIPT}</script></body></html>`;
}

/**
 * The issue view: summary, description, the app's panel below it, status and details with the glance. `consent` is
 * the consent screen's template (./consent.ts `consentTemplate`).
 */
export function issuePage(o: { issue: IssueSummary; colorMode: ColorMode; glance: Frame; context: Frame & { label: string }; panel: Frame; consent: string; field?: string }): string {
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
      ${o.field ? `<dt>Partner sync field</dt><dd data-testid="issue-field-partner-sync">${o.field}</dd>` : ''}
    </dl></div>
    <details class="box context" open><summary>${esc(o.context.label)}</summary><div class="context-body">${frame(o.context)}</div></details>
  </aside>
</div></main>`;
  return layout(`[${i.key}] ${i.summary}`, o.colorMode, body, o.consent);
}

/** Project settings → Task sync, framing the settings page; `consent` as for {@link issuePage}. */
export function projectSettingsPage(o: { project: { key: string; name: string }; colorMode: ColorMode; settings: Frame; consent: string }): string {
  const body = `<main>
<div class="crumbs">Projects / ${esc(o.project.name || o.project.key)} / Project settings / Task sync</div>
${frame(o.settings)}</main>`;
  return layout(`Task sync · ${o.project.key} settings`, o.colorMode, body, o.consent);
}

/**
 * health: Jira settings → Apps → the app's admin page (`jira:adminPage`), framing it as Jira does: no project or
 * issue in its context. `consent` as for {@link issuePage}.
 */
export function adminPage(o: { colorMode: ColorMode; admin: Frame; title: string; consent: string }): string {
  const body = `<main>
<div class="crumbs">Jira settings / Apps / ${esc(o.title)}</div>
${frame(o.admin)}</main>`;
  return layout(`${o.title} · Jira settings`, o.colorMode, body, o.consent);
}

/** A plain error page (issue or project not found, emulator down) with the reason in words. */
export function errorPage(title: string, message: string, colorMode: ColorMode): string {
  return layout(title, colorMode, `<main><h1>${esc(title)}</h1><p>${esc(message)}</p></main>`);
}
