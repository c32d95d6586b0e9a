/**
 * `JiraSite` over a `Transport`: the REST paths, the retry policy and the translation of Jira's answers into
 * `SyncError`s with words an admin can act on. Used for both sides, so both behave the same.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/
 */
import { SyncError } from '../model/errors';
import type { AdfDoc, TransitionOption } from '../model/types';
import { attachmentCalls } from './attachments'; // attachments
import type { RawRequest } from './site'; // attachments
import type { JiraCreateMetaField, JiraField, JiraUser, JiraComment, JiraIssue, JiraSite, JiraStatus, JiraWebhook, RetryPolicy, Transport, TransportResponse } from './site';
import type { JiraWorklog } from './site'; // worklogs

const enc = encodeURIComponent;

/** Response statuses worth retrying. */
function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 500 || status === 504;
}
const IDEMPOTENT = new Set(['GET', 'PUT', 'DELETE']);

/** Jira's error body: `{errorMessages: string[], errors: {field: message}}`. */
function jiraErrorText(text: string): string {
  try {
    const body = JSON.parse(text) as { errorMessages?: string[]; errors?: Record<string, string> };
    const parts = [...(body.errorMessages ?? []), ...Object.entries(body.errors ?? {}).map(([f, m]) => `${f}: ${m}`)];
    if (parts.length) return parts.join('; ');
  } catch {
    /* not JSON: fall through */
  }
  return text.slice(0, 300);
}

/**
 * Creates the JiraSite for a transport.
 * @param policy when and how often to retry (the app passes `HTTP_RETRY` from `src/sync/retry.ts`)
 * @param sleep injectable wait (ms) so the retry loop can be driven by a fake clock in unit tests
 */
export function createJiraSite(
  transport: Transport,
  policy: RetryPolicy,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): JiraSite {
  const who = transport.label;

  /** Sends with retries; returns the parsed JSON (or null for 204). Throws SyncError. */
  async function call<T>(method: string, path: string, body?: unknown, opts: { allow404?: boolean; raw?: RawRequest } = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let res: TransportResponse;
      try {
        res = await (opts.raw ? transport.sendRaw(method, path, opts.raw) : transport.send(method, path, body));
      } catch (cause) {
        const reason = cause instanceof Error ? cause.message : String(cause);
        // A POST may have reached Jira before the connection broke: never repeat it blindly here.
        if (attempt < policy.attempts && IDEMPOTENT.has(method)) {
          await sleep(policy.delayMs(attempt, undefined));
          continue;
        }
        throw new SyncError('partner-unreachable', `Could not reach the ${who}: ${reason}. Check the site URL and that the site is up; the sync will retry.`, { retryable: true, cause });
      }
      if (opts.raw && res.status < 400) return res as T; // attachments: bytes or a redirect, read by the caller
      if (res.status < 300) {
        const text = res.status === 204 ? '' : await res.text();
        return (text ? JSON.parse(text) : null) as T;
      }
      const text = await res.text();
      if (isRetryableStatus(res.status)) {
        const wait = policy.delayMs(attempt, res.headers);
        if (attempt < policy.attempts && wait <= policy.maxWaitMs && (IDEMPOTENT.has(method) || res.status === 429)) {
          await sleep(wait);
          continue;
        }
        const code = res.status === 429 ? 'rate-limited' : 'jira-unavailable';
        throw new SyncError(code, `The ${who} answered ${res.status} to ${method} ${shown(path)}: ${jiraErrorText(text)}. The sync will retry.`, { retryable: true, retryAfterMs: wait });
      }
      if (res.status === 404 && opts.allow404) return null as T;
      throw statusError(res.status, method, shown(path), jiraErrorText(text));
    }
  }

  /**
   * A path as error words name it: without its query (`?fields=…` can list 40 field ids, which buried the cause in the
   * sync log and notifications); the method and resource are what a reader acts on.
   */
  function shown(path: string): string {
    return path.replace(/\?.*$/, '');
  }

  function statusError(status: number, method: string, path: string, detail: string): SyncError {
    // Forge answers a call whose OAuth scope the app's manifest lacks with 401 "Unauthorized; scope does not match"
    // (https://developer.atlassian.com/platform/forge/manifest-reference/permissions/#scopes): the fix is a deploy,
    // not new credentials.
    if (status === 401 && /scope does not match/i.test(detail)) {
      return new SyncError('forbidden', `The app may not call ${method} ${path} on the ${who}: its manifest lacks the scope this call needs (401: ${detail}). Deploy a version whose manifest.yml requests it (forge deploy), then upgrade the installation (forge install --upgrade).`);
    }
    if (status === 401) {
      return new SyncError('partner-auth', `The ${who} rejected the credentials (401 Unauthorized: ${detail}). Check the email and API token in Project settings → Task sync, then use Test connection.`);
    }
    if (status === 403) {
      return new SyncError('forbidden', `The ${who} refused ${method} ${path} (403 Forbidden: ${detail}). The account needs Browse, Create, Edit and Transition permissions in the project.`);
    }
    if (status === 404) {
      return new SyncError('not-found', `The ${who} has no such item for ${method} ${path} (404: ${detail}). It may have been deleted or moved.`);
    }
    return new SyncError('jira-rejected', `The ${who} rejected ${method} ${path} (${status}: ${detail}).`);
  }

  return {
    side: transport.side,
    label: who,
    myself: () => call('GET', '/rest/api/3/myself'),
    getProject: (key) => call('GET', `/rest/api/3/project/${enc(key)}`),
    async getProjectStatuses(key) {
      const types = await call<Array<{ statuses: Array<{ id: string; name: string; statusCategory?: { key: string } }> }>>('GET', `/rest/api/3/project/${enc(key)}/statuses`);
      const seen = new Map<string, JiraStatus>();
      for (const t of types) for (const s of t.statuses) if (!seen.has(s.id)) seen.set(s.id, { id: s.id, name: s.name, category: s.statusCategory?.key ?? 'undefined' });
      return [...seen.values()];
    },
    getPriorities: () => call('GET', '/rest/api/3/priority'),
    getIssue: (idOrKey, fields) => call<JiraIssue>('GET', `/rest/api/3/issue/${enc(idOrKey)}?fields=${fields.map(enc).join(',')}`),
    createIssue: (body) => call('POST', '/rest/api/3/issue', body),
    async editIssue(idOrKey, fields) {
      await call('PUT', `/rest/api/3/issue/${enc(idOrKey)}?notifyUsers=false`, { fields });
    },
    async getTransitions(idOrKey) {
      const res = await call<{ transitions: TransitionOption[] }>('GET', `/rest/api/3/issue/${enc(idOrKey)}/transitions`);
      return res.transitions;
    },
    async doTransition(idOrKey, transitionId) {
      await call('POST', `/rest/api/3/issue/${enc(idOrKey)}/transitions`, { transition: { id: transitionId } });
    },
    async getComments(idOrKey) {
      const all: JiraComment[] = [];
      for (let startAt = 0; ; ) {
        const page = await call<{ comments: JiraComment[]; total: number; maxResults: number }>('GET', `/rest/api/3/issue/${enc(idOrKey)}/comment?startAt=${startAt}&maxResults=100&orderBy=created`);
        all.push(...page.comments);
        startAt += page.comments.length;
        if (page.comments.length === 0 || startAt >= page.total) return all;
      }
    },
    async addComment(idOrKey, body: AdfDoc, visibility) {
      const created = await call<{ id: string }>('POST', `/rest/api/3/issue/${enc(idOrKey)}/comment`, visibility ? { body, visibility } : { body });
      return created.id;
    },
    async updateComment(idOrKey, commentId, body, visibility) {
      await call('PUT', `/rest/api/3/issue/${enc(idOrKey)}/comment/${enc(commentId)}?notifyUsers=false`, visibility === undefined ? { body } : { body, visibility });
    },
    async deleteComment(idOrKey, commentId) {
      await call('DELETE', `/rest/api/3/issue/${enc(idOrKey)}/comment/${enc(commentId)}`, undefined, { allow404: true });
    },
    async getIssueProperty(idOrKey, key) {
      const res = await call<{ value?: unknown } | null>('GET', `/rest/api/3/issue/${enc(idOrKey)}/properties/${enc(key)}`, undefined, { allow404: true });
      return res?.value;
    },
    async setIssueProperty(idOrKey, key, value) {
      await call('PUT', `/rest/api/3/issue/${enc(idOrKey)}/properties/${enc(key)}`, value);
    },
    async setAppFieldValue(fieldId, issueId, value) {
      await call('PUT', `/rest/api/3/app/field/${enc(fieldId)}/value?generateChangelog=false`, { updates: [{ issueIds: [Number(issueId)], value }] });
    },
    async searchJql(jql, fields, nextPageToken) {
      const res = await call<{ issues: JiraIssue[]; nextPageToken?: string }>('POST', '/rest/api/3/search/jql', { jql, fields, maxResults: 100, ...(nextPageToken ? { nextPageToken } : {}) });
      return { issues: res.issues ?? [], nextPageToken: res.nextPageToken ?? undefined };
    },
    getFields: () => call<JiraField[]>('GET', '/rest/api/3/field'),
    async getCreateMetaIssueTypes(projectKey) {
      const out: Array<{ id: string; name: string; subtask: boolean }> = [];
      for (let startAt = 0; ; ) {
        const page = await call<{ issueTypes?: typeof out; createMetaIssueType?: typeof out; total?: number }>('GET', `/rest/api/3/issue/createmeta/${enc(projectKey)}/issuetypes?startAt=${startAt}&maxResults=50`);
        const types = page.issueTypes ?? page.createMetaIssueType ?? [];
        out.push(...types.map((t) => ({ id: String(t.id), name: t.name, subtask: Boolean(t.subtask) })));
        startAt += types.length;
        if (!types.length || startAt >= (page.total ?? startAt)) return out;
      }
    },
    async getCreateMetaFields(projectKey, issueTypeId) {
      const out: JiraCreateMetaField[] = [];
      for (let startAt = 0; ; ) {
        const page = await call<{ results?: JiraCreateMetaField[]; fields?: JiraCreateMetaField[]; total?: number }>('GET', `/rest/api/3/issue/createmeta/${enc(projectKey)}/issuetypes/${enc(issueTypeId)}?startAt=${startAt}&maxResults=200`);
        const fields = page.results ?? page.fields ?? [];
        out.push(...fields);
        startAt += fields.length;
        if (!fields.length || startAt >= (page.total ?? startAt)) return out;
      }
    },
    async getComponents(projectKey) {
      return (await call<Array<{ name: string }>>('GET', `/rest/api/3/project/${enc(projectKey)}/components`)).map((c) => c.name);
    },
    async getVersions(projectKey) {
      return (await call<Array<{ name: string }>>('GET', `/rest/api/3/project/${enc(projectKey)}/versions`)).map((v) => v.name);
    },
    async getUsers() {
      const out: JiraUser[] = [];
      for (let startAt = 0; ; ) {
        const page = await call<JiraUser[]>('GET', `/rest/api/3/users/search?startAt=${startAt}&maxResults=1000`);
        out.push(...page);
        startAt += page.length;
        if (!page.length) return out;
      }
    },
    getChangelogPage: (idOrKey, startAt, maxResults) => call('GET', `/rest/api/3/issue/${enc(idOrKey)}/changelog?startAt=${startAt}&maxResults=${maxResults}`),
    async getUserName(accountId) {
      const user = await call<{ displayName?: string } | null>('GET', `/rest/api/3/user?accountId=${enc(accountId)}`, undefined, { allow404: true });
      return user?.displayName ?? undefined;
    },
    async listWebhooks() {
      const hooks = await call<Array<{ self?: string; url: string; id?: string | number }>>('GET', '/rest/webhooks/1.0/webhook');
      return hooks.map((h) => ({ id: String(h.id ?? h.self?.split('/').pop() ?? ''), url: h.url }));
    },
    async registerWebhook(hook): Promise<JiraWebhook> {
      const res = await call<{ self?: string; id?: string | number; url: string }>('POST', '/rest/webhooks/1.0/webhook', {
        name: hook.name,
        url: hook.url,
        events: hook.events,
        filters: { 'issue-related-events-section': hook.jqlFilter },
        excludeBody: false,
        secret: hook.secret,
      });
      return { id: String(res.id ?? res.self?.split('/').pop() ?? ''), url: res.url };
    },
    async deleteWebhook(id) {
      await call('DELETE', `/rest/webhooks/1.0/webhook/${enc(id)}`, undefined, { allow404: true });
    },
    // worklogs
    async getWorklogs(idOrKey) {
      const all: JiraWorklog[] = [];
      for (let startAt = 0; ; ) {
        const page = await call<{ worklogs: JiraWorklog[]; total: number }>('GET', `/rest/api/3/issue/${enc(idOrKey)}/worklog?startAt=${startAt}&maxResults=5000`);
        all.push(...page.worklogs);
        startAt += page.worklogs.length;
        if (page.worklogs.length === 0 || startAt >= page.total) return all;
      }
    },
    async addWorklog(idOrKey, worklog, estimate) {
      const created = await call<{ id: string }>('POST', `/rest/api/3/issue/${enc(idOrKey)}/worklog?adjustEstimate=${estimate}&notifyUsers=false`, worklog);
      return String(created.id);
    },
    async updateWorklog(idOrKey, worklogId, worklog, estimate) {
      await call('PUT', `/rest/api/3/issue/${enc(idOrKey)}/worklog/${enc(worklogId)}?adjustEstimate=${estimate}&notifyUsers=false`, worklog);
    },
    async deleteWorklog(idOrKey, worklogId, estimate) {
      await call('DELETE', `/rest/api/3/issue/${enc(idOrKey)}/worklog/${enc(worklogId)}?adjustEstimate=${estimate}&notifyUsers=false`, undefined, { allow404: true });
    },
    ...attachmentCalls(call, who), // attachments
    // hierarchy: issue links
    async getIssueLinkTypes() {
      return (await call<{ issueLinkTypes: Array<{ id: string; name: string; inward: string; outward: string }> }>('GET', '/rest/api/3/issueLinkType')).issueLinkTypes;
    },
    async createIssueLink(typeId, sourceIssueId, destinationIssueId) {
      await call('POST', '/rest/api/3/issueLink', { type: { id: typeId }, outwardIssue: { id: sourceIssueId }, inwardIssue: { id: destinationIssueId } });
    },
    async deleteIssueLink(linkId) {
      await call('DELETE', `/rest/api/3/issueLink/${enc(linkId)}`, undefined, { allow404: true });
    },
  };
}
