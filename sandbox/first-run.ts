/**
 * What a new user meets on `npm start`: every problem that is theirs to fix (a bad `SANDBOX_PORT`, the shared data
 * folder missing, a sandbox already running) is one line saying what and what to do, never a stack trace.
 * Also the PID file that lets that line name the running sandbox.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { SandboxConfig } from './config';
import { DATA_DIR } from './jira/defs';

/** A start-up problem the user can fix; `npm start` prints its message alone and exits 1. */
export class StartError extends Error {
  override name = 'StartError';
}

/** Files the sandbox reads from `../shared/data` (relative to the data dir). */
const SHARED_FILES = ['jira-platform-openapi-v3.json', 'jira-field-information.json', 'issues/tidev-ALOY-DAEMON-MOD.jsonl.gz'];

/**
 * Checks the real data the sandbox seeds from is where it should be: `../shared/data/` beside the checkout.
 * @throws StartError naming the missing files, the folder they were looked for in and where they come from
 */
export function checkSharedData(dataDir = DATA_DIR): void {
  const missing = SHARED_FILES.filter((f) => !fs.existsSync(path.join(dataDir, f)));
  if (!missing.length) return;
  throw new StartError(
    `The sandbox's real data is missing: ${missing.join(', ')} not found in ${dataDir}. ` +
      'It is the shared folder of this workspace (Jira OpenAPI spec, field list, issue dump; see shared/data/SOURCES.md) ' +
      'and must sit beside the checkout as ../shared/data.',
  );
}

/**
 * Parses the `SANDBOX_PORT` environment variable.
 * @returns the base port, or undefined when unset/empty
 * @throws StartError when it is not a whole number from 1024 to 65533 (the sandbox also takes the next two ports)
 */
export function portFromEnv(value = process.env.SANDBOX_PORT): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1024 || port > 65533) {
    throw new StartError(`SANDBOX_PORT must be a port number from 1024 to 65533 (the sandbox uses it and the next two); got "${value}".`);
  }
  return port;
}

function pidFile(cfg: SandboxConfig): string {
  return path.join(cfg.dataDir, `sandbox-${cfg.basePort}.pid`);
}

/** Records this process as the sandbox on `cfg.basePort` (removed again by {@link forgetPid}). */
export function recordPid(cfg: SandboxConfig): void {
  fs.mkdirSync(cfg.dataDir, { recursive: true });
  fs.writeFileSync(pidFile(cfg), String(process.pid));
}

/** Removes the PID file if it is this process's. */
export function forgetPid(cfg: SandboxConfig): void {
  try {
    if (fs.readFileSync(pidFile(cfg), 'utf8') === String(process.pid)) fs.unlinkSync(pidFile(cfg));
  } catch {
    // no file: nothing to forget
  }
}

function runningPid(cfg: SandboxConfig): number | undefined {
  try {
    const pid = Number(fs.readFileSync(pidFile(cfg), 'utf8'));
    process.kill(pid, 0); // throws when no such process
    return pid;
  } catch {
    return undefined;
  }
}

/**
 * Turns a listen failure into a StartError when it is a busy port; other errors come back unchanged.
 * The message says whether a sandbox holds the ports (and its PID, from its PID file) and how to stop it.
 */
export function explainListenError(err: unknown, cfg: SandboxConfig): unknown {
  const e = err as NodeJS.ErrnoException & { port?: number };
  if (e?.code !== 'EADDRINUSE') return err;
  const port = e.port ?? cfg.basePort;
  const pid = runningPid(cfg);
  const who = pid ? `A sandbox is already running (PID ${pid}) on port ${port}` : `Port ${port} is already in use, probably by a sandbox started earlier`;
  const stop = pid ? `stop it with \`kill ${pid}\` or Ctrl+C in its terminal` : `stop it (\`fuser -k ${port}/tcp\`) or Ctrl+C in its terminal`;
  return new StartError(`${who}: open ${cfg.hostUrl}/browse/ALOY-1, ${stop}, or start another on other ports with SANDBOX_PORT=${cfg.basePort + 100} npm start.`);
}

/**
 * Checks the three sandbox ports (`basePort` … `basePort + 2`) are free before anything starts, so a second
 * `npm start` neither touches the first one's state nor half-starts.
 * @throws StartError (see {@link explainListenError}) when one is taken
 */
export async function checkPortsFree(cfg: SandboxConfig): Promise<void> {
  for (const port of [cfg.basePort, cfg.local.port, cfg.partner.port]) {
    const err = await new Promise<unknown>((resolve) => {
      const probe = net.createServer();
      probe.once('error', resolve);
      probe.listen({ host: '127.0.0.1', port, exclusive: true }, () => probe.close(() => resolve(undefined)));
    });
    if (err) throw explainListenError(err, cfg);
  }
}
