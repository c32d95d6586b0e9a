/**
 * The JiraSite port: the Jira Cloud REST v3 calls the sync needs, for either side. The engine depends on this
 * interface only; `client.ts` implements it over a {@link Transport} (local: Forge `asApp().requestJira`,
 * partner: `fetch` with Basic auth). No Forge imports here.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/intro/
 */
import type { AdfDoc, CommentVisibility, TransitionOption } from '../model/types';

/**
 * When a failed call is tried again (the policy itself lives in `src/sync/retry.ts`, the one home of retry timing).
 */
export interface RetryPolicy {
  /** Attempts in total, including the first. */
  attempts: number;
  /** Longest single wait slept in-process, in ms; a longer one is left to the queue. */
  maxWaitMs: number;
  /** ms to wait after failed attempt `attempt` (1-based), given the response headers when there was a response. */
  delayMs(attempt: number, headers: { get(name: string): string | null } | undefined): number;
}

/** One raw HTTP exchange with a Jira site. `path` starts with `/rest/`. */
export interface Transport {
  /** Human name for messages, e.g. `partner site https://acme.atlassian.net`. */
  readonly label: string;
  /** Which side this transport talks to. */
  readonly side: 'local' | 'partner';
  /**
   * Sends one request. Resolves with any HTTP status; rejects only when no response came (network, DNS, egress).
   * @param body JSON-serialisable body, or undefined
   */
  send(method: string, path: string, body?: unknown): Promise<TransportResponse>;
  /**
   * attachments: sends one request whose body or answer is not JSON (a multipart upload, a file download, a
   * redirect read without following it). Resolves with any HTTP status, like `send`.
   */
  sendRaw(method: string, path: string, req: RawRequest): Promise<TransportResponse>;
}

// attachments
/**
 * A request of `Transport.sendRaw`: extra headers, a binary body, and whether to follow a redirect. The body is an
 * `ArrayBuffer` because that is what Forge's `fetch` and `requestJira` take (`@forge/api` `RequestInit.body`:
 * `ArrayBuffer | string | URLSearchParams`; no `FormData`, no stream), so a multipart body is encoded before sending.
 */
export interface RawRequest {
  headers?: Record<string, string>;
  body?: ArrayBuffer;
  /** `manual` answers a 3xx as it is (its `Location` read by the caller); default `follow`. */
  redirect?: 'follow' | 'manual';
  /** How long the exchange may take, in ms (a large file takes longer than a JSON call). */
  timeoutMs?: number;
}

export interface TransportResponse {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  /** attachments: the body as bytes (file downloads; `@forge/api`'s `Response` has `arrayBuffer`, not `blob`). */
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A Jira issue as returned by `GET /rest/api/3/issue/{id}` (only what we read). */
export interface JiraIssue {
  id: string;
  key: string;
  fields: Record<string, unknown> & {
    summary?: string;
    description?: AdfDoc | null;
    status?: { id: string; name: string; statusCategory?: { key: string } };
    priority?: { id: string; name: string } | null;
    labels?: string[];
    updated?: string;
    project?: { id: string; key: string };
    issuetype?: { id: string; name: string };
    /** Present when `comment` is among the requested fields; may hold fewer than `total` comments. */
    comment?: { comments: JiraComment[]; total: number };
    /** attachments: present when `attachment` is among the requested fields. */
    attachment?: JiraAttachment[];
  };
}

// attachments
/** An attachment as the issue `attachment` field and the upload answer list it (`Attachment`). `size` in bytes. */
export interface JiraAttachment {
  id: string;
  filename: string;
  size: number;
  mimeType: string;
  created: string;
  author?: { accountId: string; displayName?: string };
}

/** A comment as returned by `GET /rest/api/3/issue/{id}/comment`. */
export interface JiraComment {
  id: string;
  author?: { accountId: string; displayName?: string };
  body: AdfDoc;
  created: string;
  updated: string;
  /** Present when the comment is restricted to a group or project role (`identifier`: group id or role name). */
  visibility?: { type: 'group' | 'role'; value: string; identifier?: string };
}

/** A status with its category, from `GET /rest/api/3/project/{key}/statuses`. */
export interface JiraStatus {
  id: string;
  name: string;
  category: string;
}

/** A field as `GET /rest/api/3/field` lists it (only what we read). */
export interface JiraField {
  id: string;
  name: string;
  custom?: boolean;
  schema?: { type: string; items?: string; system?: string; custom?: string; customId?: number };
}

/** A field of a create screen (`FieldCreateMetadata`): what can be set when creating an issue of one type. */
export interface JiraCreateMetaField {
  fieldId: string;
  name: string;
  required: boolean;
  schema?: JiraField['schema'];
  allowedValues?: Array<{ id?: string; name?: string; value?: string }>;
}

/** A user as user search answers (`emailAddress` absent when the profile hides it). */
export interface JiraUser {
  accountId: string;
  displayName: string;
  emailAddress?: string;
  active: boolean;
  accountType?: string;
}

/** One changelog history (`Changelog` of `GET /rest/api/3/issue/{id}/changelog`): who changed which fields when. */
export interface JiraHistory {
  id: string;
  author?: { accountId: string; displayName?: string };
  /** ISO-8601 with offset, e.g. `2026-12-02T06:00:00.000+0000`. */
  created: string;
  /** `fieldId` is the field's id (`summary`, `customfield_10011`); `field` its name (older entries may lack `fieldId`). */
  items: Array<{ field?: string; fieldId?: string; fieldtype?: string }>;
}

/** One page of an issue's changelog, oldest first (`PageBeanChangelog`). */
export interface JiraChangelogPage {
  startAt: number;
  maxResults: number;
  total: number;
  isLast?: boolean;
  values: JiraHistory[];
}

/** What the partner's admin webhook registration answers. */
export interface JiraWebhook {
  id: string;
  url: string;
}

/** Jira REST v3 calls used by the app. Every method throws `SyncError` on failure (see `client.ts`). */
export interface JiraSite {
  readonly side: 'local' | 'partner';
  readonly label: string;
  /** `GET /rest/api/3/myself` → `{accountId, displayName, emailAddress?}`. */
  myself(): Promise<{ accountId: string; displayName: string; emailAddress?: string }>;
  /** `GET /rest/api/3/project/{key}` → `{id, key, name, issueTypes}`. */
  getProject(key: string): Promise<{ id: string; key: string; name: string; issueTypes: Array<{ id: string; name: string; subtask?: boolean }> }>;
  /** Distinct statuses of a project over all issue types, in workflow order. */
  getProjectStatuses(key: string): Promise<JiraStatus[]>;
  /** `GET /rest/api/3/priority`, highest first. */
  getPriorities(): Promise<Array<{ id: string; name: string }>>;
  /** `GET /rest/api/3/issue/{id}?fields=…`. Throws `not-found` for a missing issue. */
  getIssue(idOrKey: string, fields: string[]): Promise<JiraIssue>;
  /**
   * `POST /rest/api/3/issue` → `{id, key}`. bulkrate: with `transition` the new issue is moved on from its start
   * status in the same call; the answer's `transition` (`NestedResponse`) says how that went (`src/sync/create-transition.ts`).
   */
  createIssue(body: { fields: Record<string, unknown>; properties?: Array<{ key: string; value: unknown }>; transition?: { id: string } }): Promise<{ id: string; key: string; transition?: { status?: number; errorCollection?: { errorMessages?: string[]; errors?: Record<string, string> } } }>;
  /** `PUT /rest/api/3/issue/{id}` with `{fields}`; 204 on success. */
  editIssue(idOrKey: string, fields: Record<string, unknown>): Promise<void>;
  /** `GET /rest/api/3/issue/{id}/transitions`. */
  getTransitions(idOrKey: string): Promise<TransitionOption[]>;
  /** `POST /rest/api/3/issue/{id}/transitions` with `{transition:{id}}`. */
  doTransition(idOrKey: string, transitionId: string): Promise<void>;
  /** All comments (every page) of an issue, oldest first. */
  getComments(idOrKey: string): Promise<JiraComment[]>;
  /** `POST /rest/api/3/issue/{id}/comment` → the new comment's id; `visibility` restricts it to a group or role. */
  addComment(idOrKey: string, body: AdfDoc, visibility?: CommentVisibility): Promise<string>;
  /** `PUT /rest/api/3/issue/{id}/comment/{commentId}`; `visibility` sets (object) or lifts (null) a restriction. */
  updateComment(idOrKey: string, commentId: string, body: AdfDoc, visibility?: CommentVisibility | null): Promise<void>;
  /** `DELETE /rest/api/3/issue/{id}/comment/{commentId}`; a comment already gone is fine. */
  deleteComment(idOrKey: string, commentId: string): Promise<void>;
  /** `GET /rest/api/3/issue/{id}/properties/{key}` → the value, or undefined when the issue has no such property. */
  getIssueProperty(idOrKey: string, key: string): Promise<unknown>;
  /** `PUT /rest/api/3/issue/{id}/properties/{key}`. */
  setIssueProperty(idOrKey: string, key: string, value: unknown): Promise<void>;
  /**
   * Sets the value of a custom field this app's manifest declares (`jira:customField`) on one issue, without a
   * screen and without a changelog entry: `PUT /rest/api/3/app/field/{fieldId}/value?generateChangelog=false` with
   * `{updates: [{issueIds: [id], value}]}` (a `string` field; null clears it). Only the owning app may call it, so
   * only the local site's `asApp()` client does. `issueId` is the numeric issue id.
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-custom-field-values--apps-/#api-rest-api-3-app-field-fieldidorkey-value-put
   */
  setAppFieldValue(fieldId: string, issueId: string, value: string | null): Promise<void>;
  /**
   * `POST /rest/api/3/search/jql`, one page. `nextPageToken` from the previous page, or undefined for the first.
   */
  searchJql(jql: string, fields: string[], nextPageToken?: string): Promise<{ issues: JiraIssue[]; nextPageToken?: string }>;
  /** `GET /rest/api/3/field`: every field of the site, system and custom. */
  getFields(): Promise<JiraField[]>;
  /** Issue types a project can create (`GET /rest/api/3/issue/createmeta/{key}/issuetypes`, every page). */
  getCreateMetaIssueTypes(projectKey: string): Promise<Array<{ id: string; name: string; subtask: boolean }>>;
  /** Fields of a project's create screen for one issue type (`…/createmeta/{key}/issuetypes/{id}`, every page). */
  getCreateMetaFields(projectKey: string, issueTypeId: string): Promise<JiraCreateMetaField[]>;
  /** `GET /rest/api/3/project/{key}/components` → names. */
  getComponents(projectKey: string): Promise<string[]>;
  /** `GET /rest/api/3/project/{key}/versions` → names. */
  getVersions(projectKey: string): Promise<string[]>;
  /**
   * Every user of the site (`GET /rest/api/3/users/search`, every page), people and apps, active or not. Jira's
   * docs point here for "all users" (assignable search needs a query). Emails only where profiles show them.
   */
  getUsers(): Promise<JiraUser[]>;
  /**
   * One page of an issue's changelog, oldest first: `GET /rest/api/3/issue/{id}/changelog?startAt=&maxResults=`
   * (`maxResults` ≤ 100). @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-changelog-get
   */
  getChangelogPage(idOrKey: string, startAt: number, maxResults: number): Promise<JiraChangelogPage>;
  /**
   * `GET /rest/api/3/user?accountId=` → the user's display name, or undefined when there is no such user (404).
   * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-users/#api-rest-api-3-user-get
   */
  getUserName(accountId: string): Promise<string | undefined>;
  /** `GET /rest/webhooks/1.0/webhook`. */
  listWebhooks(): Promise<JiraWebhook[]>;
  /** `POST /rest/webhooks/1.0/webhook`: an admin webhook with an HMAC secret. */
  registerWebhook(hook: { name: string; url: string; events: string[]; jqlFilter: string; secret: string }): Promise<JiraWebhook>;
  /** `DELETE /rest/webhooks/1.0/webhook/{id}`; already gone is fine. */
  deleteWebhook(id: string): Promise<void>;
  // worklogs: see `JiraWorklog`, `WorklogWrite`, `EstimateChoice`
  /** Every worklog of an issue (`GET …/worklog`, every page), oldest first. */
  getWorklogs(idOrKey: string): Promise<JiraWorklog[]>;
  /** `POST …/worklog?adjustEstimate=…&notifyUsers=false` → the new worklog's id. */
  addWorklog(idOrKey: string, worklog: WorklogWrite, estimate: EstimateChoice): Promise<string>;
  /** `PUT …/worklog/{id}?adjustEstimate=…&notifyUsers=false`. */
  updateWorklog(idOrKey: string, worklogId: string, worklog: WorklogWrite, estimate: EstimateChoice): Promise<void>;
  /** `DELETE …/worklog/{id}?adjustEstimate=…`; a worklog already gone is fine. */
  deleteWorklog(idOrKey: string, worklogId: string, estimate: EstimateChoice): Promise<void>;
  // attachments (implemented in `./attachments.ts`)
  /** `GET /rest/api/3/attachment/meta` → whether attachments are on and the upload limit in bytes. */
  getAttachmentSettings(): Promise<{ enabled: boolean; uploadLimit: number }>;
  /** The file's bytes (`GET /rest/api/3/attachment/content/{id}?redirect=false`). Throws `not-found` when gone. */
  downloadAttachment(id: string): Promise<ArrayBuffer>;
  /** The Media Services file UUID of an attachment (what ADF `media` nodes name), or undefined when not told. */
  attachmentMediaId(id: string): Promise<string | undefined>;
  /** Uploads one file to an issue (`POST /rest/api/3/issue/{id}/attachments`, multipart). */
  addAttachment(issueIdOrKey: string, file: { filename: string; mimeType: string; data: ArrayBuffer }): Promise<JiraAttachment>;
  /** `DELETE /rest/api/3/attachment/{id}`; already gone is fine. */
  deleteAttachment(id: string): Promise<void>;
  // hierarchy: issue links (see src/sync/issue-link-sync.ts for the directions)
  /** `GET /rest/api/3/issueLinkType` → the site's link types. */
  getIssueLinkTypes(): Promise<JiraIssueLinkType[]>;
  /**
   * `POST /rest/api/3/issueLink` `{type:{id}, outwardIssue:{id: source}, inwardIssue:{id: destination}}`: "source
   * <outward> destination" (e.g. source blocks destination). Jira answers 201 with no body, also when the same
   * link exists already (none is added then). @see https://developer.atlassian.com/cloud/jira/platform/issue-linking-model/
   */
  createIssueLink(typeId: string, sourceIssueId: string, destinationIssueId: string): Promise<void>;
  /** `DELETE /rest/api/3/issueLink/{linkId}`; a link already gone is fine. */
  deleteIssueLink(linkId: string): Promise<void>;
}

/** hierarchy: an issue link type (`IssueLinkType`): `Blocks`, inward `is blocked by`, outward `blocks`. */
export interface JiraIssueLinkType {
  id: string;
  name: string;
  inward: string;
  outward: string;
}

// worklogs
/**
 * A worklog as `GET /rest/api/3/issue/{id}/worklog` returns it (only what we read): seconds spent, `started` in
 * Jira's `2021-01-17T12:34:00.000+0000` form, an optional ADF comment.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-worklogs/
 */
export interface JiraWorklog {
  id: string;
  author?: { accountId: string; displayName?: string };
  updateAuthor?: { accountId: string; displayName?: string };
  comment?: AdfDoc;
  started: string;
  timeSpentSeconds: number;
  created: string;
  updated: string;
  /** Present when the worklog is restricted to a group or project role. */
  visibility?: { type: 'group' | 'role'; value: string };
}

/** What the app writes for a worklog: seconds, `started` (Jira's format) and the ADF comment. */
export interface WorklogWrite {
  timeSpentSeconds: number;
  started: string;
  comment: AdfDoc;
}

/**
 * How a worklog write moves the issue's remaining estimate: Jira's `adjustEstimate` (`leave`: untouched; `auto`: by
 * the time logged). The app never sends `new` or `manual`: a mirror has no estimate of its own to set.
 */
export type EstimateChoice = 'leave' | 'auto';
