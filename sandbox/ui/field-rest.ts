/**
 * field area: what the create dialog, edit screen and board pages share: their dependencies on the UI host and
 * REST calls on the local site as its admin (the person the pages act as).
 */
import type { SandboxConfig, SiteConfig } from '../config';
import type { Frame } from './pages';
import type { ColorMode } from './theme';

/** What the field pages need from the UI host (see `registerUiHost`). */
export interface FieldPageDeps {
  cfg: SandboxConfig;
  consent: string;
  pageMode: (req: { query: unknown; headers: { cookie?: string } }) => ColorMode;
  frameFor: (type: string, minHeight: number, ctx: Record<string, string>, colorMode: string) => Frame;
}

/** One REST call on a site as its admin; answers status and JSON body (null when empty). */
export async function siteRequest(site: SiteConfig, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const auth = Buffer.from(`${site.admin.email}:${site.admin.apiToken}`).toString('base64');
  const res = await fetch(site.url + path, {
    method,
    headers: { authorization: `Basic ${auth}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Jira's error words from an error body. */
export function jiraWords(body: any): string {
  return [...(body?.errorMessages ?? []), ...Object.entries(body?.errors ?? {}).map(([k, v]) => `${k}: ${v}`)].join(' ') || 'Jira refused the request.';
}

/** The id of the app's "Partner sync" field on the local site (`schema.custom` ends with the module key), or null. */
export async function partnerSyncFieldId(site: SiteConfig): Promise<string | null> {
  const { body } = await siteRequest(site, 'GET', '/rest/api/3/field');
  return (body as any[]).find((f) => String(f.schema?.custom ?? '').endsWith('/static/task-sync-field'))?.id ?? null;
}

