/**
 * Waiting for a state in browser tests instead of reading it at once: after a click, press or fill, React renders
 * asynchronously (and on a loaded CI machine, late), so a state read straight after the action may see the old one.
 * Locator states Playwright can wait on (`getByRole(name, {pressed, checked, disabled})`, `filter({hasText})`,
 * `waitFor({state})`) come first; for the rest (an input's value, a count) poll the reading until it is as expected.
 * @see https://playwright.dev/docs/api/class-locator#locator-wait-for
 */
import { isDeepStrictEqual } from 'node:util';

/**
 * Polls `read()` every 50 ms until it gives `expected` (deep equality), for at most `timeoutMs`.
 * @throws AssertionError-like Error naming `what`, the expected and the last seen value, when the time is up
 */
export async function waitForValue<T>(read: () => Promise<T>, expected: T, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen: T | undefined;
  for (;;) {
    try {
      seen = await read();
      if (isDeepStrictEqual(seen, expected)) return;
    } catch (e) {
      if (Date.now() >= deadline) throw e;
    }
    if (Date.now() >= deadline) throw new Error(`${what}: expected ${JSON.stringify(expected)}, still ${JSON.stringify(seen)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
