/** Helpers for tests that run the Forge host alone on the fixture app (test/integration/forge-host*.test.ts). */
import path from 'node:path';
import fastify, { type FastifyInstance } from 'fastify';
import type { SandboxConfig } from '../../sandbox/config';

/** The fixture Forge app: manifest.yml and src/. */
export const FIXTURE_APP_DIR = path.resolve(__dirname, '../fixtures/forge-app');

/** A JSON call to the host of `cfg`: `call('POST', '/bridge/invoke', body)` → `{status, body}`. */
export function hostCaller(cfg: SandboxConfig) {
  return async function call(method: string, p: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${cfg.hostUrl}${p}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
}

/** A stand-in for the local site with what the host's resolver dispatch reads (projects) and an idle endpoint. */
export async function startLocalStandIn(cfg: SandboxConfig): Promise<FastifyInstance> {
  const local = fastify();
  local.get('/rest/api/3/project/:key', async (req) => ({ id: '10000', key: (req.params as { key: string }).key, projectTypeKey: 'software' }));
  local.get('/__sandbox/idle', async () => ({ idle: true }));
  await local.listen({ host: '127.0.0.1', port: cfg.local.port });
  return local;
}
