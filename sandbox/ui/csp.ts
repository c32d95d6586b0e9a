/**
 * The Content-Security-Policy Forge serves every Custom UI resource with, computed by Forge's own package
 * (`@forge/csp`, the code Forge's CDN runs) from the manifest's `permissions`:
 * - `CSPProcessingService.getCspDetails(html, permissions)` turns `permissions.content.styles` (only
 *   `unsafe-inline` is accepted), `permissions.content.scripts` (`unsafe-inline`, `unsafe-eval`, `unsafe-hashes`,
 *   `blob:`, sha hashes) and `permissions.external.*` (images, media, scripts, styles, fonts, frames,
 *   `fetch.client`) into extra sources, and adds a sha256 hash for every inline `<script>` of the page itself;
 * - `CSPInjectionService.getInjectableCSP(...)` builds the default policy around them (`default-src 'self'`,
 *   `style-src 'self'` plus Forge's CDN, no `'unsafe-inline'` unless the manifest asks, `sandbox` without
 *   top navigation, …) for the production environment.
 *
 * One change, and only one: `report-uri` points at the sandbox's own collector instead of Atlassian's, so reports
 * stay on this machine and show up in the sandbox's log.
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/permissions/#content-permissions
 * @see https://developer.atlassian.com/platform/forge/custom-ui/iframe/
 */
import { CSPInjectionService, CSPProcessingService } from '@forge/csp';
import { load } from 'cheerio';

/** Where the UI host collects CSP violation reports (`report-uri`). */
export const CSP_REPORT_PATH = '/__sandbox/csp-report';

/** The manifest's `permissions` as @forge/csp reads them (`content` and `external`). */
export type ManifestPermissions = Parameters<CSPProcessingService['getCspDetails']>[1];

const quiet = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} } as never;

/**
 * The `Content-Security-Policy` header value for one Custom UI resource.
 * @param permissions manifest.yml's `permissions` (may be undefined)
 * @param body the resource's bytes when it is an HTML page (inline scripts are hashed from it), else ''
 * @param hostname the product site that frames the app, e.g. `https://local.atlassian.net`
 * @throws whatever @forge/csp throws for a malformed `permissions.external.fetch.client`
 */
export function customUiCsp(permissions: ManifestPermissions, body: string | Buffer, hostname: string): string {
  const details = new CSPProcessingService(quiet, load as never).getCspDetails(body, permissions);
  const directives = new CSPInjectionService().getInjectableCSP({
    existingCSPDetails: details,
    microsEnv: 'prod',
    hostname,
  } as never);
  return directives.map((d) => (d.startsWith('report-uri ') ? `report-uri ${CSP_REPORT_PATH}` : d)).join('; ');
}
