/**
 * One emulated site as a fastify server: JSON parsing that tolerates empty bodies, authentication, request
 * statistics, Jira's error bodies, and the route modules.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { JiraError } from './errors';
import { routeTemplate, type SiteRuntime } from './runtime';
import { authenticate } from './users';
import { commentRoutes } from './routes/comments';
import { issueRoutes } from './routes/issues';
import { metaRoutes } from './routes/meta';
import { sandboxRoutes } from './routes/sandbox';
import { searchRoutes } from './routes/search';
import { webhookRoutes } from './routes/webhooks';

const PUBLIC = /^\/(__sandbox\/|browse\/)/;

/**
 * Builds (does not start) the fastify app of a site.
 * Errors: thrown `JiraError`s become `{errorMessages, errors}` with their status; other errors 500 in the same shape.
 */
export function buildSiteServer(rt: SiteRuntime): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024 });
  app.decorateRequest('actor', null as any);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    if (!body || !String(body).trim()) return done(null, undefined);
    try {
      done(null, JSON.parse(String(body)));
    } catch (e) {
      done(JiraError.badRequest(`Unexpected character in JSON body: ${(e as Error).message}`), undefined);
    }
  });

  app.addHook('onRequest', async (req, reply) => {
    const url = req.routeOptions.url;
    if (!url || PUBLIC.test(req.url)) return;
    const key = `${req.method} ${routeTemplate(url)}`;
    rt.stats.requests[key] = (rt.stats.requests[key] ?? 0) + 1;
    const user = authenticate(req.headers.authorization, rt.store.state.users, rt.site, rt.cfg);
    if (!user) {
      reply.header('X-Seraph-LoginReason', 'AUTHENTICATED_FAILED');
      reply.header('WWW-Authenticate', 'OAuth realm="https%3A%2F%2Fatlassian.net"');
      return reply.code(401).send(JiraError.unauthorized().body());
    }
    req.actor = user;
    rt.stats.byUser[user.accountId] = (rt.stats.byUser[user.accountId] ?? 0) + 1;
  });

  app.addHook('onResponse', async (req, reply) => {
    const url = req.routeOptions.url;
    if (!url || PUBLIC.test(req.url) || req.method === 'GET' || reply.statusCode >= 400 || url.endsWith('/search/jql')) return;
    const key = `${req.method} ${routeTemplate(url)}`;
    rt.stats.writes.byRoute[key] = (rt.stats.writes.byRoute[key] ?? 0) + 1;
  });

  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof JiraError) return reply.code(err.status).send(err.body());
    const status = (err as any).statusCode ?? 500;
    return reply.code(status).send({ errorMessages: [(err as Error).message], errors: {} });
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ errorMessages: [`null for uri: ${rt.site.publicUrl}${req.url}`], errors: {} }));

  for (const routes of [issueRoutes, commentRoutes, searchRoutes, metaRoutes, webhookRoutes, sandboxRoutes]) routes(app, rt);
  return app;
}
