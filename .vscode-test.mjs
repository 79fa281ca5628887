// Configuration for @vscode/test-cli (`npm run test:electron`): runs the same
// compiled extension suites as `npm run test:vscode`, but in a desktop VS Code
// that @vscode/test-electron downloads, or in the one VSCODE_EXECUTABLE names.
// Machines without access to VS Code's download servers use the code-server
// route instead (scripts/vscode/run-tests.mjs).
import process from 'node:process';
import { defineConfig } from '@vscode/test-cli';

const executable = process.env.VSCODE_EXECUTABLE;

export default defineConfig({
  label: 'extension',
  files: 'out/test/vscode/**/*.test.js',
  version: process.env.VSCODE_TEST_VERSION ?? 'stable',
  ...(executable ? { useInstallation: { fromPath: executable } } : {}),
  workspaceFolder: 'test/vscode/workspace',
  launchArgs: ['--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  env: {
    // Suites start nats-server through test/support/nats-server.ts, which
    // looks for it on PATH and in /usr/sbin unless this names it.
    NATS_SERVER_BIN: process.env.NATS_SERVER_BIN,
  },
  mocha: {
    ui: 'tdd',
    timeout: 60_000,
  },
});
