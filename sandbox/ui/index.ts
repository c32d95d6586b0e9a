/**
 * The sandbox's UI host: Jira-like pages that frame the app's Custom UI the way Jira does, the built resources,
 * and `/sandbox-bridge.js`, the stand-in for the bridge Jira gives each iframe (see `bridge-shim.browser.js`).
 * Registered on the Forge host's fastify server, which also answers `POST /bridge/invoke`.
 *
 * Routes:
 * - `GET /browse/:issueKey` — issue view with the glance and the issue context (right column) and the panel (below
 *   the description)
 * - `GET /project-settings/:projectKey` — project settings framing the settings page
 * - `GET /admin/task-sync`, `/jira/settings/apps/:appId/:envId` — Jira settings framing the admin page; and
 *   `/jira/software/projects/:projectKey/settings/apps/:appId/:envId`, the project settings page's Jira URL (health)
 * - `GET /resources/:resource/*` — `static/<resource>/dist`, with the bridge script injected into `index.html`,
 *   every file served with Forge's Content-Security-Policy for this manifest (see `csp.ts`)
 * - `GET /sandbox-bridge.js?moduleKey=…&issueKey=…&projectKey=…&accountId=…&theme=…` — the bridge shim
 * - `GET /sandbox-theme/<theme id>.css` — Atlaskit theme CSS the bridge applies after `view.theme.enable()`
 * - `POST /gateway/invoke` — resolver calls of the frames, relayed to `/bridge/invoke` and always answered 200 with
 *   the outcome in the body, as Jira's GraphQL gateway does (see `consent.ts`); a call needing the user's consent
 *   makes the page show the consent screen ("Allow access") in place of that frame
 * - `POST /__sandbox/csp-report` — CSP violation reports (logged); `GET /favicon.svg`, `/favicon.ico`
 * The header's theme switch (or `?theme=dark`) changes the theme of the host page and every frame, and is kept
 * in a cookie across pages (see `theme.ts`).
 * @see https://developer.atlassian.com/platform/forge/custom-ui-bridge/bridge/
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { parse as parseYaml } from 'yaml';
import type { SandboxConfig } from '../config';
import { consentInfo, consentTemplate, GATEWAY_INVOKE_PATH, registerGateway } from './consent';
import { CSP_REPORT_PATH, customUiCsp } from './csp';
import { JiraReadError, readIssue, readProject } from './jira';
import { adminPage, errorPage, FAVICON_SVG, issuePage, projectSettingsPage, type Frame } from './pages';
import { registerFieldPages } from './create-dialog';
import { customFieldExtension, fieldFraming } from './field-frames'; // field area
import { colorModeOf, THEME_CSS_PATH, themeApplication, themeCss, themeState, type ColorMode } from './theme';

/**
 * Options of {@link registerUiHost}: `accountId` (default the local site admin) is who the pages act as;
 * `appDir` (default `cfg.rootDir`) is where manifest.yml and its resources are; `log` gets CSP reports.
 */
export interface UiHostOptions {
  cfg: SandboxConfig;
  accountId?: string;
  appDir?: string;
  log?: (message: string) => void;
}

interface Module {
  type: string;
  key: string;
  resource: string;
  title?: string;
  label?: string;
  /** health: jira:adminPage flags that move its page URL (configure/, get-started/). */
  useAsConfig?: boolean;
  useAsGetStarted?: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Registers the UI host's routes on `app`. Reads manifest.yml once for module keys, types and resources. */
export function registerUiHost(app: FastifyInstance, opts: UiHostOptions): void {
  const { cfg } = opts;
  const accountId = opts.accountId ?? cfg.local.admin.accountId;
  const appDir = opts.appDir ?? cfg.rootDir;
  const log = opts.log ?? ((m: string) => console.warn(m));
  const manifest = parseYaml(fs.readFileSync(path.join(appDir, 'manifest.yml'), 'utf8'));
  const modules = manifestModules(manifest);
  const resourceDirs = new Map<string, string>(
    (manifest.resources ?? []).map((r: { key: string; path: string }) => [r.key, path.join(appDir, r.path)]),
  );
  const consent = consentTemplate(consentInfo(manifest), accountId);
  registerGateway(app);
  const shim = fs.readFileSync(path.join(__dirname, 'bridge-shim.browser.js'), 'utf8');
  const pageMode = (req: { query: unknown; headers: { cookie?: string } }) => colorModeOf(req.query, req.headers.cookie);

  let fieldOnIssue: ReturnType<typeof registerFieldPages> | undefined; // field area: the issue view's inline field
  const frameFor = (type: string, minHeight: number, ctx: Record<string, string>, colorMode: string): Frame & { label: string } => {
    const mod = modules.find((m) => m.type === type);
    if (!mod) throw new Error(`manifest.yml has no ${type} module`);
    const q = new URLSearchParams({ moduleKey: mod.key, accountId, theme: colorMode, ...ctx });
    return { src: `/resources/${mod.resource}/index.html?${q}`, title: `Task sync (${mod.key})`, minHeight, label: mod.label ?? mod.title ?? mod.key };
  };

  app.get('/favicon.svg', async (_req, reply) => reply.type('image/svg+xml').header('cache-control', 'max-age=86400').send(FAVICON_SVG));
  app.get('/favicon.ico', async (_req, reply) => reply.type('image/svg+xml').header('cache-control', 'max-age=86400').send(FAVICON_SVG));

  app.get<{ Params: { file: string } }>(`${THEME_CSS_PATH}/:file`, async (req, reply) => {
    const css = req.params.file.endsWith('.css') ? await themeCss(req.params.file.slice(0, -4)) : undefined;
    if (css === undefined) return reply.code(404).type('text/plain').send(`No theme ${req.params.file}`);
    return reply.type('text/css; charset=utf-8').header('cache-control', 'max-age=3600').send(css);
  });

  // Chromium posts `application/csp-report` (report-uri); the body is JSON, logged as one line.
  app.addContentTypeParser(['application/csp-report', 'application/reports+json'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.post(CSP_REPORT_PATH, async (req, reply) => {
    const report = (() => {
      try {
        return JSON.parse(String(req.body))['csp-report'] ?? {};
      } catch {
        return {};
      }
    })();
    log(`[ui] CSP violation in ${report['document-uri'] ?? '?'}: ${report['violated-directive'] ?? '?'} blocked ${report['blocked-uri'] ?? 'inline'}`);
    return reply.code(204).send();
  });

  app.get<{ Params: { issueKey: string } }>('/browse/:issueKey', async (req, reply) => {
    const colorMode = pageMode(req);
    try {
      const issue = await readIssue(cfg.local, req.params.issueKey);
      const ctx = { issueKey: issue.key, issueId: issue.id, projectKey: issue.project.key, projectId: issue.project.id };
      const html = issuePage({
        issue,
        colorMode,
        glance: frameFor('jira:issueGlance', 80, ctx, colorMode),
        context: frameFor('jira:issueContext', 40, ctx, colorMode),
        panel: frameFor('jira:issuePanel', 32, ctx, colorMode),
        consent,
        field: await fieldOnIssue?.(issue, colorMode), // field area
      });
      return reply.type('text/html; charset=utf-8').send(html);
    } catch (err) {
      return sendError(reply, err, `Issue ${req.params.issueKey}`, colorMode);
    }
  });

  // health: the page URLs Jira builds for a project settings page and an admin page (Forge manifest reference:
  // /jira/software/projects/{projectKey}/settings/apps/{appId}/{envId} and /jira/settings/apps/{appId}/{envId}),
  // where the app's router.navigate lands; /admin/task-sync is the short way in. Another app id is a 404, as in Jira.
  const appUuid = String(manifest.app?.id ?? '').split('/').pop();
  const projectSettingsPath = (key: string) => `/project-settings/${encodeURIComponent(key)}`;
  app.get<{ Params: { projectKey: string; appId: string; envId: string } }>('/jira/software/projects/:projectKey/settings/apps/:appId/:envId', async (req, reply) => {
    if (req.params.appId !== appUuid) return reply.code(404).type('text/html; charset=utf-8').send(errorPage('Page not found', `No app ${req.params.appId} is installed on this site.`, pageMode(req)));
    return reply.redirect(projectSettingsPath(req.params.projectKey));
  });
  // Jira settings are for Jira administrators (the ADMINISTER global permission): Jira shows anyone else its
  // "no access" page and never frames the app. `?as=<accountId>` views the page as another user of the local site.
  const adminModule = modules.find((m) => m.type === 'jira:adminPage');
  const adminPath = adminModule?.useAsConfig ? 'configure/' : adminModule?.useAsGetStarted ? 'get-started/' : '';
  const serveAdmin = async (req: { query: unknown; headers: { cookie?: string } }, reply: FastifyReply) => {
    const colorMode = pageMode(req);
    const as = (req.query as { as?: unknown }).as;
    const viewer = typeof as === 'string' && as ? as : accountId;
    if (!(await isJiraAdmin(cfg, viewer))) {
      return reply.code(403).type('text/html; charset=utf-8').send(errorPage('You don’t have access to this page', 'Jira settings are only for Jira administrators (the Administer Jira global permission). Ask one of them for access.', colorMode));
    }
    const frame = frameFor('jira:adminPage', 480, { accountId: viewer }, colorMode);
    return reply.type('text/html; charset=utf-8').send(adminPage({ colorMode, admin: frame, title: frame.label, consent }));
  };
  app.get('/admin/task-sync', serveAdmin);
  // The page URL by the module's flags (Forge manifest reference, jira:adminPage): /jira/settings/apps/{appId}/{envId},
  // with useAsConfig /jira/settings/apps/configure/{appId}/{envId}, with useAsGetStarted …/get-started/….
  app.get<{ Params: { kind?: string; appId: string; envId: string } }>('/jira/settings/apps/:appId/:envId', async (req, reply) => serveAdminAt('', req, reply));
  app.get<{ Params: { kind: string; appId: string; envId: string } }>('/jira/settings/apps/:kind/:appId/:envId', async (req, reply) => serveAdminAt(`${req.params.kind}/`, req, reply));
  const serveAdminAt = async (kind: string, req: { params: { appId: string }; query: unknown; headers: { cookie?: string } }, reply: FastifyReply) => {
    if (req.params.appId !== appUuid) return reply.code(404).type('text/html; charset=utf-8').send(errorPage('Page not found', `No app ${req.params.appId} is installed on this site.`, pageMode(req)));
    if (!adminModule || kind !== adminPath) return reply.code(404).type('text/html; charset=utf-8').send(errorPage('Page not found', `The app has no Jira admin page at /jira/settings/apps/${kind}… (manifest: ${adminModule ? `jira:adminPage ${adminModule.key} is at /jira/settings/apps/${adminPath}…` : 'no jira:adminPage'}).`, pageMode(req)));
    return serveAdmin(req, reply);
  };

  app.get<{ Params: { projectKey: string } }>('/project-settings/:projectKey', async (req, reply) => {
    const colorMode = pageMode(req);
    try {
      const project = await readProject(cfg.local, req.params.projectKey);
      const ctx = { projectKey: project.key, projectId: project.id };
      const html = projectSettingsPage({
        project,
        colorMode,
        settings: frameFor('jira:projectSettingsPage', 640, ctx, colorMode),
        consent,
      });
      return reply.type('text/html; charset=utf-8').send(html);
    } catch (err) {
      return sendError(reply, err, `Project ${req.params.projectKey}`, colorMode);
    }
  });

  app.get<{ Params: { resource: string; '*': string } }>('/resources/:resource/*', async (req, reply) => {
    const dir = resourceDirs.get(req.params.resource);
    const rel = req.params['*'] || 'index.html';
    const file = dir && path.resolve(dir, rel);
    if (!dir || !file || !file.startsWith(dir + path.sep)) return reply.code(404).send('No such resource');
    if (!fs.existsSync(file)) {
      const hint = fs.existsSync(dir) ? '' : ' (not built: run `npm run build:ui`)';
      return reply.code(404).type('text/plain').send(`Resource ${req.params.resource}/${rel} not found${hint}`);
    }
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    const body = fs.readFileSync(file);
    // Forge hashes the inline scripts of the page as uploaded, before anything of its own is added.
    const csp = customUiCsp(manifest.permissions, type.startsWith('text/html') ? body : '', cfg.local.publicUrl);
    reply.type(type).header('content-security-policy', csp);
    if (rel !== 'index.html') return reply.header('cache-control', 'no-cache').send(body);
    // The shim must define window.__bridge before any app module runs: first thing in <head>, classic script.
    const query = new URL(req.url, 'http://host').search;
    const html = body.toString('utf8').replace('<head>', `<head>\n    <script src="/sandbox-bridge.js${query}"></script>`);
    return reply.header('cache-control', 'no-store').send(html);
  });

  fieldOnIssue = registerFieldPages(app, { cfg, consent, pageMode, frameFor, framing: fieldFraming(manifest) }); // field area: create dialog, edit screen, board, inline edit

  app.get('/sandbox-bridge.js', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const mod = modules.find((m) => m.key === q.moduleKey);
    if (!mod) return reply.code(400).type('text/plain').send(`Unknown moduleKey ${q.moduleKey}`);
    const init = {
      context: forgeContext(cfg, mod, q, q.accountId || accountId),
      appId: manifest.app?.id ?? 'app',
      invokeUrl: GATEWAY_INVOKE_PATH,
      issueKey: q.issueKey,
      projectKey: q.projectKey,
      sites: [cfg.local, cfg.partner].map((s) => [s.publicUrl, s.url]),
      themes: Object.fromEntries((['light', 'dark'] as const).map((m) => [m, { state: themeState(m), ...themeApplication(m) }])),
      themeCssPath: THEME_CSS_PATH,
    };
    const js = `window.__forgeSandbox = ${JSON.stringify(init)};\n${shim}`;
    return reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-store').send(js);
  });
}

/** Every module in the manifest that has a Custom UI resource, with its type (`jira:issuePanel`…). */
function manifestModules(manifest: any): Module[] {
  const out: Module[] = [];
  for (const [type, list] of Object.entries<any[]>(manifest.modules ?? {})) {
    for (const m of list ?? []) {
      // A jira:customField names its resource under view/edit (field area).
      const resource = m.resource ?? m.view?.resource ?? m.edit?.resource;
      if (resource) out.push({ type, key: m.key, resource, title: m.title ?? m.name, label: m.label ?? m.name, ...(m.useAsConfig ? { useAsConfig: true } : {}), ...(m.useAsGetStarted ? { useAsGetStarted: true } : {}) });
    }
  }
  return out;
}

/**
 * The context `view.getContext()` answers inside a module, shaped like Forge's `FullContext` for Jira:
 * issue modules get `extension.issue` and `extension.project`, the project settings page `extension.project`.
 */
function forgeContext(cfg: SandboxConfig, mod: Module, q: Record<string, string | undefined>, accountId: string) {
  const project = q.projectKey ? { id: q.projectId ?? '', key: q.projectKey, type: 'software' } : undefined;
  const issue = q.issueKey ? { id: q.issueId ?? '', key: q.issueKey, type: '', typeId: '' } : undefined;
  const colorMode: ColorMode = q.theme === 'dark' ? 'dark' : 'light';
  return {
    accountId,
    cloudId: cfg.local.cloudId,
    environmentId: 'sandbox',
    environmentType: 'DEVELOPMENT',
    localId: `sandbox/${mod.key}`,
    locale: 'en-US',
    moduleKey: mod.key,
    siteUrl: cfg.local.publicUrl,
    timezone: 'UTC',
    theme: themeState(colorMode),
    extension: { type: mod.type, ...(issue && mod.type !== 'jira:projectSettingsPage' ? { issue } : {}), ...(project ? { project } : {}), ...(mod.type === 'jira:customField' ? customFieldExtension(q) : {}) },
  };
}

function sendError(reply: FastifyReply, err: unknown, what: string, colorMode: ColorMode) {
  if (err instanceof JiraReadError) {
    const title = err.status === 404 ? `${what} does not exist` : `${what} could not be read`;
    return reply.code(err.status === 404 ? 404 : 502).type('text/html; charset=utf-8').send(errorPage(title, err.message, colorMode));
  }
  throw err;
}

/**
 * health: whether `accountId` holds the ADMINISTER global permission on the local site, asked as that user
 * (`GET /rest/api/3/mypermissions?permissions=ADMINISTER`, as Jira's own settings pages check).
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-permissions/#api-rest-api-3-mypermissions-get
 */
async function isJiraAdmin(cfg: SandboxConfig, accountId: string): Promise<boolean> {
  const res = await fetch(`${cfg.local.url}/rest/api/3/mypermissions?permissions=ADMINISTER`, { headers: { authorization: `Bearer forge-user:${accountId}`, accept: 'application/json' } }).catch(() => null);
  if (!res?.ok) return false;
  const body = (await res.json()) as { permissions?: { ADMINISTER?: { havePermission?: boolean } } };
  return body.permissions?.ADMINISTER?.havePermission === true;
}
