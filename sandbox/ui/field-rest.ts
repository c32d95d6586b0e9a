/**
 * field area: what the create dialog, edit screen and board pages share: their dependencies on the UI host and
 * REST calls on the local site as its admin (the person the pages act as).
 */
import type { SandboxConfig, SiteConfig } from '../config';
import type { FieldFraming } from './field-frames';
import type { Frame } from './pages';
import type { ColorMode } from './theme';

/** What the field pages need from the UI host (see `registerUiHost`). */
export interface FieldPageDeps {
  cfg: SandboxConfig;
  consent: string;
  pageMode: (req: { query: unknown; headers: { cookie?: string } }) => ColorMode;
  frameFor: (type: string, minHeight: number, ctx: Record<string, string>, colorMode: string) => Frame;
  /** The manifest's framing rules for the field (`./field-frames.ts`), null when it declares no field. */
  framing: FieldFraming | null;
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

/**
 * The app's "Partner sync" field on the local site (`schema.custom` ends with the module key): its `id`
 * (`customfield_10900`) and `custom` (the field type Jira gives a frame as `fieldType`), or null when not installed.
 */
export async function partnerSyncField(site: SiteConfig): Promise<{ id: string; custom: string } | null> {
  const { body } = await siteRequest(site, 'GET', '/rest/api/3/field');
  const f = (body as any[]).find((x) => String(x.schema?.custom ?? '').endsWith('/static/task-sync-field'));
  return f ? { id: String(f.id), custom: String(f.schema.custom) } : null;
}

/** The id of the app's "Partner sync" field on the local site, or null (see {@link partnerSyncField}). */
export async function partnerSyncFieldId(site: SiteConfig): Promise<string | null> {
  return (await partnerSyncField(site))?.id ?? null;
}
