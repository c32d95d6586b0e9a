/**
 * Self-check of the emulator against Jira's OpenAPI spec: when on, every `/rest/` response a site sends is validated
 * (status code, body schema, `{errorMessages, errors}` error bodies; see `./openapi`) and mismatches are recorded.
 * Off by default (it costs ~1 s of schema compiling and a little per response); on with the emulator option
 * `validate: true` or the env `SANDBOX_VALIDATE=1`.
 */
import { validateResponse } from './openapi'; // compiles the spec on first use, not at import

/** One response that does not match the spec. */
export interface SpecMismatch {
  method: string;
  /** Route template, e.g. `/rest/api/3/issue/{issueIdOrKey}` (the concrete path when no route matched). */
  route: string;
  /** The concrete request path (with query). */
  path: string;
  status: number;
  operationId?: string;
  /** Readable validator messages (`<where> <message>`), at most 10. */
  errors: string[];
}

/** Is validation on for these options? (`opt` wins; else `SANDBOX_VALIDATE=1`.) */
export function validationWanted(opt?: boolean): boolean {
  return opt ?? process.env.SANDBOX_VALIDATE === '1';
}

/** Records spec mismatches of one site's responses. */
export class SpecCheck {
  readonly mismatches: SpecMismatch[] = [];
  /** Responses checked since start or the last `clear()`. */
  checked = 0;

  /**
   * Validates one response. `payload` is what fastify sends (serialized JSON string, or empty); non-JSON bodies
   * are recorded as mismatches since every Jira REST answer here is JSON.
   */
  check(method: string, route: string, path: string, status: number, payload: unknown): void {
    this.checked++;
    let body: unknown;
    const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
    if (payload != null && typeof payload !== 'string' && !Buffer.isBuffer(payload)) return; // streams: not ours
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      this.mismatches.push({ method, route, path, status, errors: ['body is not JSON'] });
      return;
    }
    const r = validateResponse({ method, path: route, status, body });
    if (!r.ok) this.mismatches.push({ method, route, path, status, operationId: r.operationId, errors: r.errors.slice(0, 10) });
  }

  /** Forgets recorded mismatches. */
  clear(): void {
    this.mismatches.length = 0;
    this.checked = 0;
  }
}
