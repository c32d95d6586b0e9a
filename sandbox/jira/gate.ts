/**
 * What stands between a `/rest/` request and its route: request counters, the outage switch, authentication,
 * the per-user rate limit, injected latency and errors; and on the way out the spec self-check and held
 * (timed-out) responses. `/__sandbox/*` and `/browse/*` pass untouched.
 */
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { JiraError } from './errors';
import { faultError } from './faults';
import { routeTemplate, type SiteRuntime } from './runtime';
import { authenticate } from './users';

/** Paths that skip auth, faults and counters. */
export const PUBLIC = /^\/(__sandbox\/|browse\/)/;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the timeout fault: the route runs (the write commits) but the response is never sent. */
    holdResponse?: boolean;
  }
}

/** Responses held by the timeout fault; `releaseAll()` frees their sockets so `close()` does not hang. */
export class HeldResponses {
  private held = new Set<{ socket: Socket; release: () => void }>();

  /** Never resolves until the client closes the socket or `releaseAll()` runs. */
  hold(socket: Socket): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        socket,
        release: () => {
          this.held.delete(entry);
          resolve();
        },
      };
      this.held.add(entry);
      socket.once('close', entry.release);
    });
  }

  /** Destroys every held socket. */
  releaseAll(): void {
    for (const e of [...this.held]) {
      e.socket.destroy();
      e.release();
    }
  }

  get size(): number {
    return this.held.size;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function refuse(reply: FastifyReply, err: JiraError, headers: Record<string, string> = {}) {
  return reply.code(err.status).headers(headers).send(err.body());
}

/** Installs the request and response hooks on a site's app. */
export function installGate(app: FastifyInstance, rt: SiteRuntime, held: HeldResponses): void {
  app.decorateRequest('holdResponse', false);
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const url = req.routeOptions.url;
    if (PUBLIC.test(req.url)) return;
    const key = url ? `${req.method} ${routeTemplate(url)}` : null;
    if (key) rt.stats.requests[key] = (rt.stats.requests[key] ?? 0) + 1;
    const f = rt.faults;
    if (f.settings.down) {
      f.counts.outage++;
      return refuse(reply, faultError(503), { 'Retry-After': '60' });
    }
    if (!url) return;
    const user = authenticate(req.headers.authorization, rt.store.state.users, rt.site, rt.cfg);
    if (!user) {
      return refuse(reply, JiraError.unauthorized(), { 'X-Seraph-LoginReason': 'AUTHENTICATED_FAILED', 'WWW-Authenticate': 'OAuth realm="https%3A%2F%2Fatlassian.net"' });
    }
    req.actor = user;
    rt.stats.byUser[user.accountId] = (rt.stats.byUser[user.accountId] ?? 0) + 1;
    const mine = (rt.stats.requestsByUser[user.accountId] ??= {});
    mine[key!] = (mine[key!] ?? 0) + 1;
    const rate = f.takeToken(user.accountId);
    if (!rate.ok) return refuse(reply, faultError(429), rate.headers);
    reply.headers(rate.headers);
    const delay = f.between(f.settings.latencyMs as [number, number] | undefined);
    if (delay > 0) {
      f.counts.latency++;
      await sleep(delay);
    }
    if (f.chance(f.settings.errorRate)) {
      f.counts.error++;
      return refuse(reply, faultError(f.pick(f.settings.errorStatus ?? [500])));
    }
    if (f.chance(f.settings.timeoutRate)) {
      f.counts.timeout++;
      req.holdResponse = true;
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.url.startsWith('/rest/')) return payload;
    if (rt.spec) rt.spec.check(req.method, req.routeOptions.url ? routeTemplate(req.routeOptions.url) : req.url, req.url, reply.statusCode, payload);
    if (req.holdResponse) {
      const holdMs = rt.faults.settings.timeoutHoldMs;
      const socket = req.raw.socket;
      if (holdMs !== undefined) setTimeout(() => socket.destroy(), holdMs).unref();
      await held.hold(socket);
    }
    return payload;
  });

  app.addHook('onResponse', async (req, reply) => {
    const url = req.routeOptions.url;
    if (!url || PUBLIC.test(req.url) || req.method === 'GET' || reply.statusCode >= 400 || url.endsWith('/search/jql')) return;
    const key = `${req.method} ${routeTemplate(url)}`;
    rt.stats.writes.byRoute[key] = (rt.stats.writes.byRoute[key] ?? 0) + 1;
    if (req.actor) rt.stats.writes.byUser[req.actor.accountId] = (rt.stats.writes.byUser[req.actor.accountId] ?? 0) + 1;
  });
}
