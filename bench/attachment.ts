/**
 * Time to mirror one 10 MB attachment local → partner, as a person uploads it (multipart with
 * `X-Atlassian-Token: no-check`) on a linked issue: from the upload's answer until the sandbox is idle and the
 * partner copy has the same size and bytes. Peak RSS is sampled over the same window (the Forge host, both Jira
 * sites and the bench share the process, so it bounds what one invocation holds from above).
 */
import { performance } from 'node:perf_hooks';
import type { SandboxClient } from '../sandbox/client';
import type { Sandbox } from '../sandbox/start';
import { MemorySampler } from './probe';

/** What the attachment section measured. */
export interface AttachmentFigure {
  bytes: number;
  ms: number;
  peakRssBytes: number;
  sameBytes: boolean;
}

const auth = (client: SandboxClient, site: 'local' | 'partner') => `Basic ${Buffer.from(`${client.cfg[site].admin.email}:${client.cfg[site].admin.apiToken}`).toString('base64')}`;

/**
 * Uploads `size` bytes to `localKey` (already linked to `partnerKey`) and waits for the mirror.
 * @throws Error when the upload is refused or the mirror does not arrive whole
 */
export async function measureAttachment(sandbox: Sandbox, client: SandboxClient, pair: { local: string; partner: string }, size = 10 * 1024 * 1024): Promise<AttachmentFigure> {
  await sandbox.host.waitIdle(120_000);
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = (i * 31 + 7) & 0xff;
  const memory = new MemorySampler(50);
  memory.mark('attachment');
  const form = new FormData();
  form.append('file', new Blob([data], { type: 'application/octet-stream' }), 'bench-10mb.bin');
  const t0 = performance.now();
  const res = await fetch(`${client.cfg.local.url}/rest/api/3/issue/${pair.local}/attachments`, {
    method: 'POST',
    headers: { Authorization: auth(client, 'local'), Accept: 'application/json', 'X-Atlassian-Token': 'no-check' },
    body: form,
  });
  if (res.status !== 200) throw new Error(`the local upload answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
  await sandbox.host.waitIdle(120_000);
  const ms = performance.now() - t0;
  const peak = memory.stop();
  const there = await client.rest('partner', 'GET', `/rest/api/3/issue/${pair.partner}?fields=attachment`);
  const copy = (there.body.fields.attachment ?? []).find((a: any) => a.filename === 'bench-10mb.bin');
  if (!copy || copy.size !== size) throw new Error(`the partner copy is missing or not whole: ${JSON.stringify(copy)}`);
  const bytes = await fetch(`${client.cfg.partner.url}/rest/api/3/attachment/content/${copy.id}?redirect=false`, { headers: { Authorization: auth(client, 'partner') } });
  const got = new Uint8Array(await bytes.arrayBuffer());
  return { bytes: size, ms: Math.round(ms), peakRssBytes: peak.total.peakRss, sameBytes: Buffer.from(got).equals(Buffer.from(data)) };
}
