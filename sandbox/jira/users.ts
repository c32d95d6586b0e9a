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

/** Deterministic Cloud-style accountId (`712020:<uuid>`) for a Server username of the dump. */
export function seededAccountId(username: string): string {
  const h = crypto.createHash('sha256').update(`jira-seed:${username}`).digest('hex');
  return `712020:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * The users a site starts with: its admin; on `local` also the Forge app's bot user, the non-admin user, the
 * browse-only viewer and the outsider without Browse; on `partner` also a non-admin editor.
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
    );
  }
  if (site.name === 'partner') {
    const { email, ...editor } = PARTNER_EDITOR;
    // A partner person with a private email: the app's webhook and REST parsing must not count on it.
    users.push({ ...editor, emailAddress: email, accountType: 'atlassian', active: true, admin: false, hideEmail: true });
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
