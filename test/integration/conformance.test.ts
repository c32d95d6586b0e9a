/**
 * Conformance: both emulated sites driven by a client we did not write — jira.js 6, generated from Atlassian's
 * OpenAPI spec, with Basic auth and `onSchemaMismatch: 'throw'` — through every endpoint the app uses. Any response
 * jira.js finds off-schema throws; the emulator's own spec self-check must also record zero mismatches.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll as after, beforeAll as before, describe, test } from 'vitest';
import { sandboxConfig, type SiteConfig } from '../../sandbox/config';
import { startJiraEmulator, type JiraEmulator } from '../../sandbox/jira';
import { startReceiver } from '../support/http';

type Cloud = ReturnType<typeof import('jira.js').createCloudClient>;

const cfg = sandboxConfig({ basePort: 17660, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'jira-conf-')) });
const doc = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

let jira: JiraEmulator;
let hooks: Awaited<ReturnType<typeof startReceiver>>;
const clients = {} as Record<'local' | 'partner', Cloud>;

before(async () => {
  hooks = await startReceiver(cfg.basePort + 10);
  jira = await startJiraEmulator({ cfg, fresh: true, validate: true });
  const { createCloudClient } = await import('jira.js');
  for (const site of [cfg.local, cfg.partner]) {
    clients[site.name] = createCloudClient({
      host: site.url,
      auth: { type: 'basic', email: site.admin.email, apiToken: site.admin.apiToken },
      onSchemaMismatch: 'throw',
    });
  }
});
after(async () => {
  await jira?.close();
  await hooks?.close();
  fs.rmSync(cfg.dataDir, { recursive: true, force: true });
});

function siteSuite(site: SiteConfig, projectKey: string) {
  describe(`${site.name} site through jira.js`, () => {
    const c = () => clients[site.name];
    let key = '';
    let typeName = '';

    test('myself, server info, fields, priorities, statuses and the project', async () => {
      const me = await c().myself.getCurrentUser();
      assert.equal(me.accountId, site.admin.accountId);
      assert.equal((await c().serverInfo.getServerInfo()).deploymentType, 'Cloud');
      const fields = await c().issueFields.getFields();
      for (const id of ['summary', 'description', 'status', 'priority', 'labels']) assert.ok(fields.some((f) => f.id === id), id);
      const prios = await c().issuePriorities.searchPriorities();
      assert.ok(prios.values!.length >= 5);
      const statuses = await c().workflowStatuses.getStatuses();
      assert.ok(statuses.some((s) => s.statusCategory?.key === 'done'));
      const project = await c().projects.getProject({ projectIdOrKey: projectKey });
      assert.equal(project.key, projectKey);
      typeName = project.issueTypes!.find((t) => !t.subtask)!.name!;
      const perProject = await c().projects.getAllStatuses({ projectIdOrKey: projectKey });
      assert.ok(perProject[0].statuses!.length >= 3);
      const perms = await c().permissions.getMyPermissions({ projectKey, permissions: 'ADMINISTER_PROJECTS,BROWSE_PROJECTS' });
      assert.equal(perms.permissions!.ADMINISTER_PROJECTS.havePermission, true);
    });

    test('create, read, edit and read the changelog of an issue', async () => {
      const created = await c().issues.createIssue({
        fields: { project: { key: projectKey }, issuetype: { name: typeName }, summary: 'Conformance issue', description: doc('Body') as any, labels: ['conf'] },
      });
      key = created.key!;
      const got = await c().issues.getIssue({ issueIdOrKey: key, expand: 'changelog' });
      assert.equal(got.fields!.summary, 'Conformance issue');
      assert.equal((got.fields!.description as any).type, 'doc');
      await c().issues.editIssue({ issueIdOrKey: key, fields: { summary: 'Conformance issue, edited' }, update: { labels: [{ add: 'more' }] } });
      const edited = await c().issues.getIssue({ issueIdOrKey: key, fields: ['summary', 'labels', 'status', 'priority', 'assignee', 'reporter', 'updated'] });
      assert.deepEqual([edited.fields!.summary, edited.fields!.labels], ['Conformance issue, edited', ['conf', 'more']]);
      const log = await c().issues.getChangeLogs({ issueIdOrKey: key });
      assert.ok(log.values!.length >= 2);
    });

    test('project search, issue permissions and transition screen fields', async () => {
      const page = await c().projects.searchProjects({ keys: [projectKey], expand: 'lead', maxResults: 10 });
      assert.deepEqual([page.values.map((p) => p.key), page.isLast, page.total], [[projectKey], true, 1]);
      assert.equal((await c().projects.searchProjects({ query: projectKey.toLowerCase() })).values[0].key, projectKey);
      const perms = await c().permissions.getMyPermissions({ issueKey: key, permissions: 'EDIT_ISSUES,TRANSITION_ISSUES' });
      assert.equal(perms.permissions!.TRANSITION_ISSUES.havePermission, true);
      const { transitions } = await c().issues.getTransitions({ issueIdOrKey: key, expand: 'transitions.fields' });
      const screen = transitions!.find((t) => t.hasScreen)!;
      assert.ok(screen.fields!.resolution.allowedValues!.length >= 4, 'a screen offers the site resolutions');
      assert.deepEqual(transitions!.find((t) => !t.hasScreen)!.fields, {});
    });

    test('transitions: list, perform, and the status follows', async () => {
      const { transitions } = await c().issues.getTransitions({ issueIdOrKey: key });
      const done = transitions!.find((t) => t.to?.statusCategory?.key === 'done' && !t.hasScreen)!;
      assert.ok(done, 'a screenless transition to done');
      await c().issues.doTransition({ issueIdOrKey: key, transition: { id: done.id } });
      const got = await c().issues.getIssue({ issueIdOrKey: key, fields: ['status', 'resolution'] });
      assert.equal((got.fields!.status as any).statusCategory.key, 'done');
      assert.ok(got.fields!.resolution);
    });

    test('comments: add, list, read, edit, delete', async () => {
      const added = await c().issueComments.addComment({ issueIdOrKey: key, body: doc('Hello') as any });
      const list = await c().issueComments.getComments({ issueIdOrKey: key });
      assert.equal(list.total, 1);
      assert.equal((await c().issueComments.getComment({ issueIdOrKey: key, id: added.id! })).id, added.id);
      const edited = await c().issueComments.updateComment({ issueIdOrKey: key, id: added.id!, body: { body: doc('Hello again') as any } });
      assert.equal((edited.body as any).content[0].content[0].text, 'Hello again');
      await c().issueComments.deleteComment({ issueIdOrKey: key, id: added.id! });
      assert.equal((await c().issueComments.getComments({ issueIdOrKey: key })).total, 0);
    });

    test('issue properties: set, read, list, delete', async () => {
      await c().issueProperties.setIssueProperty({ issueIdOrKey: key, propertyKey: 'sync.link', body: { other: 'X-1' } });
      assert.deepEqual((await c().issueProperties.getIssueProperty({ issueIdOrKey: key, propertyKey: 'sync.link' })).value, { other: 'X-1' });
      assert.deepEqual((await c().issueProperties.getIssuePropertyKeys({ issueIdOrKey: key })).keys!.map((k) => k.key), ['sync.link']);
      await c().issueProperties.deleteIssueProperty({ issueIdOrKey: key, propertyKey: 'sync.link' });
    });

    test('search/jql with fields, maxResults and nextPageToken paging', async () => {
      for (let i = 0; i < 2; i++) await c().issues.createIssue({ fields: { project: { key: projectKey }, issuetype: { name: typeName }, summary: `Paged ${i}` } });
      const seen: string[] = [];
      let nextPageToken: string | undefined;
      do {
        const page = await c().issueSearch.searchAndReconsileIssuesUsingJqlPost({ jql: `project = ${projectKey} AND updated >= -1d ORDER BY key ASC`, fields: ['summary', 'status'], maxResults: 1, nextPageToken });
        assert.equal(page.issues!.length, 1);
        seen.push(page.issues![0].key!);
        nextPageToken = page.nextPageToken ?? undefined;
      } while (nextPageToken);
      assert.ok(seen.includes(key) && seen.length >= 3, seen.join());
      const get = await c().issueSearch.searchAndReconsileIssuesUsingJql({ jql: `key = ${key}`, fields: ['summary'] });
      assert.equal(get.issues![0].fields!.summary, 'Conformance issue, edited');
    });

    test('dynamic webhooks: register, list, deliver, refresh, delete', async () => {
      const reg = await c().webhooks.registerDynamicWebhooks({ url: `${hooks.url}/${site.name}`, webhooks: [{ events: ['jira:issue_updated'], jqlFilter: `project = ${projectKey}` }] });
      const id = reg.webhookRegistrationResult![0].createdWebhookId!;
      assert.ok(id);
      const page = await c().webhooks.getDynamicWebhooksForApp();
      assert.deepEqual(page.values!.map((w) => w.id), [id]);
      await c().issues.editIssue({ issueIdOrKey: key, fields: { summary: 'Webhook me' } });
      await jira.sites[site.name].idle();
      const got = hooks.received.filter((r) => r.path === `/${site.name}`);
      assert.equal(got.length, 1);
      assert.deepEqual(got[0].json.matchedWebhookIds, [id]);
      assert.ok(got[0].headers['x-atlassian-webhook-identifier']);
      const refreshed = await c().webhooks.refreshWebhooks({ webhookIds: [id] });
      assert.ok(refreshed.expirationDate! > Date.now());
      await c().webhooks.deleteWebhookById({ webhookIds: [id] });
      assert.equal((await c().webhooks.getDynamicWebhooksForApp()).total, 0);
    });

    test('delete the issue', async () => {
      await c().issues.deleteIssue({ issueIdOrKey: key });
      const { isNotFoundError } = await import('jira.js');
      await assert.rejects(c().issues.getIssue({ issueIdOrKey: key }), (e) => isNotFoundError(e));
    });
  });
}

siteSuite(cfg.local, 'MOD');
siteSuite(cfg.partner, 'PARTNER');

test('the emulator recorded zero spec mismatches', () => {
  assert.deepEqual(jira.specMismatches(), []);
});
