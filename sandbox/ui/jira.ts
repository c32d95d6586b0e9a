/**
 * What the sandbox's Jira-like host pages need from the local site emulator: an issue's key, summary, status and
 * description, and a project's name. Read server-side with the site admin's Basic auth, as Jira's own page would
 * have them before framing the app.
 * @see https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-get
 */
import type { SiteConfig } from '../config';

/** The issue fields the issue view shows. `description` is plain text, one string per paragraph. */
export interface IssueSummary {
  id: string;
  key: string;
  summary: string;
  status: string;
  statusCategory: string;
  issueType: string;
  priority: string | null;
  assignee: string | null;
  reporter: string | null;
  project: { id: string; key: string; name: string };
  description: string[];
}

/** A REST failure from the emulator: `status` is the HTTP status, `message` Jira's error words. */
export class JiraReadError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function getJson(site: SiteConfig, path: string): Promise<any> {
  const auth = Buffer.from(`${site.admin.email}:${site.admin.apiToken}`).toString('base64');
  let res: Response;
  try {
    res = await fetch(site.url + path, { headers: { authorization: `Basic ${auth}`, accept: 'application/json' } });
  } catch (err) {
    throw new JiraReadError(502, `The ${site.name} Jira emulator at ${site.url} is not reachable (${(err as Error).message})`);
  }
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const words = body?.errorMessages?.join(' ') || Object.values(body?.errors ?? {}).join(' ') || res.statusText;
    throw new JiraReadError(res.status, words);
  }
  return body;
}

/**
 * Reads one issue from `site`.
 * @throws JiraReadError (404 when the issue does not exist or is not visible)
 */
export async function readIssue(site: SiteConfig, issueKey: string): Promise<IssueSummary> {
  const fields = 'summary,status,issuetype,priority,assignee,reporter,project,description';
  const issue = await getJson(site, `/rest/api/3/issue/${encodeURIComponent(issueKey)}?fields=${fields}`);
  const f = issue.fields ?? {};
  return {
    id: String(issue.id),
    key: issue.key,
    summary: f.summary ?? '',
    status: f.status?.name ?? '',
    statusCategory: f.status?.statusCategory?.key ?? 'new',
    issueType: f.issuetype?.name ?? '',
    priority: f.priority?.name ?? null,
    assignee: f.assignee?.displayName ?? null,
    reporter: f.reporter?.displayName ?? null,
    project: { id: String(f.project?.id ?? ''), key: f.project?.key ?? '', name: f.project?.name ?? '' },
    description: adfParagraphs(f.description),
  };
}

/**
 * Reads a project's id and name from `site`.
 * @throws JiraReadError (404 when the project does not exist)
 */
export async function readProject(site: SiteConfig, projectKey: string): Promise<{ id: string; key: string; name: string }> {
  const p = await getJson(site, `/rest/api/3/project/${encodeURIComponent(projectKey)}`);
  return { id: String(p.id), key: p.key, name: p.name };
}

/** Plain text of an ADF `doc`, one string per top-level block; enough for a read-only description. */
function adfParagraphs(doc: any): string[] {
  if (!doc || !Array.isArray(doc.content)) return [];
  const text = (n: any): string => {
    if (n.type === 'text') return n.text ?? '';
    if (n.type === 'hardBreak') return '\n';
    if (n.type === 'mention') return n.attrs?.text ?? '@someone';
    if (n.type === 'emoji') return n.attrs?.text ?? n.attrs?.shortName ?? '';
    const inner = (n.content ?? []).map(text);
    if (n.type === 'listItem') return `• ${inner.join('\n')}`;
    // Text nodes carry their own spaces; blocks inside a block go on their own lines.
    return inner.join(n.type === 'paragraph' || n.type === 'heading' ? '' : '\n');
  };
  return doc.content.map(text).map((s: string) => s.trim()).filter(Boolean);
}
