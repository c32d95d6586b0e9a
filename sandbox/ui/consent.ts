/**
 * The consent screen the sandbox's Jira pages show in place of an app frame whose resolver needs the user's
 * permission, as Jira does for Forge apps: an `asUser()` call by a user who has not allowed the app access makes
 * `@forge/api` throw `NeedsAuthenticationError`; when the resolver lets it reach Forge, the product shows
 * "<app> needs your permission" with the app's scopes and an "Allow access" button instead of the app, and loads the
 * app again once the user allowed it (see sandbox/forge/consent.ts for the platform side).
 *
 * How it flows here: the bridge shim's `invoke` goes through {@link GATEWAY_INVOKE_PATH} (below), sees
 * `consentRequired` and tells the host page (`forge-sandbox:consent-required`); the host page hides that iframe and
 * shows a copy of the `<template>` from {@link consentTemplate}; "Allow access" posts
 * `POST /__sandbox/consent {accountId, consented: true}` for the frame's user, then reloads every frame that was
 * waiting for it. "Not now" leaves a one-line notice with the button, as the app cannot show without access.
 * @see https://developer.atlassian.com/platform/forge/apis-reference/fetch-api-product.requestgraph/ (asUser: "If
 *   the user initiating the request has not granted permission to the app …")
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/scopes/
 */
import type { FastifyInstance } from 'fastify';
import { esc } from './pages';

/**
 * Where the bridge shim sends resolver calls. Jira's frames do not call the Forge host themselves: the product page
 * relays `invoke` to Atlassian's GraphQL gateway, which answers HTTP 200 with any failure (consent needed included)
 * in the body. This route does the same in front of the host's `POST /bridge/invoke`: always 200
 * `{result} | {error: {message, code?, consentRequired?}, status}`, so a refused call is data for the shim, not
 * a failed network load the browser logs as an error.
 */
export const GATEWAY_INVOKE_PATH = '/gateway/invoke';

/** Registers {@link GATEWAY_INVOKE_PATH} on `app` (the Forge host's server, which answers `/bridge/invoke`). */
export function registerGateway(app: FastifyInstance): void {
  app.post(GATEWAY_INVOKE_PATH, async (req, reply) => {
    const res = await app.inject({ method: 'POST', url: '/bridge/invoke', payload: (req.body ?? {}) as object });
    let body: unknown;
    try {
      body = res.json();
    } catch {
      body = { error: { message: `The Forge host answered HTTP ${res.statusCode} without JSON` } };
    }
    return reply.send({ ...(body as object), status: res.statusCode });
  });
}

/**
 * What the scopes ask for, in the words of Atlassian's scope reference (Jira classic scopes, Forge scopes); an
 * unknown scope is listed by its id.
 * @see https://developer.atlassian.com/cloud/jira/platform/scopes-for-oauth-2-3LO-and-forge-apps/
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/scopes-forge/
 */
const SCOPE_WORDS: Record<string, string> = {
  'read:jira-work': 'Read Jira project and issue data, search for issues, and objects associated with issues like attachments and worklogs',
  'write:jira-work': 'Create and edit issues in Jira, post comments as the user, create worklogs, and delete issues',
  'read:jira-user': 'View user information in Jira that the user has access to, including usernames, email addresses, and avatars',
  'manage:jira-project': 'Create and edit project settings and create new project-level objects',
  'manage:jira-configuration': 'Take Jira administration actions',
  'storage:app': 'Store and read data for this app',
};

/** The app as its consent screen names it: `name` (the modules' title), `scopes` (manifest.yml `permissions.scopes`). */
export interface ConsentInfo {
  name: string;
  scopes: string[];
}

/** Reads {@link ConsentInfo} from a parsed manifest.yml. */
export function consentInfo(manifest: any): ConsentInfo {
  const titles = Object.values<any[]>(manifest?.modules ?? {}).flat().map((m) => m?.title).filter((t): t is string => typeof t === 'string');
  const scopes = (manifest?.permissions?.scopes ?? []).filter((s: unknown): s is string => typeof s === 'string');
  return { name: titles[0] ?? 'This app', scopes };
}

/** CSS of the consent screen, in Atlaskit's token colours (the host page's light/dark variables fall back). */
export const CONSENT_CSS = `
.consent{border:1px solid var(--ds-border,var(--border));border-radius:8px;padding:20px 24px;background:var(--ds-surface-raised,var(--surface));box-shadow:var(--ds-shadow-raised,0 1px 1px #091e4240,0 0 1px #091e424f)}
.consent h4{margin:0 0 4px;font-size:16px;line-height:20px;color:var(--ds-text,var(--text))}.consent p{margin:0 0 12px;color:var(--ds-text-subtle,var(--subtle))}
.consent ul{margin:0 0 16px;padding-left:20px}.consent li{margin:4px 0}.consent code{font-size:12px;color:var(--ds-text-subtlest,var(--subtle))}
.consent .actions{display:flex;flex-wrap:wrap;gap:8px}.consent button{white-space:nowrap;font:inherit;font-weight:500;height:32px;padding:0 12px;border-radius:3px;border:0;cursor:pointer}
.consent .allow{background:var(--ds-background-brand-bold,#0c66e4);color:var(--ds-text-inverse,#fff)}.consent .allow:disabled{opacity:.6;cursor:progress}
.consent .later{background:var(--ds-background-neutral-subtle,transparent);color:var(--ds-text-subtle,var(--subtle))}
.consent .fail{color:var(--ds-text-danger,#c9372c);margin:12px 0 0}.consent.small{padding:10px 12px;box-shadow:none}.consent.small h4{font-size:14px}.consent.small p{margin:0 0 8px}
[data-color-mode=dark] .consent{--surface:#282e33;--ds-shadow-raised:0 0 0 1px #bcd6f00a,0 1px 1px #03040442,0 0 1px #03040480}
[data-color-mode=dark] .consent .allow{background:#579dff;color:#1d2125}
`;

/**
 * The `<template>` the host page copies over an app frame that needs consent: `accountId` is who the page acts as.
 * Elements: `[data-testid=consent-screen]`, its `.allow` and `.later` buttons, `.fail` for a failed grant.
 */
export function consentTemplate(info: ConsentInfo, accountId: string): string {
  const scopes = info.scopes.map((s) => `<li>${esc(SCOPE_WORDS[s] ?? s)} <code>${esc(s)}</code></li>`).join('');
  return `<template id="forge-consent" data-account-id="${esc(accountId)}"><div class="consent" data-testid="consent-screen" role="region" aria-label="${esc(info.name)} needs your permission">
<h4>${esc(info.name)} needs your permission to access your data</h4>
<p>Allow ${esc(info.name)} to act on your behalf on local.atlassian.net. It will be able to:</p>
<ul>${scopes}</ul>
<div class="actions"><button type="button" class="allow">Allow access</button><button type="button" class="later">Not now</button></div>
<p class="fail" role="alert" hidden></p></div></template>`;
}

/**
 * Host-page script: swaps a frame that reported `forge-sandbox:consent-required` for the consent screen and runs
 * its buttons. Relies on `frames()` of the host page's script.
 */
export const CONSENT_SCRIPT = `
var waiting = [];
function askConsent(f) {
  if (waiting.indexOf(f) >= 0) return;
  waiting.push(f);
  var t = document.getElementById('forge-consent');
  var screen = t.content.firstElementChild.cloneNode(true);
  f.style.display = 'none';
  f.parentNode.insertBefore(screen, f.nextSibling);
  f.consentScreen = screen;
  // A narrow frame (the glance, the issue context) gets the short form; the full list is on the panel's screen.
  if (screen.getBoundingClientRect().width < 420) {
    screen.classList.add('small');
    screen.querySelector('ul').hidden = true;
    screen.querySelector('p').textContent = 'Allow access to use it here.';
  }
  var allow = screen.querySelector('.allow');
  allow.addEventListener('click', function () {
    allow.disabled = true;
    fetch('/__sandbox/consent', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accountId: t.dataset.accountId, consented: true })
    }).then(function (res) {
      if (res.status !== 204) throw new Error('the grant was not saved (HTTP ' + res.status + ')');
      waiting.splice(0).forEach(function (w) { w.consentScreen.remove(); w.style.display = ''; w.src = w.src; });
    }).catch(function (err) {
      allow.disabled = false;
      var fail = screen.querySelector('.fail');
      fail.textContent = 'Access could not be allowed: ' + err.message + '. Try again.';
      fail.hidden = false;
    });
  });
  screen.querySelector('.later').addEventListener('click', function () {
    screen.classList.add('small');
    screen.querySelector('ul').hidden = true;
    screen.querySelector('.later').hidden = true;
    screen.querySelector('p').textContent = 'This app cannot show until you allow it access to your data.';
  });
}`;
