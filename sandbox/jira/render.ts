/**
 * Turns stored records into Jira Cloud REST shapes: v3 (ADF rich text) for the REST API, v2 (plain-text rich text)
 * for admin webhook bodies, exactly as Jira Cloud still sends them.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-get
 */
import { adfToText } from './adf';
import { renderCustomField } from './custom-fields';
import { allFieldIds } from './system-fields';
import { renderAttachment } from './attachments'; // attachments
import type { SiteStore } from './store';
import type { CommentRec, HistoryRec, IssueRec, NamedRef, ProjectDef, StatusDef, UserRec } from './types';
import { canSeeComment } from './visibility';
import { renderTimeTracking, timeSpentSeconds } from './time-tracking'; // worklogs
import { renderWorklogField } from './worklog-render'; // worklogs
import { hierarchyField } from './hierarchy'; // hierarchy
import { issueLinksField } from './issue-links'; // hierarchy

/** REST version of a representation: `3` (ADF) or `2` (rich text as plain text, used in webhooks). */
export type ApiVersion = '2' | '3';

const CATEGORIES = {
  new: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' },
  indeterminate: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, key: 'done', colorName: 'green', name: 'Done' },
} as const;

export { ISSUE_FIELDS, parseFieldsParam } from './system-fields';

/**
 * Builds REST shapes for one site, as seen by one viewer (`as(actor)` per request). The viewer decides two things:
 * a hidden email shows to its owner alone, and a restricted comment shows only to members of its group or role.
 * Without a viewer (webhooks, product events) emails never show and every comment does.
 */
export class Renderer {
  constructor(
    private readonly store: SiteStore,
    private readonly viewer: UserRec | null = null,
  ) {}

  /** The same renderer as `viewer` sees it. */
  as(viewer: UserRec | null | undefined): Renderer {
    return new Renderer(this.store, viewer ?? null);
  }

  private get viewerId(): string | null {
    return this.viewer?.accountId ?? null;
  }

  /** worklogs: the site's public base URL, for `self` links built outside this class. */
  get siteUrl(): string {
    return this.base;
  }

  private get base(): string {
    return this.store.site.publicUrl;
  }

  /**
   * `UserDetails` (`accountId, displayName, active, accountType, avatarUrls, …`), or null. `emailAddress` only when
   * the user has one and shows it, or is the viewer: "Depending on the user’s privacy setting, this may be returned
   * as null" (spec, `UserDetails.emailAddress`); Jira leaves the key out.
   */
  user(u: UserRec | string | null, v: ApiVersion = '3'): Record<string, unknown> | null {
    const rec = typeof u === 'string' ? this.store.user(u) : u;
    if (!rec) return null;
    const avatar = `https://avatar-management.example/${encodeURIComponent(rec.accountId)}`;
    return {
      self: `${this.base}/rest/api/${v}/user?accountId=${encodeURIComponent(rec.accountId)}`,
      accountId: rec.accountId,
      ...(rec.emailAddress && (!rec.hideEmail || rec.accountId === this.viewerId) ? { emailAddress: rec.emailAddress } : {}),
      avatarUrls: { '48x48': `${avatar}/48`, '24x24': `${avatar}/24`, '16x16': `${avatar}/16`, '32x32': `${avatar}/32` },
      displayName: rec.displayName,
      active: rec.active,
      timeZone: 'Etc/UTC',
      accountType: rec.accountType,
    };
  }

  /** `StatusDetails` with its `statusCategory`. */
  status(s: StatusDef): Record<string, unknown> {
    const c = CATEGORIES[s.category];
    return {
      self: `${this.base}/rest/api/3/status/${s.id}`,
      description: s.description,
      iconUrl: `${this.base}/images/icons/statuses/generic.png`,
      name: s.name,
      id: s.id,
      statusCategory: { self: `${this.base}/rest/api/3/statuscategory/${c.id}`, ...c },
    };
  }

  /** `Priority` (`self, iconUrl, name, id`), or null. */
  priority(id: string | null): Record<string, unknown> | null {
    const p = id ? this.store.defs.priorities.find((x) => x.id === id) : undefined;
    if (!p) return null;
    return { self: `${this.base}/rest/api/3/priority/${p.id}`, iconUrl: `${this.base}/images/icons/priorities/${p.iconName}`, name: p.name, id: p.id };
  }

  /** `IssueTypeDetails`. */
  issueType(id: string): Record<string, unknown> {
    const t = this.store.defs.issueTypes.find((x) => x.id === id) ?? { id, name: 'Unknown', description: '', subtask: false };
    return {
      self: `${this.base}/rest/api/3/issuetype/${t.id}`,
      id: t.id,
      description: t.description,
      iconUrl: `${this.base}/images/icons/issuetypes/${t.name.toLowerCase().replace(/\W+/g, '')}.svg`,
      name: t.name,
      subtask: t.subtask,
      hierarchyLevel: (t as { hierarchyLevel?: number }).hierarchyLevel ?? (t.subtask ? -1 : 0), // hierarchy
    };
  }

  /** Short `project` value of an issue. */
  projectRef(id: string): Record<string, unknown> {
    const p = this.store.project(id)!;
    return {
      self: `${this.base}/rest/api/3/project/${p.id}`,
      id: p.id,
      key: p.key,
      name: p.name,
      projectTypeKey: 'software',
      simplified: false,
      avatarUrls: { '48x48': `${this.base}/rest/api/3/universal_avatar/view/type/project/avatar/10400` },
    };
  }

  /** A project's component as the project lists it (`ProjectComponent`). */
  component(p: ProjectDef, c: NamedRef): Record<string, unknown> {
    return { self: `${this.base}/rest/api/3/component/${c.id}`, ...c, isAssigneeTypeValid: false, assigneeType: 'PROJECT_DEFAULT', realAssigneeType: 'PROJECT_DEFAULT', project: p.key, projectId: Number(p.id) };
  }

  /** A project's version as the project lists it (`Version`). */
  version(p: ProjectDef, v: NamedRef): Record<string, unknown> {
    return { self: `${this.base}/rest/api/3/version/${v.id}`, ...v, projectId: Number(p.id) };
  }

  private refs(xs: NamedRef[], kind: 'component' | 'version'): Record<string, unknown>[] {
    return xs.map((x) => ({ self: `${this.base}/rest/api/3/${kind}/${x.id}`, ...x }));
  }

  /** A comment (`Comment`): body ADF in v3, plain text in v2. */
  comment(issue: IssueRec, c: CommentRec, v: ApiVersion = '3'): Record<string, unknown> {
    return {
      self: `${this.base}/rest/api/${v}/issue/${issue.id}/comment/${c.id}`,
      id: c.id,
      author: this.user(c.authorId, v),
      body: v === '3' ? c.body : adfToText(c.body),
      updateAuthor: this.user(c.updateAuthorId, v),
      created: c.created,
      updated: c.updated,
      ...(c.visibility ? { visibility: { ...c.visibility } } : {}),
      jsdPublic: true,
    };
  }

  /** One changelog history (`Changelog`). */
  history(h: HistoryRec): Record<string, unknown> {
    return { id: h.id, author: this.user(h.authorId), created: h.created, items: h.items };
  }

  /** The value of one field of an issue; a viewer sees only the comments visible to them. */
  field(i: IssueRec, name: string, v: ApiVersion): unknown {
    if (name === 'parent' || name === 'subtasks') return hierarchyField(this, this.store, i, name, v); // hierarchy
    if (name === 'issuelinks') return issueLinksField(this, this.store, i, v); // hierarchy
    switch (name) {
      case 'summary': return i.summary;
      case 'description': return v === '3' ? i.description : i.description ? adfToText(i.description) : null;
      case 'status': return this.status(this.store.status(i.statusId));
      case 'priority': return this.priority(i.priorityId);
      case 'labels': return [...i.labels];
      case 'issuetype': return this.issueType(i.issueTypeId);
      case 'project': return this.projectRef(i.projectId);
      case 'components': return this.refs(i.components, 'component');
      case 'fixVersions': return this.refs(i.fixVersions, 'version');
      case 'versions': return this.refs(i.versions ?? [], 'version');
      case 'duedate': return i.duedate ?? null;
      // Environment is rich text like the description: ADF in v3, plain text in v2 (webhooks).
      case 'environment': return i.environment ? (v === '3' ? i.environment : adfToText(i.environment)) : null;
      case 'resolution': return i.resolution ? { self: `${this.base}/rest/api/3/resolution/${i.resolution.id}`, ...i.resolution } : null;
      case 'resolutiondate': return i.resolutiondate;
      case 'reporter': return this.user(i.reporterId, v);
      case 'assignee': return this.user(i.assigneeId, v);
      case 'creator': return this.user(i.creatorId, v);
      case 'created': return i.created;
      case 'updated': return i.updated;
      case 'statuscategorychangedate': return i.updated;
      case 'comment': {
        const comments = i.comments.filter((c) => canSeeComment(this.viewer ?? undefined, c)).map((c) => this.comment(i, c, v));
        return { comments, self: `${this.base}/rest/api/${v}/issue/${i.id}/comment`, maxResults: comments.length, total: comments.length, startAt: 0 };
      }
      // worklogs
      case 'worklog': return renderWorklogField(this, i, v);
      case 'timetracking': return renderTimeTracking(i);
      case 'timeoriginalestimate': return i.timeOriginalEstimate ?? null;
      case 'timeestimate': return i.timeEstimate ?? null;
      case 'timespent': return timeSpentSeconds(i) || null;
      case 'attachment': return (i.attachments ?? []).map((a) => renderAttachment(this, this.store.site.publicUrl, a, v)); // attachments
      default: {
        const type = this.store.customField(name)?.type;
        if (type === 'userpicker') return this.user((i.custom?.[name] as string) ?? null, v);
        if (type === 'multiuserpicker') return i.custom?.[name] ? (i.custom[name] as string[]).map((id) => this.user(id, v)).filter(Boolean) : null;
        return renderCustomField(this.store, i, name, v);
      }
    }
  }

  /**
   * An issue (`IssueBean`): `{expand, id, self, key, fields}`.
   * @param fields field ids to include (undefined = all); unknown ids are left out, as Jira does
   * @param opts.changelog include `changelog` (`expand=changelog`)
   */
  issue(i: IssueRec, fields?: string[], opts: { v?: ApiVersion; changelog?: boolean; properties?: string[] } = {}): Record<string, unknown> {
    const v = opts.v ?? '3';
    const out: Record<string, unknown> = {
      expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
      id: i.id,
      self: `${this.base}/rest/api/${v}/issue/${i.id}`,
      key: i.key,
    };
    const f: Record<string, unknown> = {};
    for (const name of fields ?? allFieldIds(this.store)) {
      const val = this.field(i, name, v);
      if (val !== undefined) f[name] = val;
    }
    out.fields = f;
    if (opts.properties?.length) {
      out.properties = Object.fromEntries(opts.properties.filter((k) => k in i.properties).map((k) => [k, i.properties[k]]));
    }
    if (opts.changelog) {
      out.changelog = { startAt: 0, maxResults: i.changelog.length, total: i.changelog.length, histories: i.changelog.map((h) => this.history(h)) };
    }
    return out;
  }
}
