/**
 * Drives a running sandbox over HTTP only: the bridge (`POST /bridge/invoke`), Jira REST on either site with the
 * site admin's Basic auth, the emulator's counters, and waiting for idle. Used by `npm run demo` and the tests.
 */
import { canonicalAdf } from '../src/model/adf';
import { portableAdf } from '../src/model/portable';
import type { SandboxConfig } from './config';
import type { CustomFieldsAdded } from './jira/routes/sandbox';

export type SiteName = 'local' | 'partner';

/** A JSON answer from a site: status and parsed body (null for 204). */
export interface Answer<T = any> {
  status: number;
  body: T;
}

export class SandboxClient {
  constructor(readonly cfg: SandboxConfig) {}

  /** Calls a resolver through the sandbox bridge as `accountId` (default: the local admin). */
  async invoke<T = any>(moduleKey: string, functionKey: string, payload: unknown, ctx: { issueKey?: string; projectKey?: string; accountId?: string }): Promise<T> {
    const res = await fetch(`${this.cfg.hostUrl}/bridge/invoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ moduleKey, functionKey, payload, context: { accountId: ctx.accountId ?? this.cfg.local.admin.accountId, ...ctx } }),
    });
    const body = (await res.json()) as { result?: T; error?: unknown };
    if (!res.ok) throw new Error(`bridge ${functionKey} answered ${res.status}: ${JSON.stringify(body.error)}`);
    return body.result as T;
  }

  /** Jira REST on a site as its admin (or other Basic credentials). */
  async rest<T = any>(site: SiteName, method: string, pathAndQuery: string, body?: unknown, auth?: { email: string; apiToken: string }): Promise<Answer<T>> {
    const s = this.cfg[site];
    const who = auth ?? s.admin;
    const res = await fetch(`${s.url}${pathAndQuery}`, {
      method,
      headers: {
        Authorization: `Basic ${Buffer.from(`${who.email}:${who.apiToken}`).toString('base64')}`,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  /** GET an issue on a site; fails the test on anything but 200. */
  async issue(site: SiteName, key: string, fields = 'summary,description,priority,labels,status,updated'): Promise<any> {
    const res = await this.rest(site, 'GET', `/rest/api/3/issue/${key}?fields=${fields}`);
    if (res.status !== 200) throw new Error(`GET ${site} ${key} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** Comments of an issue on a site. */
  async comments(site: SiteName, key: string): Promise<any[]> {
    const res = await this.rest(site, 'GET', `/rest/api/3/issue/${key}/comment?maxResults=100`);
    return res.body.comments;
  }

  /** Moves a local or partner issue to the status named `to` through an available transition. */
  async transition(site: SiteName, key: string, to: string): Promise<void> {
    const { body } = await this.rest(site, 'GET', `/rest/api/3/issue/${key}/transitions`);
    const t = body.transitions.find((x: any) => x.to.name === to);
    if (!t) throw new Error(`${site} ${key}: no transition to ${to}; available ${body.transitions.map((x: any) => x.to.name).join(', ')}`);
    const res = await this.rest(site, 'POST', `/rest/api/3/issue/${key}/transitions`, { transition: { id: t.id } });
    if (res.status !== 204) throw new Error(`transition answered ${res.status}`);
  }

  async stats(site: SiteName): Promise<any> {
    return (await fetch(`${this.cfg[site].url}/__sandbox/stats`)).json();
  }

  async resetStats(site: SiteName): Promise<void> {
    await fetch(`${this.cfg[site].url}/__sandbox/stats/reset`, { method: 'POST' });
  }

  /** Turns sync on for a local issue as the local admin; returns the panel view. */
  async enableSync(issueKey: string): Promise<any> {
    const res = await this.invoke('task-sync-panel', 'enableSync', { confirmed: true }, { issueKey });
    if (!res.ok) throw new Error(`enableSync ${issueKey}: ${res.error.message}`);
    return res.data;
  }

  /** The newest sync-log entries of ALOY, as the admin reads them. */
  async log(limit = 200): Promise<any[]> {
    const res = await this.invoke('task-sync-settings', 'getSyncLog', { limit }, { projectKey: 'ALOY' });
    if (!res.ok) throw new Error(res.error.message);
    return res.data.entries;
  }

  /** Waits until no job, event or webhook is in flight anywhere in the sandbox (polls the host's idle endpoint). */
  async idle(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let calm = 0;
    while (Date.now() < deadline) {
      const res = await fetch(`${this.cfg.hostUrl}/__sandbox/idle`);
      const { idle } = (await res.json()) as { idle: boolean };
      calm = idle ? calm + 1 : 0;
      if (calm >= 2) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`sandbox still busy after ${timeoutMs} ms`);
  }

  /** Runs the app's scheduled reconcile now (as Forge would on its interval). */
  async reconcile(): Promise<void> {
    const res = await fetch(`${this.cfg.hostUrl}/__sandbox/reconcile`, { method: 'POST' });
    if (!res.ok) throw new Error(`reconcile answered ${res.status}: ${await res.text()}`);
  }

  /**
   * Moves the Forge host's manual clock forward (running retries and schedules that fall due, and moving the
   * process's `Date`). @returns the new virtual time, epoch ms
   */
  async advanceClock(ms: number): Promise<number> {
    const res = await fetch(`${this.cfg.hostUrl}/__sandbox/clock`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ advanceMs: ms }) });
    if (!res.ok) throw new Error(`clock answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { now: number }).now;
  }

  /** Sets (merges) fault injection on a site; `null` clears every fault. */
  async faults(site: SiteName, faults: Record<string, unknown> | null): Promise<void> {
    const res = await fetch(`${this.cfg[site].url}/__sandbox/faults`, {
      method: faults ? 'POST' : 'DELETE',
      headers: faults ? { 'Content-Type': 'application/json' } : {},
      body: faults ? JSON.stringify(faults) : undefined,
    });
    if (!res.ok) throw new Error(`faults answered ${res.status}: ${await res.text()}`);
  }

  /** Rotates a site user's API token, as revoking it at id.atlassian.com would (`POST /__sandbox/users/token`). */
  async setApiToken(site: SiteName, email: string, apiToken: string): Promise<void> {
    const res = await fetch(`${this.cfg[site].url}/__sandbox/users/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, apiToken }),
    });
    if (res.status !== 204) throw new Error(`token rotation answered ${res.status}: ${await res.text()}`);
  }

  /**
   * Hides or shows a site user's email, as their profile visibility setting does (`POST /__sandbox/users/email-visibility`):
   * hidden, REST user objects (except to that user) and webhook payloads leave out `emailAddress`.
   */
  async setEmailHidden(site: SiteName, accountId: string, hidden: boolean): Promise<void> {
    const res = await fetch(`${this.cfg[site].url}/__sandbox/users/email-visibility`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ accountId, hidden }),
    });
    if (res.status !== 204) throw new Error(`email visibility answered ${res.status}: ${await res.text()}`);
  }

  /**
   * Adds `count` (1–1000) synthetic custom fields to a site (`POST /__sandbox/custom-fields`), cycling through the
   * emulated types, on every project's screens, persisted with the site: how a benchmark loads a mapping editor with
   * hundreds of fields. Returns the new field ids and the site's custom field count.
   * @throws Error when the emulator refuses (a count out of range)
   */
  async addCustomFields(site: SiteName, count: number): Promise<CustomFieldsAdded> {
    const res = await fetch(`${this.cfg[site].url}/__sandbox/custom-fields`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ count }),
    });
    if (res.status !== 201) throw new Error(`adding custom fields answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as CustomFieldsAdded;
  }

  /**
   * Puts a local user in (`false`) or out of (`true`, as clicking "Allow access") the "has not consented" state: while
   * in it, the app's `asUser()` calls for that user fail as on Forge (`POST /__sandbox/consent`).
   */
  async setConsent(accountId: string, consented: boolean): Promise<void> {
    const res = await fetch(`${this.cfg.hostUrl}/__sandbox/consent`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ accountId, consented }),
    });
    if (res.status !== 204) throw new Error(`consent answered ${res.status}: ${await res.text()}`);
  }

  /**
   * Every Jira REST operation the app called on the local site so far (`GET /__sandbox/scopes`): caller (`app` or
   * `user`), method, the spec's path template, the scope groups it accepts, whether the manifest's scopes allowed it.
   */
  async productCalls(): Promise<{ grantedScopes: string[]; calls: Array<{ as: 'app' | 'user'; method: string; path: string; acceptedScopes: string[][]; allowed: boolean; count: number }> }> {
    const res = await fetch(`${this.cfg.hostUrl}/__sandbox/scopes`);
    if (!res.ok) throw new Error(`scopes answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as any;
  }

  /**
   * Sets (replaces) the Forge host's KVS faults (`POST /__sandbox/kvs-faults`, see sandbox/forge/kvs-faults.ts);
   * `null` clears them. @returns the settings and `fired`, the number of KVS calls failed so far
   */
  async kvsFaults(faults: Record<string, unknown> | null): Promise<Record<string, unknown> & { fired: number }> {
    const res = await fetch(`${this.cfg.hostUrl}/__sandbox/kvs-faults`, {
      method: faults ? 'POST' : 'DELETE',
      headers: faults ? { 'Content-Type': 'application/json' } : {},
      body: faults ? JSON.stringify(faults) : undefined,
    });
    if (!res.ok) throw new Error(`kvs-faults answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as Record<string, unknown> & { fired: number };
  }

  /**
   * Product-event delivery on the Forge host (`/__sandbox/product-events`): with `delayMs` sets the `[min, max]` ms
   * each event accepted from now on waits before reaching the triggers. @returns the delay and the latest
   * deliveries (`{seq, eventType, issueKey, acceptedAt, deliveredAt}`, oldest first)
   */
  async productEvents(delayMs?: [number, number]): Promise<{ delayMs: [number, number]; delivered: { seq: number; eventType: string; issueKey?: string; acceptedAt: number; deliveredAt: number }[] }> {
    const res = await fetch(`${this.cfg.hostUrl}/__sandbox/product-events`, {
      method: delayMs ? 'POST' : 'GET',
      headers: delayMs ? { 'Content-Type': 'application/json' } : {},
      body: delayMs ? JSON.stringify({ delayMs }) : undefined,
    });
    if (!res.ok) throw new Error(`product-events answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as any;
  }

  /** True when a sandbox answers on this config's host port. */
  async isRunning(): Promise<boolean> {
    try {
      return (await fetch(`${this.cfg.hostUrl}/__sandbox/idle`)).ok;
    } catch {
      return false;
    }
  }
}

/**
 * Plain text of an ADF document as a reader sees it on either site, in the sync's own terms: canonical form
 * (formatting-only differences such as trailing whitespace gone) with mentions as `@Name` and attachments as
 * `[attachment: name]`; text nodes joined, blocks on separate lines.
 */
export function adfText(doc: any): string {
  if (!doc) return '';
  if (doc.type !== 'doc') return textOf(doc);
  const canonical = canonicalAdf(portableAdf(doc));
  return canonical ? textOf(canonical) : '';
}

function textOf(node: any): string {
  if (typeof node.text === 'string') return node.text;
  return (node.content ?? []).map(textOf).join(node.type === 'doc' ? '\n' : '');
}

/** A one-paragraph ADF document. */
export function adfParagraph(text: string): any {
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}
