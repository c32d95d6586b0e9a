/**
 * Custom UI bundle sizes per page (`buildUi()` from static/build.ts), built in a child process so Vite's memory
 * does not count as the Forge host's. Run directly it prints the sizes as JSON on stdout.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { PageSize } from '../static/build';

/** Builds every page in a child Node and returns its sizes (bytes). @throws Error when the build fails */
export function uiSizes(): PageSize[] {
  const out = execFileSync(process.execPath, ['--import', 'tsx', __filename], {
    cwd: path.resolve(__dirname, '..'),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 240_000,
  });
  const line = out.trim().split('\n').pop() ?? '[]';
  return JSON.parse(line) as PageSize[];
}

if (require.main === module) {
  // Vite logs to stdout; the JSON is the last line.
  import('../static/build.ts').then(({ buildUi }) => buildUi()).then(
    (sizes) => console.log(`\n${JSON.stringify(sizes)}`),
    (err) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
