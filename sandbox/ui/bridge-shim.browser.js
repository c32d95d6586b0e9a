/*
 * Sandbox stand-in for the Custom UI bridge that Jira gives every Forge iframe: defines
 * `window.__bridge.callBridge(name, payload)`, which `@forge/bridge` reads when its modules load. Served by
 * sandbox/ui as `/sandbox-bridge.js`, prefixed with `window.__forgeSandbox = {context, appId, invokeUrl, issueKey,
 * projectKey, sites, themes, themeCssPath}` and injected into each resource's index.html before the app script.
 * Plain browser JS, no build step. It talks to the host page only by postMessage, as Forge's frames are
 * cross-origin to Jira and their CSP sandbox has no top navigation.
 *
 * Names (from node_modules/@forge/bridge/out):
 *   invoke        {functionKey, payload, metadata?} → POST invokeUrl (the UI host's gateway, always HTTP 200 with the
 *                 outcome in the body); answers the resolver's return value, rejects with its error; when the
 *                 resolver needs the user's consent, also asks the host page to show the consent screen
 *   getContext    → the module's Forge context (built by the UI host from the iframe's query)
 *   navigate      {url | target…, type: 'new-tab' | 'same-tab'} → opens the URL (same tab: the host page navigates),
 *                 *.atlassian.net mapped to loopback
 *   getUrl        {target…} → the mapped URL as a string
 *   reload        → the host page reloads
 *   enableTheming → `view.theme.enable()`: applies the context's theme to this document (Atlaskit's `data-theme` and
 *                 `data-color-mode` on <html>, its theme CSS as stylesheets) and re-applies it whenever the host
 *                 page's theme switch changes it; `getContext().theme` follows too
 *   emit / on     {event, payload} / {event, callback} → BroadcastChannel between this app's iframes
 *   resize        {height?} → asks the host page to size this iframe; content size is also reported on change
 *   emitReadyEvent, changeWindowTitle, onClose → accepted, nothing to do here
 *   submit        value → a custom field's edit view sets the field value: posted to the host page
 *                 (`forge-sandbox:submit`), which saves it with the issue and answers (`forge-sandbox:submit-result`);
 *                 false (not submittable) outside a custom field's edit entry point
 *   close         a custom field's inline editor leaves editing (`forge-sandbox:close`); false elsewhere
 * Anything else rejects with a message naming the call, so a missing emulation is obvious.
 */
(function () {
  'use strict';
  var cfg = window.__forgeSandbox;
  var ctx = cfg.context;

  function toLoopback(url) {
    var abs = new URL(url, ctx.siteUrl).href;
    // health: Jira's own pages of the local site (/jira/…: project settings and admin pages of apps) are the UI
    // host's pages, which also serve this frame.
    if (abs.indexOf(ctx.siteUrl + '/jira/') === 0) return window.location.origin + abs.slice(ctx.siteUrl.length);
    for (var i = 0; i < cfg.sites.length; i++) {
      var pub = cfg.sites[i][0];
      if (abs === pub || abs.indexOf(pub + '/') === 0) return cfg.sites[i][1] + abs.slice(pub.length);
    }
    return abs;
  }

  function urlOf(location) {
    if (location.url) return location.url;
    if (location.target === 'issue' && location.issueKey) return ctx.siteUrl + '/browse/' + location.issueKey;
    if (location.target === 'projectSettingsDetails' && location.projectKey) {
      return ctx.siteUrl + '/plugins/servlet/project-config/' + location.projectKey + '/summary';
    }
    throw new Error('Sandbox bridge cannot build a URL for target "' + location.target + '"');
  }

  function invoke(p) {
    var body = {
      moduleKey: ctx.moduleKey,
      functionKey: p.functionKey,
      payload: p.payload || {},
      context: { accountId: ctx.accountId, issueKey: cfg.issueKey, projectKey: cfg.projectKey },
    };
    return fetch(cfg.invokeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(function (res) {
      return res.text().then(function (text) {
        var json;
        try {
          json = JSON.parse(text);
        } catch (e) {
          throw new Error('Resolver call ' + p.functionKey + ' failed: HTTP ' + res.status + ' ' + text.slice(0, 200));
        }
        if (json && json.error && json.error.consentRequired) {
          // Forge gives the module no result and the product shows its consent screen instead of the app.
          toHost({ type: 'forge-sandbox:consent-required', functionKey: p.functionKey });
        }
        if (json && json.error) throw new Error(json.error.message || 'Resolver call ' + p.functionKey + ' failed');
        if (!res.ok) throw new Error('Resolver call ' + p.functionKey + ' failed: HTTP ' + res.status);
        return p.metadata ? { body: json.result, metadata: {} } : json.result;
      });
    });
  }

  function reportSize(height) {
    var h = height || Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (window.parent !== window) window.parent.postMessage({ type: 'forge-sandbox:resize', height: h }, '*');
  }
  if (window.ResizeObserver) {
    new ResizeObserver(function () { reportSize(); }).observe(document.documentElement);
  }

  var channel = window.BroadcastChannel ? new BroadcastChannel('forge-sandbox-events:' + cfg.appId) : null;
  var listeners = [];
  if (channel) {
    channel.onmessage = function (m) {
      listeners.forEach(function (l) { if (l.event === m.data.event) l.callback(m.data.payload); });
    };
  }

  // Theming: off until the app asks (view.theme.enable()), as in Forge; the host page announces every switch.
  var themingEnabled = false;
  function applyTheme() {
    var mode = ctx.theme && ctx.theme.colorMode === 'dark' ? 'dark' : 'light';
    var theme = cfg.themes[mode];
    var root = document.documentElement;
    Object.keys(theme.attrs).forEach(function (name) { root.setAttribute(name, theme.attrs[name]); });
    return Promise.all(theme.themeIds.map(function (id) {
      var existing = document.head.querySelector('link[data-sandbox-theme="' + id + '"]');
      if (existing) return existing.__loaded;
      var link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = cfg.themeCssPath + '/' + id + '.css';
      link.setAttribute('data-sandbox-theme', id);
      link.__loaded = new Promise(function (resolve) { link.onload = link.onerror = function () { resolve(); }; });
      document.head.appendChild(link);
      return link.__loaded;
    })).then(function () {});
  }
  window.addEventListener('message', function (e) {
    if (e.source !== window.parent || !e.data || e.data.type !== 'forge-sandbox:theme') return;
    ctx.theme = cfg.themes[e.data.colorMode === 'dark' ? 'dark' : 'light'].state;
    if (themingEnabled) applyTheme();
  });

  function toHost(message) {
    if (window.parent !== window) window.parent.postMessage(message, '*');
  }

  // field area: request/answer with the host page (submit), matched by id.
  function isFieldEdit() {
    return ctx.extension && ctx.extension.type === 'jira:customField' && ctx.extension.entryPoint === 'edit';
  }
  var asked = {}, askedCount = 0;
  window.addEventListener('message', function (e) {
    if (e.source !== window.parent || !e.data || e.data.type !== 'forge-sandbox:submit-result' || !asked[e.data.id]) return;
    var pending = asked[e.data.id];
    delete asked[e.data.id];
    if (e.data.error) pending.reject(new Error(e.data.error));
    else pending.resolve(true);
  });
  function askHost(message) {
    if (window.parent === window) return Promise.reject(new Error('No host page to submit to'));
    var id = 'submit-' + (++askedCount);
    return new Promise(function (resolve, reject) {
      asked[id] = { resolve: resolve, reject: reject };
      window.parent.postMessage(Object.assign({ id: id }, message), '*');
    });
  }

  var handlers = {
    invoke: invoke,
    getContext: function () { return JSON.parse(JSON.stringify(ctx)); },
    navigate: function (p) {
      var url = toLoopback(urlOf(p));
      if (p.type === 'same-tab') toHost({ type: 'forge-sandbox:navigate', url: url });
      else window.open(url, '_blank', 'noopener');
    },
    getUrl: function (p) { return toLoopback(urlOf(p)); },
    reload: function () { toHost({ type: 'forge-sandbox:reload' }); },
    emit: function (p) {
      if (channel) channel.postMessage({ event: p.event, payload: p.payload });
    },
    on: function (p) {
      var l = { event: p.event, callback: p.callback };
      listeners.push(l);
      return { unsubscribe: function () { listeners = listeners.filter(function (x) { return x !== l; }); } };
    },
    resize: function (p) { reportSize(p && p.height ? parseInt(p.height, 10) : 0); },
    enableTheming: function () {
      themingEnabled = true;
      return applyTheme();
    },
    emitReadyEvent: function () {},
    changeWindowTitle: function () {},
    onClose: function () {},
    // field area: view.submit(value) of a custom field's edit view. The host page saves the value (issue view) or
    // keeps it for the issue it creates (dialogs) and answers; a refusal rejects with Jira's words, as the bridge
    // "throws an error if the submission fails". Anywhere else Forge answers false ("not submittable").
    submit: function (value) {
      if (!isFieldEdit()) return false;
      return askHost({ type: 'forge-sandbox:submit', value: value === undefined ? null : value });
    },
    // view.close() of a custom field's inline editor: leave editing without a change (other views: not closable).
    close: function () {
      if (!isFieldEdit()) return false;
      toHost({ type: 'forge-sandbox:close' });
      return true;
    },
  };

  window.__bridge = {
    callBridge: function (name, payload) {
      var h = handlers[name];
      if (!h) return Promise.reject(new Error('The sandbox bridge does not emulate "' + name + '" yet'));
      try {
        return Promise.resolve(h(payload));
      } catch (e) {
        return Promise.reject(e);
      }
    },
  };
})();
