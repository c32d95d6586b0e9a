/**
 * A tiny Jira REST client for integration tests: real HTTP (global fetch), JSON in and out, and every REST response
 * checked against the OpenAPI spec plus overlay (`validateResponse`); a mismatch throws.
 */
import { validateResponse } from './openapi';

/** A response as the tests see it. */
export interface JiraResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** `Authorization` value for Basic auth with `email:apiToken`. */
export function basic(email: string, token: string): string {
  return `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;
}

/**
 * Client bound to a site URL and an `Authorization` header value (undefined = none).
 * `call(method, path, body?)` returns `{status, body, headers}`; throws if the response violates the spec.
 */
export function jiraClient(baseUrl: string, authorization?: string) {
  return async function call<T = any>(method: string, path: string, body?: unknown): Promise<JiraResponse<T>> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (authorization) headers.Authorization = authorization;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    const parsed = text ? JSON.parse(text) : undefined;
    if (path.startsWith('/rest/')) {
      const v = validateResponse({ method, path, status: res.status, body: parsed });
      if (!v.ok) throw new Error(`${method} ${path} → ${res.status} violates the spec (${v.operationId}):\n  ${v.errors.slice(0, 10).join('\n  ')}`);
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  };
}

/** One HTTP request a test receiver got: exact raw body, parsed JSON and headers. */
export interface Received {
  path: string;
  raw: string;
  json: any;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Starts a loopback HTTP receiver that records every request and answers `status(n)` (default 200) for the n-th
 * (0-based) request. Used for webhook deliveries and the Forge host's product-event endpoint.
 */
export async function startReceiver(port: number, status: (n: number) => number = () => 200) {
  const http = await import('node:http');
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const n = received.length;
      received.push({ path: req.url ?? '', raw, json: raw ? JSON.parse(raw) : undefined, headers: req.headers });
      res.writeHead(status(n)).end();
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { received, url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}
