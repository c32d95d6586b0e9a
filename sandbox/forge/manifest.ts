/**
 * Reads a Forge `manifest.yml` into the few shapes the local Forge host needs: functions and their handlers and
 * timeouts, the modules that invoke them (trigger, webtrigger, consumer, scheduledTrigger, UI modules with a
 * resolver), backend egress and scopes, and Custom Entity Store indexes.
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** A `function` module: `handler: index.resolver` → file `src/index`, export `resolver`. */
export interface FunctionDef {
  key: string;
  /** Module path relative to `<appDir>/src`, without extension, e.g. `index`. */
  file: string;
  /** Exported name, e.g. `resolver`. */
  exportName: string;
  /**
   * `timeoutSeconds` as the manifest gives it (undefined when absent). Not the limit itself: that depends on the
   * module invoking the function, see `invocationLimitSeconds` in ./limits.ts.
   */
  timeoutSeconds?: number;
}

/** Any module with a key, its manifest type (e.g. `jira:issuePanel`) and its raw properties. */
export interface ModuleDef {
  type: string;
  key: string;
  props: Record<string, any>;
}

/** A Custom Entity Store index: `range` attribute(s) and optional `partition` attributes. */
export interface EntityIndexDef {
  name: string;
  range: string[];
  partition: string[];
}

/** The parsed manifest. */
export interface AppManifest {
  /** App id (the uuid of `app.id`, without `ari:cloud:ecosystem::app/`). */
  appId: string;
  functions: Map<string, FunctionDef>;
  /** Every module keyed by module key. */
  modules: Map<string, ModuleDef>;
  triggers: { key: string; function: string; events: string[]; ignoreSelf: boolean }[];
  webtriggers: { key: string; function: string }[];
  consumers: { key: string; queue: string; function: string }[];
  scheduledTriggers: { key: string; function: string; interval: string }[];
  /** `permissions.external.fetch.backend` addresses, e.g. `https://*.atlassian.net`. */
  egress: string[];
  scopes: string[];
  external: Record<string, unknown>;
  /** Custom entities: name → indexes. */
  entities: Map<string, EntityIndexDef[]>;
  /** Custom entities: name → attribute name → declared type (`string`, `integer`, `float`, `boolean`, `any`). */
  entityAttributes: Map<string, Record<string, string>>;
}

/** Interval of a scheduled trigger in ms (`fiveMinute` 300 s, `hour`, `day`, `week`). */
export const SCHEDULE_INTERVAL_MS: Record<string, number> = {
  fiveMinute: 5 * 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
};

const asArray = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v == null ? [] : [String(v)]);

/**
 * Loads and parses `<appDir>/manifest.yml`.
 * @throws Error when the file is missing, a function handler is malformed or a module names an unknown function.
 */
export function loadManifest(appDir: string): AppManifest {
  const raw = parse(fs.readFileSync(path.join(appDir, 'manifest.yml'), 'utf8')) ?? {};
  const mods: Record<string, any[]> = raw.modules ?? {};
  const functions = new Map<string, FunctionDef>();
  for (const f of mods.function ?? []) {
    const handler = String(f.handler ?? '');
    const dot = handler.lastIndexOf('.');
    if (dot <= 0) throw new Error(`manifest: function ${f.key} has handler '${handler}', expected <file>.<export>`);
    functions.set(f.key, {
      key: f.key,
      file: handler.slice(0, dot),
      exportName: handler.slice(dot + 1),
      ...(f.timeoutSeconds === undefined ? {} : { timeoutSeconds: Number(f.timeoutSeconds) }),
    });
  }
  const modules = new Map<string, ModuleDef>();
  for (const [type, list] of Object.entries(mods)) {
    if (type === 'function' || !Array.isArray(list)) continue;
    for (const m of list) modules.set(m.key, { type, key: m.key, props: m });
  }
  const needFn = (owner: string, fn: unknown): string => {
    const key = String(fn ?? '');
    if (!functions.has(key)) throw new Error(`manifest: module ${owner} refers to unknown function '${key}'`);
    return key;
  };
  const fetchPerms = raw.permissions?.external?.fetch?.backend ?? [];
  const entities = new Map<string, EntityIndexDef[]>();
  const entityAttributes = new Map<string, Record<string, string>>();
  for (const e of raw.app?.storage?.entities ?? []) {
    entityAttributes.set(e.name, Object.fromEntries(Object.entries(e.attributes ?? {}).map(([k, v]: [string, any]) => [k, String(v?.type ?? 'any')])));
    entities.set(
      e.name,
      (e.indexes ?? []).map((ix: any) =>
        typeof ix === 'string'
          ? { name: ix, range: [ix], partition: [] }
          : { name: ix.name, range: asArray(ix.range), partition: asArray(ix.partition) },
      ),
    );
  }
  return {
    appId: String(raw.app?.id ?? 'ari:cloud:ecosystem::app/00000000-0000-4000-8000-000000000000').split('/').pop()!,
    functions,
    modules,
    triggers: (mods.trigger ?? []).map((t) => ({
      key: t.key,
      function: needFn(t.key, t.function),
      events: asArray(t.events),
      ignoreSelf: t.filter?.ignoreSelf === true,
    })),
    webtriggers: (mods.webtrigger ?? []).map((w) => ({ key: w.key, function: needFn(w.key, w.function) })),
    consumers: (mods.consumer ?? []).map((c) => ({ key: c.key, queue: String(c.queue), function: needFn(c.key, c.function) })),
    scheduledTriggers: (mods.scheduledTrigger ?? []).map((s) => ({
      key: s.key,
      function: needFn(s.key, s.function),
      interval: String(s.interval ?? 'hour'),
    })),
    egress: fetchPerms.map((p: any) => (typeof p === 'string' ? p : String(p.address ?? p.remote ?? ''))).filter(Boolean),
    scopes: asArray(raw.permissions?.scopes),
    external: raw.permissions?.external ?? {},
    entities,
    entityAttributes,
  };
}
