/**
 * One emulated site as a fastify server: JSON parsing that tolerates empty bodies, the gate (authentication,
 * statistics, faults, rate limit, spec self-check; see `./gate`), Jira's error bodies, and the route modules.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { JiraError } from './errors';
import { installGate } from './gate';
import type { SiteRuntime } from './runtime';
import { appFieldRoutes } from './routes/app-fields';
import { commentRoutes } from './routes/comments';
import { dynamicWebhookRoutes } from './routes/dynamic-webhooks';
import { fieldContextRoutes } from './routes/field-contexts';
import { issueRoutes } from './routes/issues';
import { issueLinkRoutes } from './routes/issue-links'; // hierarchy
import { metaRoutes } from './routes/meta';
import { projectRoutes } from './routes/projects';
import { sandboxRoutes } from './routes/sandbox';
import { mentionRoutes } from './routes/mentions';
import { screenRoutes } from './routes/screens';
import { searchRoutes } from './routes/search';
import { transitionRoutes } from './routes/transitions';
import { userRoutes } from './routes/users';
import { webhookRoutes } from './routes/webhooks';
import { worklogRoutes } from './routes/worklogs'; // worklogs
import { notifyRoutes } from './routes/notify'; // notifications
import { attachmentRoutes } from './routes/attachments'; // attachments

declare module 'fastify' {
  interface FastifyRequest {
    /** Length of the JSON request body as sent, in UTF-16 code units (Java's `String.length()`, what Jira limits). */
    bodyChars: number;
  }
}

/**
 * Builds (does not start) the fastify app of a site.
 * Errors: thrown `JiraError`s become `{errorMessages, errors}` with their status; other errors 500 in the same shape.
 */
export function buildSiteServer(rt: SiteRuntime): FastifyInstance {
  // fastify refuses path parameters over 100 characters with its own 414; Jira takes e.g. 255-character property keys.
  const app = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024, routerOptions: { maxParamLength: 4096 } });
  app.decorateRequest('actor', null as any);
  app.removeContentTypeParser('application/json');
  app.decorateRequest('bodyChars', 0);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    req.bodyChars = String(body ?? '').length;
    if (!body || !String(body).trim()) return done(null, undefined);
    try {
      done(null, JSON.parse(String(body)));
    } catch (e) {
      done(JiraError.badRequest(`Unexpected character in JSON body: ${(e as Error).message}`), undefined);
    }
  });

  installGate(app, rt, rt.held);

  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof JiraError) return reply.code(err.status).send(err.body());
    const status = (err as any).statusCode ?? 500;
    return reply.code(status).send({ errorMessages: [(err as Error).message], errors: {} });
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ errorMessages: [`null for uri: ${rt.site.publicUrl}${req.url}`], errors: {} }));

  for (const routes of [appFieldRoutes, issueRoutes, commentRoutes, searchRoutes, metaRoutes, projectRoutes, transitionRoutes, screenRoutes, fieldContextRoutes, userRoutes, webhookRoutes, dynamicWebhookRoutes, sandboxRoutes, mentionRoutes, /* worklogs */ worklogRoutes, /* notifications */ notifyRoutes, attachmentRoutes /* attachments */]) routes(app, rt);
  issueLinkRoutes(app, rt); // hierarchy
  return app;
}
