/**
 * Web trigger for the partner's admin webhook: verify the HMAC signature over the raw body, parse, find the link,
 * enqueue a job — unless the delivery is only the echo of the app's own write (see `src/sync/echo.ts`), which needs
 * no read and no job and is not logged (every synced change would add one). A bad signature or body changes nothing, is logged, and gets a 4xx.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/web-trigger/
 */
import { z } from 'zod';
import { legacyConnectionId } from '../model/connection';
import { getConnection } from '../store/connections';
import * as store from '../store/kvs';
import { echoCandidate, isPartnerEcho } from '../sync/echo';
import { verifySignature } from '../sync/signature';
import { isWorklogEcho, withWorklogIssue } from '../sync/worklog-echo'; // worklogs
import { markDeleted } from './broken';
import { enqueueSync } from './queue';
import { isIssueLinkEvent, onPartnerIssueLinkWebhook } from './issue-link-events'; // hierarchy
import { webhookContext } from './log-actor'; // log

/** Forge web trigger request: header names as the caller sent them (any casing), each with a list of values. */
interface WebTriggerRequest {
  method: string;
  headers: Record<string, string[] | undefined>;
  body?: string;
  queryParameters?: Record<string, string[] | undefined>;
}
interface WebTriggerResponse {
  statusCode: number;
  headers: Record<string, string[]>;
  body: string;
}

const MAX_BODY = 1_000_000;
const WebhookBody = z.object({
  webhookEvent: z.string(),
  issue: z.object({ id: z.coerce.string(), key: z.string() }),
});

/**
 * First value of header `name`, matched case-insensitively: Forge passes header names in the caller's casing
 * (Jira sends `X-Hub-Signature`), and HTTP header names are case-insensitive.
 * @see https://developer.atlassian.com/platform/forge/events-reference/web-trigger/
 */
function header(request: WebTriggerRequest, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(request.headers ?? {})) if (k.toLowerCase() === want && v?.length) return v[0];
  return undefined;
}

function reply(statusCode: number, body: Record<string, unknown>): WebTriggerResponse {
  return { statusCode, headers: { 'Content-Type': ['application/json'] }, body: JSON.stringify(body) };
}

async function rejectWith(projectKey: string, connectionId: string, statusCode: number, message: string): Promise<WebTriggerResponse> {
  await store.appendLog(projectKey, { connectionId, trigger: 'webhook', direction: 'none', localIssueKey: null, partnerIssueKey: null, fields: [], outcome: 'rejected', message });
  return reply(statusCode, { error: message });
}

/**
 * Handler of the `partner-webhook` web trigger. The URL names the project and the connection
 * (`?project=ALOY&connection=c-…`); a webhook registered before connections existed names only the project and
 * reaches the project's migrated connection.
 */
export async function handler(request: WebTriggerRequest): Promise<WebTriggerResponse> {
  const projectKey = request.queryParameters?.project?.[0] ?? '';
  const connectionId = request.queryParameters?.connection?.[0] ?? legacyConnectionId(projectKey);
  const settings = projectKey ? await getConnection(projectKey, connectionId) : undefined;
  const secret = settings && (await store.getWebhookSecret(settings.credentialsRef));
  if (!settings || !secret) return reply(404, { error: `No Task sync set up for project "${projectKey}".` });
  const reject = (statusCode: number, message: string) => rejectWith(projectKey, settings.id, statusCode, message);

  const body = request.body ?? '';
  if (body.length > MAX_BODY) return reject(413, `Rejected a partner webhook of ${body.length} bytes (limit ${MAX_BODY}). Nothing was changed.`);
  if (!verifySignature(body, header(request, 'X-Hub-Signature'), secret)) {
    return reject(401, 'Rejected a partner webhook with a missing or wrong X-Hub-Signature. Nothing was changed. If this repeats, save the Task sync settings again to re-register the webhook.');
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return reject(400, 'Rejected a partner webhook whose body is not JSON. Nothing was changed.');
  }
  // Jira keeps the identifier across its own retries; we mark it only once accepted, so those still get through.
  const identifier = header(request, 'X-Atlassian-Webhook-Identifier');
  // A repeated delivery is normal (Jira delivers at least once), so it is ignored without a log line.
  if (identifier && (await store.webhookSeen(identifier))) return reply(200, { ignored: 'replay' });
  // hierarchy: issue-link deliveries carry `issueLink.sourceIssueId/destinationIssueId`, not `issue`
  if (isIssueLinkEvent((json as { webhookEvent?: unknown } | null)?.webhookEvent)) {
    const queued = await onPartnerIssueLinkWebhook(json, settings);
    if (identifier && queued) await store.markWebhookSeen(identifier);
    return reply(queued ? 200 : 202, queued ? { accepted: true } : { ignored: 'issues not linked' });
  }
  const parsed = WebhookBody.safeParse(withWorklogIssue(json)); // worklogs: worklog deliveries name the issue by worklog.issueId
  if (!parsed.success) {
    // Signed but not an issue event we handle (e.g. a project event): acknowledge without work.
    return reply(202, { ignored: 'not an issue event' });
  }
  const localIssueId = await store.findLocalIssueId(settings.partnerUrl, parsed.data.issue.id);
  const link = localIssueId ? await store.getLink(localIssueId) : undefined;
  if (!link || link.state === 'broken' || link.connectionId !== settings.id) return reply(202, { ignored: 'issue not linked' });
  if (parsed.data.webhookEvent === 'jira:issue_deleted') {
    await markDeleted(link, settings.partnerUrl, 'partner');
  } else if (isPartnerEcho(json, link, settings) || isWorklogEcho(json, link, settings) /* worklogs */) {
    // A replay of an echo is an echo too, so the identifier need not be kept.
    return reply(200, { ignored: 'echo' });
  } else {
    // Not an echo of the saved link, but maybe of a write the running job has not saved yet: the job re-checks it.
    const echo = echoCandidate(json, settings);
    await enqueueSync([{ projectKey, connectionId: settings.id, localIssueId: link.localIssueId, trigger: 'webhook', ...(echo ? { echo } : {}), ...webhookContext(json) /* log */ }]);
  }
  if (identifier) await store.markWebhookSeen(identifier);
  return reply(200, { accepted: true });
}
