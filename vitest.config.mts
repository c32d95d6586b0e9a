/**
 * Test runner config (vitest). Three projects, run one after the other (`sequence.groupOrder`):
 * - `unit`: pure engine logic (`src/sync`, `src/model`), files in parallel;
 * - `integration`: each file starts its own sandbox (Forge host + Jira emulator) on its own ports, one file at a time;
 * - `e2e`: Chromium through playwright-core against a sandbox, one file at a time.
 * Coverage of `src/` is collected with v8 when run with `--coverage` (as `npm test` does).
 * @see https://vitest.dev/guide/projects
 */
import { defineConfig } from 'vitest/config';

const serial = { fileParallelism: false, testTimeout: 10 * 60_000, hookTimeout: 5 * 60_000 } as const;

export default defineConfig({
  test: {
    coverage: {
      provider: 'v8',
      include: ['src/**'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'test-results/coverage',
    },
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 60_000, sequence: { groupOrder: 0 } } },
      { test: { name: 'integration', include: ['test/integration/**/*.test.ts'], ...serial, sequence: { groupOrder: 1 } } },
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], ...serial, sequence: { groupOrder: 2 } } },
    ],
  },
});
