/**
 * Mention notifications, recorded as Jira sends them: a write that adds a mention of a user to a rich-text value
 * (description, environment, paragraph custom field) or a comment notifies that user ("<writer> mentioned you
 * on <issue>"). Rule modelled (Jira's mention service): a new issue or comment notifies everyone it mentions; an
 * edit notifies only the users the previous text of that same field or comment did not mention (an unchanged
 * mention in an edited text does not notify again); the writer is never notified of their own mention; only
 * active, human accounts of the site are. Recorded for tests at `GET /__sandbox/mentions` (cleared with DELETE).
 * `notifyUsers=false` is not modelled: it concerns watchers' "issue updated" mail.
 * @see https://docs.atlassian.com/DAC/javadoc/jira/reference/com/atlassian/jira/mention/MentionServiceImpl.html
 * @see https://developer.atlassian.com/cloud/jira/platform/apis/document/nodes/mention/
 */
import type { SiteStore } from './store';
import type { Adf, IssueRec } from './types';

/** One mention notification: whom, by whose write, where (a field id or `comment:<id>`), and which write. */
export interface MentionNotice {
  seq: number;
  issueKey: string;
  accountId: string;
  /** accountId of the writer. */
  by: string;
  where: string;
  write: 'issue_created' | 'issue_updated' | 'comment_created' | 'comment_updated';
  /** ISO-8601. */
  at: string;
}

/** The accountIds a document mentions. */
export function mentionsIn(doc: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (n: any): void => {
    if (!n || typeof n !== 'object') return;
    if (n.type === 'mention' && typeof n.attrs?.id === 'string' && n.attrs.id) out.add(n.attrs.id);
    if (Array.isArray(n.content)) n.content.forEach(walk);
  };
  walk(doc);
  return out;
}

/** The rich-text values of an issue, by field id: description, environment and ADF custom field values. */
export function richTextOf(issue: Pick<IssueRec, 'description' | 'environment' | 'custom'>): Record<string, Adf | null> {
  const out: Record<string, Adf | null> = { description: issue.description ?? null, environment: issue.environment ?? null };
  for (const [id, v] of Object.entries(issue.custom ?? {})) if ((v as Adf | null)?.type === 'doc') out[id] = v as Adf;
  return out;
}

/** The notifications of one site, in the order they were sent. */
export class MentionLog {
  readonly notices: MentionNotice[] = [];
  private seq = 0;

  constructor(private readonly store: SiteStore) {}

  /**
   * Records the notifications of one write of `where`: users mentioned in `after` but not in `before` (null for a
   * new issue or comment), except the writer and accounts that are not active people of the site.
   */
  record(issue: IssueRec, by: string, write: MentionNotice['write'], where: string, before: unknown, after: unknown): void {
    const had = mentionsIn(before);
    for (const id of mentionsIn(after)) {
      const u = this.store.user(id);
      if (had.has(id) || id === by || !u || !u.active || u.accountType === 'app') continue;
      this.notices.push({ seq: ++this.seq, issueKey: issue.key, accountId: id, by, where, write, at: new Date().toISOString() });
    }
  }

  clear(): void {
    this.notices.length = 0;
  }
}
