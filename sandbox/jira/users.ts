/**
 * Site users and request authentication.
 * @see https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/
 */
import crypto from 'node:crypto';
import type { SandboxConfig, SiteConfig } from '../config';
import type { UserRec } from './types';

/** The local site's non-admin person: may browse and edit, lacks ADMINISTER_PROJECTS. */
export const LOCAL_USER = {
  email: 'user@local.example',
  apiToken: 'user-token',
  accountId: '712020:5a6b7c8d-local-user',
  displayName: 'Local User',
};

/**
 * A partner person (not an admin) who edits issues and comments: tests use it to tell their writes from the app's.
 * Their profile hides the email.
 */
export const PARTNER_EDITOR = {
  email: 'editor@partner.example',
  apiToken: 'editor-token',
  accountId: '712020:9a8b7c6d-partner-editor',
  displayName: 'Partner Editor',
};

/** A local person who may only browse (no Edit, Transition, Create or Comment rights), email hidden in the profile. */
export const VIEWER_USER = {
  email: 'viewer@local.example',
  apiToken: 'viewer-token',
  accountId: '712020:6b7c8d9e-local-viewer',
  displayName: 'Local Viewer',
};

/** A local person without Browse Projects: every issue is a 404 to them. */
export const OUTSIDER_USER = {
  email: 'outsider@local.example',
  apiToken: 'outsider-token',
  accountId: '712020:7c8d9e0f-local-outsider',
  displayName: 'Local Outsider',
};

/**
 * Emails of a few seeded local people (the dump's Server users carry none), by Server username: the partner site
 * has people with the same emails, so a user mapping can match them.
 */
export const SEEDED_EMAILS: Record<string, string> = {
  tlukasavage: 'tony.lukasavage@tidev.example',
  cbarber: 'chris.barber@tidev.example',
  skypanther: 'tim.poulsen@tidev.example',
  fmiao: 'feon.miao@tidev.example',
};

/** Gives the seeded users of `SEEDED_EMAILS` their email (also in state saved before they had one). */
export function giveSeededEmails(users: Record<string, UserRec>): void {
  for (const u of Object.values(users)) if (u.username && SEEDED_EMAILS[u.username]) u.emailAddress ??= SEEDED_EMAILS[u.username];
}

/** A person who signs in nowhere (no API token): only the fields a user mapping reads. */
interface Person {
  accountId: string;
  displayName: string;
  email: string;
  active?: boolean;
  hideEmail?: boolean;
}

/**
 * Local people besides the seeded ones: a deactivated account (Jira keeps it on old issues but nobody can assign
 * to it) and an "Alex Morgan" whose namesake on the partner has another email.
 */
export const LOCAL_PEOPLE: Person[] = [
  { accountId: '712020:0f1e2d3c-local-former', displayName: 'Former Contractor', email: 'former.contractor@tidev.example', active: false },
  { accountId: '712020:1a2b3c4d-local-alex', displayName: 'Alex Morgan', email: 'alex.morgan@tidev.example' },
];

/**
 * Partner people: Tony Lukasavage and Chris Barber share their local email; Tim Poulsen too, but his profile hides
 * it (REST leaves it out, so only a display name can match); Feon's partner account is deactivated; Alex Morgan
 * has the local display name with another email.
 */
export const PARTNER_PEOPLE: Person[] = [
  { accountId: '557058:7e1a0c52-partner-tony', displayName: 'Tony Lukasavage', email: 'tony.lukasavage@tidev.example' },
  { accountId: '557058:8f2b1d63-partner-chris', displayName: 'Chris Barber', email: 'chris.barber@tidev.example' },
  { accountId: '557058:903c2e74-partner-tim', displayName: 'Tim Poulsen', email: 'tim.poulsen@tidev.example', hideEmail: true },
  { accountId: '557058:a14d3f85-partner-feon', displayName: 'Feon Sua Xin Miao', email: 'feon.miao@tidev.example', active: false },
  { accountId: '557058:b25e4096-partner-alex', displayName: 'Alex Morgan', email: 'alex.morgan@partner.example' },
];

const personRec = ({ email, active = true, hideEmail, ...p }: Person): UserRec => ({
  ...p, emailAddress: email, accountType: 'atlassian', active, admin: false, ...(hideEmail ? { hideEmail } : {}),
});

/** Deterministic Cloud-style accountId (`712020:<uuid>`) for a Server username of the dump. */
export function seededAccountId(username: string): string {
  const h = crypto.createHash('sha256').update(`jira-seed:${username}`).digest('hex');
  return `712020:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * The users a site starts with: its admin; on `local` also the Forge app's bot user, the non-admin user, the
 * browse-only viewer, the outsider without Browse and `LOCAL_PEOPLE`; on `partner` also a non-admin editor and
 * `PARTNER_PEOPLE`.
 * Seeded dump users are added by the seeder.
 */
export function baseUsers(cfg: SandboxConfig, site: SiteConfig): Record<string, UserRec> {
  const users: UserRec[] = [
    {
      accountId: site.admin.accountId,
      displayName: site.admin.displayName,
      emailAddress: site.admin.email,
      accountType: 'atlassian',
      active: true,
      apiToken: site.admin.apiToken,
      admin: true,
    },
  ];
  if (site.name === 'local') {
    users.push(
      { accountId: cfg.appAccountId, displayName: 'Jira Task Sync', accountType: 'app', active: true, admin: true },
      {
        accountId: LOCAL_USER.accountId,
        displayName: LOCAL_USER.displayName,
        emailAddress: LOCAL_USER.email,
        accountType: 'atlassian',
        active: true,
        apiToken: LOCAL_USER.apiToken,
        admin: false,
      },
      ...[
        // The viewer keeps the email private in the profile, as many people do: REST and webhooks omit it.
        { ...VIEWER_USER, permissions: ['BROWSE_PROJECTS'], hideEmail: true },
        { ...OUTSIDER_USER, permissions: [] as string[] },
      ].map(({ email, ...u }): UserRec => ({ ...u, emailAddress: email, accountType: 'atlassian', active: true, admin: false })),
      ...LOCAL_PEOPLE.map(personRec),
    );
  }
  if (site.name === 'partner') {
    const { email, ...editor } = PARTNER_EDITOR;
    // A partner person with a private email: the app's webhook and REST parsing must not count on it.
    users.push({ ...editor, emailAddress: email, accountType: 'atlassian', active: true, admin: false, hideEmail: true }, ...PARTNER_PEOPLE.map(personRec));
  }
  return Object.fromEntries(users.map((u) => [u.accountId, u]));
}

/**
 * Resolves the `Authorization` header to a user, or null when it is missing or wrong.
 * Basic `email:apiToken` works on every site; on `local` only, `Bearer <cfg.appToken>` is the app user and
 * `Bearer forge-user:<accountId>` acts as that user (the Forge host's stand-in for `asUser()`).
 */
export function authenticate(
  header: string | undefined,
  users: Record<string, UserRec>,
  site: SiteConfig,
  cfg: SandboxConfig,
): UserRec | null {
  if (!header) return null;
  const [scheme, value = ''] = header.split(/\s+/, 2);
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i < 0) return null;
    const email = decoded.slice(0, i);
    const token = decoded.slice(i + 1);
    const u = Object.values(users).find((x) => x.emailAddress === email && x.apiToken !== undefined);
    return u && u.active && safeEqual(u.apiToken!, token) ? u : null;
  }
  if (/^bearer$/i.test(scheme) && site.name === 'local') {
    if (safeEqual(value, cfg.appToken)) return users[cfg.appAccountId] ?? null;
    if (value.startsWith('forge-user:')) return users[value.slice('forge-user:'.length)] ?? null;
  }
  return null;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
