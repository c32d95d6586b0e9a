/**
 * Sandbox-only route (no auth): the mention notifications a site has sent (see `../mentions.ts`), oldest first,
 * `GET /__sandbox/mentions` → `{notifications: [{seq, issueKey, accountId, by, where, write, at}]}`; optional
 * `?issueKey=` narrows to one issue. `DELETE /__sandbox/mentions` forgets them.
 */
import type { FastifyInstance } from 'fastify';
import type { MentionNotice } from '../mentions';
import type { SiteRuntime } from '../runtime';

/** Answer of `GET /__sandbox/mentions`. */
export interface MentionNotifications {
  notifications: MentionNotice[];
}

/** Registers the mention-notification routes on a site's app. */
export function mentionRoutes(app: FastifyInstance, rt: SiteRuntime): void {
  app.get<{ Querystring: { issueKey?: string } }>('/__sandbox/mentions', async (req): Promise<MentionNotifications> => {
    const key = req.query.issueKey;
    return { notifications: rt.notify.mentions.notices.filter((n) => !key || n.issueKey === key) };
  });
  app.delete('/__sandbox/mentions', async (_req, reply) => {
    rt.notify.mentions.clear();
    return reply.code(204).send();
  });
}
