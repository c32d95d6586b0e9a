/**
 * The per-site runtime shared by all routes: config, store, renderer, notifier, outbox and request statistics.
 */
import type { SandboxConfig, SiteConfig } from '../config';
import type { Faults } from './faults';
import type { HeldResponses } from './gate';
import type { Notifier } from './notify';
import type { Outbox } from './outbound';
import type { Renderer } from './render';
import type { SpecCheck } from './spec-check';
import type { SiteStore } from './store';
import type { UserRec } from './types';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated user (set by the auth hook; absent on sandbox-only routes). */
    actor: UserRec;
  }
}

/** Request counters, keyed by `METHOD /route/{template}` (Jira's path parameter names). */
export interface RequestStats {
  requests: Record<string, number>;
  byUser: Record<string, number>;
  /**
   * Authenticated requests per accountId, then per `METHOD /route/{template}`: what the app's own calls were, apart
   * from everyone else's (`requests` and `byUser` count the same requests one way each).
   */
  requestsByUser: Record<string, Record<string, number>>;
  /** Successful writes (non-GET, status < 400) per `METHOD route` and per accountId. */
  writes: { byRoute: Record<string, number>; byUser: Record<string, number> };
}

/** Everything a route handler of one site needs. */
export interface SiteRuntime {
  cfg: SandboxConfig;
  site: SiteConfig;
  store: SiteStore;
  render: Renderer;
  notify: Notifier;
  outbox: Outbox;
  stats: RequestStats;
  /** Injected faults and the rate limit (`/__sandbox/faults`). */
  faults: Faults;
  /** Responses held open by the timeout fault. */
  held: HeldResponses;
  /** Spec self-check of responses, or null when validation is off. */
  spec: SpecCheck | null;
}

/** Empty request counters. */
export function emptyStats(): RequestStats {
  return { requests: {}, byUser: {}, requestsByUser: {}, writes: { byRoute: {}, byUser: {} } };
}

/** `/rest/api/3/issue/:issueIdOrKey` → `/rest/api/3/issue/{issueIdOrKey}`. */
export function routeTemplate(url: string): string {
  return url.replace(/:(\w+)/g, '{$1}');
}
