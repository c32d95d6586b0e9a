/**
 * `npm run demo`: a scripted scenario against the sandbox (starting one if none runs on `SANDBOX_PORT`):
 * links 10 real ALOY issues, edits on each side, a status change, comments both ways, and prints what converged.
 * Exits 0 only if every step converged.
 */
import { adfParagraph, adfText, SandboxClient } from './client';
import { sandboxConfig } from './config';
import { startSandbox, type Sandbox } from './start';

const ISSUES = ['ALOY-1', 'ALOY-2', 'ALOY-3', 'ALOY-41', 'ALOY-95', 'ALOY-103', 'ALOY-138', 'ALOY-191', 'ALOY-192', 'ALOY-253'];

interface Step {
  name: string;
  ok: boolean;
  detail: string;
  ms: number;
}

async function main(): Promise<void> {
  const cfg = sandboxConfig();
  const client = new SandboxClient(cfg);
  let own: Sandbox | undefined;
  if (!(await client.isRunning())) {
    console.log(`No sandbox on ${cfg.hostUrl}; starting one…`);
    own = await startSandbox({ cfg });
  }
  const steps: Step[] = [];
  const step = async (name: string, run: () => Promise<string>) => {
    const t0 = Date.now();
    try {
      steps.push({ name, ok: true, detail: await run(), ms: Date.now() - t0 });
    } catch (err) {
      steps.push({ name, ok: false, detail: err instanceof Error ? err.message : String(err), ms: Date.now() - t0 });
    }
    const s = steps[steps.length - 1];
    console.log(`${s.ok ? '✓' : '✗'} ${s.name} (${s.ms} ms)\n    ${s.detail}`);
  };
  const expect = (cond: boolean, what: string) => {
    if (!cond) throw new Error(what);
  };

  const pairs = new Map<string, string>();
  await step(`Turn sync on for ${ISSUES.length} real ALOY issues`, async () => {
    for (const key of ISSUES) {
      const res = await client.invoke('task-sync-panel', 'enableSync', { confirmed: true }, { issueKey: key });
      expect(res.ok, `${key}: ${res.error?.message}`);
      pairs.set(key, res.data.link.partnerIssueKey);
    }
    await client.idle(60_000);
    return [...pairs].map(([l, p]) => `${l} → ${p}`).join(', ');
  });

  const [first, second, third] = ISSUES;
  await step('Local edit reaches the partner', async () => {
    await client.rest('local', 'PUT', `/rest/api/3/issue/${first}`, { fields: { summary: 'Demo: edited on the local site' } });
    await client.idle();
    const p = await client.issue('partner', pairs.get(first)!);
    expect(p.fields.summary === 'Demo: edited on the local site', `partner summary is "${p.fields.summary}"`);
    return `${pairs.get(first)} summary = "${p.fields.summary}"`;
  });

  await step('Partner edit reaches the local site', async () => {
    await client.rest('partner', 'PUT', `/rest/api/3/issue/${pairs.get(second)}`, { fields: { summary: 'Demo: edited on the partner', labels: ['from-partner'] } });
    await client.idle();
    const l = await client.issue('local', second);
    expect(l.fields.summary === 'Demo: edited on the partner', `local summary is "${l.fields.summary}"`);
    return `${second} summary = "${l.fields.summary}", labels = ${JSON.stringify(l.fields.labels)}`;
  });

  await step('Status change goes through the other workflow', async () => {
    await client.transition('local', third, 'Reopened');
    await client.idle();
    const p = await client.issue('partner', pairs.get(third)!);
    expect(p.fields.status.name === 'Open', `partner status is ${p.fields.status.name}`);
    await client.transition('partner', pairs.get(third)!, 'Working');
    await client.idle();
    const l = await client.issue('local', third);
    expect(l.fields.status.name === 'In Progress', `local status is ${l.fields.status.name}`);
    return `${third} Reopened → ${pairs.get(third)} Open; ${pairs.get(third)} Working → ${third} In Progress`;
  });

  await step('Comments both ways', async () => {
    await client.rest('local', 'POST', `/rest/api/3/issue/${first}/comment`, { body: adfParagraph('Demo comment from local') });
    await client.rest('partner', 'POST', `/rest/api/3/issue/${pairs.get(first)}/comment`, { body: adfParagraph('Demo comment from partner') });
    await client.idle();
    const onPartner = (await client.comments('partner', pairs.get(first)!)).map((c) => adfText(c.body));
    const onLocal = (await client.comments('local', first)).map((c) => adfText(c.body));
    expect(onPartner.some((t) => t.includes('Demo comment from local')), 'local comment missing on partner');
    expect(onLocal.some((t) => t.includes('Demo comment from partner')), 'partner comment missing locally');
    expect(onPartner.length === onLocal.length, `comment counts differ: local ${onLocal.length}, partner ${onPartner.length}`);
    return `${first} and ${pairs.get(first)} both hold ${onLocal.length} comments`;
  });

  await step('Every linked pair is equal on both sides', async () => {
    const diffs: string[] = [];
    for (const [l, p] of pairs) {
      const [a, b] = [await client.issue('local', l), await client.issue('partner', p)];
      if (a.fields.summary !== b.fields.summary) diffs.push(`${l} summary`);
      if (JSON.stringify([...a.fields.labels].sort()) !== JSON.stringify([...b.fields.labels].sort())) diffs.push(`${l} labels`);
      if (adfText(a.fields.description) !== adfText(b.fields.description)) diffs.push(`${l} description`);
    }
    expect(!diffs.length, `differences: ${diffs.join(', ')}`);
    return `${pairs.size} pairs equal in summary, description and labels`;
  });

  const failed = steps.filter((s) => !s.ok);
  console.log(`\n${steps.length - failed.length} passed, ${failed.length} failed`);
  console.log(`Open ${cfg.hostUrl}/browse/${first} to see the panel, or ${cfg.hostUrl}/project-settings/ALOY for the sync log.`);
  await own?.close();
  process.exit(failed.length ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
