/**
 * Plain records the emulator keeps per site. Persisted as JSON (`${dataDir}/jira-<site>.json`), so only data here:
 * no classes, no functions. Dates are Jira's wire format (`2012-05-16T07:56:13.000+0000`).
 */

/** An ADF document (`{type:'doc', version:1, content:[…]}`), kept as parsed JSON. */
export type Adf = { type: 'doc'; version: 1; content: unknown[] };

/** A site user. Seeded users (from the dump's display-name-only Server users) have no API token: they cannot log in. */
export interface UserRec {
  accountId: string;
  displayName: string;
  emailAddress?: string;
  /** `atlassian` for people, `app` for the Forge app's bot user. */
  accountType: 'atlassian' | 'app';
  active: boolean;
  /** Basic auth secret (`email:apiToken`); absent = cannot log in with Basic auth. */
  apiToken?: string;
  /** Has ADMINISTER_PROJECTS and site administration (admin webhooks). */
  admin: boolean;
  /** Explicit project permission keys (e.g. `['BROWSE_PROJECTS']`); absent = derived from `admin`. */
  permissions?: string[];
  /** Server username in the dump (used to map `[~username]` mentions). */
  username?: string;
  /**
   * The user's profile visibility hides the email (Atlassian account → Profile and visibility → Email address):
   * REST answers and webhooks leave `emailAddress` out, except to the user themself. Absent = visible.
   */
  hideEmail?: boolean;
}

/** Jira status category key. @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-workflow-status-categories/ */
export type CategoryKey = 'new' | 'indeterminate' | 'done';

/** A workflow status of a site. */
export interface StatusDef {
  id: string;
  name: string;
  description: string;
  category: CategoryKey;
}

/**
 * A workflow transition; `from` lists the status ids it leaves from. A `global` transition leaves from every
 * status except its target. `screen` lists the field ids its transition screen shows (`hasScreen` when given);
 * fields sent with a screenless transition are refused like Jira does.
 */
export interface TransitionDef {
  id: string;
  name: string;
  from: string[];
  to: string;
  global?: boolean;
  screen?: string[];
}

/** An issue type of a site. */
export interface IssueTypeDef {
  id: string;
  name: string;
  description: string;
  subtask: boolean;
  /** hierarchy: Jira's level (-1 sub-task, 0 standard, 1 epic); absent = -1 for sub-tasks, else 0. */
  hierarchyLevel?: number;
}

/** A priority of a site (`iconName` is the file under `/images/icons/priorities/`). */
export interface PriorityDef {
  id: string;
  name: string;
  description: string;
  statusColor: string;
  iconName: string;
}

/** A component or version as stored on a project and referenced by issues. */
export interface NamedRef {
  id: string;
  name: string;
  description?: string;
  archived?: boolean;
  released?: boolean;
  releaseDate?: string;
}

/** A project. */
export interface ProjectDef {
  id: string;
  key: string;
  name: string;
  description: string;
  issueTypeIds: string[];
  components: NamedRef[];
  versions: NamedRef[];
  /**
   * Custom field ids left off the project's create/edit screens (Jira: the screen scheme does not show them);
   * absent = every custom field of the site is on them, synthetic ones included.
   */
  offScreenFields?: string[];
  /**
   * The issue type scheme's default issue type: listed first in the project's `issueTypes` and in createmeta, and
   * preselected by Jira's create dialog. Absent = the first of `issueTypeIds`.
   * @see https://support.atlassian.com/jira-cloud-administration/docs/what-are-issue-type-schemes/
   */
  defaultIssueTypeId?: string;
}

/** The custom field types emulated (the part of `schema.custom` after `…customfieldtypes:`). */
export type CustomType =
  | 'textfield' | 'textarea' | 'float' | 'datepicker' | 'datetime' | 'select' | 'multiselect' | 'multicheckboxes'
  | 'radiobuttons' | 'url' | 'labels' | 'userpicker' | 'multiuserpicker' | 'multiversion';

/** An option of a select, multi-select, checkbox or radio field (`CustomFieldOption`). */
export interface OptionDef {
  id: string;
  value: string;
}

/**
 * A custom field as `GET /rest/api/3/field` lists it, plus its type, options and the id of its one (global)
 * context, the "Default Configuration Scheme for <name>" Jira creates with every field.
 */
export interface CustomFieldDef {
  id: string;
  name: string;
  type: CustomType;
  schema: { type: string; items?: string; custom: string; customId: number };
  options: OptionDef[];
  contextId: string;
}

/** A resolution value (`{id,name,description}`). */
export interface ResolutionDef {
  id: string;
  name: string;
  description: string;
}

/** Everything static about a site: workflow, issue types, priorities, projects. Built in code, not persisted. */
export interface SiteDefs {
  statuses: StatusDef[];
  transitions: TransitionDef[];
  issueTypes: IssueTypeDef[];
  priorities: PriorityDef[];
  projects: ProjectDef[];
  /** Resolution set when an issue enters a `done` status and no transition screen chose one. */
  doneResolution: ResolutionDef;
  /** Every resolution of the site (what a transition screen's Resolution field offers). */
  resolutions: ResolutionDef[];
  /** The site's built-in custom fields (synthetic ones added later live in `SiteState.customFields`). */
  customFields: CustomFieldDef[];
}

/** One changelog item, exactly as Jira sends it (v3 changelog, webhooks and Forge events). */
export interface ChangeItem {
  field: string;
  fieldtype: 'jira' | 'custom';
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

/** One changelog history entry. */
export interface HistoryRec {
  id: string;
  authorId: string;
  created: string;
  items: ChangeItem[];
}

/** A comment. */
export interface CommentRec {
  id: string;
  authorId: string | null;
  updateAuthorId: string | null;
  body: Adf;
  created: string;
  updated: string;
  /** Group or project role the comment is restricted to (see `visibility.ts`); absent = everyone who sees the issue. */
  visibility?: { type: 'group' | 'role'; value: string; identifier: string };
}

/** An issue as stored. */
export interface IssueRec {
  id: string;
  key: string;
  projectId: string;
  issueTypeId: string;
  summary: string;
  description: Adf | null;
  statusId: string;
  priorityId: string | null;
  resolution: ResolutionDef | null;
  resolutiondate: string | null;
  labels: string[];
  components: NamedRef[];
  fixVersions: NamedRef[];
  /** Affects versions; absent in older saved state (= none). */
  versions?: NamedRef[];
  /** Due date `YYYY-MM-DD`; absent in older saved state (= none). */
  duedate?: string | null;
  /** Environment as an ADF doc (plain text in v2); absent in older saved state (= none). */
  environment?: Adf | null;
  reporterId: string | null;
  assigneeId: string | null;
  creatorId: string | null;
  created: string;
  updated: string;
  comments: CommentRec[];
  changelog: HistoryRec[];
  properties: Record<string, unknown>;
  /** Custom field values by field id, in the stored form of `custom-fields.ts`; absent in older saved state. */
  custom?: Record<string, unknown>;
  // worklogs: time logged on the issue and its estimates (seconds); absent in older saved state (= none)
  worklogs?: WorklogRec[]; timeOriginalEstimate?: number | null; timeEstimate?: number | null;
  /** notifications: accountIds watching the issue; absent = Jira's default, the reporter and the creator. */
  watchers?: string[];
  /** attachments: files attached to the issue, oldest first (content on disk, see `attachments.ts`); absent = none. */
  attachments?: AttachmentRec[];
  /** hierarchy: id of the parent issue (a sub-task's parent, or a company-managed epic); absent = none. */
  parentId?: string | null;
}

// worklogs
/** A worklog (`Worklog`): who logged how long, from when, with an optional ADF comment. */
export interface WorklogRec {
  id: string;
  authorId: string;
  updateAuthorId: string;
  comment: Adf | null;
  /** Jira wire format, UTC (`2021-01-17T12:34:00.000+0000`). */
  started: string;
  timeSpentSeconds: number;
  created: string;
  updated: string;
  /** Group or project role the worklog is restricted to, as a comment's (`visibility.ts`); absent = everyone. */
  visibility?: { type: 'group' | 'role'; value: string; identifier: string };
}

// attachments
/** An attachment's metadata; `mediaId` is the Media Services file UUID that ADF `media` nodes name. */
export interface AttachmentRec { id: string; filename: string; mimeType: string; size: number; created: string; authorId: string; mediaId: string }

/** An admin webhook registration (`/rest/webhooks/1.0/webhook`). The secret never leaves the emulator. */
export interface WebhookRec {
  id: number;
  name: string;
  url: string;
  events: string[];
  /** JQL from `filters['issue-related-events-section']`, or '' for all issues. */
  jql: string;
  excludeBody: boolean;
  secret: string | null;
  enabled: boolean;
  lastUpdatedUser: string;
  lastUpdated: number;
}

/**
 * A dynamic webhook (`/rest/api/3/webhook`), owned by the user or app that registered it; stops after
 * `expirationDate` (epoch ms, 30 days after registration or the last refresh).
 */
export interface DynamicWebhookRec {
  id: number;
  ownerId: string;
  url: string;
  events: string[];
  jqlFilter: string;
  fieldIdsFilter?: string[];
  issuePropertyKeysFilter?: string[];
  expirationDate: number;
}

/** The persisted, mutable state of one site. */
export interface SiteState {
  version: 1;
  users: Record<string, UserRec>;
  issues: IssueRec[];
  webhooks: WebhookRec[];
  /** Dynamic webhooks; absent in state saved before they existed. */
  dynamicWebhooks?: DynamicWebhookRec[];
  /** Synthetic custom fields added with `POST /__sandbox/custom-fields`; absent in older saved state. */
  customFields?: CustomFieldDef[];
  counters: { issueId: number; commentId: number; historyId: number; webhookId: number; keys: Record<string, number>; /* worklogs */ worklogId?: number };
  /** attachments: last attachment id handed out (ids are never reused); absent in older saved state. */
  attachmentCounter?: number;
  /** hierarchy: issue links between this site's issues (`./issue-links.ts`); absent in older saved state. */
  issueLinks?: { nextId: number; links: import('./issue-links').IssueLinkRec[] };
  /** link types: issue link types added with `POST /rest/api/3/issueLinkType` (`./link-type-admin.ts`); absent in older saved state. */
  issueLinkTypes?: { added: import('./issue-links').IssueLinkTypeDef[] };
}
