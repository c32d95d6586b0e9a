/**
 * A local stand-in for Slack's incoming webhooks (tests only): a small fastify server that answers like Slack
 * (`200 ok`, or a chosen failure such as `404 no_service` / `500 rollup_error`) and keeps every post. The sandbox
 * routes `https://hooks.slack.com` to it through `SandboxConfig.externalSites`, after the Forge host has checked
 * the public URL against the manifest's egress, as Forge's egress proxy does.
 * @see https://api.slack.com/messaging/webhooks#handling_errors
 */
import fastify, { type FastifyInstance } from 'fastify';
import type { SandboxConfig } from '../../sandbox/config';

/** One message Slack received. */
export interface SlackPost {
  path: string;
  body: { text?: string };
}

const FAILURES: Record<number, string> = { 400: 'invalid_payload', 403: 'action_prohibited', 404: 'no_service', 410: 'channel_is_archived', 500: 'rollup_error' };

export class SlackReceiver {
  readonly posts: SlackPost[] = [];
  /** Status Slack answers next: 200 (`ok`) or a failure of {@link FAILURES}. */
  status = 200;
  private app?: FastifyInstance;

  constructor(readonly port: number) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts it and routes `https://hooks.slack.com` of `cfg` to it. */
  async start(cfg: SandboxConfig): Promise<this> {
    const app = fastify();
    app.post<{ Params: { '*': string } }>('/services/*', async (req, reply) => {
      const body = req.body as SlackPost['body'];
      if (!body || typeof body.text !== 'string' || !body.text) return reply.code(400).type('text/plain').send('invalid_payload');
      this.posts.push({ path: req.url, body });
      if (this.status !== 200) return reply.code(this.status).type('text/plain').send(FAILURES[this.status] ?? 'error');
      return reply.type('text/plain').send('ok');
    });
    await app.listen({ host: '127.0.0.1', port: this.port });
    this.app = app;
    cfg.externalSites = [...(cfg.externalSites ?? []).filter((s) => s.publicUrl !== 'https://hooks.slack.com'), { publicUrl: 'https://hooks.slack.com', url: this.url }];
    return this;
  }

  /** Texts of the posts received, oldest first. */
  texts(): string[] {
    return this.posts.map((p) => p.body.text ?? '');
  }

  async stop(): Promise<void> {
    await this.app?.close();
  }
}
