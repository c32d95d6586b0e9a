/**
 * Runs the Jira emulator on its own: `node_modules/.bin/node --import tsx sandbox/jira/main.ts [--fresh]`.
 * Ports and data dir come from `sandboxConfig()` (`SANDBOX_PORT`, default base 7700 → local 7701, partner 7702).
 */
import { sandboxConfig } from '../config';
import { startJiraEmulator } from './index';

const cfg = sandboxConfig();
startJiraEmulator({ cfg, fresh: process.argv.includes('--fresh'), log: (m) => console.log(m) }).then(
  (jira) => {
    const stop = () => void jira.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  },
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
