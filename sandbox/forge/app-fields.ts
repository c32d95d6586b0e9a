/**
 * What Jira does when an app with `jira:customField` modules is installed: it creates one custom field per module
 * on the site, with `schema.custom` = `ari:cloud:ecosystem::extension/<app id>/<environment id>/static/<module key>`,
 * a global context, and (for a `string` field) a text value that the REST API reads and writes like any text
 * field. An admin still has to add the field to the create/edit screens (here every project's screen has it).
 *
 * Rules from the module's page that the sandbox enforces:
 * - `type` is one of number, string, user, group, date, datetime, object; only `string` is emulated (the app's only
 *   field) and any other type stops the sandbox with a clear message instead of behaving unlike Jira;
 * - `view`/`edit` name a resource of the manifest;
 * - an `object` field needs a `formatter.expression` (checked by the manifest schema, `forge lint`).
 * It also declares the `jira:entityProperty` paths to the emulator's JQL (`../jira/jql-app-fields.ts`).
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-custom-field/
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { setIndexedPaths, type IndexedPath } from '../jira/jql-app-fields';
import type { SiteStore } from '../jira/store';
import type { CustomFieldDef } from '../jira/types';
import { loadManifest, type AppManifest } from './manifest';

/** `customfield_` number of the first app field (above the seeded and synthetic ranges). */
export const APP_FIELD_BASE = 10900;

/** `schema.custom` of an app's custom field module. */
export function appFieldCustomType(appId: string, environmentId: string, moduleKey: string): string {
  return `ari:cloud:ecosystem::extension/${appId}/${environmentId}/static/${moduleKey}`;
}

/**
 * The custom fields Jira creates for the manifest's `jira:customField` modules.
 * @throws Error when a module has an unsupported type or names a resource the manifest does not declare
 */
export function appCustomFields(manifest: AppManifest, environmentId: string, resources: string[]): CustomFieldDef[] {
  const mods = [...manifest.modules.values()].filter((m) => m.type === 'jira:customField');
  return mods.map((m, k) => {
    const type = String(m.props.type ?? '');
    if (type !== 'string') throw new Error(`manifest: custom field ${m.key} has type '${type}'; the sandbox emulates only 'string' Forge fields.`);
    for (const part of ['view', 'edit'] as const) {
      const res = m.props[part]?.resource;
      if (res !== undefined && !resources.includes(String(res))) throw new Error(`manifest: custom field ${m.key} ${part}.resource '${res}' is not a resource of the manifest.`);
    }
    const customId = APP_FIELD_BASE + k;
    return {
      id: `customfield_${customId}`,
      name: String(m.props.name ?? m.key),
      type: 'textfield',
      schema: { type: 'string', custom: appFieldCustomType(manifest.appId, environmentId, m.key), customId },
      options: [],
      contextId: String(customId + 10000),
    };
  });
}

/** Adds the app's fields to a site once (an installed app's fields survive restarts, like Jira's). */
export function installAppFields(store: SiteStore, fields: CustomFieldDef[]): void {
  const missing = fields.filter((f) => !store.customField(f.id));
  if (missing.length) store.addCustomFields(missing);
}

/**
 * Installs the fields of the app in `appDir` on the local site (`startSandbox` calls it once both are up).
 * @throws Error as {@link appCustomFields}
 */
export function installAppFieldsOf(appDir: string, store: SiteStore, environmentId: (appId: string) => string): void {
  const manifest = loadManifest(appDir);
  const raw = parse(fs.readFileSync(path.join(appDir, 'manifest.yml'), 'utf8')) ?? {};
  const resources = (raw.resources ?? []).map((r: { key: string }) => String(r.key));
  installAppFields(store, appCustomFields(manifest, environmentId(manifest.appId), resources));
  setIndexedPaths(store, indexedPaths(manifest));
}

/**
 * The issue property paths the manifest's `jira:entityProperty` modules index (entityType `issue`, the default).
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/jira-entity-property/
 */
export function indexedPaths(manifest: AppManifest): IndexedPath[] {
  return [...manifest.modules.values()]
    .filter((m) => m.type === 'jira:entityProperty' && (m.props.entityType ?? 'issue') === 'issue')
    .flatMap((m) => (m.props.values ?? []).map((v: { path: string; type: IndexedPath['type']; searchAlias?: string }) => ({
      propertyKey: String(m.props.propertyKey),
      path: String(v.path),
      type: v.type,
      ...(v.searchAlias ? { searchAlias: String(v.searchAlias) } : {}),
    })));
}
