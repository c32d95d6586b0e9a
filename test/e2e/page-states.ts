/**
 * Every page of the app in every state a person can meet, as one list the gallery (`gallery.test.ts`, screenshots)
 * and the accessibility check (`a11y.test.ts`, axe) both walk: the issue view (glance, issue context, panel, the
 * Partner sync field) not linked, linked, in conflict, failing, loading and unable to read its state; the field's
 * editors (and the editor unable to read its state); the create dialog; project settings (each tab, the connection form, the field mapping, the sync log
 * with data and its detail view, no connections, loading, a resolver error); the Jira admin page.
 *
 * States come from real runs on the sandbox ({@link prepareStates}); "loading" holds the frames' resolver calls
 * (`POST /gateway/invoke`) in the browser until the screenshot is taken, and "error" is a storage outage in the Forge
 * host (`POST /__sandbox/kvs-faults`, every KVS call answers 503), which the resolvers report in words.
 */
import assert from 'node:assert/strict';
import { afterAll as after, beforeAll as before, test } from 'vitest';
import type { Browser, BrowserContext, FrameLocator, Page, Route } from 'playwright-core';
import { TestSandbox } from '../support/sandbox';
import { launchBrowser, newPage, watchOrigin } from './browser';

/** Selectors of the app's frames, as the sandbox's host pages title them. */
export const FRAMES = {
  glance: 'iframe[title*="task-sync-glance"]',
  context: 'iframe[title*="task-sync-context"]',
  panel: 'iframe[title*="task-sync-panel"]',
  field: '[data-part=read] iframe[title*="task-sync-field"]',
  fieldEditor: '[data-part=editor] iframe',
  createField: 'iframe[title*="task-sync-field"]',
  settings: 'iframe[title*="task-sync-settings"]',
  admin: 'iframe[title*="task-sync-admin"]',
} as const;

/** What a state needs while it is opened. */
export interface StateEnv {
  sb: TestSandbox;
  page: Page;
  context: BrowserContext;
  /** `''` or `?theme=dark` */
  q: string;
  /** The issue keys {@link prepareStates} made. */
  keys: PreparedKeys;
}

/** One page in one state. */
export interface PageState {
  /** `issue-view`, `settings`, … (first part of the screenshot's name) */
  page: string;
  /** `linked`, `error`, … (second part) */
  state: string;
  /** The frames this state is drawn in (keys of {@link FRAMES}); axe runs in each. */
  frames: (keyof typeof FRAMES)[];
  /**
   * Opens the state and resolves once every frame shows its content (a heading, a role or words), so a blank or
   * broken frame fails here. May return a function that undoes what it set up (faults, held requests).
   */
  open(env: StateEnv): Promise<void | (() => Promise<void>)>;
}

/** The issues {@link prepareStates} leaves in each state. */
export interface PreparedKeys {
  linked: string;
  unlinked: string;
  conflicted: string;
  failing: string;
}

/**
 * Makes the data the states show, through real runs: ALOY's connection under the `manual` conflict policy, ALOY-1
 * linked, ALOY-20 with a summary changed on both sides (a waiting conflict), ALOY-5 whose last sync the partner
 * refused (403, not retried: failed). Leaves ALOY-2 unlinked and project MOD without connections.
 */
export async function prepareStates(sb: TestSandbox): Promise<PreparedKeys> {
  const saved = await sb.saveSettings({ conflictPolicy: 'manual' });
  assert.equal(saved.ok, true, JSON.stringify(saved.error));
  await sb.linked('ALOY-1');
  const partner20 = await sb.linked('ALOY-20');
  await sb.editSummaryOnBothSides('ALOY-20', partner20, { partner: 'Partner wording of the summary', local: 'Local wording of the summary' });
  await sb.linked('ALOY-5');
  await sb.faults('partner', { errorRate: 1, errorStatus: [403] });
  try {
    const res = await sb.rest('local', 'PUT', '/rest/api/3/issue/ALOY-5', { fields: { summary: 'Refused by the partner' } });
    assert.equal(res.status, 204);
    await sb.idle();
  } finally {
    await sb.faults('partner', null);
  }
  return { linked: 'ALOY-1', unlinked: 'ALOY-2', conflicted: 'ALOY-20', failing: 'ALOY-5' };
}

const frame = (page: Page, key: keyof typeof FRAMES): FrameLocator => page.frameLocator(FRAMES[key]);
const WAIT = { timeout: 20_000 };

/**
 * Holds every resolver call the page's frames make (the bridge's `POST /gateway/invoke`) until the returned
 * function is called, so the loading state stays on screen.
 */
async function holdResolvers(context: BrowserContext): Promise<() => Promise<void>> {
  const held: Route[] = [];
  let holding = true;
  const handler = (route: Route) => (holding ? void held.push(route) : void route.continue());
  await context.route('**/gateway/invoke', handler);
  return async () => {
    holding = false;
    for (const r of held.splice(0)) await r.continue();
    await context.unroute('**/gateway/invoke', handler);
  };
}

/** A storage outage in the Forge host: every KVS call of the app fails with 503 until the returned function runs. */
async function storageOutage(sb: TestSandbox): Promise<() => Promise<void>> {
  await sb.kvsFaults({ errorRate: 1, status: 503 });
  return async () => void (await sb.kvsFaults(null));
}

/** Waits for the issue view's glance, issue context and panel words. */
async function issueView(env: StateEnv, key: string, glance: RegExp, panel: (p: FrameLocator) => Promise<unknown>): Promise<void> {
  await env.page.goto(`${env.sb.cfg.hostUrl}/browse/${key}${env.q}`);
  await panel(frame(env.page, 'panel'));
  await frame(env.page, 'glance').getByText(glance).waitFor(WAIT);
  await frame(env.page, 'context').getByText(glance).waitFor(WAIT);
}

async function settings(env: StateEnv, project = 'ALOY'): Promise<FrameLocator> {
  await env.page.goto(`${env.sb.cfg.hostUrl}/project-settings/${project}${env.q}`);
  const s = frame(env.page, 'settings');
  await s.getByRole('tab', { name: 'Settings' }).waitFor(WAIT);
  return s;
}

async function settingsTab(env: StateEnv, tab: string): Promise<FrameLocator> {
  const s = await settings(env);
  await s.getByRole('table', { name: 'Connections' }).waitFor(WAIT);
  await s.getByRole('tab', { name: tab }).click();
  return s;
}

const LABEL = 'partner.atlassian.net · PARTNER';

/** Opens issue `key` and its Partner sync field's inline editor; returns the editor's frame. */
async function fieldEditor(env: StateEnv, key: string): Promise<FrameLocator> {
  await env.page.goto(`${env.sb.cfg.hostUrl}/browse/${key}${env.q}`);
  await env.page.getByRole('button', { name: 'Edit Partner sync' }).click(WAIT);
  return frame(env.page, 'fieldEditor');
}

/** Every page and state, in the order the gallery shows them. */
export const PAGE_STATES: PageState[] = [
  {
    page: 'issue-view',
    state: 'not-linked',
    frames: ['glance', 'context', 'panel', 'field'],
    open: async (env) => {
      await issueView(env, env.keys.unlinked, /^\s*Not synced$/, (p) => p.getByText('Sync this issue with partner.atlassian.net?').waitFor(WAIT));
      await frame(env.page, 'field').getByTestId('field-empty').waitFor({ state: 'attached' });
    },
  },
  {
    page: 'issue-view',
    state: 'linked',
    frames: ['glance', 'context', 'panel', 'field'],
    open: async (env) => {
      await issueView(env, env.keys.linked, /Synced with PARTNER-\d+/, (p) => p.getByRole('link', { name: /^PARTNER-\d+$/ }).waitFor(WAIT));
      await frame(env.page, 'panel').getByRole('region', { name: 'Sync history' }).waitFor(WAIT);
      await frame(env.page, 'field').getByTestId('field-view').waitFor();
    },
  },
  {
    page: 'issue-view',
    state: 'conflict',
    frames: ['glance', 'context', 'panel'],
    open: (env) => issueView(env, env.keys.conflicted, /Conflict with PARTNER-\d+/, (p) => p.getByRole('region', { name: 'Summary', exact: true }).waitFor(WAIT)),
  },
  {
    page: 'issue-view',
    state: 'failing',
    frames: ['glance', 'context', 'panel'],
    open: (env) => issueView(env, env.keys.failing, /Sync failing: PARTNER-\d+/, (p) => p.getByRole('link', { name: /^PARTNER-\d+$/ }).waitFor(WAIT)),
  },
  {
    page: 'issue-view',
    state: 'loading',
    frames: ['glance', 'context', 'panel'],
    open: async (env) => {
      const release = await holdResolvers(env.context);
      await env.page.goto(`${env.sb.cfg.hostUrl}/browse/${env.keys.linked}${env.q}`);
      await frame(env.page, 'panel').getByRole('img', { name: 'Loading sync status' }).waitFor(WAIT);
      await frame(env.page, 'glance').getByRole('status').filter({ hasText: 'Loading…' }).waitFor(WAIT);
      return release;
    },
  },
  {
    page: 'issue-view',
    state: 'error',
    frames: ['glance', 'context', 'panel'],
    open: async (env) => {
      const restore = await storageOutage(env.sb);
      await env.page.goto(`${env.sb.cfg.hostUrl}/browse/${env.keys.linked}${env.q}`);
      await frame(env.page, 'panel').getByText(/storage|try again/i).first().waitFor(WAIT);
      await frame(env.page, 'glance').getByText('Sync status unavailable').waitFor(WAIT);
      return restore;
    },
  },
  {
    page: 'field',
    state: 'edit',
    frames: ['fieldEditor'],
    open: async (env) => {
      const editor = await fieldEditor(env, env.keys.unlinked);
      await editor.getByRole('radio', { name: 'Yes' }).check();
      await editor.getByRole('button', { name: 'Confirm sync with PARTNER' }).waitFor();
    },
  },
  {
    page: 'field',
    state: 'edit-linked',
    frames: ['fieldEditor'],
    open: async (env) => {
      const editor = await fieldEditor(env, env.keys.linked);
      await editor.getByTestId('field-linked').waitFor(WAIT);
      await editor.getByRole('radio', { name: 'No' }).check();
      await editor.getByRole('button', { name: 'Unlink' }).waitFor();
    },
  },
  {
    page: 'field',
    state: 'edit-error',
    frames: ['fieldEditor'],
    open: async (env) => {
      await env.page.goto(`${env.sb.cfg.hostUrl}/browse/${env.keys.unlinked}${env.q}`);
      await env.page.getByRole('button', { name: 'Edit Partner sync' }).waitFor(WAIT);
      const restore = await storageOutage(env.sb);
      await env.page.getByRole('button', { name: 'Edit Partner sync' }).click();
      await frame(env.page, 'fieldEditor').getByRole('alert').filter({ hasText: /storage|try again/i }).waitFor(WAIT);
      await frame(env.page, 'fieldEditor').getByRole('button', { name: 'Cancel' }).waitFor();
      return restore;
    },
  },
  {
    page: 'create-dialog',
    state: 'confirm',
    frames: ['createField'],
    open: async (env) => {
      await env.page.goto(`${env.sb.cfg.hostUrl}/create/ALOY${env.q}`);
      const field = frame(env.page, 'createField');
      await field.getByRole('radio', { name: 'No', checked: true }).waitFor(WAIT);
      await field.getByRole('radio', { name: 'Yes' }).check();
      await field.getByTestId('field-confirm-text').waitFor();
    },
  },
  {
    page: 'settings',
    state: 'connections',
    frames: ['settings'],
    open: async (env) => void (await (await settings(env)).getByRole('table', { name: 'Connections' }).waitFor(WAIT)),
  },
  {
    page: 'settings',
    state: 'no-connections',
    frames: ['settings'],
    open: async (env) => void (await (await settings(env, 'MOD')).getByText(/^No connections yet/).waitFor(WAIT)),
  },
  {
    page: 'settings',
    state: 'loading',
    frames: ['settings'],
    open: async (env) => {
      const release = await holdResolvers(env.context);
      await env.page.goto(`${env.sb.cfg.hostUrl}/project-settings/ALOY${env.q}`);
      await frame(env.page, 'settings').getByRole('img', { name: 'Loading connections' }).waitFor(WAIT);
      return release;
    },
  },
  {
    page: 'settings',
    state: 'error',
    frames: ['settings'],
    open: async (env) => {
      const restore = await storageOutage(env.sb);
      await env.page.goto(`${env.sb.cfg.hostUrl}/project-settings/ALOY${env.q}`);
      await frame(env.page, 'settings').getByText(/storage|try again/i).first().waitFor(WAIT);
      return restore;
    },
  },
  {
    page: 'settings',
    state: 'connection-form',
    frames: ['settings'],
    open: async (env) => {
      const s = await settings(env);
      await s.getByRole('button', { name: `Edit ${LABEL}` }).click(WAIT);
      await s.getByRole('button', { name: /^Save/ }).first().waitFor(WAIT);
    },
  },
  {
    page: 'settings',
    state: 'field-mapping',
    frames: ['settings'],
    open: async (env) => {
      const s = await settings(env);
      await s.getByRole('button', { name: `Field mapping of ${LABEL}` }).click(WAIT);
      await s.getByRole('table', { name: 'Fields' }).waitFor(WAIT);
    },
  },
  {
    page: 'settings',
    state: 'sync-log',
    frames: ['settings'],
    open: async (env) => {
      const s = await settingsTab(env, 'Sync log');
      await s.getByRole('table', { name: 'Sync log entries' }).locator('tbody tr').first().waitFor(WAIT);
      await s.getByRole('img', { name: /runs, .* synced/ }).waitFor(WAIT);
    },
  },
  {
    page: 'settings',
    state: 'sync-log-detail',
    frames: ['settings'],
    open: async (env) => {
      const s = await settingsTab(env, 'Sync log');
      await s.getByRole('table', { name: 'Sync log entries' }).getByRole('button', { name: /^Details of / }).first().click(WAIT);
      await s.getByRole('dialog').waitFor(WAIT);
    },
  },
  {
    page: 'settings',
    state: 'link-existing',
    frames: ['settings'],
    open: async (env) => void (await (await settingsTab(env, 'Link existing')).getByRole('tabpanel').getByRole('button').first().waitFor(WAIT)),
  },
  {
    page: 'settings',
    state: 'bulk',
    frames: ['settings'],
    open: async (env) => void (await (await settingsTab(env, 'Bulk')).getByRole('tabpanel').getByRole('button').first().waitFor(WAIT)),
  },
  {
    page: 'admin',
    state: 'connections',
    frames: ['admin'],
    open: async (env) => {
      await env.page.goto(`${env.sb.cfg.hostUrl}/admin/task-sync${env.q}`);
      const admin = frame(env.page, 'admin');
      await admin.getByRole('heading', { name: 'Task sync health' }).waitFor(WAIT);
      await admin.getByRole('table').locator('tbody tr').first().getByText('ALOY').first().waitFor(WAIT);
    },
  },
  {
    page: 'admin',
    state: 'error',
    frames: ['admin'],
    open: async (env) => {
      const restore = await storageOutage(env.sb);
      await env.page.goto(`${env.sb.cfg.hostUrl}/admin/task-sync${env.q}`);
      await frame(env.page, 'admin').getByText('Task sync health could not be read').waitFor(WAIT);
      return restore;
    },
  },
];

/** What {@link stateSuite} gives a test file: the sandbox, and once started, the browser and the prepared issues. */
export interface StateSuite {
  sb: TestSandbox;
  browser(): Browser;
  keys(): PreparedKeys;
}

/**
 * Registers, for one test file, a sandbox on `basePort` with {@link prepareStates}' data and a browser (started
 * before, stopped after), and one test per state of {@link PAGE_STATES} in light and dark: each opens the state in
 * a fresh page, runs `check`, then undoes what the state set up.
 * @param title the test's name for a state and theme
 */
export function stateSuite(basePort: number, title: (s: PageState, theme: 'light' | 'dark') => string, check: (env: StateEnv, s: PageState, theme: 'light' | 'dark') => Promise<void>): StateSuite {
  const sb = new TestSandbox(basePort);
  let browser: Browser | undefined;
  let keys: PreparedKeys | undefined;
  before(async () => {
    await sb.start();
    watchOrigin(sb.cfg.hostUrl);
    keys = await prepareStates(sb);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await sb.stop();
  });
  const suite: StateSuite = {
    sb,
    browser: () => browser ?? assert.fail('the browser is not started'),
    keys: () => keys ?? assert.fail('the states are not prepared'),
  };
  for (const theme of ['light', 'dark'] as const) {
    for (const s of PAGE_STATES) {
      test(title(s, theme), async () => {
        const { context, page } = await newPage(suite.browser(), theme);
        const env = { sb, page, context, q: theme === 'dark' ? '?theme=dark' : '', keys: suite.keys() };
        const undo = await s.open(env);
        try {
          await check(env, s, theme);
        } finally {
          if (undo) await undo();
          await context.close();
        }
      });
    }
  }
  return suite;
}
